//! P4xx — people: one surname with different initials (P401); a signature
//! without initials (P402) or not in the form «И.О. Фамилия» (P403).

use super::Cx;
use super::codes::{P401, P402, P403};
use crate::diag::Pos;
use crate::read::decode::Spanned;
use crate::read::input::{Block, Signatory};
use regex::Regex;
use std::collections::BTreeMap;
use std::sync::LazyLock;

static INITIALS: LazyLock<Regex> =
    LazyLock::new(|| crate::letters::regex(r"(\p{Lu})\.[ \u{a0}]?(\p{Lu})\."));
static SURNAME: LazyLock<Regex> =
    LazyLock::new(|| crate::letters::regex(r"^\p{Lu}\p{Ll}{2,}(?:-\p{Lu}\p{Ll}+)?$"));
static ANY_INITIAL: LazyLock<Regex> = LazyLock::new(|| crate::letters::regex(r"\p{Lu}\."));
static SIGN_OK: LazyLock<Regex> = LazyLock::new(|| {
    crate::letters::regex(r"^\p{Lu}\.(?:\p{Lu}\.)?[ \u{a0}]\p{Lu}\p{Ll}+(?:-\p{Lu}\p{Ll}+)?$")
});
static SIGN_REVERSED: LazyLock<Regex> = LazyLock::new(|| {
    crate::letters::regex(r"^(\p{Lu}\p{Ll}+(?:-\p{Lu}\p{Ll}+)?)\s+(\p{Lu})\.\s*(?:(\p{Lu})\.)?$")
});
static SIGN_SPACED: LazyLock<Regex> = LazyLock::new(|| {
    crate::letters::regex(r"^(\p{Lu})\.\s+(\p{Lu})\.\s*(\p{Lu}\p{Ll}+(?:-\p{Lu}\p{Ll}+)?)$")
});
static SIGN_GLUED: LazyLock<Regex> = LazyLock::new(|| {
    crate::letters::regex(r"^(\p{Lu})\.(?:(\p{Lu})\.)?(\p{Lu}\p{Ll}+(?:-\p{Lu}\p{Ll}+)?)$")
});
static FULL_NAME: LazyLock<Regex> = LazyLock::new(|| {
    crate::letters::regex(
        r"^(\p{Lu}\p{Ll}+(?:-\p{Lu}\p{Ll}+)?)\s+(\p{Lu}\p{Ll}+)\s+(\p{Lu}\p{Ll}+)$",
    )
});

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
    let found: Vec<_> = signatures
        .into_iter()
        .filter_map(|(s, f)| {
            signature(&s.name).map(|(code, msg, fix)| (s.name.clone(), f, code, msg, fix))
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
    if n.is_empty() || SIGN_OK.is_match(&n) {
        return None;
    }
    if !ANY_INITIAL.is_match(&n) {
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
    if let Some(c) = SIGN_REVERSED.captures(&n) {
        let right = format!(
            "{} {}",
            initials(&c[2], c.get(3).map(|m| m.as_str())),
            &c[1]
        );
        return Some((
            P403,
            format!("в подписи фамилия стоит перед инициалами: «{n}»"),
            format!("пишите «{right}»"),
        ));
    }
    if let Some(c) = SIGN_SPACED.captures(&n) {
        let right = format!("{}.{}. {}", &c[1], &c[2], &c[3]);
        return Some((
            P403,
            format!("в подписи пробел между инициалами: «{n}»"),
            format!("пишите «{right}»"),
        ));
    }
    if let Some(c) = SIGN_GLUED.captures(&n) {
        let right = format!(
            "{} {}",
            initials(&c[1], c.get(2).map(|m| m.as_str())),
            &c[3]
        );
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

/// Surname without its case ending: Долгополовой, Долгополова → долгополов.
fn stem(surname: &str) -> String {
    const ENDINGS: [&str; 22] = [
        "ого", "ому", "ыми", "ими", "ой", "ая", "ую", "ий", "ый", "ым", "им", "ом", "ем", "ою",
        "ей", "а", "у", "е", "ы", "и", "я", "ю",
    ];
    let s = surname.to_lowercase();
    for e in ENDINGS {
        if let Some(st) = s.strip_suffix(e)
            && st.chars().count() >= 3
        {
            return st.to_string();
        }
    }
    s
}

/// A capitalised word before initials that is no surname: the first word of a
/// sentence, «Назначить Н.В. Долгополову», «Директорам А.К. Жалмухаметовой».
fn not_a_surname(w: &str) -> bool {
    let w = w.to_lowercase();
    ["ть", "ам", "ям"].iter().any(|e| w.ends_with(e))
}

fn is_space(c: char) -> bool {
    c == ' ' || c == '\u{a0}' || c == '\n' || c == '\t'
}

/// Persons named «Фамилия И.О.» or «И.О. Фамилия» in a text. A mention that reads
/// both ways («… Шишкиной О.П. Директорам …») is left out.
fn persons_in(s: &str) -> Vec<(usize, String, String, (char, char))> {
    let mut out = vec![];
    for c in INITIALS.captures_iter(s) {
        let m = c.get(0).unwrap();
        if s[..m.start()]
            .chars()
            .next_back()
            .is_some_and(char::is_alphabetic)
            || s[m.end()..].chars().next().is_some_and(char::is_lowercase)
        {
            continue;
        }
        let ini = (
            c[1].chars().next().unwrap_or(' '),
            c[2].chars().next().unwrap_or(' '),
        );
        // The word before, separated by spaces only.
        let head = s[..m.start()].trim_end_matches(is_space);
        let before = (head.len() < m.start())
            .then(|| {
                head.rsplit(|c: char| !(c.is_alphabetic() || c == '-'))
                    .next()
                    .filter(|w| SURNAME.is_match(w) && !not_a_surname(w))
                    .map(|w| (head.len() - w.len(), w))
            })
            .flatten();
        let tail = &s[m.end()..];
        let after = tail
            .trim_start_matches(is_space)
            .split(|c: char| !(c.is_alphabetic() || c == '-'))
            .next()
            .filter(|w| SURNAME.is_match(w));
        // «школа им. А.С. Пушкина»: a name in a title, not a person of the act.
        let lower = head.to_lowercase();
        let named_after = ["им.", "имени"].iter().any(|w| {
            lower
                .strip_suffix(w)
                .is_some_and(|rest| rest.chars().next_back().is_none_or(|c| !c.is_alphabetic()))
        });
        if named_after {
            continue;
        }
        match (before, after) {
            (Some((at, w)), None) => {
                out.push((at, w.to_string(), format!("{w} {}.{}.", ini.0, ini.1), ini))
            }
            (None, Some(w)) => out.push((
                m.start(),
                w.to_string(),
                format!("{}.{}. {w}", ini.0, ini.1),
                ini,
            )),
            _ => {}
        }
    }
    out
}

fn person_pos(cx: &Cx, p: &Person) -> Pos {
    cx.locate(&p.value, p.pos, p.at)
}

fn initials(cx: &mut Cx) {
    let mut people: Vec<Person> = vec![];
    let mut add = |value: &str, pos: Pos, field: &str| {
        for (at, surname, shown, ini) in persons_in(value) {
            people.push(Person {
                stem: stem(&surname),
                initials: ini,
                shown,
                value: value.to_string(),
                pos,
                at,
                field: field.to_string(),
            });
        }
    };
    for t in &cx.texts {
        add(t.value, t.pos, &t.field);
    }
    add(
        &cx.act.signatory.name,
        cx.act.signatory.name.pos,
        "подписант.имя",
    );
    if let Some(e) = &cx.act.executor {
        let full = e.name.split_whitespace().collect::<Vec<_>>().join(" ");
        match FULL_NAME.captures(&full) {
            Some(c) => {
                let first = |i: usize| c[i].chars().next().unwrap_or(' ');
                // «Фамилия Имя Отчество», or «Имя Отчество Фамилия».
                let patronymic = |w: &str| {
                    ["вич", "вна", "чна", "ична", "оглы", "кызы"]
                        .iter()
                        .any(|e| w.to_lowercase().ends_with(e))
                };
                let (surname, ini) = if patronymic(&c[3]) {
                    (&c[1], (first(2), first(3)))
                } else if patronymic(&c[2]) {
                    (&c[3], (first(1), first(2)))
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

    #[test]
    fn stems() {
        assert_eq!(stem("Долгополовой"), stem("Долгополова"));
        assert_eq!(stem("Глуховская"), stem("Глуховской"));
        assert_eq!(stem("Иванову"), stem("Иванов"));
        assert_ne!(stem("Иванов"), stem("Петров"));
    }

    #[test]
    fn finds_persons() {
        let p = persons_in("Долгополовой Н.В., директору МАУ «Импульс-центр» Шишкиной О.П.,");
        assert_eq!(p.len(), 2);
        assert_eq!(p[0].1, "Долгополовой");
        assert_eq!(p[1].3, ('О', 'П'));
        let p = persons_in("возложить на заместителя Р.Р. Рахманкулова");
        assert_eq!(p[0].1, "Рахманкулова");
        assert!(persons_in("и.о. директора МОАУ").is_empty());
        assert!(persons_in("И.о. начальника").is_empty());
        // Reads both ways: left out.
        assert!(persons_in("Шишкиной О.П. Директорам").is_empty());
        assert!(persons_in("МОАУ «Лицей им. А.С. Пушкина»").is_empty());
        let p = persons_in("Назначить Н.В. Долгополову ответственной");
        assert_eq!(p[0].1, "Долгополову");
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
