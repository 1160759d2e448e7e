//! DOCX writer: the document model → a Word document.
//!
//! The body is built with docx-rs; what docx-rs cannot express is patched into
//! the XML afterwards and the package is zipped again by [`package`]:
//! section properties (header references, `titlePg`, `pgNumType`, landscape),
//! repeated table header rows (`w:tblHeader`), the document language,
//! `w:autoHyphenation`, core properties, schema order of property elements,
//! stable ids and fixed zip timestamps (the same input gives the same bytes).
//!
//! Every size comes from [`crate::layout::Layout`] (millimetres and points),
//! converted here to twips (1/20 pt) and half-points; the placement follows the
//! Typst template `templates/act.typ`, so the DOCX reads like the PDF.
//!
//! Text: characters that XML 1.0 forbids (C0 controls other than tab and line
//! feed, U+FFFE, U+FFFF) are dropped silently — [`write`] cannot return
//! warnings, the caller reports them. A line feed becomes a line break, a tab a
//! space.

mod metrics;
mod package;
mod xml;

use crate::diag::Diagnostic;
use crate::emblem::{Emblem, Raster};
use crate::layout::{Layout, Margins};
use crate::model::Align;
use crate::model::{
    ActPart, AppendixPart, Block, CellBlock, Document, ListItem, ParaStyle, Row, Signature,
};
use docx_rs::{
    AbstractNumbering, AlignmentType, BorderType, BreakType, Docx, FieldCharType, Header,
    IndentLevel, InstrPAGE, InstrText, Level, LevelJc, LevelSuffixType, LevelText, LineSpacing,
    LineSpacingType, NumberFormat, Numbering, NumberingId, Paragraph, Pic, Run, RunFonts,
    SectionProperty, SpecialIndentType, Start, Style, StyleType, Tab, TabValueType, Table,
    TableBorder, TableBorderPosition, TableBorders, TableCell, TableCellBorder,
    TableCellBorderPosition, TableCellBorders, TableCellMargins, TableLayoutType, TableRow,
    VAlignType, WidthType,
};

/// Relationship ids docx-rs gives the two headers we register (in this order).
const HEADER_DEFAULT_RID: &str = "rIdHeader1";
const HEADER_FIRST_RID: &str = "rIdHeader2";
/// Paragraph style that switches hyphenation off (header block, marks, headings).
const NO_HYPHENS: &str = "NoHyphens";
/// docx-rs writes its own numbering definition with id 1; ours start here.
const FIRST_NUMBERING_ID: usize = 2;
/// Word levels 0..=7 carry points «1.» … «1.1.1.1.1.1.1.1.»; level 8 the items «1)».
const ITEM_LEVEL: usize = 8;

const TWIPS_PER_MM: f64 = 1440.0 / 25.4;
const EMU_PER_MM: f64 = 36_000.0;

/// Millimetres → twips.
fn tw(mm: f32) -> i32 {
    let v = (mm as f64 * TWIPS_PER_MM).round();
    if v.is_finite() {
        v.clamp(-1_000_000.0, 1_000_000.0) as i32
    } else {
        0
    }
}

/// Points → half-points (docx-rs `size`), at least 1.
fn hp(pt: f32) -> usize {
    let v = (pt * 2.0).round();
    if v.is_finite() {
        v.clamp(1.0, 3276.0) as usize
    } else {
        24
    }
}

/// Twips as the unsigned value some docx-rs setters take.
fn utw(twips: i32) -> usize {
    twips.max(0) as usize
}

/// Build the DOCX bytes of `doc`. `emblem` is the coat of arms, if any.
// The signature is the CLI's contract; the size of `Diagnostic` is not ours.
#[allow(clippy::result_large_err)]
pub fn write(doc: &Document, emblem: Option<&Emblem>) -> Result<Vec<u8>, Diagnostic> {
    crate::diag::guard("записи DOCX", || write_unguarded(doc, emblem))
}

fn write_unguarded(doc: &Document, emblem: Option<&Emblem>) -> Result<Vec<u8>, Diagnostic> {
    let l = &doc.layout;
    let emblem = match (doc.act.as_ref().is_some_and(|a| a.emblem), emblem) {
        (true, Some(e)) => Some(e.raster(l.emblem_width).map_err(|m| {
            Diagnostic::error("E015", format!("не удалось прочитать герб для DOCX: {m}"))
                .hint("сохраните герб в формате PNG, JPEG или SVG")
        })?),
        _ => None,
    };
    let mut w = Writer::new(l);
    let mut parts: Vec<Part> = Vec::new();
    if let Some(act) = &doc.act {
        w.begin_part(portrait(l), l.margins);
        w.act(act, emblem.as_ref());
        parts.push(w.end_part(false));
    }
    for ap in &doc.appendices {
        let size = if ap.landscape {
            landscape(l)
        } else {
            portrait(l)
        };
        w.begin_part(size, ap.margins);
        w.appendix(ap);
        parts.push(w.end_part(ap.landscape));
    }
    if parts.is_empty() {
        // Nothing selected: still a valid, empty document.
        w.begin_part(portrait(l), l.margins);
        w.push_p(w.par(hp(l.body_size)));
        parts.push(w.end_part(false));
    }

    let sections: Vec<String> = parts
        .iter()
        .enumerate()
        .map(|(k, p)| {
            let first = k == 0;
            package::section_xml(&package::Section {
                page: p.page,
                landscape: p.landscape,
                margins: p.margins,
                header_from_top: p.margins.top - l.margins.top + l.page_number_from_top,
                header_rid: HEADER_DEFAULT_RID,
                first_header_rid: HEADER_FIRST_RID,
                // The first page of each part is unnumbered; with continuous
                // numbering only the very first page is.
                title_page: first || !doc.continuous_pages,
                restart_numbering: first || !doc.continuous_pages,
            })
        })
        .collect();

    let mut docx = Docx::new()
        .default_fonts(w.fonts())
        .default_size(hp(l.body_size))
        .default_line_spacing(
            LineSpacing::new()
                .line_rule(LineSpacingType::Auto)
                .line(line_value(l.line_spacing))
                .before(0)
                .after(pt_twips(l.paragraph_spacing)),
        )
        .add_style(
            Style::new(NO_HYPHENS, StyleType::Paragraph)
                .name("Без переносов")
                .based_on("Normal"),
        )
        .header(Header::new().add_paragraph(w.page_number_paragraph()))
        .first_header(Header::new().add_paragraph(w.par(hp(l.body_size))));
    for (a, n) in std::mem::take(&mut w.numberings) {
        docx = docx.add_abstract_numbering(a).add_numbering(n);
    }
    let last_part = parts.len() - 1;
    for (k, part) in parts.into_iter().enumerate() {
        let n = part.items.len();
        for (i, item) in part.items.into_iter().enumerate() {
            docx = match item {
                // The section break sits in the last paragraph of the part; the
                // last part's properties are the body's own `w:sectPr`.
                Item::P(p, _) if i + 1 == n && k != last_part => {
                    docx.add_paragraph(p.section_property(SectionProperty::new()))
                }
                Item::P(p, _) => docx.add_paragraph(*p),
                Item::T(t) => docx.add_table(*t),
            };
        }
    }
    let built = docx.build();
    let patch = package::Patch {
        sections,
        header_rows: w.header_rows,
        core: package::core_xml(&doc.meta),
        settings: package::settings_xml(tw(l.indent)),
        no_hyphens_style: NO_HYPHENS,
    };
    package::finish(built, &patch)
        .map_err(|e| Diagnostic::error("T005", format!("не удалось записать DOCX: {e}")))
}

/// Paper size of a part, millimetres (width, height).
fn portrait(l: &Layout) -> (f32, f32) {
    (l.page_width, l.page_height)
}

fn landscape(l: &Layout) -> (f32, f32) {
    (l.page_height, l.page_width)
}

/// `w:spacing/@w:line` for a line spacing factor (240 = single).
fn line_value(factor: f32) -> i32 {
    let v = (240.0 * factor).round();
    if v.is_finite() && v >= 1.0 {
        v.min(2400.0) as i32
    } else {
        240
    }
}

/// Points → eighths of a point (`w:sz` of borders), at least 2 (Word's thinnest).
fn eighths(pt: f32) -> usize {
    let v = (pt * 8.0).round();
    if v.is_finite() {
        v.clamp(2.0, 96.0) as usize
    } else {
        4
    }
}

/// Points → twips, never negative.
fn pt_twips(pt: f32) -> u32 {
    let v = (pt * 20.0).round();
    if v.is_finite() && v > 0.0 {
        v.min(31_680.0) as u32
    } else {
        0
    }
}

/// Drop the characters XML 1.0 forbids; a tab becomes a space, CR goes.
fn clean(s: &str) -> String {
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
fn font_name(s: &str) -> String {
    clean(s)
        .chars()
        .filter(|c| !matches!(c, '"' | '\'' | '&' | '<' | '>' | '\n'))
        .collect()
}

/// Run formatting.
struct Fmt<'a> {
    /// Half-points.
    size: usize,
    bold: bool,
    color: Option<&'a str>,
}

/// Does the main font have a glyph for `c`?
fn covered(c: char) -> bool {
    let c = c as u32;
    metrics::COVERED
        .binary_search_by(|&(a, b)| {
            if b < c {
                std::cmp::Ordering::Less
            } else if a > c {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Equal
            }
        })
        .is_ok()
}

/// A block-level element of the body.
enum Item {
    /// A paragraph; `false` when it may not carry a section break (a frame).
    P(Box<Paragraph>, bool),
    T(Box<Table>),
}

/// One part (the act, or one appendix): one DOCX section.
struct Part {
    items: Vec<Item>,
    page: (f32, f32),
    margins: Margins,
    landscape: bool,
}

struct Writer<'a> {
    l: &'a Layout,
    /// One flag per table row in document order: a header row repeated on each page.
    header_rows: Vec<bool>,
    numberings: Vec<(AbstractNumbering, Numbering)>,
    items: Vec<Item>,
    /// Text width of the current part, twips.
    text_w: i32,
    page: (f32, f32),
    margins: Margins,
    /// A page break waits for the next paragraph (`pagebreak(weak: true)`).
    pending_break: bool,
    /// Word numbering of the current part's points, made at its first point.
    points_num_id: Option<usize>,
    /// The part has a hand-typed point number: its points stay literal text.
    literal_points: bool,
}

/// Horizontal alignment of a paragraph in a cell.
fn cell_alignment(a: Align) -> AlignmentType {
    // As the template: «по ширине» is set from the left in cells.
    match a {
        Align::Center => AlignmentType::Center,
        Align::Right => AlignmentType::Right,
        Align::Left | Align::Justify => AlignmentType::Left,
    }
}

impl<'a> Writer<'a> {
    fn new(l: &'a Layout) -> Self {
        Writer {
            l,
            header_rows: Vec::new(),
            numberings: Vec::new(),
            items: Vec::new(),
            text_w: 0,
            page: portrait(l),
            margins: l.margins,
            pending_break: false,
            points_num_id: None,
            literal_points: false,
        }
    }

    fn fonts(&self) -> RunFonts {
        let f = font_name(&self.l.docx_font);
        RunFonts::new().ascii(&f).hi_ansi(&f).east_asia(&f).cs(&f)
    }

    fn body_hp(&self) -> usize {
        hp(self.l.body_size)
    }

    /// Height of one blank line of body text, twips (as `line-gap` in the template).
    fn line_twips(&self) -> f32 {
        self.l.single_line * self.l.body_size * self.l.line_spacing * 20.0
    }

    fn begin_part(&mut self, page: (f32, f32), margins: Margins) {
        self.page = page;
        self.margins = margins;
        self.text_w = tw(page.0 - margins.left - margins.right).max(tw(20.0));
        self.items.clear();
        self.pending_break = false;
        self.points_num_id = None;
    }

    fn end_part(&mut self, landscape: bool) -> Part {
        // The section break needs a paragraph of its own when the part ends
        // with a table or a frame: a tiny one, so it never makes a page.
        if !matches!(self.items.last(), Some(Item::P(_, true))) {
            let p = self.par(2).line_spacing(
                LineSpacing::new()
                    .line_rule(LineSpacingType::Exact)
                    .line(20),
            );
            self.items.push(Item::P(Box::new(p), true));
        }
        Part {
            items: std::mem::take(&mut self.items),
            page: self.page,
            margins: self.margins,
            landscape,
        }
    }

    /// An empty paragraph with the paragraph mark in `size` half-points.
    fn par(&self, size: usize) -> Paragraph {
        Paragraph::new().size(size).fonts(self.fonts())
    }

    fn symbol_fonts(&self) -> RunFonts {
        let f = font_name(&self.l.symbol_font);
        RunFonts::new().ascii(&f).hi_ansi(&f).east_asia(&f).cs(&f)
    }

    fn new_run(&self, f: &Fmt, symbol: bool) -> Run {
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
    fn add_text(&self, mut p: Paragraph, text: &str, f: &Fmt) -> Paragraph {
        fn flush(r: Run, buf: &mut String) -> Run {
            if buf.is_empty() {
                r
            } else {
                let r = r.add_text(buf.as_str());
                buf.clear();
                r
            }
        }
        let mut run: Option<Run> = None;
        let mut symbol = false;
        let mut buf = String::new();
        for (i, line) in clean(text).split('\n').enumerate() {
            if i > 0 {
                let r = run.take().unwrap_or_else(|| self.new_run(f, symbol));
                run = Some(flush(r, &mut buf).add_break(BreakType::TextWrapping));
            }
            for c in line.chars() {
                let s = !c.is_whitespace() && !covered(c);
                match run.take() {
                    Some(r) if s != symbol => {
                        p = p.add_run(flush(r, &mut buf));
                        run = Some(self.new_run(f, s));
                        symbol = s;
                    }
                    Some(r) => run = Some(r),
                    None => {
                        run = Some(self.new_run(f, s));
                        symbol = s;
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

    /// A paragraph with `text`.
    fn text_par(&self, text: &str, size: usize, bold: bool) -> Paragraph {
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

    fn push_p(&mut self, mut p: Paragraph) {
        if self.pending_break {
            p = p.page_break_before(true);
            self.pending_break = false;
        }
        self.items.push(Item::P(Box::new(p), true));
    }

    fn push_t(&mut self, t: Table) {
        if self.pending_break {
            let p = self.par(2).line_spacing(
                LineSpacing::new()
                    .line_rule(LineSpacingType::Exact)
                    .line(20),
            );
            self.push_p(p);
        }
        self.items.push(Item::T(Box::new(t)));
    }

    /// `n` blank lines of body text (`line-gap(n)`): whole lines as empty
    /// paragraphs, a fraction as one paragraph of exact height.
    fn gap(&mut self, n: f32, keep_next: bool) {
        if !(n.is_finite() && n > 0.0) {
            return;
        }
        let whole = (n.floor() as usize).min(100);
        let frac = n - n.floor();
        for _ in 0..whole {
            let p = self.par(self.body_hp()).keep_next(keep_next);
            self.push_p(p);
        }
        if frac > 0.01 {
            let h = (frac * self.line_twips()).round().max(1.0) as i32;
            let p = self
                .par(self.body_hp())
                .line_spacing(LineSpacing::new().line_rule(LineSpacingType::Exact).line(h))
                .keep_next(keep_next);
            self.push_p(p);
        }
    }

    /// The header paragraph: the page number, centred.
    fn page_number_paragraph(&self) -> Paragraph {
        let size = self.body_hp();
        let f = || Run::new().fonts(self.fonts()).size(size);
        self.par(size)
            .align(AlignmentType::Center)
            .add_run(f().add_field_char(FieldCharType::Begin, false))
            .add_run(f().add_instr_text(InstrText::PAGE(InstrPAGE::new())))
            .add_run(f().add_field_char(FieldCharType::Separate, false))
            .add_run(f().add_text("2"))
            .add_run(f().add_field_char(FieldCharType::End, false))
    }

    // ---- The act ----

    fn act(&mut self, a: &ActPart, emblem: Option<&Raster>) {
        let l = self.l;
        let body = self.body_hp();
        if let Some(png) = emblem {
            let w_emu = (l.emblem_width as f64 * EMU_PER_MM).round().max(1.0);
            let h_emu = (w_emu * png.height as f64 / png.width.max(1) as f64).round();
            let pic = Pic::new_with_dimensions(png.png.clone(), png.width, png.height)
                .id("rIdEmblem")
                .size(w_emu as u32, h_emu.max(1.0) as u32);
            let p = self
                .par(body)
                .style(NO_HYPHENS)
                .align(AlignmentType::Center)
                .add_run(Run::new().add_image(pic));
            self.push_p(p);
        }
        let authority = a.authority.join("\n");
        let p = self
            .text_par(&authority, body, true)
            .style(NO_HYPHENS)
            .align(AlignmentType::Center);
        self.push_p(p);
        self.gap(l.gap_after_authority, false);
        let p = self
            .text_par(&a.kind, body, true)
            .style(NO_HYPHENS)
            .align(AlignmentType::Center);
        self.push_p(p);
        self.gap(l.gap_after_kind, false);
        // Date at the left margin, number flush right: a right tab at the text width.
        let f = Fmt {
            size: body,
            bold: false,
            color: None,
        };
        let p = self
            .par(body)
            .style(NO_HYPHENS)
            .align(AlignmentType::Left)
            .add_tab(Tab::new().val(TabValueType::Right).pos(utw(self.text_w)));
        let p = self.add_text(p, &a.date, &f);
        let p = p.add_run(self.new_run(&f, false).add_tab());
        let p = self.add_text(p, &a.number, &f);
        self.push_p(p);
        if let Some(place) = &a.place {
            let p = self
                .text_par(place, body, false)
                .style(NO_HYPHENS)
                .align(AlignmentType::Center);
            self.push_p(p);
        }
        self.gap(l.gap_after_header, false);
        let mut p = self.text_par(&a.title, body, true).style(NO_HYPHENS);
        if a.title_centered {
            p = p.align(AlignmentType::Center);
        } else {
            let right = (self.text_w - tw(l.requisite_width)).max(0);
            p = p
                .align(AlignmentType::Left)
                .indent(Some(0), None, Some(right), None);
        }
        self.push_p(p);
        self.gap(l.gap_after_title, false);

        // The last block goes with the signature (as the template's unbreakable block).
        let keep_last = a.body.last().is_some_and(|b| !matches!(b, Block::Table(_)));
        self.blocks(&a.body, keep_last);
        self.gap(l.gap_before_signature, true);
        self.signature(&a.signature);

        if let Some(d) = &a.distribution {
            self.gap(l.gap_before_distribution, false);
            let p = self
                .text_par(d, body, false)
                .align(AlignmentType::Both)
                .indent(Some(0), None, None, None);
            self.push_p(p);
        }
        if !a.executor.is_empty() {
            self.executor(&a.executor);
        }
    }

    /// Executor lines: a frame at the foot of the page, in the small size.
    fn executor(&mut self, lines: &[String]) {
        let size = hp(self.l.small_size);
        // The template's leading, as a line pitch against Word's single line.
        let p = self
            .text_par(&lines.join("\n"), size, false)
            .style(NO_HYPHENS)
            .align(AlignmentType::Left)
            .line_spacing(
                LineSpacing::new()
                    .line_rule(LineSpacingType::Auto)
                    .line(line_value(self.l.pitch_factor(self.l.executor_leading))),
            )
            .wrap("around")
            .v_anchor("margin")
            .h_anchor("margin")
            .x_align("left")
            .y_align("bottom")
            .frame_width(utw(self.text_w) as u32)
            .v_space((self.l.executor_clearance * self.l.body_size * 20.0).round() as i32);
        self.items.push(Item::P(Box::new(p), false));
    }

    // ---- Appendices ----

    fn appendix(&mut self, ap: &AppendixPart) {
        let l = self.l;
        let body = self.body_hp();
        let left = (self.text_w - tw(l.requisite_width)).max(0);
        let p = self
            .text_par(&ap.mark.join("\n"), body, false)
            .style(NO_HYPHENS)
            .align(AlignmentType::Left)
            .indent(Some(left), None, None, None);
        self.push_p(p);
        self.gap(l.gap_after_mark, false);
        if !ap.title.is_empty() {
            let p = self
                .text_par(&ap.title.join("\n"), body, true)
                .style(NO_HYPHENS)
                .align(AlignmentType::Center)
                .keep_next(true);
            self.push_p(p);
            self.gap(l.gap_after_appendix_title, false);
        }
        self.blocks(&ap.body, false);
    }

    // ---- Body blocks ----

    fn blocks(&mut self, blocks: &[Block], keep_last: bool) {
        // Word counts every numbered paragraph of a list: one number typed by
        // hand would put its count out of step, so then all stay literal.
        self.literal_points = blocks
            .iter()
            .any(|b| matches!(b, Block::Point { number, .. } if number.explicit));
        let n = blocks.len();
        for (i, b) in blocks.iter().enumerate() {
            let start = self.items.len();
            self.block(b);
            if keep_last && i + 1 == n {
                for item in &mut self.items[start..] {
                    if let Item::P(p, _) = item {
                        **p = (**p).clone().keep_next(true).keep_lines(true);
                    }
                }
            }
        }
    }

    fn body_par(&self, text: &str) -> Paragraph {
        self.text_par(text, self.body_hp(), false)
            .align(AlignmentType::Both)
            .indent(
                Some(0),
                Some(SpecialIndentType::FirstLine(tw(self.l.indent))),
                None,
                None,
            )
    }

    fn block(&mut self, b: &Block) {
        let body = self.body_hp();
        match b {
            Block::Para { text, style } => match style {
                ParaStyle::Body => {
                    let p = self.body_par(text);
                    self.push_p(p);
                }
                ParaStyle::Flush => {
                    let p = self
                        .text_par(text, body, false)
                        .align(AlignmentType::Both)
                        .indent(Some(0), None, None, None);
                    self.push_p(p);
                }
                ParaStyle::Left => {
                    let p = self
                        .text_par(text, body, false)
                        .align(AlignmentType::Left)
                        .indent(Some(0), None, None, None);
                    self.push_p(p);
                }
                ParaStyle::Center => {
                    let p = self
                        .text_par(text, body, false)
                        .align(AlignmentType::Center)
                        .indent(Some(0), None, None, None);
                    self.push_p(p);
                }
                ParaStyle::Heading => {
                    self.gap(self.l.gap_around_heading, true);
                    let p = self
                        .text_par(text, body, true)
                        .style(NO_HYPHENS)
                        .align(AlignmentType::Center)
                        .indent(Some(0), None, None, None)
                        .keep_next(true);
                    self.push_p(p);
                    self.gap(self.l.gap_around_heading, true);
                }
            },
            Block::Point { number, text } => self.point(number, text),
            Block::List { items } => {
                for it in items {
                    let p = self.list_item(it);
                    self.push_p(p);
                }
            }
            Block::Table(t) => {
                self.gap(self.l.gap_around_table, false);
                let t = self.table(t);
                self.push_t(t);
                self.gap(self.l.gap_around_table, false);
            }
            Block::Signature(s) => {
                self.gap(self.l.gap_before_signature, true);
                self.signature(s);
            }
            Block::PageBreak => self.pending_break = true,
        }
    }

    /// A numbered point in Word numbering. The model numbered the points of a
    /// part in sequence, level under level, as Word's own counters do, so the
    /// level alone reproduces the label; numbers Word cannot count (a part with
    /// a hand-typed one, or deeper than its levels) stay literal text.
    fn point(&mut self, number: &crate::model::Number, text: &str) {
        let ilvl = if number.item {
            Some(ITEM_LEVEL)
        } else {
            (1..=ITEM_LEVEL as u8)
                .contains(&number.level)
                .then(|| number.level as usize - 1)
        };
        let Some(ilvl) = ilvl.filter(|_| !self.literal_points) else {
            let p = self.body_par(&format!("{} {text}", number.label));
            self.push_p(p);
            return;
        };
        let num_id = match self.points_num_id {
            Some(id) => id,
            None => {
                let id = FIRST_NUMBERING_ID + self.numberings.len();
                self.numberings.push(self.point_numbering(id));
                self.points_num_id = Some(id);
                id
            }
        };
        let p = self
            .body_par(text)
            .numbering(NumberingId::new(num_id), IndentLevel::new(ilvl));
        self.push_p(p);
    }

    /// Numbering of points: levels «%1.», «%1.%2.» …, items «%9)»; the number
    /// is followed by a space and sits at the first-line indent.
    fn point_numbering(&self, id: usize) -> (AbstractNumbering, Numbering) {
        let mut a = AbstractNumbering::new(id);
        for ilvl in 0..=ITEM_LEVEL {
            let text = if ilvl == ITEM_LEVEL {
                format!("%{})", ilvl + 1)
            } else {
                let parts: Vec<String> = (1..=ilvl + 1).map(|i| format!("%{i}")).collect();
                format!("{}.", parts.join("."))
            };
            a = a.add_level(
                Level::new(
                    ilvl,
                    Start::new(1),
                    NumberFormat::new("decimal"),
                    LevelText::new(text),
                    LevelJc::new("left"),
                )
                .indent(
                    Some(0),
                    Some(SpecialIndentType::FirstLine(tw(self.l.indent))),
                    None,
                    None,
                )
                .suffix(LevelSuffixType::Space)
                .fonts(self.fonts())
                .size(self.body_hp()),
            );
        }
        (a, Numbering::new(id, id))
    }

    fn list_item(&self, it: &ListItem) -> Paragraph {
        let indent = self.l.indent + it.level as f32 * self.l.list_indent;
        self.text_par(&format!("{} {}", it.marker, it.text), self.body_hp(), false)
            .align(AlignmentType::Both)
            .indent(
                Some(0),
                Some(SpecialIndentType::FirstLine(tw(indent))),
                None,
                None,
            )
    }

    // ---- Tables ----

    fn table(&mut self, t: &crate::model::Table) -> Table {
        let l = self.l;
        let size = hp(t.font_size);
        let n = t.columns.len().max(1);
        let grid = split_width(
            self.text_w,
            &t.columns.iter().map(|c| c.width).collect::<Vec<_>>(),
            n,
        );
        let mut rows = Vec::new();
        // Header row, repeated on each page.
        let head: Vec<TableCell> = (0..n)
            .map(|i| {
                let title = t.columns.get(i).map(|c| c.title.as_str()).unwrap_or("");
                // Unhyphenated, as in the template — unless a word is wider
                // than the column: Word would then break it anywhere.
                let room = (grid[i] - 2 * tw(l.cell_padding)) as f32 / 20.0;
                let fits = title
                    .split_whitespace()
                    .all(|w| text_width_pt(w, t.font_size, true) <= room);
                let mut p = self
                    .text_par(title, size, true)
                    .align(AlignmentType::Center);
                if fits {
                    p = p.style(NO_HYPHENS);
                }
                self.cell(grid[i], 1)
                    .vertical_align(VAlignType::Center)
                    .add_paragraph(p)
            })
            .collect();
        rows.push(self.row(head, true));
        if t.column_numbers {
            let nums: Vec<TableCell> = (0..n)
                .map(|i| {
                    self.cell(grid[i], 1).add_paragraph(
                        self.text_par(&(i + 1).to_string(), size, false)
                            .align(AlignmentType::Center),
                    )
                })
                .collect();
            rows.push(self.row(nums, true));
        }
        for r in &t.rows {
            match r {
                Row::Section { number, text } => {
                    let text = match number {
                        Some(n) => format!("{} {text}", n.label),
                        None => text.clone(),
                    };
                    let total: i32 = grid.iter().sum();
                    // Kept with the next row, as in the PDF: a section heading never
                    // stands alone at the foot of a page.
                    let c = self.cell(total, n).add_paragraph(
                        self.text_par(&text, size, true)
                            .align(AlignmentType::Center)
                            .keep_next(true),
                    );
                    rows.push(self.row(vec![c], false));
                }
                Row::Cells { cells, .. } => {
                    let cs: Vec<TableCell> = (0..n)
                        .map(|i| {
                            let align = t
                                .columns
                                .get(i)
                                .map(|c| cell_alignment(c.align))
                                .unwrap_or(AlignmentType::Left);
                            let content = cells.get(i).map(|v| v.as_slice()).unwrap_or(&[]);
                            self.cell_content(self.cell(grid[i], 1), content, align, size)
                        })
                        .collect();
                    rows.push(self.row(cs, false));
                }
            }
        }
        let pad = utw(tw(l.cell_padding));
        let border = |pos| {
            TableBorder::new(pos)
                .border_type(BorderType::Single)
                .size(eighths(l.table_rule))
                .color("000000")
        };
        Table::new(rows)
            .set_grid(grid.iter().map(|w| utw(*w)).collect())
            .width(utw(grid.iter().sum()), WidthType::Dxa)
            .layout(TableLayoutType::Fixed)
            .indent(0)
            .margins(TableCellMargins::new().margin(pad, pad, pad, pad))
            .set_borders(
                TableBorders::new()
                    .set(border(TableBorderPosition::Top))
                    .set(border(TableBorderPosition::Left))
                    .set(border(TableBorderPosition::Bottom))
                    .set(border(TableBorderPosition::Right))
                    .set(border(TableBorderPosition::InsideH))
                    .set(border(TableBorderPosition::InsideV)),
            )
    }

    fn cell(&self, width: i32, span: usize) -> TableCell {
        let c = TableCell::new().width(utw(width), WidthType::Dxa);
        if span > 1 { c.grid_span(span) } else { c }
    }

    /// A row that never splits across pages; `header` rows repeat on each page.
    fn row(&mut self, cells: Vec<TableCell>, header: bool) -> TableRow {
        self.header_rows.push(header);
        TableRow::new(cells).cant_split()
    }

    fn cell_content(
        &self,
        mut cell: TableCell,
        blocks: &[CellBlock],
        align: AlignmentType,
        size: usize,
    ) -> TableCell {
        let mut any = false;
        for b in blocks {
            match b {
                CellBlock::Para { text } => {
                    cell = cell.add_paragraph(self.text_par(text, size, false).align(align));
                    any = true;
                }
                CellBlock::List { items } => {
                    for it in items {
                        // pad(left: level × list_indent) + hanging indent list_indent.
                        let hang = tw(self.l.list_indent);
                        let left = tw((it.level as f32 + 1.0) * self.l.list_indent);
                        let p = self
                            .text_par(&format!("{} {}", it.marker, it.text), size, false)
                            .align(align)
                            .indent(
                                Some(left),
                                Some(SpecialIndentType::Hanging(hang)),
                                None,
                                None,
                            );
                        cell = cell.add_paragraph(p);
                        any = true;
                    }
                }
            }
        }
        if !any {
            cell = cell.add_paragraph(self.par(size));
        }
        cell
    }

    // ---- Signature ----

    /// Position lines at the left, the name flush right on the last position
    /// line, the e-signature stamp (if any) boxed in the middle: a borderless
    /// table with bottom-aligned cells, as the template's grid.
    fn signature(&mut self, s: &Signature) {
        let l = self.l;
        let body = self.body_hp();
        let gutter = tw(l.signature_gutter);
        // The name never wraps: its own width plus 1 mm.
        let name_w = tw(text_width_mm(&s.name, l.body_size, false) + 1.0).min(self.text_w / 2);
        let stamp_w = if s.esign.is_empty() {
            0
        } else {
            let longest = s
                .esign
                .iter()
                .map(|x| text_width_mm(x, l.small_size, false))
                .fold(0.0_f32, f32::max);
            // Text, the inset each side (as the template), and the frame lines.
            let frame = 2.0 * (l.stamp.inset + l.stamp.stroke * 25.4 / 72.0);
            tw(longest + frame).min(self.text_w / 2)
        };
        let mut widths = vec![0, gutter];
        if stamp_w > 0 {
            widths.extend([stamp_w, gutter]);
        }
        widths.push(name_w);
        let rest = self.text_w - widths.iter().sum::<i32>();
        widths[0] = rest.max(self.text_w / 5);

        let none = || {
            TableCellBorders::with_empty()
                .set(
                    TableCellBorder::new(TableCellBorderPosition::Top).border_type(BorderType::Nil),
                )
                .set(
                    TableCellBorder::new(TableCellBorderPosition::Left)
                        .border_type(BorderType::Nil),
                )
                .set(
                    TableCellBorder::new(TableCellBorderPosition::Bottom)
                        .border_type(BorderType::Nil),
                )
                .set(
                    TableCellBorder::new(TableCellBorderPosition::Right)
                        .border_type(BorderType::Nil),
                )
        };
        let plain = |w: i32| {
            TableCell::new()
                .width(utw(w), WidthType::Dxa)
                .vertical_align(VAlignType::Bottom)
                .set_borders(none())
        };
        let mut cells = vec![
            plain(widths[0]).add_paragraph(
                self.text_par(&s.position.join("\n"), body, false)
                    .style(NO_HYPHENS)
                    .align(AlignmentType::Left)
                    .keep_lines(true),
            ),
            plain(gutter).add_paragraph(self.par(body)),
        ];
        if stamp_w > 0 {
            let small = hp(l.small_size);
            let line = |pos| {
                TableCellBorder::new(pos)
                    .border_type(BorderType::Single)
                    .size(eighths(l.stamp.stroke))
                    .color(&l.stamp.color)
            };
            let pad = utw(tw(l.stamp.inset));
            // Lines centred, as the template's grid cell aligns them.
            let mut p = self
                .par(small)
                .style(NO_HYPHENS)
                .align(AlignmentType::Center)
                .line_spacing(
                    LineSpacing::new()
                        .line_rule(LineSpacingType::Auto)
                        .line(line_value(l.pitch_factor(l.stamp.leading))),
                );
            p = self.add_text(
                p,
                &s.esign.join("\n"),
                &Fmt {
                    size: small,
                    bold: false,
                    color: Some(&l.stamp.color),
                },
            );
            let mut stamp = TableCell::new()
                .width(utw(stamp_w), WidthType::Dxa)
                .vertical_align(VAlignType::Bottom)
                .set_borders(
                    TableCellBorders::with_empty()
                        .set(line(TableCellBorderPosition::Top))
                        .set(line(TableCellBorderPosition::Left))
                        .set(line(TableCellBorderPosition::Bottom))
                        .set(line(TableCellBorderPosition::Right)),
                )
                .add_paragraph(p);
            stamp.property = stamp
                .property
                .margin_top(pad, WidthType::Dxa)
                .margin_bottom(pad, WidthType::Dxa)
                .margin_left(pad, WidthType::Dxa)
                .margin_right(pad, WidthType::Dxa);
            cells.push(stamp);
            cells.push(plain(gutter).add_paragraph(self.par(body)));
        }
        cells.push(
            plain(*widths.last().unwrap_or(&0)).add_paragraph(
                self.text_par(&s.name, body, false)
                    .style(NO_HYPHENS)
                    .align(AlignmentType::Right),
            ),
        );
        self.header_rows.push(false);
        let row = TableRow::new(cells).cant_split();
        let t = Table::without_borders(vec![row])
            .set_grid(widths.iter().map(|w| utw(*w)).collect())
            .width(utw(widths.iter().sum()), WidthType::Dxa)
            .layout(TableLayoutType::Fixed)
            .indent(0)
            .margins(TableCellMargins::new().margin(0, 0, 0, 0));
        self.push_t(t);
    }
}

/// Split `total` twips into columns of relative `weights` (bad weights count as 1);
/// the last column takes the rounding rest.
fn split_width(total: i32, weights: &[f32], n: usize) -> Vec<i32> {
    let ws: Vec<f64> = (0..n)
        .map(|i| match weights.get(i) {
            Some(w) if w.is_finite() && *w > 0.0 => *w as f64,
            _ => 1.0,
        })
        .collect();
    let sum: f64 = ws.iter().sum();
    let mut out: Vec<i32> = ws
        .iter()
        .map(|w| ((total as f64) * w / sum).floor() as i32)
        .collect();
    let used: i32 = out.iter().sum();
    if let Some(last) = out.last_mut() {
        *last += total - used;
    }
    out
}

/// Width of `s` set in Times New Roman (Liberation Serif metrics), points.
/// Characters outside the table count as 0.7 em.
fn text_width_pt(s: &str, size_pt: f32, bold: bool) -> f32 {
    let units: u32 = s
        .chars()
        .map(
            |c| match metrics::WIDTHS.binary_search_by(|(k, _, _)| k.cmp(&c)) {
                Ok(i) => {
                    let (_, r, b) = metrics::WIDTHS[i];
                    (if bold { b } else { r }) as u32
                }
                Err(_) => 1434,
            },
        )
        .sum();
    units as f32 / 2048.0 * size_pt
}

/// The same in millimetres.
fn text_width_mm(s: &str, size_pt: f32, bold: bool) -> f32 {
    text_width_pt(s, size_pt, bold) * 25.4 / 72.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units() {
        assert_eq!(tw(210.0), 11906);
        assert_eq!(tw(297.0), 16838);
        assert_eq!(tw(12.5), 709);
        assert_eq!(hp(14.0), 28);
        assert_eq!(hp(11.0), 22);
    }

    #[test]
    fn clean_strips_forbidden() {
        assert_eq!(clean("a\u{1}b\u{b}c\u{ffff}\td\ne"), "abc d\ne");
    }

    #[test]
    fn coverage() {
        assert!(covered('а') && covered('Ё') && covered('№') && covered('«'));
        assert!(!covered('✓'));
    }

    #[test]
    fn text_widths() {
        // Liberation Serif Bold, 12 pt: «Ответственные» is 84.5 pt.
        assert!((text_width_pt("Ответственные", 12.0, true) - 84.48).abs() < 0.05);
        assert!(text_width_pt("a", 14.0, false) > 0.0);
    }

    #[test]
    fn widths_sum_up() {
        let w = split_width(9638, &[1.0, 4.0, 1.8, 2.2, 2.6], 5);
        assert_eq!(w.iter().sum::<i32>(), 9638);
        let w = split_width(1000, &[f32::NAN, -1.0], 2);
        assert_eq!(w, vec![500, 500]);
    }
}
