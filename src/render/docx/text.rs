//! DOCX text runs: fonts and sizes, characters the main font lacks set in the
//! symbol font, characters XML forbids dropped, and text widths measured with
//! the bundled font's metrics.

use super::*;

/// Drop the characters XML 1.0 forbids; a tab becomes a space, CR goes.
pub(super) fn clean(s: &str) -> String {
    s.chars()
        .filter_map(|c| match c {
            '\t' => Some(' '),
            '\n' => Some('\n'),
            '\u{0}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}' => None,
            c => Some(c),
        })
        .collect()
}

/// A font name safe in an attribute (docx-rs does not escape attributes).
pub(super) fn font_name(s: &str) -> String {
    clean(s)
        .chars()
        .filter(|c| !matches!(c, '"' | '\'' | '&' | '<' | '>' | '\n'))
        .collect()
}

/// Run formatting.
pub(super) struct Fmt<'a> {
    /// Half-points.
    pub(super) size: usize,
    pub(super) bold: bool,
    pub(super) color: Option<&'a str>,
}

/// Whether the main font has a glyph for a character, and text widths.
pub(super) use crate::fonts::{serif_covers as covered, text_width_mm, text_width_pt};

impl Writer<'_> {
    /// An empty paragraph with the paragraph mark in `size` half-points.
    pub(super) fn par(&self, size: usize) -> Paragraph {
        Paragraph::new().size(size).fonts(self.fonts())
    }

    pub(super) fn symbol_fonts(&self) -> RunFonts {
        let f = font_name(&self.l.symbol_font);
        RunFonts::new().ascii(&f).hi_ansi(&f).east_asia(&f).cs(&f)
    }

    pub(super) fn new_run(&self, f: &Fmt, symbol: bool) -> Run {
        let fonts = if symbol {
            self.symbol_fonts()
        } else {
            self.fonts()
        };
        let mut r = Run::new().fonts(fonts).size(f.size);
        if f.bold {
            r = r.bold();
        }
        if let Some(c) = f.color {
            r = r.color(c);
        }
        r
    }

    /// Append `text` to `p`: line feeds become line breaks; characters the main
    /// font lacks go in runs of the symbol font (the template's fallback).
    pub(super) fn add_text(&self, mut p: Paragraph, text: &str, f: &Fmt) -> Paragraph {
        fn flush(r: Run, buf: &mut String) -> Run {
            if buf.is_empty() {
                r
            } else {
                let r = r.add_text(buf.as_str());
                buf.clear();
                r
            }
        }
        // A run is one kind of text: in the symbol font or not, a person's
        // name or not.
        let start = |state: (bool, bool)| {
            let r = self.new_run(f, state.0);
            if state.1 { r.style(NAME_STYLE) } else { r }
        };
        let mut run: Option<Run> = None;
        let mut state = (false, false);
        let mut buf = String::new();
        for (i, line) in clean(text).split('\n').enumerate() {
            if i > 0 {
                let r = run.take().unwrap_or_else(|| start(state));
                run = Some(flush(r, &mut buf).add_break(BreakType::TextWrapping));
            }
            let names = self.name_chars(line);
            for (c, name) in line.chars().zip(names) {
                let s = (!c.is_whitespace() && !covered(c), name);
                match run.take() {
                    Some(r) if s != state => {
                        p = p.add_run(flush(r, &mut buf));
                        run = Some(start(s));
                        state = s;
                    }
                    Some(r) => run = Some(r),
                    None => {
                        run = Some(start(s));
                        state = s;
                    }
                }
                buf.push(c);
            }
        }
        if let Some(r) = run {
            p = p.add_run(flush(r, &mut buf));
        }
        p
    }

    /// For each character of `line`: it is in one of the people's names, a
    /// run of letters and hyphens between other signs («(Жуковой),»,
    /// «Жуковой\u{a0}О.П.»).
    fn name_chars(&self, line: &str) -> Vec<bool> {
        let mut out = Vec::with_capacity(line.len());
        let mut piece = String::new();
        let flush = |piece: &mut String, out: &mut Vec<bool>| {
            let name = self.names.contains(piece.as_str());
            out.extend(std::iter::repeat_n(name, piece.chars().count()));
            piece.clear();
        };
        for c in line.chars() {
            if c.is_alphabetic() || c == '-' {
                piece.push(c);
            } else {
                flush(&mut piece, &mut out);
                out.push(false);
            }
        }
        flush(&mut piece, &mut out);
        out
    }

    /// A paragraph with `text`.
    pub(super) fn text_par(&self, text: &str, size: usize, bold: bool) -> Paragraph {
        self.add_text(
            self.par(size),
            text,
            &Fmt {
                size,
                bold,
                color: None,
            },
        )
    }
}
