//! The resolved document model: the only meeting point of the two writers.
//!
//! Everything here is final — numbers, labels, references, date strings, stamp
//! texts, capitalisation, non-breaking spaces. A writer only places what it is
//! given; it never reads YAML and never decides wording. The Typst template reads
//! this model as JSON (`data.json`), so the serde names are the template's names.

use crate::layout::{Layout, Margins};
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct Document {
    pub meta: Meta,
    pub layout: Layout,
    /// The act itself; `None` when only an appendix is rendered (`--only`).
    pub act: Option<ActPart>,
    pub appendices: Vec<AppendixPart>,
    /// Page numbers run on through the appendices instead of restarting.
    pub continuous_pages: bool,
    /// Sheets right after the act, before the appendices (a лист согласования
    /// by default), and at the very end (the лист ознакомления, and a лист
    /// согласования the profile puts there). Each starts on a new page.
    pub sheets_after_act: Vec<Sheet>,
    pub sheets_at_end: Vec<Sheet>,
    /// The QR-code requisite, bottom right of the act's first page (2025 only).
    pub qr: Option<crate::qr::Qr>,
    /// Empty signature fields stand where the document is signed
    /// (`оформление: {поле_подписи: да}` or `--signature-field`): over the
    /// signatory's [`Signature::field`] and each visa's. A writer places a
    /// field where this is set and the place has one.
    pub signature_fields: bool,
    /// People's names as written in the document («Жукова», «Долгополовой»):
    /// Russian typesetting does not hyphenate a name, so a writer keeps each
    /// whole wherever it stands. Letters and hyphens only; at most
    /// [`MAX_NAMES`], longest first.
    pub names: Vec<String>,
}

/// Most names kept whole in one document (real acts: under 100).
pub const MAX_NAMES: usize = 1000;

/// A place a signing program may sign into (a PDF signature field, `/FT
/// /Sig`; Word's signature line): none where an e-signature mark stands.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct SignField {
    /// The field's name, unique in the document and without «.» (a PDF field
    /// name's separator): «Подпись Е А Глуховская», «Виза Р Р Рахманкулов».
    pub name: String,
    /// Who signs there, as printed: «Е.А. Глуховская».
    pub signer: String,
    /// What the field is, for a screen reader and the signing program:
    /// «Подпись: Е.А. Глуховская», «Виза: Р.Р. Рахманкулов».
    pub description: String,
}

/// A лист согласования or a лист ознакомления: a heading naming the act and a
/// table whose header row repeats on every page.
#[derive(Debug, Clone, Serialize)]
pub struct Sheet {
    pub kind: SheetKind,
    pub heading: Vec<String>,
    pub table: Table,
}

#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum SheetKind {
    Approval,
    Acknowledgment,
}

/// A visa at the foot of the act's last page (ГОСТ Р 7.0.97 §5.21): the
/// position, room for the signature, «И.О. Фамилия», the date.
#[derive(Debug, Clone, Serialize)]
pub struct Visa {
    pub position: Vec<String>,
    pub name: String,
    /// Empty when the date is written by hand.
    pub date: String,
    /// «Замечания: …», or none.
    pub remarks: Option<String>,
    /// Where the visa is signed electronically, before the name.
    pub field: Option<SignField>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Meta {
    /// «Распоряжение от 20.09.2023 № 596 «Об утверждении …»».
    pub title: String,
    /// The authority, one line.
    pub author: String,
    /// What the act is about: its title.
    pub subject: String,
    /// For search in archives: kind, number, date.
    pub keywords: Vec<String>,
    /// The act's date, ISO; used as the fixed creation date of the files.
    pub date: String,
    pub year: i32,
    pub month: u32,
    pub day: u32,
    /// Stable identifier derived from the act (kind, number, date).
    pub ident: String,
    /// Base name of output files, e.g. `Распоряжение_596_2023-09-20`.
    pub file_stem: String,
    /// The act number was too long for a file name and was cut.
    pub file_stem_shortened: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct ActPart {
    /// The coat of arms stands above the authority lines (the writers get
    /// its image with the model, as [`crate::emblem::Emblem`]).
    pub emblem: bool,
    /// Printed on a pre-printed blank: the coat of arms, the authority lines
    /// and the kind keep their space but are not printed, so the date, the
    /// number and everything below stand where the blank expects them.
    pub blank: bool,
    pub authority: Vec<String>,
    /// Width of the header requisites' block, mm from the left margin: the
    /// corner zone of an угловой бланк (`requisite_width`); `None` when the
    /// header stands across the text width (продольный бланк).
    pub header_zone: Option<f32>,
    /// «РАСПОРЯЖЕНИЕ», or letter-spaced «П Р И К А З».
    pub kind: String,
    /// «№ 15-од» on the kind's line (`шапка: вид_с_номером`), else empty. Kept
    /// apart from the kind: on a pre-printed blank the kind is on the paper,
    /// the number is printed in its place on the line.
    pub kind_number: String,
    /// «по основной деятельности»: a line under the kind.
    pub subject: Option<String>,
    /// The date line's left part: «20.09.2023», or «от 20.09.2023 № 596».
    pub date: String,
    /// The date line's right part, flush right: «№ 596»; empty when the
    /// number stands with the kind or after «от …».
    pub number: String,
    pub place: Option<String>,
    pub title: String,
    pub title_centered: bool,
    pub body: Vec<Block>,
    pub signature: Signature,
    /// «РАЗОСЛАНО: …».
    pub distribution: Option<String>,
    /// Executor note lines (name, phone …).
    pub executor: Vec<String>,
    /// Visas at the foot of the last page, above the executor note.
    pub visas: Vec<Visa>,
    /// The header in two languages (`шапка: двуязычная`): these lines at the
    /// left, the Russian ones (`authority`, `kind`, `date`, `place`) at the
    /// right, row by row, the coat of arms between them.
    pub bilingual: Option<SecondHeader>,
    /// A local act that stands alone (Положение, Правила …): the
    /// organisation's name (`authority`) on top, the stamps under it, the kind
    /// and title, the place and year; no date line and no signature at the
    /// foot (the head signs the «УТВЕРЖДАЮ»).
    pub local: Option<LocalAct>,
}

/// The left column of a two-language header: the republic's state language.
#[derive(Debug, Clone, Serialize)]
pub struct SecondHeader {
    pub authority: Vec<String>,
    /// «ХУШУ».
    pub kind: String,
    /// «Шупашкар хули».
    pub place: Option<String>,
}

/// What a local act that stands alone has in place of a date line and a
/// signature.
#[derive(Debug, Clone, Serialize)]
pub struct LocalAct {
    /// The гриф утверждения at the top right (ГОСТ Р 7.0.97 §5.22):
    /// «УТВЕРЖДАЮ», the head's position, «____________ И.И. Иванов», the
    /// date; an empty line, then «Введено в действие приказом», «от … № …».
    pub approved: Vec<String>,
    /// The stamp at the top left («ПРИНЯТО», «на заседании педагогического
    /// совета» …), or empty.
    pub accepted: Vec<String>,
    /// Centred under the title: the place, the year.
    pub place_year: Vec<String>,
    /// The line of `approved` the head signs on (its «______» first), if the
    /// wording has one.
    pub sign_line: Option<usize>,
    /// Where the head signs electronically: over the «______» of
    /// `sign_line` (a PDF writer; the DOCX has none there, as for visas).
    pub field: Option<SignField>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Signature {
    pub position: Vec<String>,
    pub name: String,
    /// Electronic-signature stamp lines, in place of the handwritten signature.
    pub esign: Vec<String>,
    /// The coat of arms stands in the stamp, left of its lines.
    pub esign_emblem: bool,
    /// Where the head signs electronically, between the position and the
    /// name; none where the e-signature mark already stands (`esign`).
    pub field: Option<SignField>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AppendixPart {
    pub id: String,
    /// «1», or `None` for a single unnumbered appendix.
    pub number: Option<String>,
    /// Lines of the mark in the top-right corner.
    pub mark: Vec<String>,
    pub landscape: bool,
    pub margins: Margins,
    pub title: Vec<String>,
    pub body: Vec<Block>,
}

/// How a paragraph is set.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum ParaStyle {
    /// Justified, first-line indent.
    Body,
    /// Justified, no indent.
    Flush,
    /// From the left margin, no indent, not justified (operative word on its own line).
    Left,
    /// Centred.
    Center,
    /// Centred bold (headings in appendices).
    Heading,
}

#[derive(Debug, Clone, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Block {
    Para {
        text: String,
        style: ParaStyle,
    },
    /// A numbered point («1.», «1.1.») or item («1)»), first-line indented, label first.
    Point {
        number: Number,
        text: String,
        /// A section heading of a local act («1. Общие положения»): centred,
        /// bold, its clauses numbered under it (1.1., 1.2.1.).
        section: bool,
    },
    List {
        items: Vec<ListItem>,
    },
    Table(Table),
    Signature(Signature),
    PageBreak,
}

/// A number decided once, in `resolve::numbering`: writers print `label` and
/// never count.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Number {
    /// 1 for «1.», 2 for «1.1.» …; a sub-item «1)» is one deeper than its point.
    pub level: u8,
    /// Position among its siblings, from 1 (the last part of the label).
    pub ordinal: u32,
    /// As printed: «2.1.», «3)», «8.», «1.2».
    pub label: String,
    /// A sub-item «1)» rather than a point.
    pub item: bool,
    /// Typed by the clerk rather than counted.
    pub explicit: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct ListItem {
    pub marker: String,
    pub text: String,
    /// 0 for top level.
    pub level: u8,
}

#[derive(Debug, Clone, Serialize)]
pub struct Table {
    pub columns: Vec<Column>,
    /// A row «1 2 3 …» under the header.
    pub column_numbers: bool,
    pub rows: Vec<Row>,
    pub font_size: f32,
    /// The least height of a body row, mm (room to sign on the sheets).
    pub row_height: Option<f32>,
    /// The column a row's signature field stands in (the approval sheet's
    /// «Подпись»).
    pub sign_column: Option<usize>,
    /// Ruled, with the column titles as a header row repeated on each page
    /// (a plan, a list); without rules or header, a «Состав» in two columns.
    pub rules: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Column {
    pub title: String,
    /// Relative width.
    pub width: f32,
    pub align: Align,
    /// The cells name people (`люди: да`, the names of a «Состав»): never
    /// hyphenated.
    pub names: bool,
}

/// Horizontal alignment of a column's cells. «По ширине» is set from the left
/// in cells, as in the original plans: a writer treats `Justify` as `Left`.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Align {
    Left,
    Center,
    Right,
    Justify,
}

#[derive(Debug, Clone, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Row {
    /// A row spanning the table; a numbered section prints «number text».
    Section {
        number: Option<Number>,
        text: String,
        /// From the left, not bold: a label of a list without rules
        /// («Председатель рабочей группы:» in a «Состав»), not a heading.
        plain: bool,
    },
    /// Cells in column order; the number column already holds the row's label.
    Cells {
        number: Option<Number>,
        cells: Vec<Vec<CellBlock>>,
        /// The signature field in the table's `sign_column` (a visa).
        field: Option<SignField>,
    },
}

#[derive(Debug, Clone, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum CellBlock {
    Para { text: String },
    List { items: Vec<ListItem> },
}

impl Document {
    /// Signature fields wherever the document is signed (`--signature-field`).
    pub fn add_signature_fields(&mut self) {
        self.signature_fields = true;
    }

    /// For printing on the organisation's pre-printed blank (`--blank`).
    pub fn print_on_blank(&mut self) {
        if let Some(a) = &mut self.act {
            a.blank = true;
        }
    }

    /// All text in reading order, one string per paragraph: used by tests and lints.
    pub fn plain_text(&self) -> Vec<String> {
        let mut out = Vec::new();
        if let Some(a) = &self.act {
            out.extend(a.authority.iter().cloned());
            out.push(match a.kind_number.as_str() {
                "" => a.kind.clone(),
                n => format!("{} {n}", a.kind),
            });
            if let Some(b) = &a.bilingual {
                out.extend(b.authority.iter().cloned());
                out.push(b.kind.clone());
                out.extend(b.place.iter().cloned());
            }
            if let Some(l) = &a.local {
                out.extend(l.accepted.iter().cloned());
                out.extend(l.approved.iter().cloned());
            } else {
                out.push(format!("{} {}", a.date, a.number));
            }
            out.extend(a.place.iter().cloned());
            out.push(a.title.clone());
            if let Some(l) = &a.local {
                out.extend(l.place_year.iter().cloned());
            }
            blocks_text(&a.body, &mut out);
            if a.local.is_none() {
                out.extend(a.signature.position.iter().cloned());
                out.extend(a.signature.esign.iter().cloned());
                out.push(a.signature.name.clone());
            }
            out.extend(a.distribution.iter().cloned());
            for v in &a.visas {
                out.extend(v.position.iter().cloned());
                out.push(v.name.clone());
                out.push(v.date.clone());
                out.extend(v.remarks.iter().cloned());
            }
            out.extend(a.executor.iter().cloned());
        }
        let sheet = |s: &Sheet, out: &mut Vec<String>| {
            out.extend(s.heading.iter().cloned());
            blocks_text(&[Block::Table(s.table.clone())], out);
        };
        for s in &self.sheets_after_act {
            sheet(s, &mut out);
        }
        for ap in &self.appendices {
            out.extend(ap.mark.iter().cloned());
            out.extend(ap.title.iter().cloned());
            blocks_text(&ap.body, &mut out);
        }
        for s in &self.sheets_at_end {
            sheet(s, &mut out);
        }
        out
    }
}

fn blocks_text(blocks: &[Block], out: &mut Vec<String>) {
    for b in blocks {
        match b {
            Block::Para { text, .. } => out.push(text.clone()),
            Block::Point { number, text, .. } => out.push(format!("{} {text}", number.label)),
            Block::List { items } => {
                out.extend(items.iter().map(|i| format!("{} {}", i.marker, i.text)))
            }
            Block::Table(t) => {
                out.extend(t.columns.iter().map(|c| c.title.clone()));
                for r in &t.rows {
                    match r {
                        Row::Section { number, text, .. } => out.push(match number {
                            Some(n) => format!("{} {text}", n.label),
                            None => text.clone(),
                        }),
                        Row::Cells { cells, .. } => {
                            for c in cells {
                                for cb in c {
                                    match cb {
                                        CellBlock::Para { text } => out.push(text.clone()),
                                        CellBlock::List { items } => out.extend(
                                            items
                                                .iter()
                                                .map(|i| format!("{} {}", i.marker, i.text)),
                                        ),
                                    }
                                }
                            }
                        }
                    }
                }
            }
            Block::Signature(s) => {
                out.extend(s.position.iter().cloned());
                out.push(s.name.clone());
            }
            Block::PageBreak => {}
        }
    }
}
