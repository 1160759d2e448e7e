//! Literal mentions of points and appendices in text: «пункта 7», «п. 3.2»,
//! «приложению №2», «приложениях № 1 и 3» — with the numbers and their places,
//! and whether the mention is about another document («пункта 5 статьи 12»,
//! «приложение 2 к приказу Минобрнауки …»).

use crate::letters::{Scan, is_letter, leftmost};
use std::ops::Range;

/// The words that name a point or an appendix, each at the start of a word,
/// in any case: «подпункт…», «пункт…», «приложени…», «п.п.», «п. п.», «пп.»,
/// «п.». (Hand-written; the regex it replaces is kept in the tests, which
/// compare the two.)
fn words(s: &str) -> Vec<Range<usize>> {
    let t = Scan::new(s);
    leftmost(t.end(), |i| {
        let end = (matches!(t.at(i), Some('п' | 'П')) && t.starts_word(i))
            .then(|| {
                let stem = |w: &str| t.word_at(i, w).map(|e| t.run(e, is_letter));
                stem("подпункт")
                    .or_else(|| stem("пункт"))
                    .or_else(|| stem("приложени"))
                    .or_else(|| {
                        let e = t.word_at(i, "п.")?;
                        let e = if t.at(e).is_some_and(char::is_whitespace) {
                            e + 1
                        } else {
                            e
                        };
                        t.word_at(e, "п.")
                    })
                    .or_else(|| t.word_at(i, "пп."))
                    .or_else(|| t.word_at(i, "п."))
            })
            .flatten()?;
        Some((t.offset(i)..t.offset(end), end))
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Point,
    /// «подпункт», «пп.»: a sub-item «1)» or a nested point «2.1».
    Subpoint,
    Appendix,
}

#[derive(Debug, Clone)]
pub struct Mention {
    pub kind: Kind,
    /// The word «приложению», «п.» …
    pub word: Range<usize>,
    /// The numbers, as written without a final dot: «7», «3.2», «2а».
    pub numbers: Vec<(Range<usize>, String)>,
    /// About another document: the numbers are not this act's.
    pub external: bool,
}

/// Every mention of a point or an appendix in `s`.
pub fn find(s: &str) -> Vec<Mention> {
    let mut out = vec![];
    for m in words(s) {
        // «п.» must not end a longer abbreviation: «т. п.», «с. п.».
        let w = s[m.clone()].to_lowercase();
        let kind = if w.starts_with("приложени") {
            Kind::Appendix
        } else if w.starts_with("подпункт") || w.starts_with("пп") || w.replace(' ', "") == "п.п."
        {
            Kind::Subpoint
        } else {
            Kind::Point
        };
        if w.starts_with("п.") && after_one_letter_abbreviation(&s[..m.start]) {
            continue;
        }
        let (numbers, end) = numbers(s, m.end, kind == Kind::Appendix);
        out.push(Mention {
            kind,
            word: m,
            external: external(&s[end..]),
            numbers,
        });
    }
    out
}

/// «и т.», «с.»: then «п.» ends «т. п.», «с. п.», not a point.
fn after_one_letter_abbreviation(before: &str) -> bool {
    let Some(head) = before.trim_end().strip_suffix('.') else {
        return false;
    };
    let mut rev = head.chars().rev();
    rev.next().is_some_and(crate::letters::is_alphabetic)
        && !rev.next().is_some_and(crate::letters::is_alphabetic)
}

fn is_space(c: char) -> bool {
    c == ' ' || c == '\u{a0}' || c == '\n' || c == '\t'
}

/// A list of numbers after `from`: «7», «№ 2», «№2», «1, 2 и 3», «2–4», «3.2.».
/// Returns them and the end of the list.
fn numbers(s: &str, from: usize, letters: bool) -> (Vec<(Range<usize>, String)>, usize) {
    let b = s.as_bytes();
    let mut out = vec![];
    let mut i = from;
    let mut end = from;
    loop {
        let mut j = skip(s, i, is_space);
        for sign in ["№№", "№", "N"] {
            if s[j..].starts_with(sign) {
                j = skip(s, j + sign.len(), is_space);
                break;
            }
        }
        let start = j;
        while j < b.len() && b[j].is_ascii_digit() {
            j += 1;
        }
        if j == start {
            break;
        }
        // Dotted labels: 3.2, 3.2.1.
        while j + 1 < b.len() && b[j] == b'.' && b[j + 1].is_ascii_digit() {
            j += 1;
            while j < b.len() && b[j].is_ascii_digit() {
                j += 1;
            }
        }
        // A letter suffix of an appendix number: «2а» (not the start of a word).
        if letters && let Some(c) = s[j..].chars().next() {
            let next = s[j + c.len_utf8()..].chars().next();
            if crate::letters::is_alphabetic(c)
                && c.is_lowercase()
                && !next.is_some_and(crate::letters::is_alphabetic)
            {
                j += c.len_utf8();
            }
        }
        // A number glued to a word or more digits («2023г», «3,5») is not a label.
        if s[j..].chars().next().is_some_and(|c| {
            c.is_alphanumeric()
                || (c == ',' && s[j + 1..].starts_with(|c: char| c.is_ascii_digit()))
        }) {
            break;
        }
        out.push((start..j, s[start..j].to_string()));
        end = j;
        if s[j..].starts_with('.') && !s[j + 1..].starts_with(|c: char| c.is_ascii_digit()) {
            end = j + 1;
        }
        // A separator before the next number: «,», «и», «или», «–».
        let k = skip(s, j, is_space);
        let rest = &s[k..];
        let sep = [",", "–", "—", "-", "и ", "или "]
            .iter()
            .find(|p| rest.starts_with(**p))
            .map(|p| p.len());
        match sep {
            Some(n) => i = k + n,
            None => break,
        }
    }
    (out, end)
}

fn skip(s: &str, mut i: usize, f: impl Fn(char) -> bool) -> usize {
    while let Some(c) = s[i..].chars().next() {
        if !f(c) {
            break;
        }
        i += c.len_utf8();
    }
    i
}

/// Words that, right after a number, make the mention one of another document.
const OTHER_DOCUMENT: &[&str] = &[
    "стат",
    "ст.",
    "част",
    "ч.",
    "раздел",
    "глав",
    "гл.",
    "приказ",
    "распоряжени",
    "постановлени",
    "решени",
    "положени",
    "закон",
    "федеральн",
    "кодекс",
    "порядк",
    "правил",
    "регламент",
    "устав",
    "указ",
    "письм",
    "протокол",
    "договор",
    "соглашени",
    "инструкци",
    "концепци",
    "стандарт",
    "санпин",
    "программ",
    "плана",
    "методическ",
    "рекомендаци",
    "перечн",
    "приложени",
    "таблиц",
    "форм",
    "требовани",
    "критери",
    "стратеги",
    "график",
    "контракт",
    "фгос",
];

/// Does the text right after a mention say it is about another document?
/// «… настоящего приказа» and «… к настоящему распоряжению» are this act;
/// «… статьи 12», «… к приказу министерства», «… Положения» are not.
pub fn external(rest: &str) -> bool {
    if !rest.starts_with(is_space) {
        return false;
    }
    let mut words = rest
        .split(|c: char| is_space(c) || c == ',' || c == ';' || c == ')' || c == '(')
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase);
    let Some(w1) = words.next() else {
        return false;
    };
    if w1.starts_with("настоящ") || w1.starts_with("данн") {
        return false;
    }
    // A document's name right after the number: «п. 2.1 Положения», «пункта 5 СанПиН».
    if rest
        .trim_start_matches(is_space)
        .starts_with(|c: char| c.is_uppercase())
    {
        return true;
    }
    if w1 == "к" || w1 == "ко" {
        return !words
            .next()
            .is_some_and(|w2| w2.starts_with("настоящ") || w2.starts_with("данн"));
    }
    OTHER_DOCUMENT.iter().any(|d| w1.starts_with(d))
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #![proptest_config(crate::letters::oracle_config(20_000))]
        // Letters outside the alphabets of letters.rs are left out: the regex,
        // case-insensitive, also took their case variants (the Kelvin sign,
        // archaic forms of «в» and «т»), which no act has.
        #[test]
        fn words_are_what_the_regex_found(
            v in proptest::collection::vec(proptest::sample::select(&[
                "п", "П", ".", "п.", "П.", "пп.", "ПП.", "п. п.", "п.п.", "пункт", "ПУНКТА", "пунктов",
                "подпункт", "Подпункта", "приложени", "Приложению", "приложение", " ", "\u{a0}", "\n",
                "т", "3", "_", "x", "ǅ", "ё", "Ә", "-", "«", "é",
            ][..]), 0..10)
        ) {
            let s = v.concat();
            static RE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| crate::letters::regex(r"(?i)\b(подпункт\p{L}*|пункт\p{L}*|приложени\p{L}*|п\.\s?п\.|пп\.|п\.)"));
            let re = &*RE;
            let theirs: Vec<_> = re.find_iter(&s).map(|m| m.range()).collect();
            proptest::prop_assert_eq!(words(&s), theirs, "{:?}", s);
        }
    }

    fn nums(s: &str) -> Vec<(Kind, Vec<String>, bool)> {
        find(s)
            .into_iter()
            .map(|m| {
                (
                    m.kind,
                    m.numbers.into_iter().map(|n| n.1).collect(),
                    m.external,
                )
            })
            .collect()
    }

    #[test]
    fn finds_numbers() {
        assert_eq!(
            nums("согласно приложению №2 настоящего распоряжения"),
            vec![(Kind::Appendix, vec!["2".into()], false)]
        );
        assert_eq!(
            nums("в соответствии с пунктами 2, 3 и 5."),
            vec![(Kind::Point, vec!["2".into(), "3".into(), "5".into()], false)]
        );
        assert_eq!(
            nums("см. п. 3.2."),
            vec![(Kind::Point, vec!["3.2".into()], false)]
        );
        assert_eq!(
            nums("в приложениях № 1 и 2а"),
            vec![(Kind::Appendix, vec!["1".into(), "2а".into()], false)]
        );
    }

    #[test]
    fn other_documents() {
        assert_eq!(
            nums("пунктом 5 статьи 12 Федерального закона"),
            vec![(Kind::Point, vec!["5".into()], true)]
        );
        assert_eq!(
            nums("приложение 2 к приказу Минобрнауки"),
            vec![(Kind::Appendix, vec!["2".into()], true)]
        );
        assert_eq!(
            nums("приложение 2 к настоящему приказу"),
            vec![(Kind::Appendix, vec!["2".into()], false)]
        );
        assert_eq!(nums("и т. п. 3 раза"), vec![]);
    }
}
