//! Typographic normalisation of user text (on by default; `оформление: {типографика: нет}`
//! turns it off). The YAML is never changed: only what is printed.
//!
//! - straight quotes → «ёлочки», nested „лапки“;
//! - a non-breaking space after «№», between initials and surname, before «г.»;
//! - a spaced hyphen between words → a dash with a non-breaking space before it;
//! - a hyphen between two years → an en dash (2023–2024);
//! - repeated spaces collapsed, ends trimmed.

use regex::Regex;
use std::sync::LazyLock;

const NBSP: char = '\u{a0}';

static NUMBER_SIGN: LazyLock<Regex> = LazyLock::new(|| crate::letters::regex(r"№[ \u{a0}]*(\S)"));
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

/// Collapse white space (including line breaks) to single spaces.
pub fn collapse(s: &str) -> String {
    let s = super::refs::unescape(&SPACES.replace_all(s.trim(), " "));
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

/// Full normalisation of one paragraph of user text.
pub fn normalize(s: &str) -> String {
    let s = collapse(s);
    let s = quotes(&s);
    let s = NUMBER_SIGN.replace_all(&s, format!("№{NBSP}$1").as_str());
    let s = INITIALS_BEFORE.replace_all(&s, format!("$1{NBSP}$2").as_str());
    let s = INITIALS_AFTER.replace_all(&s, format!("$1{NBSP}$2").as_str());
    let s = YEAR_G.replace_all(&s, format!("$1{NBSP}$2").as_str());
    let s = YEAR_RANGE.replace_all(&s, "$1–$2");
    dashes(&s)
}

/// A spaced hyphen or dash between words becomes «слово — слово» (NBSP before the dash);
/// between two month names it is a range and stays an en dash («август – октябрь»).
fn dashes(s: &str) -> String {
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
                && super::dates::MONTH_STEMS
                    .iter()
                    .any(|m| w.starts_with(m) && w.len() <= m.len() + 6)
        };
        let first = m.as_str().chars().next().unwrap();
        let lastc = m.as_str().chars().last().unwrap();
        let range =
            (is_month(&w1) && is_month(&w2)) || (first.is_ascii_digit() && lastc.is_ascii_digit());
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
