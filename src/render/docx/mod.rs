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
//!
//! This file assembles the document; the parts are written by what they are:
//! [`blocks`] (requisites, paragraphs, points, lists), [`columns`]
//! (requisites side by side: the two-language header, a local act's
//! stamps), [`tables`],
//! [`signature`] (with the e-signature stamp), [`numbering`] (points in Word
//! numbering), [`sections`] (parts, paper, page numbers), [`text`] (runs and
//! fonts), and [`package`]/[`xml`] (the patched, zipped package).

mod blocks;
mod columns;
mod numbering;
mod package;
mod sections;
mod signature;
mod tables;
mod text;
mod xml;

use crate::errors;
use sections::{landscape, portrait};
use text::{Fmt, clean, font_name, text_width_mm, text_width_pt};

use crate::diag::Diagnostic;
use crate::emblem::{Emblem, Raster};
use crate::layout::{Layout, Margins};
use crate::model::Align;
use crate::model::{
    ActPart, AppendixPart, Block, CellBlock, Document, ListItem, ParaStyle, Row, Sheet, Signature,
    Visa,
};
use docx_rs::{
    AbstractNumbering, AlignmentType, BorderType, BreakType, Docx, FieldCharType, Footer, Header,
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
/// And the two footers, when there is a QR code: an empty one, then the act's
/// first page with the code.
const FOOTER_DEFAULT_RID: &str = "rIdFooter1";
const FOOTER_FIRST_RID: &str = "rIdFooter2";
/// Paragraph style that switches hyphenation off (header block, marks, headings).
const NO_HYPHENS: &str = "NoHyphens";
/// Character style of people's names in running text: never hyphenated.
/// LibreOffice hyphenates by the run's language and ignores `w:noProof`, so
/// the style gives both (patched in by the package): language «none»
/// (`zxx`, no hyphenation patterns) and no proofing, which Word does not
/// hyphenate either.
const NAME_STYLE: &str = "PersonName";
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
            Diagnostic::error(
                errors::BAD_EMBLEM,
                format!("не удалось прочитать герб для DOCX: {m}"),
            )
            .hint("сохраните герб в формате PNG, JPEG или SVG")
        })?),
        _ => None,
    };
    let mut w = Writer::new(l);
    w.emblem = emblem.clone();
    w.sign_fields = doc.signature_fields;
    w.names = doc.names.iter().cloned().collect();
    let mut parts: Vec<Part> = Vec::new();
    if let Some(act) = &doc.act {
        w.begin_part(portrait(l), l.margins);
        w.act(act, emblem.as_ref());
        parts.push(w.end_part(false));
    }
    for s in &doc.sheets_after_act {
        w.begin_part(portrait(l), l.margins);
        w.sheet(s);
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
    for s in &doc.sheets_at_end {
        w.begin_part(portrait(l), l.margins);
        w.sheet(s);
        parts.push(w.end_part(false));
    }
    if parts.is_empty() {
        // Nothing selected: still a valid, empty document.
        w.begin_part(portrait(l), l.margins);
        w.push_p(w.par(hp(l.body_size)));
        parts.push(w.end_part(false));
    }

    // The QR code: in the first-page footer of the act's section only.
    let qr = doc.qr.as_ref().filter(|_| doc.act.is_some());
    let sections: Vec<String> = parts
        .iter()
        .enumerate()
        .map(|(k, p)| {
            let first = k == 0;
            let qr_here = qr.is_some() && first;
            package::section_xml(&package::Section {
                page: p.page,
                landscape: p.landscape,
                margins: p.margins,
                header_from_top: p.margins.top - l.margins.top + l.page_number_from_top,
                header_rid: HEADER_DEFAULT_RID,
                first_header_rid: HEADER_FIRST_RID,
                footers: qr.map(|_| {
                    (
                        FOOTER_DEFAULT_RID,
                        if qr_here {
                            FOOTER_FIRST_RID
                        } else {
                            FOOTER_DEFAULT_RID
                        },
                    )
                }),
                footer_from_bottom: if qr_here {
                    l.qr_from_bottom
                } else {
                    p.margins.bottom / 2.0
                },
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
        .add_style(Style::new(NAME_STYLE, StyleType::Character).name("Имя человека"))
        .header(Header::new().add_paragraph(w.page_number_paragraph()))
        .first_header(Header::new().add_paragraph(w.par(hp(l.body_size))));
    if let Some(q) = qr {
        let px = q.side() as u32 * l.qr_pixels.max(1);
        let emu = (l.qr_size as f64 * EMU_PER_MM).round().max(1.0) as u32;
        let pic = Pic::new_with_dimensions(q.png(l.qr_pixels), px, px)
            .id("rIdQr")
            .size(emu, emu);
        // A tiny paragraph mark: the line is as high as the image.
        let p = w
            .par(2)
            .align(AlignmentType::Right)
            .add_run(Run::new().add_image(pic));
        docx = docx
            .footer(Footer::new().add_paragraph(w.par(2)))
            .first_footer(Footer::new().add_paragraph(p));
    }
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
        name_style: NAME_STYLE,
        sign_lines: std::mem::take(&mut w.sign_lines),
    };
    package::finish(built, &patch)
        .map_err(|e| Diagnostic::error(errors::INTERNAL, format!("не удалось записать DOCX: {e}")))
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
    /// The coat of arms, for an e-signature stamp that shows it.
    emblem: Option<Raster>,
    /// Signature fields are wanted (`Document::signature_fields`).
    sign_fields: bool,
    /// Word's signature lines placed so far, patched in by the package.
    sign_lines: Vec<package::SignLine>,
    /// People's names as written (`Document::names`): a word holding one is
    /// set in [`NAME_STYLE`].
    names: std::collections::HashSet<String>,
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
            emblem: None,
            sign_fields: false,
            sign_lines: Vec::new(),
            names: Default::default(),
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
        for p in self.gap_pars(n, keep_next) {
            self.push_p(p);
        }
    }

    /// The paragraphs of [`Writer::gap`], for a place of their own (a cell).
    fn gap_pars(&self, n: f32, keep_next: bool) -> Vec<Paragraph> {
        if !(n.is_finite() && n > 0.0) {
            return Vec::new();
        }
        let whole = (n.floor() as usize).min(100);
        let frac = n - n.floor();
        let mut out: Vec<Paragraph> = (0..whole)
            .map(|_| self.par(self.body_hp()).keep_next(keep_next))
            .collect();
        if frac > 0.01 {
            let h = (frac * self.line_twips()).round().max(1.0) as i32;
            out.push(
                self.par(self.body_hp())
                    .line_spacing(LineSpacing::new().line_rule(LineSpacingType::Exact).line(h))
                    .keep_next(keep_next),
            );
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::tables::split_width;
    use super::text::covered;
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
