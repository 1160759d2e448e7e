//! People named with initials in the text of an act: «Долгополовой Н.В.»,
//! «Н.В. Долгополову». One reading shared by the people lints (one surname with
//! different initials, `lint::people`) and the acknowledgment sheet (everyone the
//! act charges with something, once each, `resolve`): two mentions are the same
//! person when their [`Mention::key`]s are equal — the surname without its case
//! ending and the two initials.

use crate::letters::Cursor;
use std::ops::Range;

/// Two initials, «Н.В.» or «Н. В.»: where they are and their letters.
/// (Hand-written, as the people lints' shapes; the regex it replaces is kept
/// in the tests, which compare the two.)
fn initials(s: &str) -> Vec<(Range<usize>, char, char)> {
    let mut out = vec![];
    let mut i = 0;
    while i < s.len() {
        let mut c = Cursor::new(s, i);
        let found = c.initial().and_then(|a| {
            c.one(|x| x == ' ' || x == '\u{a0}');
            let b = c.initial()?;
            Some((a, b))
        });
        match found {
            Some((a, b)) => {
                let first = |x: &str| x.chars().next().unwrap_or(' ');
                out.push((i..c.at, first(a), first(b)));
                i = c.at;
            }
            None => i += s[i..].chars().next().map_or(1, char::len_utf8),
        }
    }
    out
}

/// «Иванов», «Римский-Корсаков»: a capital, two small letters or more.
fn surname_shaped(w: &str) -> bool {
    let mut c = Cursor::new(w, 0);
    c.surname(2).is_some() && c.at_end()
}

/// One person named in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    /// Byte where the mention starts in the text.
    pub at: usize,
    /// The surname as written, in whatever case: «Долгополовой».
    pub surname: String,
    /// As written, normalised: «Долгополовой Н.В.» or «Н.В. Долгополову».
    pub shown: String,
    pub initials: (char, char),
    /// The word just before the mention is «на» («возложить на Н.В. Орлову»):
    /// the surname is in the accusative.
    pub after_na: bool,
}

/// What makes two mentions the same person: the surname's stem and the initials.
pub type Key = (String, (char, char));

impl Mention {
    pub fn key(&self) -> Key {
        (stem(&self.surname), self.initials)
    }
}

/// Surname without its case ending: Долгополовой, Долгополова → долгополов.
pub fn stem(surname: &str) -> String {
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

/// The case a surname was written in, as far as the text tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Case {
    /// A list of people: «Ответственные: Долгополова Н.В.».
    Nominative,
    /// Whom a point charges: «Начальнику отдела Долгополовой Н.В. обеспечить …».
    Dative,
    /// «Контроль … возложить на Н.В. Орлову».
    Accusative,
}

/// The nominative of a surname written in `case` («Долгополовой» → «Долгополова»,
/// «Иванову» → «Иванов», «Орлову» after «на» → «Орлова»). A guess from the
/// ending, for the acknowledgment sheet: a clerk who knows better writes the
/// person in its list.
pub fn nominative(surname: &str, case: Case) -> String {
    let swap = |end: &str, new: &str| -> Option<String> {
        surname
            .strip_suffix(end)
            .filter(|st| st.chars().count() >= 2)
            .map(|st| format!("{st}{new}"))
    };
    let adjectival = |st: &str| st.ends_with("ск") || st.ends_with("цк");
    let guess = match case {
        Case::Nominative => None,
        Case::Dative => swap("ской", "ская")
            .or_else(|| swap("цкой", "цкая"))
            .or_else(|| swap("ому", "ий").filter(|s| adjectival(&s[..s.len() - "ий".len()])))
            .or_else(|| swap("ой", "а"))
            .or_else(|| {
                // «Иванову», «Шевчуку»: a man's surname in the dative.
                surname
                    .strip_suffix('у')
                    .filter(|st| st.chars().count() >= 3)
                    .filter(|st| st.chars().last().is_some_and(|c| !"аеёиоуыэюя".contains(c)))
                    .map(str::to_string)
            }),
        Case::Accusative => swap("ую", "ая")
            .or_else(|| swap("ского", "ский"))
            .or_else(|| swap("цкого", "цкий"))
            .or_else(|| swap("ову", "ова"))
            .or_else(|| swap("еву", "ева"))
            .or_else(|| swap("ёву", "ёва"))
            .or_else(|| swap("ину", "ина"))
            .or_else(|| swap("ыну", "ына"))
            .or_else(|| swap("ова", "ов"))
            .or_else(|| swap("ева", "ев"))
            .or_else(|| swap("ёва", "ёв"))
            .or_else(|| swap("ина", "ин"))
            .or_else(|| swap("ына", "ын")),
    };
    guess.unwrap_or_else(|| surname.to_string())
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

/// What a surname is made of: letters and hyphens.
fn name_char(c: char) -> bool {
    crate::letters::is_alphabetic(c) || c == '-'
}

/// The run of letters and hyphens that ends where the spaces before byte
/// `at` of `s` begin (empty when something else stands there).
fn word_before(s: &str, at: usize) -> &str {
    s[..at]
        .trim_end_matches(is_space)
        .rsplit(|c: char| !name_char(c))
        .next()
        .unwrap_or("")
}

/// The run of letters and hyphens after the spaces from byte `at` of `s`.
fn word_after(s: &str, at: usize) -> &str {
    s[at..]
        .trim_start_matches(is_space)
        .split(|c: char| !name_char(c))
        .next()
        .unwrap_or("")
}

/// The words of `s` that are people's names, as written, to be kept whole:
/// Russian typesetting does not hyphenate a name. A surname-shaped word
/// beside initials (either side: «Жукова О.П.», «О.П. Жуковой», «им. А.С.
/// Пушкина») and the three words of «Фамилия Имя Отчество» (an «-вич»,
/// «-вна», «-ична» patronymic). Only letters and hyphens.
pub fn names_to_keep_whole(s: &str) -> Vec<String> {
    let mut out = vec![];
    for (m, _, _) in initials(s) {
        for w in [word_before(s, m.start), word_after(s, m.end)] {
            if surname_shaped(w) && !not_a_surname(w) {
                out.push(w.to_string());
            }
        }
    }
    let words: Vec<&str> = s
        .split(is_space)
        .map(|w| w.trim_matches(|c: char| !name_char(c)))
        .collect();
    for three in words.windows(3) {
        let capital = |w: &str| {
            w.chars().next().is_some_and(char::is_uppercase)
                && w.chars().skip(1).all(|c| c.is_lowercase() || c == '-')
                && w.chars().count() >= 2
        };
        let patronymic = {
            let p = three[2].to_lowercase();
            [
                "вич",
                "вна",
                "вны",
                "вне",
                "вной",
                "ична",
                "ичны",
                "ичне",
                "ичной",
            ]
            .iter()
            .any(|e| p.contains(e))
        };
        if three.iter().all(|w| capital(w)) && patronymic {
            out.extend(three.iter().map(|w| w.to_string()));
        }
    }
    out
}

/// Persons named «Фамилия И.О.» or «И.О. Фамилия» in a text. A mention that reads
/// both ways («… Шишкиной О.П. Директорам …») is left out, and so is a name in a
/// title («школа им. А.С. Пушкина»).
pub fn mentions(s: &str) -> Vec<Mention> {
    let mut out = vec![];
    for (m, a, b) in initials(s) {
        if s[..m.start]
            .chars()
            .next_back()
            .is_some_and(crate::letters::is_alphabetic)
            || s[m.end..].chars().next().is_some_and(char::is_lowercase)
        {
            continue;
        }
        let ini = (a, b);
        // The word before, separated by spaces only.
        let head = s[..m.start].trim_end_matches(is_space);
        let before = Some(word_before(s, m.start))
            .filter(|w| head.len() < m.start && surname_shaped(w) && !not_a_surname(w))
            .map(|w| (head.len() - w.len(), w));
        let after = Some(word_after(s, m.end)).filter(|w| surname_shaped(w));
        let lower = head.to_lowercase();
        let named_after = ["им.", "имени"].iter().any(|w| {
            lower.strip_suffix(w).is_some_and(|rest| {
                rest.chars()
                    .next_back()
                    .is_none_or(|c| !crate::letters::is_alphabetic(c))
            })
        });
        if named_after {
            continue;
        }
        let word_before = |at: usize| {
            s[..at]
                .trim_end_matches(is_space)
                .rsplit(|c: char| !crate::letters::is_alphabetic(c))
                .next()
                .is_some_and(|w| w.to_lowercase() == "на")
        };
        match (before, after) {
            (Some((at, w)), None) => out.push(Mention {
                at,
                surname: w.to_string(),
                shown: format!("{w} {}.{}.", ini.0, ini.1),
                initials: ini,
                after_na: word_before(at),
            }),
            (None, Some(w)) => out.push(Mention {
                at: m.start,
                surname: w.to_string(),
                shown: format!("{}.{}. {w}", ini.0, ini.1),
                initials: ini,
                after_na: word_before(m.start),
            }),
            _ => {}
        }
    }
    out
}

/// Positions a charge may name before the person, in the nominative.
const POSITIONS: &[&str] = &[
    "начальник",
    "заместитель",
    "директор",
    "руководитель",
    "специалист",
    "делопроизводитель",
    "методист",
    "секретарь",
    "инспектор",
    "консультант",
    "бухгалтер",
    "председатель",
    "педагог",
    "учитель",
    "юрист",
    "экономист",
    "куратор",
    "координатор",
    "помощник",
    "советник",
    "референт",
    "администратор",
    "программист",
    "инженер",
    "воспитатель",
    "психолог",
    "логопед",
    "библиотекарь",
    "заведующий",
];

/// Adjectives before a position: «главному бухгалтеру», «ведущего специалиста».
const POSITION_ADJECTIVES: &[(&str, &str, &str)] = &[
    ("главному", "главного", "главный"),
    ("ведущему", "ведущего", "ведущий"),
    ("старшему", "старшего", "старший"),
    ("первому", "первого", "первый"),
];

/// A position word in `case` → (the nominative, plural?).
fn position_head(word: &str, case: Case) -> Option<(&'static str, bool)> {
    let w = word.to_lowercase();
    POSITIONS.iter().find_map(|&n| {
        let (dat, gen_, dat_pl) = if let Some(st) = n.strip_suffix("ий") {
            (format!("{st}ему"), format!("{st}его"), format!("{st}им"))
        } else if let Some(st) = n.strip_suffix('ь') {
            (format!("{st}ю"), format!("{st}я"), format!("{st}ям"))
        } else {
            (format!("{n}у"), format!("{n}а"), format!("{n}ам"))
        };
        match case {
            Case::Dative if w == dat => Some((n, false)),
            Case::Dative if w == dat_pl => Some((n, true)),
            Case::Accusative if w == gen_ => Some((n, false)),
            _ => None,
        }
    })
}

/// Lowercase the first letter.
fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

/// The position a charge names just before a person, in the nominative:
/// «Начальнику отдела кадров Ивановой И.И.» → «начальник отдела кадров»,
/// «возложить на заместителя начальника Р.Р. Рахманкулова» → «заместитель
/// начальника», «и.о. директора МОАУ «СОШ №65» Чернышевой Н.Н.» → as written.
/// Only positions from a known list are read; `plural` carries «Директорам»
/// over a list: «Директорам МОАУ «СОШ №4» Жалмухаметовой А.К., МОАУ «СОШ №24»
/// Дегтяревой М.В.» → «директор МОАУ «СОШ №4»», «директор МОАУ «СОШ №24»».
pub fn position_before(
    text: &str,
    at: usize,
    case: Case,
    plural: &mut Option<&'static str>,
) -> Option<String> {
    let head = text.get(..at)?;
    // The clause: back to a comma, semicolon or colon outside «quotes», or
    // to the end of a sentence.
    let mut depth = 0usize;
    let mut start = 0;
    let chars: Vec<(usize, char)> = head.char_indices().collect();
    for (k, &(i, c)) in chars.iter().enumerate().rev() {
        match c {
            '»' => depth += 1,
            '«' => depth = depth.saturating_sub(1),
            ',' | ';' | ':' | '(' if depth == 0 => {
                start = i + c.len_utf8();
                break;
            }
            '.' if depth == 0
                && chars.get(k + 1).is_some_and(|&(_, n)| is_space(n))
                && chars.get(k + 2).is_some_and(|&(_, n)| n.is_uppercase()) =>
            {
                start = i + 1;
                break;
            }
            _ => {}
        }
    }
    let mut seg = head[start..].trim_matches(|c: char| is_space(c) || c == '-' || c == '–');
    for lead in ["на ", "и ", "а также "] {
        if seg.len() > lead.len()
            && seg
                .get(..lead.len())
                .is_some_and(|p| p.to_lowercase() == lead)
        {
            seg = seg[lead.len()..].trim_start_matches(is_space);
        }
    }
    let seg: String = seg.split_whitespace().collect::<Vec<_>>().join(" ");
    if seg.is_empty() || seg.chars().count() > 200 {
        return None;
    }
    let lower = seg.to_lowercase();
    if lower.starts_with("и.о. ") || lower.starts_with("врио ") {
        return Some(lower_first(&seg));
    }
    let mut words = seg.splitn(2, ' ');
    let first = words.next().unwrap_or("");
    let rest = words.next().unwrap_or("");
    let adjective = POSITION_ADJECTIVES.iter().find_map(|(dat, gen_, nom)| {
        let f = first.to_lowercase();
        let hit = match case {
            Case::Dative => f == *dat,
            Case::Accusative => f == *gen_,
            Case::Nominative => false,
        };
        hit.then_some(*nom)
    });
    let (head_word, rest) = match adjective {
        Some(_) => {
            let mut w = rest.splitn(2, ' ');
            (w.next().unwrap_or(""), w.next().unwrap_or(""))
        }
        None => (first, rest),
    };
    let join = |parts: &[&str]| {
        parts
            .iter()
            .filter(|p| !p.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(" ")
    };
    match position_head(head_word, case) {
        Some((nom, many)) => {
            if many {
                *plural = Some(nom);
            }
            Some(join(&[adjective.unwrap_or(""), nom, rest]))
        }
        // «…, МОАУ «СОШ №24» Дегтяревой М.В.» after «Директорам …».
        None => match plural {
            Some(nom) if seg.starts_with(|c: char| c.is_uppercase() || c == '«') => {
                Some(join(&[nom, &seg]))
            }
            _ => None,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_kept_whole() {
        let got = names_to_keep_whole(
            "Жукова\u{a0}О.П., Н.В.\u{a0}Долгополовой, школа им. А.С. Пушкина, Константинопольская Екатерина Владимировна; возложить на заместителя.",
        );
        assert_eq!(
            got,
            [
                "Жукова",
                "Долгополовой",
                "Пушкина",
                "Константинопольская",
                "Екатерина",
                "Владимировна"
            ]
        );
        assert!(names_to_keep_whole("МБОУ «СОШ № 1» Центральный Район Города").is_empty());
    }

    proptest::proptest! {
        #![proptest_config(crate::letters::oracle_config(20_000))]
        #[test]
        fn shapes_match_what_the_regexes_matched(
            v in proptest::collection::vec(proptest::sample::select(&["И", "И.", "Б.", "Иванов", "ова", "ов", "-", "Петров", "Иван", "Иванович", " ", "  ", "\u{a0}", "\t", ".", "и", "ǅ", "A", "b", "Ә", "ә", "Ё", "1", "Н.В.", "Н. В."][..]), 0..10)
        ) {
            let s = v.concat();
            static INITIALS_RE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| crate::letters::regex(r"(\p{Lu})\.[ \u{a0}]?(\p{Lu})\."));
            let initials_re = &*INITIALS_RE;
            let theirs: Vec<_> = initials_re
                .captures_iter(&s)
                .map(|c| {
                    let first = |i: usize| c[i].chars().next().unwrap_or(' ');
                    (c.get(0).unwrap().range(), first(1), first(2))
                })
                .collect();
            proptest::prop_assert_eq!(initials(&s), theirs, "{:?}", s);
            static SURNAME_RE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| crate::letters::regex(r"^\p{Lu}\p{Ll}{2,}(?:-\p{Lu}\p{Ll}+)?$"));
            let surname_re = &*SURNAME_RE;
            proptest::prop_assert_eq!(surname_shaped(&s), surname_re.is_match(&s), "{:?}", s);
        }
    }

    #[test]
    fn stems() {
        assert_eq!(stem("Долгополовой"), stem("Долгополова"));
        assert_eq!(stem("Глуховская"), stem("Глуховской"));
        assert_eq!(stem("Иванову"), stem("Иванов"));
        assert_ne!(stem("Иванов"), stem("Петров"));
    }

    #[test]
    fn finds_persons() {
        let p = mentions("Долгополовой Н.В., директору МАУ «Импульс-центр» Шишкиной О.П.,");
        assert_eq!(p.len(), 2);
        assert_eq!(p[0].surname, "Долгополовой");
        assert_eq!(p[1].initials, ('О', 'П'));
        let p = mentions("возложить на заместителя Р.Р. Рахманкулова");
        assert_eq!(p[0].surname, "Рахманкулова");
        assert!(!p[0].after_na);
        assert!(mentions("возложить на Р.Р. Рахманкулова")[0].after_na);
        assert!(mentions("и.о. директора МОАУ").is_empty());
        assert!(mentions("И.о. начальника").is_empty());
        // Reads both ways: left out.
        assert!(mentions("Шишкиной О.П. Директорам").is_empty());
        assert!(mentions("МОАУ «Лицей им. А.С. Пушкина»").is_empty());
        let p = mentions("Назначить Н.В. Долгополову ответственной");
        assert_eq!(p[0].surname, "Долгополову");
    }

    #[test]
    fn one_person_three_spellings() {
        let keys: Vec<Key> = ["Иванова И.И.", "Ивановой И.И.", "И.И. Иванова"]
            .iter()
            .map(|s| mentions(s)[0].key())
            .collect();
        assert!(keys.iter().all(|k| *k == keys[0]), "{keys:?}");
        assert_ne!(keys[0], mentions("Иванова И.П.")[0].key());
    }

    #[test]
    fn positions() {
        let pos = |text: &str, case: Case| {
            let mut plural = None;
            mentions(text)
                .iter()
                .map(|m| position_before(text, m.at, case, &mut plural))
                .collect::<Vec<_>>()
        };
        let some = |s: &str| Some(s.to_string());
        assert_eq!(
            pos(
                "Начальнику отдела кадров Ивановой И.И., директору МАУ «Центр, помощь» Петрову П.П. обеспечить",
                Case::Dative
            ),
            [
                some("начальник отдела кадров"),
                some("директор МАУ «Центр, помощь»")
            ]
        );
        assert_eq!(
            pos(
                "Директорам МОАУ «СОШ №4» Жалмухаметовой А.К., МОАУ «СОШ №24» Дегтяревой М.В., и.о. директора МОАУ «СОШ №65» Чернышевой Н.Н.:",
                Case::Dative
            ),
            [
                some("директор МОАУ «СОШ №4»"),
                some("директор МОАУ «СОШ №24»"),
                some("и.о. директора МОАУ «СОШ №65»")
            ]
        );
        assert_eq!(
            pos(
                "на заместителя начальника управления Р.Р. Рахманкулова",
                Case::Accusative
            ),
            [some("заместитель начальника управления")]
        );
        assert_eq!(
            pos("Ведущему специалисту Иванову П.С. разместить", Case::Dative),
            [some("ведущий специалист")]
        );
        assert_eq!(
            pos("Делопроизводителю Куракиной С.В.", Case::Dative),
            [some("делопроизводитель")]
        );
        // Not a known position: nothing is guessed.
        assert_eq!(pos("Поручить Ивановой И.И. проверку", Case::Dative), [None]);
        assert_eq!(pos("Ивановой И.И. провести", Case::Dative), [None]);
    }

    #[test]
    fn positions_never_panic() {
        for text in [
            "на и на , ,«» »« Иванова И.И. ; Д.  Петров",
            "Директорам «",
            "». Начальнику",
            "и.о. ",
            "на ",
            "А.Б. В",
        ] {
            for (at, _) in text.char_indices() {
                for case in [Case::Dative, Case::Accusative, Case::Nominative] {
                    let _ = position_before(text, at, case, &mut Some("директор"));
                    let _ = position_before(text, at, case, &mut None);
                }
            }
        }
    }

    #[test]
    fn nominatives() {
        use Case::*;
        assert_eq!(nominative("Долгополовой", Dative), "Долгополова");
        assert_eq!(nominative("Глуховской", Dative), "Глуховская");
        assert_eq!(nominative("Глуховскому", Dative), "Глуховский");
        assert_eq!(nominative("Иванову", Dative), "Иванов");
        assert_eq!(nominative("Займак", Dative), "Займак");
        assert_eq!(nominative("Орлову", Accusative), "Орлова");
        assert_eq!(nominative("Рахманкулова", Accusative), "Рахманкулов");
        assert_eq!(nominative("Глуховскую", Accusative), "Глуховская");
        assert_eq!(nominative("Долгополова", Nominative), "Долгополова");
    }
}
