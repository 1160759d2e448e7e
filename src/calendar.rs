//! Russian dates as acts write them: the one list of the months' names, read
//! by the dates that resolve prints, and a scanner of the dates and academic
//! years written in text (numeric and verbal dates, months with a year,
//! «2023/24 уч. г.»), which the period lints read.

use crate::letters::{Scan, is_letter, leftmost};
use chrono::{Datelike, NaiveDate};
use std::ops::Range;

/// Stems of the month names, January first: they match every case form
/// («октябрь», «октября», «октябре»).
pub const MONTH_STEMS: [&str; 12] = [
    "январ",
    "феврал",
    "март",
    "апрел",
    "ма",
    "июн",
    "июл",
    "август",
    "сентябр",
    "октябр",
    "ноябр",
    "декабр",
];

/// Month names as a date has them: «20 октября 2023».
pub const MONTHS_GENITIVE: [&str; 12] = [
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
];

// The date patterns are scanned by hand (crate::letters::Scan). As regexes
// with Unicode word boundaries they took 3 ms of a 12 ms `check` to compile
// and run; the regexes they replace are kept in the tests, which compare the
// two on generated text.

/// Dashes and the slash between the years of an academic year.
pub const YEAR_DASHES: [char; 4] = ['-', '–', '—', '/'];
/// Dashes between two months.
pub const DASHES: [char; 3] = ['-', '–', '—'];
/// Spaces between the words of a date.
pub const SPACES: [char; 2] = [' ', '\u{a0}'];

pub fn digit(c: char) -> bool {
    c.is_ascii_digit()
}

pub fn space(c: char) -> bool {
    SPACES.contains(&c)
}

/// Month number of a month name in any case: «октябрь», «октября», «октябре».
pub fn month_of(word: &str) -> Option<u32> {
    let w = word.to_lowercase();
    if ["май", "мая", "мае", "маю", "маем"].contains(&w.as_str()) {
        return Some(5);
    }
    MONTH_STEMS.iter().enumerate().find_map(|(i, stem)| {
        let rest = w.strip_prefix(stem)?;
        (i != 4 && rest.chars().count() <= 2).then_some(i as u32 + 1)
    })
}

pub fn days_in_month(y: i32, m: u32) -> u32 {
    let next = if m == 12 {
        NaiveDate::from_ymd_opt(y + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(y, m + 1, 1)
    };
    next.and_then(|d| d.pred_opt()).map_or(31, |d| d.day())
}

/// An academic year named in text.
#[derive(Debug, Clone)]
pub struct AcademicYear {
    pub y1: i32,
    pub y2: i32,
    pub range: Range<usize>,
}

/// «2023-2024 учебный год», «2023–2024 учебного года», «2023/24 уч. г.»: the
/// years, from the first year to the end of «год» or «г».
pub fn academic_years(s: &str) -> Vec<AcademicYear> {
    if !s.contains(|c: char| c.is_ascii_digit()) {
        return vec![];
    }
    let t = Scan::new(s);
    leftmost(t.end(), |i| {
        let (y1, y2, end) = academic_year_at(&t, i)?;
        let range = t.offset(i)..t.offset(end);
        Some((AcademicYear { y1, y2, range }, end))
    })
}

/// An academic year that starts at `i`: its years and where it ends.
pub fn academic_year_at(t: &Scan, i: usize) -> Option<(i32, i32, usize)> {
    let year = |from: usize, to: usize| -> i32 {
        (from..to).fold(0, |y, k| {
            y * 10 + t.at(k).and_then(|c| c.to_digit(10)).unwrap_or(0) as i32
        })
    };
    let century = |k: usize| t.word_at(k, "19").or_else(|| t.word_at(k, "20")).is_some();
    // The first year: four digits, starting a word.
    if !t.at(i).is_some_and(digit) || !t.starts_word(i) {
        return None;
    }
    let e1 = t.run(i, digit);
    if e1 - i != 4 || !century(i) {
        return None;
    }
    let mut j = t.run(e1, char::is_whitespace);
    if !t.is(j, &YEAR_DASHES) {
        return None;
    }
    j = t.run(j + 1, char::is_whitespace);
    // The second: two digits, or four from the same centuries; a whole word.
    let e2 = t.run(j, digit);
    if !(e2 - j == 2 || (e2 - j == 4 && century(j))) || t.is_word(e2) {
        return None;
    }
    let y1 = year(i, e1);
    let y2 = if e2 - j == 2 {
        y1 / 100 * 100 + year(j, e2)
    } else {
        year(j, e2)
    };
    // Then «г.» or «гг.» perhaps, and «учебный год» or «уч. г.».
    let tail = |k: usize| -> Option<usize> {
        let q = t.run(k, char::is_whitespace);
        if q == k {
            return None;
        }
        if let Some(r) = t.word_at(q, "учебн") {
            let r = t.run(r, is_letter);
            let g = t.run(r, char::is_whitespace);
            return if g > r { t.word_at(g, "год") } else { None };
        }
        let r = t.word_at(q, "уч.")?;
        t.word_at(t.run(r, char::is_whitespace), "г")
    };
    let g = t.run(e2, char::is_whitespace);
    let mut ends = vec![];
    if let Some(g1) = t.word_at(g, "г") {
        let g2 = t.word_at(g1, "г");
        for e in [g2, Some(g1)].into_iter().flatten() {
            if t.at(e) == Some('.') {
                ends.push(e + 1);
            }
            ends.push(e);
        }
    }
    ends.push(e2);
    ends.into_iter().find_map(tail).map(|end| (y1, y2, end))
}

/// What a date expression in text stands for.
#[derive(Debug, Clone, PartialEq)]
pub enum When {
    Day(NaiveDate),
    /// Months: «октябрь – ноябрь 2023 года».
    Span(NaiveDate, NaiveDate),
    /// A date that does not exist, with the reason.
    Invalid(String),
}

#[derive(Debug, Clone)]
pub struct Found {
    pub range: Range<usize>,
    pub when: When,
}

pub fn invalid_reason(y: i32, m: u32, d: u32) -> String {
    const PREPOSITIONAL: [&str; 12] = [
        "январе",
        "феврале",
        "марте",
        "апреле",
        "мае",
        "июне",
        "июле",
        "августе",
        "сентябре",
        "октябре",
        "ноябре",
        "декабре",
    ];
    if !(1..=12).contains(&m) {
        return format!("месяца {m} не бывает");
    }
    if d == 0 {
        return "дня 0 не бывает".into();
    }
    let n = days_in_month(y, m);
    if m == 2 && d == 29 {
        return format!("{y} год не високосный: в феврале {n} дней");
    }
    let days = if n == 31 {
        "31 день".to_string()
    } else {
        format!("{n} дней")
    };
    format!("в {} {days}", PREPOSITIONAL[m as usize - 1])
}

pub fn date_or_invalid(y: i32, m: u32, d: u32) -> When {
    match NaiveDate::from_ymd_opt(y, m, d) {
        Some(x) => When::Day(x),
        None => When::Invalid(invalid_reason(y, m, d)),
    }
}

/// Every date expression in `s`: numeric and verbal dates, months with a year.
pub fn dates(s: &str) -> Vec<Found> {
    // Every form has a number.
    if !s.contains(|c: char| c.is_ascii_digit()) {
        return vec![];
    }
    let t = Scan::new(s);
    let number = |from: usize, to: usize| -> u32 {
        (from..to).fold(0, |n, k| {
            n * 10 + t.at(k).and_then(|c| c.to_digit(10)).unwrap_or(0)
        })
    };
    let mut out: Vec<Found> = vec![];
    // «20.10.2023»: not part of a longer code («СП 2.4.3648-20», «1.13.2023.4»).
    for i in 0..t.end() {
        if !t.at(i).is_some_and(digit)
            || (i > 0 && (t.at(i - 1).is_some_and(digit) || t.at(i - 1) == Some('.')))
        {
            continue;
        }
        let e1 = t.run(i, digit);
        if e1 - i > 2 || t.at(e1) != Some('.') {
            continue;
        }
        let e2 = t.run(e1 + 1, digit);
        if !(1..=2).contains(&(e2 - e1 - 1)) || t.at(e2) != Some('.') {
            continue;
        }
        let e3 = t.run(e2 + 1, digit);
        let digit_after = |sep: char| t.at(e3) == Some(sep) && t.at(e3 + 1).is_some_and(digit);
        if e3 - e2 - 1 != 4 || digit_after('-') || digit_after('.') {
            continue;
        }
        let y = number(e2 + 1, e3) as i32;
        if !(1900..=2100).contains(&y) {
            continue;
        }
        out.push(Found {
            range: t.offset(i)..t.offset(e3),
            when: date_or_invalid(y, number(e1 + 1, e2), number(i, e1)),
        });
    }
    // «20 октября 2023», «"20" октября 2023».
    for i in 0..t.end() {
        if !t.at(i).is_some_and(digit) || (i > 0 && t.at(i - 1).is_some_and(digit)) {
            continue;
        }
        let start = if i > 0 && t.is(i - 1, &['«', '"']) {
            i - 1
        } else {
            i
        };
        if start > 0 && t.at(start - 1).is_some_and(digit) {
            continue;
        }
        let e1 = t.run(i, digit);
        if e1 - i > 2 {
            continue;
        }
        let mut j = e1;
        if t.is(j, &['»', '"']) {
            j += 1;
        }
        let w = t.run(j, space);
        let we = t.run(w, is_letter);
        let month = t.text(s, w, we).to_lowercase();
        let y = t.run(we, space);
        if w == j
            || we == w
            || y == we
            || !MONTHS_GENITIVE.contains(&month.as_str())
            || t.run(y, digit) - y < 4
        {
            continue;
        }
        out.push(Found {
            range: t.offset(start)..t.offset(y + 4),
            when: date_or_invalid(
                number(y, y + 4) as i32,
                month_of(&month).unwrap_or(0),
                number(i, e1),
            ),
        });
    }
    let taken: Vec<Range<usize>> = out.iter().map(|f| f.range.clone()).collect();
    // «октябрь 2023», «август – октябрь 2023 года».
    let months = leftmost(t.end(), |i| {
        let (m1, m2, y, end) = months_at(&t, s, i)?;
        Some(((t.offset(i)..t.offset(end), m1, m2, y), end))
    });
    for (range, m1, m2, y) in months {
        if taken
            .iter()
            .any(|r| r.start < range.end && range.start < r.end)
        {
            continue;
        }
        let Some(m1) = month_of(m1) else { continue };
        let m2 = match m2 {
            Some(w) => match month_of(w) {
                Some(x) => x,
                None => continue,
            },
            None => m1,
        };
        let y1 = if m2 < m1 { y - 1 } else { y };
        let (Some(start), Some(end)) = (
            NaiveDate::from_ymd_opt(y1, m1, 1),
            NaiveDate::from_ymd_opt(y, m2, days_in_month(y, m2)),
        ) else {
            continue;
        };
        out.push(Found {
            range,
            when: When::Span(start, end),
        });
    }
    out.sort_by_key(|f| f.range.start);
    out
}

/// A word, perhaps a dash and a second word, then a four-digit year, starting
/// at `i`: the words (months or not), the year and where it ends.
pub fn months_at<'s>(
    t: &Scan,
    s: &'s str,
    i: usize,
) -> Option<(&'s str, Option<&'s str>, i32, usize)> {
    if !t.at(i).is_some_and(is_letter) || !t.starts_word(i) {
        return None;
    }
    let e1 = t.run(i, is_letter);
    let year_after = |k: usize| -> Option<(i32, usize)> {
        let y = t.run(k, space);
        let e = t.run(y, digit);
        (y > k && e - y == 4 && !t.is_word(e)).then(|| (t.text(s, y, e).parse().unwrap_or(0), e))
    };
    let second = || -> Option<(&'s str, i32, usize)> {
        let d = t.run(e1, space);
        if !t.is(d, &DASHES) {
            return None;
        }
        let w = t.run(d + 1, space);
        let we = t.run(w, is_letter);
        if we == w {
            return None;
        }
        let (y, end) = year_after(we)?;
        Some((t.text(s, w, we), y, end))
    };
    let first = t.text(s, i, e1);
    if let Some((w2, y, end)) = second() {
        return Some((first, Some(w2), y, end));
    }
    let (y, end) = year_after(e1)?;
    Some((first, None, y, end))
}

/// The last word before `at`, lowercased.
pub fn word_before(s: &str, at: usize) -> String {
    s[..at]
        .trim_end_matches(|c: char| !crate::letters::is_alphabetic(c))
        .rsplit(|c: char| !crate::letters::is_alphabetic(c))
        .next()
        .unwrap_or("")
        .to_lowercase()
}

/// Up to `n` words before byte `at` of `s`, nearest first, in lower case.
pub fn words_before(s: &str, at: usize, n: usize) -> Vec<String> {
    s[..at]
        .rsplit(|c: char| !crate::letters::is_alphabetic(c))
        .filter(|w| !w.is_empty())
        .take(n)
        .map(str::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    // The regexes the scanners replaced, as they were: the scanners must find
    // what these found, on any text.
    use regex::Regex;
    use std::sync::LazyLock;
    static ACADEMIC_YEAR: LazyLock<Regex> = LazyLock::new(|| {
        crate::letters::regex(
            r"(?i)\b((?:19|20)\d\d)\s*[-–—/]\s*((?:19|20)?\d\d)\b(?:\s*гг?\.?)?\s+(?:учебн\p{L}*\s+год|уч\.\s*г)",
        )
    });
    static NUMERIC_DATE: LazyLock<Regex> =
        LazyLock::new(|| crate::letters::regex(r"(\d{1,2})\.(\d{1,2})\.(\d{4})"));
    static VERBAL_DATE: LazyLock<Regex> = LazyLock::new(|| {
        crate::letters::regex(
            r#"(?i)[«"]?(\d{1,2})[»"]?[ \u{a0}]+(января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря)[ \u{a0}]+(\d{4})"#,
        )
    });
    static MONTHS: LazyLock<Regex> = LazyLock::new(|| {
        crate::letters::regex(
            r"(?i)\b(\p{L}+)(?:[ \u{a0}]*[-–—][ \u{a0}]*(\p{L}+))?[ \u{a0}]+(\d{4})\b",
        )
    });

    fn academic_years_by_regex(s: &str) -> Vec<AcademicYear> {
        ACADEMIC_YEAR
            .captures_iter(s)
            .map(|c| {
                let y1: i32 = c[1].parse().unwrap_or(0);
                let y2s = &c[2];
                let y2: i32 = if y2s.len() == 2 {
                    y1 / 100 * 100 + y2s.parse::<i32>().unwrap_or(0)
                } else {
                    y2s.parse().unwrap_or(0)
                };
                AcademicYear {
                    y1,
                    y2,
                    range: c.get(1).unwrap().start()..c.get(0).unwrap().end(),
                }
            })
            .collect()
    }
    fn dates_by_regex(s: &str) -> Vec<Found> {
        let mut out: Vec<Found> = vec![];
        for c in NUMERIC_DATE.captures_iter(s) {
            let m = c.get(0).unwrap();
            let before = s[..m.start()].chars().next_back();
            let after = s[m.end()..].chars().next();
            // Not part of a longer code: «СП 2.4.3648-20», «1.13.2023.4».
            let digit_after = |sep: char| {
                s[m.end()..].starts_with(sep)
                    && s[m.end() + 1..].starts_with(|c: char| c.is_ascii_digit())
            };
            if before.is_some_and(|b| b.is_ascii_digit() || b == '.')
                || after.is_some_and(|a| a.is_ascii_digit())
                || digit_after('-')
                || digit_after('.')
            {
                continue;
            }
            let (d, mo, y): (u32, u32, i32) = (
                c[1].parse().unwrap_or(0),
                c[2].parse().unwrap_or(0),
                c[3].parse().unwrap_or(0),
            );
            if !(1900..=2100).contains(&y) {
                continue;
            }
            out.push(Found {
                range: m.range(),
                when: date_or_invalid(y, mo, d),
            });
        }
        for c in VERBAL_DATE.captures_iter(s) {
            let m = c.get(0).unwrap();
            if s[..m.start()]
                .chars()
                .next_back()
                .is_some_and(|b| b.is_ascii_digit())
            {
                continue;
            }
            let mo = month_of(&c[2]).unwrap_or(0);
            out.push(Found {
                range: m.range(),
                when: date_or_invalid(c[3].parse().unwrap_or(0), mo, c[1].parse().unwrap_or(0)),
            });
        }
        let taken: Vec<Range<usize>> = out.iter().map(|f| f.range.clone()).collect();
        for c in MONTHS.captures_iter(s) {
            let m = c.get(0).unwrap();
            if taken.iter().any(|r| r.start < m.end() && m.start() < r.end) {
                continue;
            }
            let Some(m1) = month_of(&c[1]) else { continue };
            let m2 = match c.get(2) {
                Some(w) => match month_of(w.as_str()) {
                    Some(x) => x,
                    None => continue,
                },
                None => m1,
            };
            let y: i32 = c[3].parse().unwrap_or(0);
            let y1 = if m2 < m1 { y - 1 } else { y };
            let (Some(start), Some(end)) = (
                NaiveDate::from_ymd_opt(y1, m1, 1),
                NaiveDate::from_ymd_opt(y, m2, days_in_month(y, m2)),
            ) else {
                continue;
            };
            out.push(Found {
                range: m.range(),
                when: When::Span(start, end),
            });
        }
        out.sort_by_key(|f| f.range.start);
        out
    }

    /// Text made of date-shaped runs (each part drawn from what makes one and
    /// what breaks one) and of loose pieces between them.
    fn texty() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        use proptest::sample::select;
        fn part(options: &'static [&'static str]) -> proptest::sample::Select<&'static str> {
            select(options)
        }
        const SP: &[&str] = &[" ", "", "  ", "\u{a0}", "\n", "x"];
        const YEAR: &[&str] = &["2023", "2024", "1999", "24", "20233", "2123", "202", "5"];
        const DAY: &[&str] = &["5", "31", "12", "123", "0", "07", "x"];
        const DASH: &[&str] = &["-", "–", "—", "/", "", "."];
        const QUOTE: &[&str] = &["", "«", "»", "\"", "1"];
        const MONTH: &[&str] = &[
            "октября",
            "мая",
            "Мая",
            "ОКТЯБРЯ",
            "октябрь",
            "ноябре",
            "Август",
            "май",
            "маяк",
            "марта",
            "х",
            "é",
        ];
        const AFTER: &[&str] = &["", ".", "г", "г.", "1", "x", " ", ".5", "-5", "_", "é"];
        const G: &[&str] = &["", " г.", " гг.", " г", "г.", " Г", " гг", " ггг"];
        const STUDY: &[&str] = &[
            " учебный год",
            " учебного года",
            " Учебного  года",
            " уч. г.",
            " уч.г",
            " уч г",
            " учебный период",
            "учебный год",
            " годы",
        ];
        const LOOSE: &[&str] = &[
            " ", "в ", "до ", "СП ", "2.4.", "x", "ё", "ǅ", "_", "1", ".", "«", "-",
        ];
        let verbal = (
            part(QUOTE),
            part(DAY),
            part(QUOTE),
            part(SP),
            part(MONTH),
            part(SP),
            part(YEAR),
            part(AFTER),
        )
            .prop_map(|t| [t.0, t.1, t.2, t.3, t.4, t.5, t.6, t.7].concat());
        let numeric = (
            part(DAY),
            part(DASH),
            part(DAY),
            part(DASH),
            part(YEAR),
            part(AFTER),
        )
            .prop_map(|t| [t.0, t.1, t.2, t.3, t.4, t.5].concat());
        let months = (
            part(MONTH),
            part(SP),
            part(DASH),
            part(SP),
            part(MONTH),
            part(SP),
            part(YEAR),
            part(AFTER),
        )
            .prop_map(|t| [t.0, t.1, t.2, t.3, t.4, t.5, t.6, t.7].concat());
        let academic = (
            part(YEAR),
            part(SP),
            part(DASH),
            part(SP),
            part(YEAR),
            part(G),
            part(STUDY),
        )
            .prop_map(|t| [t.0, t.1, t.2, t.3, t.4, t.5, t.6].concat());
        let loose = part(LOOSE).prop_map(str::to_string);
        let chunk = prop_oneof![verbal, numeric, months, academic, loose];
        proptest::collection::vec(chunk, 0..6).prop_map(|v| v.concat())
    }

    proptest::proptest! {
        #![proptest_config(crate::letters::oracle_config(20_000))]
        #[test]
        fn scanners_find_what_the_regexes_found(s in texty()) {
            let ours: Vec<_> = academic_years(&s).into_iter().map(|y| (y.y1, y.y2, y.range)).collect();
            let theirs: Vec<_> = academic_years_by_regex(&s).into_iter().map(|y| (y.y1, y.y2, y.range)).collect();
            proptest::prop_assert_eq!(ours, theirs, "academic years in {:?}", s);
            let ours: Vec<_> = dates(&s).into_iter().map(|f| (f.range, f.when)).collect();
            let theirs: Vec<_> = dates_by_regex(&s).into_iter().map(|f| (f.range, f.when)).collect();
            proptest::prop_assert_eq!(ours, theirs, "dates in {:?}", s);
        }
    }

    #[test]
    fn academic_year_forms() {
        for s in [
            "на 2023-2024 учебный год",
            "в течение 2023–2024 учебного года",
            "на 2023/24 уч. г.",
            "на 2023 - 2024 гг. учебного года",
        ] {
            let y = academic_years(s);
            assert_eq!(y.len(), 1, "{s}");
            assert_eq!((y[0].y1, y[0].y2), (2023, 2024), "{s}");
        }
        assert!(academic_years("Актуализация информации 2023-2024 год").is_empty());
    }

    #[test]
    fn date_forms() {
        let w = |s: &str| dates(s).into_iter().map(|f| f.when).collect::<Vec<_>>();
        assert_eq!(w("до 20.10.2023"), vec![When::Day(d(2023, 10, 20))]);
        assert_eq!(w("До 20 октября 2023"), vec![When::Day(d(2023, 10, 20))]);
        assert_eq!(
            w("Август – октябрь 2023 года"),
            vec![When::Span(d(2023, 8, 1), d(2023, 10, 31))]
        );
        assert_eq!(
            w("Март-май 2023 г"),
            vec![When::Span(d(2023, 3, 1), d(2023, 5, 31))]
        );
        assert_eq!(
            w("в марте 2024 года"),
            vec![When::Span(d(2024, 3, 1), d(2024, 3, 31))]
        );
        assert!(matches!(w("31.11.2023")[0], When::Invalid(_)));
        assert!(w("В течение года").is_empty());
        assert!(w("Проведено не менее 1 семинара").is_empty());
        assert!(w("СЭД26-01-06-542").is_empty());
        assert!(w("СанПиН 2.4.3648-20").is_empty());
        assert!(w("версия 1.13.2023.4").is_empty());
    }

    #[test]
    fn reasons() {
        assert_eq!(invalid_reason(2023, 11, 31), "в ноябре 30 дней");
        assert_eq!(
            invalid_reason(2023, 2, 29),
            "2023 год не високосный: в феврале 28 дней"
        );
        assert_eq!(invalid_reason(2023, 13, 1), "месяца 13 не бывает");
    }
}
