//! Numbering, decided once.
//!
//! Every numbered thing of an act gets its level, its ordinal and its printed
//! label here, and nowhere else: the points («1.», «2.1.»), their sub-items
//! («1)»), the control clause, the appendices («№ 1»), the rows and numbered
//! sections of plan tables («8.», «2.3») and the markers of lists («а)», «2.»). `resolve` copies these numbers into the
//! model, references print them, the lints compare explicit numbers with what the
//! counter expected, and the DOCX writer maps them onto Word numbering without
//! counting again.
//!
//! Rules for tables, which clerks number by hand as often as not:
//! - a row without `№` takes the next number of its level;
//! - a row with an explicit `№` prints it as typed, and the counter goes on from
//!   it (after «8.» comes «9.»); its sub-rows are numbered beneath it (8.1, 8.2);
//! - a numbered section row («1. Организационная работа», by its own `№` or by
//!   the table's `нумерация_разделов: да`) opens level two: the rows under it are
//!   1.1, 1.2 …, until the next section;
//! - a section numbered in Roman figures («I.», «II.») prints its number and
//!   leaves the numbering as it runs: rows are 1, 2, 3 … through the table;
//! - an unnumbered section row leaves the numbering as it runs.

use crate::model::Number;
use crate::read::decode::Spanned;
use crate::read::input::{Act, CellRow, Point, PointItem, Row, Table};
use std::collections::HashMap;

/// The numbers of one point and of what it contains, mirroring its structure:
/// `subpoints` follow the point's numbered sub-points in order (free paragraphs
/// between them are skipped), `items` its sub-items.
#[derive(Debug, Clone)]
pub struct PointNumbers {
    pub number: Number,
    pub subpoints: Vec<PointNumbers>,
    pub items: Vec<PointNumbers>,
}

/// Every number of an act.
#[derive(Debug, Clone)]
pub struct Numbering {
    /// Appendix id → number (`None` for a single unnumbered appendix).
    pub appendices: Vec<(String, Option<String>)>,
    /// The act's numbered points in order (paragraphs between them skipped).
    pub points: Vec<PointNumbers>,
    /// The control clause, numbered as the last point.
    pub control: Option<Number>,
    /// Point id → label without the final dot («2.1»), for references.
    pub point_ids: HashMap<String, String>,
}

impl Numbering {
    pub fn of(act: &Act) -> Self {
        let numbered_default = act.appendices.len() > 1;
        let appendices = act
            .appendices
            .iter()
            .enumerate()
            .map(|(i, a)| {
                let id =
                    a.id.as_ref()
                        .map(|s| s.value.clone())
                        .unwrap_or_else(|| (i + 1).to_string());
                let numbered = a.numbered.unwrap_or(numbered_default || a.number.is_some());
                let number = numbered.then(|| {
                    a.number
                        .as_ref()
                        .map(|n| n.value.clone())
                        .unwrap_or_else(|| (i + 1).to_string())
                });
                (id, number)
            })
            .collect();
        let mut point_ids = HashMap::new();
        let mut points = Vec::new();
        for (i, p) in numbered(&act.points).enumerate() {
            points.push(number_point(p, &[i as u32 + 1], &mut point_ids));
        }
        let control = act
            .control
            .as_ref()
            .map(|_| point_number(&[points.len() as u32 + 1]));
        Self {
            appendices,
            points,
            control,
            point_ids,
        }
    }

    pub fn appendix(&self, key: &str) -> Option<(usize, &Option<String>)> {
        self.appendices
            .iter()
            .position(|(id, n)| id == key || n.as_deref() == Some(key))
            .map(|i| (i, &self.appendices[i].1))
    }

    /// Labels of every point without the final dot («1», «2.1»), the control
    /// clause included: what a mention «пункт 2.1» may name.
    pub fn point_labels(&self) -> Vec<String> {
        fn walk(p: &PointNumbers, out: &mut Vec<String>) {
            out.push(p.number.label.trim_end_matches('.').to_string());
            for s in &p.subpoints {
                walk(s, out);
            }
        }
        let mut out = vec![];
        for p in &self.points {
            walk(p, &mut out);
        }
        if let Some(c) = &self.control {
            out.push(c.label.trim_end_matches('.').to_string());
        }
        out
    }

    /// The most sub-items any one point has (for mentions «подпункт 3»).
    pub fn max_items(&self) -> usize {
        fn walk(p: &PointNumbers) -> usize {
            p.subpoints.iter().map(walk).fold(p.items.len(), usize::max)
        }
        self.points.iter().map(walk).max().unwrap_or(0)
    }
}

/// The marker of item `i` (from 0) of a list, counting on from the first
/// marker as written: «1.» → «2.»; «2.» → «3.»; «(1)» → «(2)»; «01.» →
/// «02.»; «1.1.» → «1.2.» (the last number counts); «а)» → «б)»; «А.» →
/// «Б.»; «a)» → «b)»; «I.» → «II.»; anything without a number or a letter is
/// a bullet, repeated as is.
pub fn list_marker(marker: &str, i: usize) -> String {
    let m = marker.trim();
    let Some((range, counter)) = counter_of(m) else {
        return m.to_string();
    };
    let value = match counter {
        Counter::Digits { first, width } => format!("{:0width$}", first + i as u64),
        Counter::Letter { alphabet, first } => {
            let letters: Vec<char> = alphabet.chars().collect();
            // Past the alphabet the letters double: «аа)», as Word does.
            let n = first + i;
            let c = letters[n % letters.len()];
            std::iter::repeat_n(c, n / letters.len() + 1).collect()
        }
        Counter::Roman { first, upper } => {
            let r = roman(first + i as u32);
            if upper { r } else { r.to_lowercase() }
        }
    };
    format!("{}{value}{}", &m[..range.start], &m[range.end..])
}

/// What counts in a list marker.
enum Counter {
    Digits {
        first: u64,
        width: usize,
    },
    Letter {
        alphabet: &'static str,
        first: usize,
    },
    Roman {
        first: u32,
        upper: bool,
    },
}

/// Russian list letters, as ГОСТ 2.105 and Word use them: without ё, й, ъ, ы, ь.
const CYRILLIC_LOWER: &str = "абвгдежзиклмнопрстуфхцчшщэюя";
const CYRILLIC_UPPER: &str = "АБВГДЕЖЗИКЛМНОПРСТУФХЦЧШЩЭЮЯ";
const LATIN_LOWER: &str = "abcdefghijklmnopqrstuvwxyz";
const LATIN_UPPER: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";

/// The counting part of a marker and where it stands: the last run of digits;
/// else a Roman number («IV», «ii»); else a single letter.
fn counter_of(m: &str) -> Option<(std::ops::Range<usize>, Counter)> {
    let digits_end = m.rfind(|c: char| c.is_ascii_digit()).map(|i| i + 1);
    if let Some(end) = digits_end {
        let start = m[..end]
            .rfind(|c: char| !c.is_ascii_digit())
            .map_or(0, |i| i + 1);
        let run = &m[start..end];
        let first = run.parse().ok()?;
        let width = if run.starts_with('0') { run.len() } else { 1 };
        return Some((start..end, Counter::Digits { first, width }));
    }
    // A run of letters standing alone: «а)», «(iv)», «Б.».
    let start = m.find(char::is_alphabetic)?;
    let len: usize = m[start..]
        .chars()
        .take_while(|c| c.is_alphabetic())
        .map(char::len_utf8)
        .sum();
    let run = &m[start..start + len];
    if m[start + len..].chars().any(char::is_alphabetic) {
        return None;
    }
    let single = run.chars().count() == 1;
    let roman_letters = if single { "IVXivx" } else { "IVXLCDMivxlcdm" };
    if run.chars().all(|c| roman_letters.contains(c))
        && let Some(first) = parse_roman(run)
    {
        let upper = run.chars().all(|c| c.is_ascii_uppercase());
        return Some((start..start + len, Counter::Roman { first, upper }));
    }
    if !single {
        return None;
    }
    let c = run.chars().next()?;
    let alphabet = [CYRILLIC_LOWER, CYRILLIC_UPPER, LATIN_LOWER, LATIN_UPPER]
        .into_iter()
        .find(|a| a.contains(c))?;
    let first = alphabet.chars().position(|x| x == c)?;
    Some((start..start + len, Counter::Letter { alphabet, first }))
}

/// «XIV» → 14; `None` for what is not a well-formed Roman number.
pub fn parse_roman(s: &str) -> Option<u32> {
    let value = |c: char| match c.to_ascii_uppercase() {
        'I' => Some(1),
        'V' => Some(5),
        'X' => Some(10),
        'L' => Some(50),
        'C' => Some(100),
        'D' => Some(500),
        'M' => Some(1000),
        _ => None,
    };
    if s.is_empty() || s.len() > 15 {
        return None;
    }
    let vals: Vec<u32> = s.chars().map(value).collect::<Option<_>>()?;
    let mut total = 0;
    for (i, v) in vals.iter().enumerate() {
        match vals.get(i + 1) {
            Some(next) if next > v => total -= *v as i64,
            _ => total += *v as i64,
        }
    }
    let total = u32::try_from(total).ok().filter(|&t| t > 0)?;
    // Only the canonical spelling: «IIII» or «VX» is not a number.
    (roman(total) == s.to_ascii_uppercase()).then_some(total)
}

/// 14 → «XIV».
pub fn roman(mut n: u32) -> String {
    const TABLE: [(u32, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut out = String::new();
    for (v, s) in TABLE {
        while n >= v {
            out.push_str(s);
            n -= v;
        }
    }
    out
}

/// The numbered points among `items`, in order.
pub fn numbered(items: &[PointItem]) -> impl Iterator<Item = &Point> {
    items.iter().filter_map(|it| match it {
        PointItem::Point(p) => Some(p),
        PointItem::Paragraph(_) => None,
    })
}

fn point_number(parts: &[u32]) -> Number {
    Number {
        level: parts.len() as u8,
        ordinal: *parts.last().unwrap_or(&1),
        label: format!("{}.", join(parts)),
        item: false,
        explicit: false,
    }
}

fn number_point(p: &Point, parts: &[u32], ids: &mut HashMap<String, String>) -> PointNumbers {
    let number = point_number(parts);
    if let Some(id) = &p.id {
        ids.insert(id.value.clone(), join(parts));
    }
    let subpoints = numbered(&p.subpoints)
        .enumerate()
        .map(|(i, sp)| {
            let mut child = parts.to_vec();
            child.push(i as u32 + 1);
            number_point(sp, &child, ids)
        })
        .collect();
    let items = p
        .items
        .iter()
        .enumerate()
        .map(|(i, it)| {
            let ordinal = i as u32 + 1;
            if let Some(id) = &it.id {
                ids.insert(id.value.clone(), ordinal.to_string());
            }
            PointNumbers {
                number: Number {
                    level: parts.len() as u8 + 1,
                    ordinal,
                    label: format!("{ordinal})"),
                    item: true,
                    explicit: false,
                },
                subpoints: vec![],
                items: vec![],
            }
        })
        .collect();
    PointNumbers {
        number,
        subpoints,
        items,
    }
}

/// «2.1» for [2, 1].
pub fn join(parts: &[u32]) -> String {
    parts
        .iter()
        .map(u32::to_string)
        .collect::<Vec<_>>()
        .join(".")
}

/// A printed row label read back as numbers: «8.» → [8], «2.1» → [2, 1];
/// `None` for «а)», «—».
pub fn parse_label(s: &str) -> Option<Vec<u32>> {
    let t = s.trim().trim_end_matches(['.', ')']);
    if t.is_empty() {
        return None;
    }
    t.split('.').map(|p| p.trim().parse().ok()).collect()
}

/// One row of a table (or a section row) with its number, in reading order:
/// a row, then its sub-rows.
#[derive(Debug, Clone)]
pub struct RowNumber<'a> {
    pub row: &'a Row,
    /// `None` for a row of a table without a number column whose row carries no
    /// `№`, and for an unnumbered section row.
    pub number: Option<Number>,
    /// What the counter would have printed here, as numbers: the lints compare
    /// an explicit number with it.
    pub expected: Vec<u32>,
    /// The explicit number read back as numbers, where it is one.
    pub explicit: Option<Vec<u32>>,
    /// Sub-rows are one deeper than their row.
    pub depth: usize,
    /// Index of the row among its siblings, for field paths («строки[3]»).
    pub index: usize,
    /// The previous numbered row of the same level, for «повторяется (он же в
    /// строке …)».
    pub previous: Option<(Vec<u32>, &'a CellRow)>,
}

/// Number the rows of `t`. Rows get numbers when the table has a number column
/// or the row carries an explicit `№`; sections when they carry one, or when
/// the table numbers its sections.
pub fn table_rows(t: &Table) -> Vec<RowNumber<'_>> {
    let mut out = Vec::new();
    let counted = t.columns.iter().any(|c| c.numbering);
    level(t, &t.rows, &[], 0, counted, &mut out);
    out
}

fn level<'a>(
    t: &'a Table,
    rows: &'a [Row],
    prefix: &[u32],
    depth: usize,
    counted: bool,
    out: &mut Vec<RowNumber<'a>>,
) {
    // A row's or section's number: the label as typed, else in the table's format.
    let number = |typed: &Option<Spanned<String>>, parts: &[u32], level: u8, ordinal: u32| Number {
        level,
        ordinal,
        label: match typed {
            Some(x) => x.value.trim().to_string(),
            None => t.number_format.replace('1', &join(parts)),
        },
        item: false,
        explicit: typed.is_some(),
    };
    // The prefix rows take while a numbered section is open.
    let mut prefix: Vec<u32> = prefix.to_vec();
    let mut n: u32 = 0;
    let mut sections: u32 = 0;
    let mut previous: Option<(Vec<u32>, &CellRow)> = None;
    for (index, r) in rows.iter().enumerate() {
        match r {
            Row::Section(s) => {
                let explicit = s.number.as_ref().and_then(|x| parse_label(x));
                // «I.», «II.»: real plans number their rows 1, 2, 3 … through
                // the whole table under Roman sections; the section prints its
                // number as typed and opens no level.
                if depth == 0
                    && let Some(typed) = &s.number
                    && parse_roman(typed.trim().trim_end_matches(['.', ')'])).is_some()
                {
                    sections += 1;
                    out.push(RowNumber {
                        row: r,
                        number: Some(number(&s.number, &[sections], 1, sections)),
                        expected: vec![sections],
                        explicit: None,
                        depth,
                        index,
                        previous: None,
                    });
                    continue;
                }
                let numbered = depth == 0 && (s.number.is_some() || t.number_sections);
                let expected = vec![sections + 1];
                let number = numbered.then(|| {
                    let parts = explicit.clone().unwrap_or_else(|| expected.clone());
                    sections = *parts.first().unwrap_or(&(sections + 1));
                    prefix = parts.clone();
                    n = 0;
                    previous = None;
                    number(&s.number, &parts, 1, sections)
                });
                out.push(RowNumber {
                    row: r,
                    number,
                    expected,
                    explicit,
                    depth,
                    index,
                    previous: None,
                });
            }
            Row::Cells(row) => {
                let mut expected = prefix.clone();
                expected.push(n + 1);
                let explicit = row.number.as_ref().and_then(|x| parse_label(&x.value));
                let parts = match &explicit {
                    // The counter goes on from an explicit number.
                    Some(p) => p.clone(),
                    None => expected.clone(),
                };
                n = *parts.last().unwrap_or(&(n + 1));
                let number = (counted || row.number.is_some())
                    .then(|| number(&row.number, &parts, parts.len() as u8, n));
                let prev = previous.take();
                out.push(RowNumber {
                    row: r,
                    number,
                    expected,
                    explicit: explicit.clone(),
                    depth,
                    index,
                    previous: prev,
                });
                if row.number.is_none() || explicit.is_some() {
                    previous = Some((parts.clone(), row));
                }
                if !row.children.is_empty() {
                    level(t, &row.children, &parts, depth + 1, counted, out);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_markers_count_on_from_the_first() {
        let run = |m: &str| {
            (0..3)
                .map(|i| list_marker(m, i))
                .collect::<Vec<_>>()
                .join(" ")
        };
        assert_eq!(run("1."), "1. 2. 3.");
        assert_eq!(run("2."), "2. 3. 4.");
        assert_eq!(run("(1)"), "(1) (2) (3)");
        assert_eq!(run("01."), "01. 02. 03.");
        assert_eq!(run("1.1."), "1.1. 1.2. 1.3.");
        assert_eq!(run("1.1.1."), "1.1.1. 1.1.2. 1.1.3.");
        assert_eq!(run("а)"), "а) б) в)");
        assert_eq!(run("Г."), "Г. Д. Е.");
        assert_eq!(run("a)"), "a) b) c)");
        assert_eq!(run("I."), "I. II. III.");
        assert_eq!(run("iv)"), "iv) v) vi)");
        assert_eq!(run("–"), "– – –");
        assert_eq!(run("✓"), "✓ ✓ ✓");
        assert_eq!(list_marker("я)", 1), "аа)");
    }

    #[test]
    fn roman_numbers_read_back() {
        for n in 1..=3999 {
            assert_eq!(parse_roman(&roman(n)), Some(n), "{n}");
        }
        for bad in ["", "IIII", "VX", "IC", "ABC", "IIV"] {
            assert_eq!(parse_roman(bad), None, "{bad}");
        }
        assert_eq!(parse_roman("xiv"), Some(14));
    }
}
