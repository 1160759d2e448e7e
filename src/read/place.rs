//! Exact places inside user text: the line and column of a byte offset of a text
//! value, also in folded (`>-`), literal (`|`) and quoted multi-line scalars.
//!
//! The decoded value and the source differ only in white space (line breaks and
//! indentation fold to single spaces) and in the opening quote, so we walk both
//! together; escapes (`\"`, `''`) are not followed and give the value's start.

use crate::diag::{Pos, SourceFile};

/// How many lines after the value's own position a text may start (a line of a
/// literal cell carries the position of the whole cell; control text that of its map).
const SEARCH_LINES: usize = 400;

/// Place of `byte` (an offset into `value`, at a non-space character) in `src`,
/// given that `value` was written at `pos`. Falls back to `pos`.
pub fn locate(src: &SourceFile, value: &str, pos: Pos, byte: usize) -> Pos {
    Locator::new(&Lines::new(&src.text)).locate(value, pos, byte)
}

/// A source split into lines, once for every [`Locator`] of it.
pub struct Lines<'a>(Vec<&'a str>);

impl<'a> Lines<'a> {
    pub fn new(text: &'a str) -> Self {
        Lines(text.lines().collect())
    }
}

/// [`locate`] over a source already split into lines, for many places: it
/// remembers where the last place of a value was, so the places of one long
/// text (thousands of references in one preamble) are found in one walk
/// instead of one walk each.
pub struct Locator<'a> {
    lines: &'a [&'a str],
    last: std::cell::RefCell<Option<Memo>>,
}

struct Memo {
    /// The value (address and length) and its position: the same text.
    key: (usize, usize, Pos),
    byte: usize,
    /// Where `byte` is in the source; `None`: the value could not be aligned
    /// up to `byte` (an escape), nor then any further.
    cur: Option<Cursor>,
}

impl<'a> Locator<'a> {
    pub fn new(lines: &'a Lines<'a>) -> Self {
        Self {
            lines: &lines.0,
            last: std::cell::RefCell::new(None),
        }
    }

    pub fn locate(&self, value: &str, pos: Pos, byte: usize) -> Pos {
        let lines = &self.lines;
        let start_line = pos.line.saturating_sub(1) as usize;
        if start_line >= lines.len() || byte > value.len() || !value.is_char_boundary(byte) {
            return pos;
        }
        let key = (value.as_ptr() as usize, value.len(), pos);
        // Resume from the last place found in this same value.
        let memo = self
            .last
            .borrow_mut()
            .take()
            .filter(|m| m.key == key && m.byte <= byte);
        let found = match memo {
            // Past a place that could not be aligned: neither can this one.
            Some(Memo { cur: None, .. }) => None,
            Some(Memo {
                byte: from,
                cur: Some(mut cur),
                ..
            }) => (walk(lines, &mut cur, &value[from..byte]) && at_target(&cur, &value[byte..]))
                .then_some(cur),
            None => self.search(value, start_line, pos.col, byte),
        };
        let here = found
            .as_ref()
            .map(|cur| Pos::in_file(pos.file, cur.line as u32 + 1, cur.col as u32 + 1));
        *self.last.borrow_mut() = Some(Memo {
            key,
            byte,
            cur: found,
        });
        here.unwrap_or(pos)
    }

    /// Align `value` with the source from its own position, or else from the
    /// lines below it (a value whose position is its parent's).
    fn search(&self, value: &str, start_line: usize, col: u32, byte: usize) -> Option<Cursor> {
        let lines = &self.lines;
        let first_col = col.saturating_sub(1) as usize;
        if let Some(c) = align(lines, start_line, first_col, value, byte, true) {
            return Some(c);
        }
        let last = (start_line + SEARCH_LINES).min(lines.len());
        for (l, line) in lines.iter().enumerate().take(last).skip(start_line) {
            let chars: Vec<char> = line.chars().collect();
            let indent = chars.iter().take_while(|c| c.is_whitespace()).count();
            if let Some(c) = align(lines, l, indent, value, byte, false) {
                return Some(c);
            }
            // After a list dash or a key: «- текст», «срок: текст».
            for (i, w) in chars.windows(2).enumerate().skip(indent) {
                if matches!(w[0], '-' | ':')
                    && w[1] == ' '
                    && let Some(c) = align(lines, l, i + 2, value, byte, true)
                {
                    return Some(c);
                }
            }
        }
        None
    }
}

/// Walk `value` from its start and the source from (`line`, `col`) together;
/// the cursor ends at the character `byte` of the value.
fn align(
    lines: &[&str],
    line: usize,
    col: usize,
    value: &str,
    byte: usize,
    skip_header: bool,
) -> Option<Cursor> {
    let mut cur = Cursor {
        line,
        col,
        chars: lines[line].chars().collect(),
    };
    if skip_header {
        match cur.peek() {
            Some('"') | Some('\'') => cur.bump(),
            Some('>') | Some('|') => {
                // Block scalar header: the text starts on the next line.
                cur.next_line(lines)?;
            }
            _ => {}
        }
    }
    // Leading spaces of the value (before `byte`) are indentation in the source.
    cur.skip_ws(lines);
    (walk(lines, &mut cur, value[..byte].trim_start()) && at_target(&cur, &value[byte..]))
        .then_some(cur)
}

/// Advance the cursor over `text`: white space in the text matches any run of
/// spaces and line breaks in the source, other characters themselves.
fn walk(lines: &[&str], cur: &mut Cursor, text: &str) -> bool {
    let mut v = text.chars().peekable();
    while let Some(c) = v.next() {
        if c.is_whitespace() {
            while v.peek().is_some_and(|c| c.is_whitespace()) {
                v.next();
            }
            if !cur.skip_ws(lines) {
                return false;
            }
        } else if cur.peek() == Some(c) {
            cur.bump();
        } else {
            return false;
        }
    }
    true
}

/// The target itself is there too (its first few characters).
fn at_target(cur: &Cursor, rest: &str) -> bool {
    let mut probe = cur.clone();
    for c in rest.chars().take(8) {
        if c.is_whitespace() {
            break;
        }
        if probe.peek() != Some(c) {
            return false;
        }
        probe.bump();
    }
    true
}

/// A place in the source: line, column, and that line's characters.
#[derive(Clone)]
struct Cursor {
    line: usize,
    col: usize,
    chars: Vec<char>,
}

impl Cursor {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.col).copied()
    }
    fn bump(&mut self) {
        self.col += 1;
    }
    fn next_line(&mut self, lines: &[&str]) -> Option<()> {
        self.line += 1;
        self.chars = lines.get(self.line)?.chars().collect();
        self.col = 0;
        Some(())
    }
    /// Skip spaces and line breaks; true if any were skipped.
    fn skip_ws(&mut self, lines: &[&str]) -> bool {
        let mut any = false;
        loop {
            match self.peek() {
                Some(c) if c.is_whitespace() => {
                    self.bump();
                    any = true;
                }
                None => {
                    if self.next_line(lines).is_none() {
                        return any;
                    }
                    any = true;
                }
                Some(_) => return any,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str, value: &str, pos: (u32, u32), needle: &str) -> (u32, u32) {
        let src = SourceFile::new("t.yaml", text);
        let byte = value.find(needle).unwrap();
        let p = locate(&src, value, Pos::new(pos.0, pos.1), byte);
        (p.line, p.col)
    }

    #[test]
    fn one_line_plain_and_quoted() {
        assert_eq!(at("a: один два\n", "один два", (1, 4), "два"), (1, 9));
        assert_eq!(at("a: \"один два\"\n", "один два", (1, 4), "два"), (1, 10));
    }

    #[test]
    fn folded() {
        let text = "a: >-\n  один два\n  три четыре\n";
        assert_eq!(at(text, "один два три четыре", (2, 3), "четыре"), (3, 7));
        assert_eq!(at(text, "один два три четыре", (2, 3), "три"), (3, 3));
    }

    #[test]
    fn literal_cell_line() {
        let text = "- |\n  Управление\n  Организации школ\n";
        assert_eq!(at(text, "Организации школ", (1, 3), "школ"), (3, 15));
    }

    #[test]
    fn escapes_fall_back() {
        let text = "a: \"x \\\" y\"\n";
        assert_eq!(at(text, "x \" y", (1, 4), "y"), (1, 4));
    }
}
