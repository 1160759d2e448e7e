//! Typographic normalisation of user text (on by default; `оформление: {типографика: нет}`
//! turns it off). The YAML is never changed: only what is printed.
//!
//! - straight quotes → «ёлочки», nested „лапки“;
//! - a non-breaking space after «№», between initials and surname, before «г.»;
//! - a spaced hyphen between words → a dash with a non-breaking space before it;
//! - a hyphen between two years → an en dash (2023–2024);
//! - repeated spaces collapsed, ends trimmed.

// `word` is a regex `\w`: the word boundaries below are regex ones.
use crate::letters::{Scan, is_lower, is_upper, is_word as word, leftmost};

const NBSP: char = '\u{a0}';

// The rules are hand-written passes over the characters: as seven regexes
// they cost 1.5 ms of every act to compile and run, more than the rest of
// resolving. The regexes they replace are kept in the tests, which compare
// the two on generated text; each pass says which one it is.

/// The character at `i`, if any.
fn at(cs: &[char], i: usize) -> Option<char> {
    cs.get(i).copied()
}

fn is(cs: &[char], i: usize, f: impl Fn(char) -> bool) -> bool {
    at(cs, i).is_some_and(f)
}

fn digit(c: char) -> bool {
    c.is_ascii_digit()
}

/// Collapse white space (including line breaks) to single spaces.
pub fn collapse(s: &str) -> String {
    // `[ \t\r\n]+` → « »
    let mut collapsed = String::with_capacity(s.len());
    let mut in_run = false;
    for c in s.trim().chars() {
        if matches!(c, ' ' | '\t' | '\r' | '\n') {
            if !in_run {
                collapsed.push(' ');
            }
            in_run = true;
        } else {
            collapsed.push(c);
            in_run = false;
        }
    }
    let s = crate::facts::refs::unescape(&collapsed);
    // Control characters are not text: no writer can print them (XML forbids
    // them in the DOCX, no font draws them in the PDF); P602 warns about them.
    if s.chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\t'))
    {
        s.chars()
            .filter(|c| !c.is_control() || matches!(c, '\n' | '\t'))
            .collect()
    } else {
        s
    }
}

/// Full normalisation of one paragraph of user text. Each pass first looks
/// for the character it needs («№», «.», « г», a dash) and returns the text
/// as it is without one.
pub fn normalize(s: &str) -> String {
    let s = collapse(s);
    let s = quotes(&s);
    let s = number_sign(&s);
    let s = initials_before(&s);
    let s = initials_after(&s);
    let s = year_g(&s);
    let s = year_range(&s);
    dashes(&s)
}

/// «№ 5», «№5» → «№ 5» with a non-breaking space (`№[ \u{a0}]*(\S)`).
fn number_sign(s: &str) -> String {
    if !s.contains('№') {
        return s.to_string();
    }
    let cs: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len() + 2);
    let mut i = 0;
    while i < cs.len() {
        if cs[i] == '№' {
            let j = (i + 1..=cs.len())
                .find(|&k| !is(&cs, k, |c| c == ' ' || c == NBSP))
                .unwrap_or(cs.len());
            if let Some(c) = at(&cs, j).filter(|c| !c.is_whitespace()) {
                out.push('№');
                out.push(NBSP);
                out.push(c);
                i = j + 1;
                continue;
            }
        }
        out.push(cs[i]);
        i += 1;
    }
    out
}

/// Initials: «И.», «И.И.» or «И. И.» at `i`; where they end, longest first.
fn initials_ends(cs: &[char], i: usize) -> Vec<usize> {
    let mut ends = vec![];
    if !(is(cs, i, is_upper) && at(cs, i + 1) == Some('.')) {
        return ends;
    }
    if at(cs, i + 2) == Some(' ') && is(cs, i + 3, is_upper) && at(cs, i + 4) == Some('.') {
        ends.push(i + 5);
    }
    if is(cs, i + 2, is_upper) && at(cs, i + 3) == Some('.') {
        ends.push(i + 4);
    }
    ends.push(i + 2);
    ends
}

/// Where a surname («Иванов») starting at `i` ends.
fn surname_end(cs: &[char], i: usize) -> Option<usize> {
    if !(is(cs, i, is_upper) && is(cs, i + 1, is_lower)) {
        return None;
    }
    (i + 2..=cs.len()).find(|&k| !is(cs, k, is_lower))
}

/// The characters with `with` at each of `at` (ascending, as
/// [`crate::letters::leftmost`] gives them): one pass, however many there
/// are (a search of `at` for every character grew with the square of a
/// text full of names).
fn replace_at(cs: &[char], at: &[usize], with: char) -> String {
    let mut next = at.iter().copied().peekable();
    cs.iter()
        .enumerate()
        .map(|(i, &c)| {
            while next.peek().is_some_and(|&k| k < i) {
                next.next();
            }
            if next.peek() == Some(&i) { with } else { c }
        })
        .collect()
}

/// The characters with a non-breaking space at each of `at`.
fn with_nbsp(cs: &[char], at: &[usize]) -> String {
    replace_at(cs, at, NBSP)
}

/// «И.И. Иванов» → a non-breaking space before the surname
/// (`\b(\p{Lu}\.(?:[ ]?\p{Lu}\.)?) (\p{Lu}\p{Ll}+)`).
fn initials_before(s: &str) -> String {
    if !s.contains('.') {
        return s.to_string();
    }
    let cs: Vec<char> = s.chars().collect();
    let spaces = leftmost(cs.len(), |i| {
        if i > 0 && word(cs[i - 1]) {
            return None;
        }
        initials_ends(&cs, i).into_iter().find_map(|k| {
            let end = (at(&cs, k) == Some(' ')).then(|| surname_end(&cs, k + 1))??;
            Some((k, end))
        })
    });
    with_nbsp(&cs, &spaces)
}

/// «Иванов И.И.» → a non-breaking space before the initials
/// (`(\p{Lu}\p{Ll}+) (\p{Lu}\.(?:[ ]?\p{Lu}\.)?)`).
fn initials_after(s: &str) -> String {
    if !s.contains('.') {
        return s.to_string();
    }
    let cs: Vec<char> = s.chars().collect();
    let spaces = leftmost(cs.len(), |i| {
        let e = surname_end(&cs, i)?;
        let ends = (at(&cs, e) == Some(' ')).then(|| initials_ends(&cs, e + 1))?;
        Some((e, *ends.first()?))
    });
    with_nbsp(&cs, &spaces)
}

/// «2023 г.», «2023 гг.» → a non-breaking space before «г.» (`(\d{4}) (гг?\.)`).
fn year_g(s: &str) -> String {
    if !s.contains(" г") {
        return s.to_string();
    }
    let cs: Vec<char> = s.chars().collect();
    let g = |k: usize| at(&cs, k) == Some('г');
    let dot = |k: usize| at(&cs, k) == Some('.');
    let spaces = leftmost(cs.len(), |i| {
        if !((i..i + 4).all(|k| is(&cs, k, digit)) && at(&cs, i + 4) == Some(' ') && g(i + 5)) {
            return None;
        }
        let end = if g(i + 6) && dot(i + 7) {
            i + 8
        } else if dot(i + 6) {
            i + 7
        } else {
            return None;
        };
        Some((i + 4, end))
    });
    with_nbsp(&cs, &spaces)
}

/// «2023-2024» → «2023–2024» (`\b((?:19|20)\d\d)-((?:19|20)\d\d)\b`).
fn year_range(s: &str) -> String {
    if !s.contains('-') {
        return s.to_string();
    }
    let cs: Vec<char> = s.chars().collect();
    let year = |k: usize| {
        (k..k + 4).all(|j| is(&cs, j, digit))
            && matches!((cs[k], cs[k + 1]), ('1', '9') | ('2', '0'))
    };
    let hyphens = leftmost(cs.len(), |i| {
        ((i == 0 || !word(cs[i - 1]))
            && year(i)
            && at(&cs, i + 4) == Some('-')
            && year(i + 5)
            && !is(&cs, i + 9, word))
        .then_some((i + 4, i + 9))
    });
    replace_at(&cs, &hyphens, '–')
}

/// Spaced dashes: a character, spaces, a dash, spaces, a character
/// (`(\S)[ \u{a0}]+[-–—][ ]+(\S)`), as byte ranges.
fn spaced_dashes(s: &str) -> Vec<std::ops::Range<usize>> {
    let t = Scan::new(s);
    let visible = |k: usize| t.at(k).is_some_and(|x| !x.is_whitespace());
    leftmost(t.end(), |i| {
        if !visible(i) {
            return None;
        }
        let d = t.run(i + 1, |x| x == ' ' || x == NBSP);
        let after = t.run(d + 1, |x| x == ' ');
        (d > i + 1 && t.is(d, &['-', '–', '—']) && after > d + 1 && visible(after))
            .then(|| (t.offset(i)..t.offset(after + 1), after + 1))
    })
}

/// A spaced hyphen or dash between words becomes «слово — слово» (NBSP before the dash);
/// between two month names it is a range and stays an en dash («август – октябрь»).
fn dashes(s: &str) -> String {
    if !s.contains(['-', '–', '—']) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut last = 0;
    for m in spaced_dashes(s) {
        let text = &s[m.clone()];
        let first = text.chars().next().unwrap_or(' ');
        let lastc = text.chars().last().unwrap_or(' ');
        let before = &s[..m.start + first.len_utf8()];
        let after = &s[m.end - lastc.len_utf8()..];
        let w1 = before
            .rsplit(|c: char| !crate::letters::is_alphabetic(c))
            .next()
            .unwrap_or("")
            .to_lowercase();
        let w2 = after
            .split(|c: char| !crate::letters::is_alphabetic(c))
            .next()
            .unwrap_or("")
            .to_lowercase();
        let is_month = |w: &str| {
            !w.is_empty()
                && crate::calendar::MONTH_STEMS
                    .iter()
                    .any(|m| w.starts_with(m) && w.len() <= m.len() + 6)
        };
        let range =
            (is_month(&w1) && is_month(&w2)) || (first.is_ascii_digit() && lastc.is_ascii_digit());
        let dash = if range { "–" } else { "—" };
        out.push_str(&s[last..m.start]);
        out.push(first);
        out.push(NBSP);
        out.push_str(dash);
        out.push(' ');
        out.push(lastc);
        last = m.end;
    }
    out.push_str(&s[last..]);
    out
}

/// Straight double quotes → «», and quotes inside quotes → „“.
pub fn quotes(s: &str) -> String {
    if !s.contains('"') && !s.contains('«') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len() + 8);
    let mut depth = 0usize;
    let chars: Vec<char> = s.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        match c {
            '"' => {
                let prev = if i == 0 { ' ' } else { chars[i - 1] };
                let opening = prev.is_whitespace() || "([{«„—–-/".contains(prev) || i == 0;
                if opening {
                    out.push(if depth == 0 { '«' } else { '„' });
                    depth += 1;
                } else {
                    depth = depth.saturating_sub(1);
                    out.push(if depth == 0 { '»' } else { '“' });
                }
            }
            '«' => {
                if depth > 0 {
                    out.push('„');
                } else {
                    out.push('«');
                }
                depth += 1;
            }
            '»' => {
                depth = depth.saturating_sub(1);
                out.push(if depth > 0 { '“' } else { '»' });
            }
            _ => out.push(c),
        }
    }
    out
}

/// Text split into paragraphs at blank lines, each collapsed.
pub fn paragraphs(s: &str) -> Vec<String> {
    s.split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(String::from)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    // The regexes the passes replaced, as they were: the passes must give
    // what these gave, on any text.
    use regex::Regex;
    use std::sync::LazyLock;
    static NUMBER_SIGN: LazyLock<Regex> =
        LazyLock::new(|| crate::letters::regex(r"№[ \u{a0}]*(\S)"));
    static INITIALS_BEFORE: LazyLock<Regex> =
        LazyLock::new(|| crate::letters::regex(r"\b(\p{Lu}\.(?:[ ]?\p{Lu}\.)?) (\p{Lu}\p{Ll}+)"));
    static INITIALS_AFTER: LazyLock<Regex> =
        LazyLock::new(|| crate::letters::regex(r"(\p{Lu}\p{Ll}+) (\p{Lu}\.(?:[ ]?\p{Lu}\.)?)"));
    static YEAR_G: LazyLock<Regex> = LazyLock::new(|| crate::letters::regex(r"(\d{4}) (гг?\.)"));
    static YEAR_RANGE: LazyLock<Regex> =
        LazyLock::new(|| crate::letters::regex(r"\b((?:19|20)\d\d)-((?:19|20)\d\d)\b"));
    static SPACED_DASH: LazyLock<Regex> =
        LazyLock::new(|| crate::letters::regex(r"(\S)[ \u{a0}]+[-–—][ ]+(\S)"));
    static SPACES: LazyLock<Regex> = LazyLock::new(|| crate::letters::regex(r"[ \t\r\n]+"));

    fn collapse_by_regex(s: &str) -> String {
        let s = crate::facts::refs::unescape(&SPACES.replace_all(s.trim(), " "));
        // Control characters are not text: no writer can print them (XML forbids
        // them in the DOCX, no font draws them in the PDF); P602 warns about them.
        if s.chars()
            .any(|c| c.is_control() && !matches!(c, '\n' | '\t'))
        {
            s.chars()
                .filter(|c| !c.is_control() || matches!(c, '\n' | '\t'))
                .collect()
        } else {
            s
        }
    }
    fn normalize_by_regex(s: &str) -> String {
        let s = collapse_by_regex(s);
        let s = quotes(&s);
        let s = NUMBER_SIGN.replace_all(&s, format!("№{NBSP}$1").as_str());
        let s = INITIALS_BEFORE.replace_all(&s, format!("$1{NBSP}$2").as_str());
        let s = INITIALS_AFTER.replace_all(&s, format!("$1{NBSP}$2").as_str());
        let s = YEAR_G.replace_all(&s, format!("$1{NBSP}$2").as_str());
        let s = YEAR_RANGE.replace_all(&s, "$1–$2");
        dashes_by_regex(&s)
    }
    fn dashes_by_regex(s: &str) -> String {
        let mut out = String::with_capacity(s.len());
        let mut last = 0;
        for m in SPACED_DASH.find_iter(s) {
            let before = &s[..m.start() + m.as_str().chars().next().map_or(0, char::len_utf8)];
            let after = &s[m.end() - m.as_str().chars().last().map_or(0, char::len_utf8)..];
            let w1 = before
                .rsplit(|c: char| !c.is_alphabetic())
                .next()
                .unwrap_or("")
                .to_lowercase();
            let w2 = after
                .split(|c: char| !c.is_alphabetic())
                .next()
                .unwrap_or("")
                .to_lowercase();
            let is_month = |w: &str| {
                !w.is_empty()
                    && crate::calendar::MONTH_STEMS
                        .iter()
                        .any(|m| w.starts_with(m) && w.len() <= m.len() + 6)
            };
            let first = m.as_str().chars().next().unwrap();
            let lastc = m.as_str().chars().last().unwrap();
            let range = (is_month(&w1) && is_month(&w2))
                || (first.is_ascii_digit() && lastc.is_ascii_digit());
            let dash = if range { "–" } else { "—" };
            out.push_str(&s[last..m.start()]);
            out.push(first);
            out.push(NBSP);
            out.push_str(dash);
            out.push(' ');
            out.push(lastc);
            last = m.end();
        }
        out.push_str(&s[last..]);
        out
    }

    /// Text made of what the rules look at (initials, surnames, «№», years,
    /// «г.», dashes, quotes) and what breaks them.
    fn texty() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        const PIECES: &[&str] = &[
            "И.",
            "И.И.",
            "И. И.",
            "Иванов",
            "иванов",
            "Ёлкина",
            "А",
            "Б.",
            "Ә.",
            " ",
            " ",
            "  ",
            "\u{a0}",
            "\n",
            "\r",
            "\t",
            "№",
            "№ ",
            "5",
            "2023",
            "2024",
            "1999",
            "12023",
            "2123",
            " г.",
            " гг.",
            "г",
            "гг",
            ".",
            "-",
            " - ",
            " – ",
            " — ",
            "—",
            "–",
            "август",
            "Октябрь",
            "x",
            "é",
            "_",
            "\"",
            "«",
            "»",
            "ǅ",
            "ё",
            "1",
            "\u{2003}",
        ];
        proptest::collection::vec(proptest::sample::select(PIECES), 0..16).prop_map(|v| v.concat())
    }

    proptest::proptest! {
        #![proptest_config(crate::letters::oracle_config(20_000))]
        #[test]
        fn passes_give_what_the_regexes_gave(s in texty()) {
            proptest::prop_assert_eq!(collapse(&s), collapse_by_regex(&s));
            proptest::prop_assert_eq!(normalize(&s), normalize_by_regex(&s));
        }
    }

    #[test]
    fn quotes_nest() {
        assert_eq!(quotes(r#"МАУ "Импульс-центр""#), "МАУ «Импульс-центр»");
        assert_eq!(
            quotes(r#"учреждение "Центр "Импульс-центр"""#),
            "учреждение «Центр „Импульс-центр“»"
        );
        assert_eq!(quotes("«Центр «Импульс»»"), "«Центр „Импульс“»");
    }

    #[test]
    fn spaces_and_dashes() {
        assert_eq!(normalize("приложении №1"), "приложении №\u{a0}1");
        assert_eq!(
            normalize("Долгополовой Н.В., директору"),
            "Долгополовой\u{a0}Н.В., директору"
        );
        assert_eq!(normalize("Е.А. Глуховская"), "Е.А.\u{a0}Глуховская");
        assert_eq!(
            normalize("на 2023-2024 учебный год"),
            "на 2023–2024 учебный год"
        );
        assert_eq!(normalize("МАУ - учреждение"), "МАУ\u{a0}— учреждение");
        assert_eq!(
            normalize("Август – октябрь 2023 г."),
            "Август\u{a0}– октябрь 2023\u{a0}г."
        );
        assert_eq!(normalize("на 2022 - 2023 год"), "на 2022\u{a0}– 2023 год");
        assert_eq!(
            normalize("  два   пробела \n и перенос "),
            "два пробела и перенос"
        );
        // Document numbers keep their hyphens.
        assert_eq!(normalize("СЭД26-01-06-542"), "СЭД26-01-06-542");
    }
}
