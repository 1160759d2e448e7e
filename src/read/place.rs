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
    let lines: Vec<&str> = src.text.lines().collect();
    locate_in(&lines, value, pos, byte)
}

/// [`locate`] with the source already split into lines.
pub fn locate_in(lines: &[&str], value: &str, pos: Pos, byte: usize) -> Pos {
    let start_line = pos.line.saturating_sub(1) as usize;
    if start_line >= lines.len() || byte > value.len() || !value.is_char_boundary(byte) {
        return pos;
    }
    let first_col = pos.col.saturating_sub(1) as usize;
    if let Some(p) = align(lines, start_line, first_col, value, byte, true) {
        return p;
    }
    let last = (start_line + SEARCH_LINES).min(lines.len());
    for (l, line) in lines.iter().enumerate().take(last).skip(start_line) {
        let indent = line.chars().take_while(|c| c.is_whitespace()).count();
        if let Some(p) = align(lines, l, indent, value, byte, false) {
            return p;
        }
        // After a list dash or a key: «- текст», «срок: текст».
        for (i, c) in line.chars().enumerate().skip(indent) {
            if (c == '-' || c == ':') && line.chars().nth(i + 1) == Some(' ') {
                let at = i + 2;
                if let Some(p) = align(lines, l, at, value, byte, true) {
                    return p;
                }
            }
        }
    }
    pos
}

/// Walk `value` from its start and the source from (`line`, `col`) together.
fn align(
    lines: &[&str],
    line: usize,
    col: usize,
    value: &str,
    byte: usize,
    skip_header: bool,
) -> Option<Pos> {
    let mut cur = Cursor {
        lines,
        line,
        col,
        chars: lines[line].chars().collect(),
    };
    if skip_header {
        match cur.peek() {
            Some('"') | Some('\'') => cur.bump(),
            Some('>') | Some('|') => {
                // Block scalar header: the text starts on the next line.
                cur.next_line()?;
            }
            _ => {}
        }
    }
    let head = value[..byte].trim_start();
    let mut v = head.chars().peekable();
    // Leading spaces of the value (before `byte`) are indentation in the source.
    cur.skip_ws();
    while let Some(c) = v.next() {
        if c.is_whitespace() {
            while v.peek().is_some_and(|c| c.is_whitespace()) {
                v.next();
            }
            if !cur.skip_ws() {
                return None;
            }
        } else if cur.peek() == Some(c) {
            cur.bump();
        } else {
            return None;
        }
    }
    // The target itself must be there too (a few characters of it).
    let target: String = value[byte..].chars().take(8).collect();
    let here = Pos::new(cur.line as u32 + 1, cur.col as u32 + 1);
    let mut probe = cur;
    for c in target.chars() {
        if c.is_whitespace() {
            break;
        }
        if probe.peek() != Some(c) {
            return None;
        }
        probe.bump();
    }
    Some(here)
}

struct Cursor<'a> {
    lines: &'a [&'a str],
    line: usize,
    col: usize,
    chars: Vec<char>,
}

impl Cursor<'_> {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.col).copied()
    }
    fn bump(&mut self) {
        self.col += 1;
    }
    fn next_line(&mut self) -> Option<()> {
        self.line += 1;
        self.chars = self.lines.get(self.line)?.chars().collect();
        self.col = 0;
        Some(())
    }
    /// Skip spaces and line breaks; true if any were skipped.
    fn skip_ws(&mut self) -> bool {
        let mut any = false;
        loop {
            match self.peek() {
                Some(c) if c.is_whitespace() => {
                    self.bump();
                    any = true;
                }
                None => {
                    if self.next_line().is_none() {
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
