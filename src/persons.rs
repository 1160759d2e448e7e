//! People named with initials in the text of an act: «Долгополовой Н.В.»,
//! «Н.В. Долгополову». One reading shared by the people lints (one surname with
//! different initials, `lint::people`) and the acknowledgment sheet (everyone the
//! act charges with something, once each, `resolve`): two mentions are the same
//! person when their [`Mention::key`]s are equal — the surname without its case
//! ending and the two initials.

use regex::Regex;
use std::sync::LazyLock;

static INITIALS: LazyLock<Regex> =
    LazyLock::new(|| crate::letters::regex(r"(\p{Lu})\.[ \u{a0}]?(\p{Lu})\."));
static SURNAME: LazyLock<Regex> =
    LazyLock::new(|| crate::letters::regex(r"^\p{Lu}\p{Ll}{2,}(?:-\p{Lu}\p{Ll}+)?$"));

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

/// Persons named «Фамилия И.О.» or «И.О. Фамилия» in a text. A mention that reads
/// both ways («… Шишкиной О.П. Директорам …») is left out, and so is a name in a
/// title («школа им. А.С. Пушкина»).
pub fn mentions(s: &str) -> Vec<Mention> {
    let mut out = vec![];
    for c in INITIALS.captures_iter(s) {
        let m = c.get(0).expect("group 0 is the match");
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
        let lower = head.to_lowercase();
        let named_after = ["им.", "имени"].iter().any(|w| {
            lower
                .strip_suffix(w)
                .is_some_and(|rest| rest.chars().next_back().is_none_or(|c| !c.is_alphabetic()))
        });
        if named_after {
            continue;
        }
        let word_before = |at: usize| {
            s[..at]
                .trim_end_matches(is_space)
                .rsplit(|c: char| !c.is_alphabetic())
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
                at: m.start(),
                surname: w.to_string(),
                shown: format!("{}.{}. {w}", ini.0, ini.1),
                initials: ini,
                after_na: word_before(m.start()),
            }),
            _ => {}
        }
    }
    out
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
