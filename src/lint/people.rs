//! P4xx — people: one surname with different initials (P401); a signature
//! without initials (P402) or not in the form «И.О. Фамилия» (P403).

use super::Cx;
use super::codes::{P401, P402, P403};
use crate::diag::Pos;
use crate::letters::{Cursor, is_upper};
use crate::persons::{mentions, stem};
use crate::read::decode::Spanned;
use crate::read::input::{Block, Signatory};
use std::collections::BTreeMap;

// The shapes of a signature's name, hand-written (letters::Cursor); the
// regexes they replace are kept in the tests, which compare the two.

fn space(c: char) -> bool {
    c == ' ' || c == '\u{a0}'
}

/// «И.О. Фамилия», «И. Фамилия».
fn sign_ok(n: &str) -> bool {
    let mut c = Cursor::new(n, 0);
    c.initial().is_some() && {
        c.initial();
        c.one(space).is_some() && c.surname(1).is_some() && c.at_end()
    }
}

/// A capital with a dot anywhere.
fn any_initial(n: &str) -> bool {
    n.char_indices()
        .any(|(i, c)| is_upper(c) && n[i + c.len_utf8()..].starts_with('.'))
}

/// «Фамилия И.О.», «Фамилия И. О.»: the surname and the initials.
fn sign_reversed(n: &str) -> Option<(&str, &str, Option<&str>)> {
    let mut c = Cursor::new(n, 0);
    let surname = c.surname(1)?;
    c.many(1, char::is_whitespace)?;
    let a = c.initial()?;
    c.many(0, char::is_whitespace);
    let b = c.initial();
    c.at_end().then_some((surname, a, b))
}

/// «И. О. Фамилия», «И. О.Фамилия»: the initials and the surname.
fn sign_spaced(n: &str) -> Option<(&str, &str, &str)> {
    let mut c = Cursor::new(n, 0);
    let a = c.initial()?;
    c.many(1, char::is_whitespace)?;
    let b = c.initial()?;
    c.many(0, char::is_whitespace);
    let surname = c.surname(1)?;
    c.at_end().then_some((a, b, surname))
}

/// «И.О.Фамилия», «И.Фамилия»: the initials and the surname.
fn sign_glued(n: &str) -> Option<(&str, Option<&str>, &str)> {
    let mut c = Cursor::new(n, 0);
    let a = c.initial()?;
    let b = c.initial();
    let surname = c.surname(1)?;
    c.at_end().then_some((a, b, surname))
}

/// «Фамилия Имя Отчество» (or «Имя Отчество Фамилия»): the three words.
fn full_name(n: &str) -> Option<[&str; 3]> {
    let mut c = Cursor::new(n, 0);
    let first = c.surname(1)?;
    c.many(1, char::is_whitespace)?;
    let second = c.word(1)?;
    c.many(1, char::is_whitespace)?;
    let third = c.word(1)?;
    c.at_end().then_some([first, second, third])
}

pub fn check(cx: &mut Cx) {
    if cx.on(P401) {
        initials(cx);
    }
    let mut signatures: Vec<(&Signatory, String)> =
        vec![(&cx.act.signatory, "подписант.имя".into())];
    for (ai, a) in cx.act.appendices.iter().enumerate() {
        for (bi, b) in a.body.iter().enumerate() {
            if let Block::Signature(s) = b {
                signatures.push((
                    s,
                    format!("приложения[{}].содержание[{}].подпись.имя", ai + 1, bi + 1),
                ));
            }
        }
    }
    let mut names: Vec<(&Spanned<String>, String)> =
        signatures.into_iter().map(|(s, f)| (&s.name, f)).collect();
    // Visas are signed as «И.О. Фамилия» too (ГОСТ §5.21).
    if let Some(a) = &cx.act.approval {
        for (i, v) in a.visas.iter().enumerate() {
            names.push((&v.name, format!("согласование.визы[{}].имя", i + 1)));
        }
    }
    let found: Vec<_> = names
        .into_iter()
        .filter_map(|(name, f)| {
            signature(name).map(|(code, msg, fix)| (name.clone(), f, code, msg, fix))
        })
        .collect();
    for (name, field, code, msg, fix) in found {
        let pos = cx.locate(&name.value, name.pos, 0);
        cx.warn(code, pos, &field, msg, Some(fix));
    }
}

/// The problem with a signature name, if any: (code, message, fix).
fn signature(name: &Spanned<String>) -> Option<(&'static str, String, String)> {
    let n = name.value.split_whitespace().collect::<Vec<_>>().join(" ");
    if n.is_empty() || sign_ok(&n) {
        return None;
    }
    if !any_initial(&n) {
        return Some((
            P402,
            format!("в подписи нет инициалов: «{n}»"),
            "пишите «И.О. Фамилия», например «Е.А. Глуховская»".into(),
        ));
    }
    let initials = |a: &str, b: Option<&str>| match b {
        Some(b) => format!("{a}.{b}."),
        None => format!("{a}."),
    };
    if let Some((surname, a, b)) = sign_reversed(&n) {
        let right = format!("{} {surname}", initials(a, b));
        return Some((
            P403,
            format!("в подписи фамилия стоит перед инициалами: «{n}»"),
            format!("пишите «{right}»"),
        ));
    }
    if let Some((a, b, surname)) = sign_spaced(&n) {
        let right = format!("{a}.{b}. {surname}");
        return Some((
            P403,
            format!("в подписи пробел между инициалами: «{n}»"),
            format!("пишите «{right}»"),
        ));
    }
    if let Some((a, b, surname)) = sign_glued(&n) {
        let right = format!("{} {surname}", initials(a, b));
        return Some((
            P403,
            format!("в подписи нет пробела между инициалами и фамилией: «{n}»"),
            format!("пишите «{right}»"),
        ));
    }
    Some((
        P403,
        format!("имя в подписи записано не в форме «И.О. Фамилия»: «{n}»"),
        "пишите инициалы, затем через пробел фамилию: «Е.А. Глуховская»".into(),
    ))
}

/// One person named with initials.
struct Person {
    stem: String,
    initials: (char, char),
    /// As written: «Долгополовой Н.В.».
    shown: String,
    /// Text value, its position, and the byte where the mention starts.
    value: String,
    pos: Pos,
    at: usize,
    field: String,
}

fn person_pos(cx: &Cx, p: &Person) -> Pos {
    cx.locate(&p.value, p.pos, p.at)
}

fn initials(cx: &mut Cx) {
    let mut people: Vec<Person> = vec![];
    let mut add = |value: &str, pos: Pos, field: &str| {
        for m in mentions(value) {
            let (stem, initials) = m.key();
            people.push(Person {
                stem,
                initials,
                shown: m.shown,
                value: value.to_string(),
                pos,
                at: m.at,
                field: field.to_string(),
            });
        }
    };
    for t in cx.texts {
        add(t.value, t.pos, &t.field);
    }
    add(
        &cx.act.signatory.name,
        cx.act.signatory.name.pos,
        "подписант.имя",
    );
    if let Some(e) = &cx.act.executor {
        let full = e.name.split_whitespace().collect::<Vec<_>>().join(" ");
        match full_name(&full) {
            Some(c) => {
                let first = |i: usize| c[i].chars().next().unwrap_or(' ');
                let [one, two, three] = c;
                // «Фамилия Имя Отчество», or «Имя Отчество Фамилия».
                let patronymic = |w: &str| {
                    ["вич", "вна", "чна", "ична", "оглы", "кызы"]
                        .iter()
                        .any(|e| w.to_lowercase().ends_with(e))
                };
                let (surname, ini) = if patronymic(three) {
                    (one, (first(1), first(2)))
                } else if patronymic(two) {
                    (three, (first(0), first(1)))
                } else {
                    ("", (' ', ' '))
                };
                if !surname.is_empty() {
                    people.push(Person {
                        stem: stem(surname),
                        initials: ini,
                        shown: full.clone(),
                        value: e.name.value.clone(),
                        pos: e.name.pos,
                        at: 0,
                        field: "исполнитель.имя".into(),
                    });
                }
            }
            None => add(&e.name, e.name.pos, "исполнитель.имя"),
        }
    }
    // Group by surname; the most frequent initials are taken as right.
    let mut groups: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, p) in people.iter().enumerate() {
        groups.entry(&p.stem).or_default().push(i);
    }
    let mut found = vec![];
    for idx in groups.values() {
        let mut variants: Vec<((char, char), Vec<usize>)> = vec![];
        for &i in idx {
            match variants
                .iter_mut()
                .find(|(ini, _)| *ini == people[i].initials)
            {
                Some((_, v)) => v.push(i),
                None => variants.push((people[i].initials, vec![i])),
            }
        }
        if variants.len() < 2 {
            continue;
        }
        let main = variants
            .iter()
            .enumerate()
            .max_by_key(|(k, (_, v))| (v.len(), std::cmp::Reverse(*k)))
            .map(|(k, _)| k)
            .unwrap_or(0);
        let reference = &people[variants[main].1[0]];
        let ref_pos = person_pos(cx, reference);
        let times = variants[main].1.len();
        for (k, (_, v)) in variants.iter().enumerate() {
            if k == main {
                continue;
            }
            let p = &people[v[0]];
            let also = if times > 1 {
                format!(", так записано {times} {}", times_word(times))
            } else {
                String::new()
            };
            found.push((
                person_pos(cx, p),
                p.field.clone(),
                format!(
                    "«{}»: эта же фамилия записана с другими инициалами — «{}» (строка {}{also})",
                    p.shown, reference.shown, ref_pos.line
                ),
            ));
        }
    }
    for (pos, field, msg) in found {
        cx.warn(
            P401,
            pos,
            &field,
            msg,
            Some("проверьте инициалы: если это разные люди, укажите должность".into()),
        );
    }
}

/// «2 раза», «5 раз», «22 раза».
fn times_word(n: usize) -> &'static str {
    match (n % 10, n % 100) {
        (2..=4, r) if !(12..=14).contains(&r) => "раза",
        _ => "раз",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // The regexes the shapes replaced, as they were.
    fn shape(p: &'static str) -> regex::Regex {
        use std::collections::HashMap;
        use std::sync::{LazyLock, Mutex};
        static COMPILED: LazyLock<Mutex<HashMap<&'static str, regex::Regex>>> =
            LazyLock::new(Default::default);
        let mut m = COMPILED.lock().unwrap();
        m.entry(p)
            .or_insert_with(|| crate::letters::regex(p))
            .clone()
    }
    const SIGN_OK: &str = r"^\p{Lu}\.(?:\p{Lu}\.)?[ \u{a0}]\p{Lu}\p{Ll}+(?:-\p{Lu}\p{Ll}+)?$";
    const ANY_INITIAL: &str = r"\p{Lu}\.";
    const SIGN_REVERSED: &str =
        r"^(\p{Lu}\p{Ll}+(?:-\p{Lu}\p{Ll}+)?)\s+(\p{Lu})\.\s*(?:(\p{Lu})\.)?$";
    const SIGN_SPACED: &str = r"^(\p{Lu})\.\s+(\p{Lu})\.\s*(\p{Lu}\p{Ll}+(?:-\p{Lu}\p{Ll}+)?)$";
    const SIGN_GLUED: &str = r"^(\p{Lu})\.(?:(\p{Lu})\.)?(\p{Lu}\p{Ll}+(?:-\p{Lu}\p{Ll}+)?)$";
    const FULL_NAME: &str =
        r"^(\p{Lu}\p{Ll}+(?:-\p{Lu}\p{Ll}+)?)\s+(\p{Lu}\p{Ll}+)\s+(\p{Lu}\p{Ll}+)$";

    /// The groups of `p` in `n`, as the shapes give them.
    fn groups<'a>(p: &'static str, n: &'a str) -> Option<Vec<Option<&'a str>>> {
        shape(p)
            .captures(n)
            .map(|c| c.iter().skip(1).map(|m| m.map(|m| m.as_str())).collect())
    }

    proptest::proptest! {
        #![proptest_config(crate::letters::oracle_config(100_000))]
        #[test]
        fn shapes_match_what_the_regexes_matched(
            v in proptest::collection::vec(
                (
                    proptest::sample::select(&[
                        "И.", "Б.", "Ә.", "И", "и.", "A.", "Иванов", "Иванов-Петров", "Иванов-",
                        "Иванович", "Ёлкина", "иванов", "Ив1", "ǅ", ".", "b", "",
                    ][..]),
                    proptest::sample::select(&["", " ", "  ", "\u{a0}", "\t", "-", "."][..]),
                ),
                0..5,
            )
        ) {
            let n: String = v.iter().flat_map(|(w, sep)| [*w, *sep]).collect();
            proptest::prop_assert_eq!(sign_ok(&n), shape(SIGN_OK).is_match(&n), "{:?}", n);
            proptest::prop_assert_eq!(any_initial(&n), shape(ANY_INITIAL).is_match(&n), "{:?}", n);
            proptest::prop_assert_eq!(
                sign_reversed(&n).map(|(s, a, b)| vec![Some(s), Some(a), b]),
                groups(SIGN_REVERSED, &n), "{:?}", n);
            proptest::prop_assert_eq!(
                sign_spaced(&n).map(|(a, b, s)| vec![Some(a), Some(b), Some(s)]),
                groups(SIGN_SPACED, &n), "{:?}", n);
            proptest::prop_assert_eq!(
                sign_glued(&n).map(|(a, b, s)| vec![Some(a), b, Some(s)]),
                groups(SIGN_GLUED, &n), "{:?}", n);
            proptest::prop_assert_eq!(
                full_name(&n).map(|w| w.map(Some).to_vec()),
                groups(FULL_NAME, &n), "{:?}", n);
        }
    }

    #[test]
    fn signatures() {
        let s = |n: &str| signature(&Spanned::new(n.to_string(), Pos::default())).map(|x| x.0);
        assert_eq!(s("Е.А. Глуховская"), None);
        assert_eq!(s("Глуховская"), Some(P402));
        assert_eq!(s("Глуховская Е.А."), Some(P403));
        assert_eq!(s("Е. А. Глуховская"), Some(P403));
        assert_eq!(s("Е.А.Глуховская"), Some(P403));
    }
}
