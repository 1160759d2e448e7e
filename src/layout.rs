//! Layout parameters: the one place where margins, sizes, indents and spacing live.
//!
//! Both writers read these numbers: the Typst template gets them in its JSON data
//! (`data.layout`), the DOCX writer converts them to twips and half-points.
//! Values follow ГОСТ Р 7.0.97 (margins, sizes, the requisite width) and, for
//! spacing, what Word does with the same text, so the PDF and the DOCX match.
//! Neither the Typst template nor the DOCX writer holds a size, gap, stroke or
//! colour of its own.

use serde::{Deserialize, Serialize};

/// Page margins in millimetres.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq)]
pub struct Margins {
    pub top: f32,
    pub bottom: f32,
    pub left: f32,
    pub right: f32,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Layout {
    /// A4, millimetres.
    pub page_width: f32,
    pub page_height: f32,
    /// Portrait pages: left 30 mm (acts are kept permanently), right 10, top and bottom 20.
    pub margins: Margins,
    /// Landscape pages: the margins turn with the sheet so the wide margin stays on the bound edge.
    pub landscape_margins: Margins,
    /// Distance from the top edge of the paper to the page number, mm (≥ 10 by ГОСТ).
    pub page_number_from_top: f32,
    /// Font family embedded in the PDF (metric twin of Times New Roman).
    pub font: String,
    /// Font family named in the DOCX.
    pub docx_font: String,
    /// Fallback for symbols the main font lacks (✓ …).
    pub symbol_font: String,
    /// Body text, points.
    pub body_size: f32,
    /// Tables, points.
    pub table_size: f32,
    /// Executor note, points.
    pub small_size: f32,
    /// Line spacing factor (1.0 = single).
    pub line_spacing: f32,
    /// First-line indent of paragraphs, mm.
    pub indent: f32,
    /// Longest line of a requisite (title, marks, stamps), mm: 80 (2025) or 75 (2016).
    pub requisite_width: f32,
    /// Longest line of a title centred above the text (acts of authorities,
    /// `заголовок_по_центру`), mm: a requisite of the продольный бланк is at
    /// most 12 cm wide, so the title stays a narrow centred block.
    pub centered_title_width: f32,
    /// A «Состав»: the share of the text width the names take (the
    /// positions the rest).
    pub members_name_width: f32,
    /// Indent of list items inside table cells, mm.
    pub list_indent: f32,
    /// Blank lines between the header block and the title, the title and the text,
    /// the text and the signature.
    pub gap_after_header: f32,
    pub gap_after_title: f32,
    pub gap_before_signature: f32,
    /// Space between paragraphs, points.
    pub paragraph_spacing: f32,
    /// Cell padding in tables, mm.
    pub cell_padding: f32,
    /// Width of the coat of arms, mm.
    pub emblem_width: f32,

    /// One line of text as Word and LibreOffice set «single» spacing for Times
    /// New Roman, in em: the unit of every blank-line gap below.
    pub single_line: f32,
    /// The line box Typst measures for Liberation Serif (typographic ascender
    /// plus descender, 0.694 + 0.215), em; the PDF's leading makes up the rest
    /// to `single_line`, so both writers break lines and pages alike.
    pub font_line: f32,
    /// Height of the page-number line in the top margin, mm.
    pub page_number_box: f32,
    /// Blank lines (in `single_line`s) between the requisites of the header:
    /// after the authority lines, after the kind of act, before «Разослать».
    pub gap_after_authority: f32,
    pub gap_after_kind: f32,
    pub gap_before_distribution: f32,
    /// Blank lines after an appendix's mark and after its title.
    pub gap_after_mark: f32,
    pub gap_after_appendix_title: f32,
    /// Blank lines above and below a table, and above and below a heading in
    /// an appendix.
    pub gap_around_table: f32,
    pub gap_around_heading: f32,
    /// Rules of data tables, points.
    pub table_rule: f32,
    /// Space between the position, the e-signature stamp and the name, mm.
    pub signature_gutter: f32,
    /// Room added to the signatory's name, mm, where a writer must size its
    /// box in advance (Word's table cell): the name never wraps.
    pub name_slack: f32,
    /// The electronic-signature stamp (ГОСТ §5.23).
    pub stamp: Stamp,
    /// The executor note at the foot of the act's last page: extra leading
    /// between its lines (em of the small size) and the clear space above it
    /// (em of the body size).
    pub executor_leading: f32,
    pub executor_clearance: f32,
    /// Where hyphenation is off, a piece of a word longer than this many
    /// letters may break between letters (without adding a character).
    pub long_word: u32,
    /// Words of at most this many letters are never broken in titles and
    /// column titles, and an abbreviation (two capitals or more) of at most
    /// this many letters is never hyphenated anywhere.
    pub short_word: u32,
    /// The approval and acknowledgment sheets: blank lines after the heading,
    /// the least height of a row (room to sign), mm, and the relative column
    /// widths (approval: position, signature, name, date, remarks;
    /// acknowledgment: №, name, position, date, signature).
    pub gap_after_sheet_heading: f32,
    pub sheet_row_height: f32,
    pub approval_widths: Vec<f32>,
    pub acknowledgment_widths: Vec<f32>,
    /// Visas at the foot of the act's last page: their size, points, the room
    /// left for the handwritten signature before the name, mm, and the blank
    /// lines (of the visa size) between two visas.
    pub visa_size: f32,
    pub visa_sign_width: f32,
    pub gap_between_visas: f32,
    /// The QR code (ГОСТ Р 7.0.97-2025, requisite 31): its side with the quiet
    /// zone, mm, and its distance from the bottom edge of page 1, mm; it stands
    /// flush right in the bottom margin. `qr_pixels`: pixels per module of the
    /// DOCX's image.
    pub qr_size: f32,
    pub qr_from_bottom: f32,
    pub qr_pixels: u32,
    /// The empty signature field a signing program signs into
    /// (`оформление: {поле_подписи: да}`), between the position and the name:
    /// room for the electronic-signature mark of ГОСТ Р 7.0.97 §5.23, mm. A
    /// visa's field takes the visa's room for the signature instead
    /// (`visa_sign_width` by one line; on the approval sheet, its cell).
    pub sign_field: SignField,
}

/// The size of the signatory's signature field, mm.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq)]
pub struct SignField {
    pub width: f32,
    pub height: f32,
}

/// The frame of the electronic-signature stamp.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Stamp {
    /// Frame line, points.
    pub stroke: f32,
    /// Frame and text colour, hex RGB without «#».
    pub color: String,
    /// Space between the frame and the text, mm.
    pub inset: f32,
    /// Corner radius, mm (Word draws square corners).
    pub radius: f32,
    /// Extra leading between the stamp's lines, em of the small size.
    pub leading: f32,
    /// Width of the coat of arms in the stamp, mm (`электронная_подпись: {герб: да}`).
    pub emblem_width: f32,
}

impl Layout {
    /// The line pitch of text set with `extra` em of leading, as a factor of
    /// Word's single line: what the DOCX writer puts where the PDF adds leading.
    pub fn pitch_factor(&self, extra: f32) -> f32 {
        (self.font_line + extra) / self.single_line
    }
}

impl Layout {
    /// ГОСТ Р 7.0.97-2016: requisites at most 75 mm wide (2025: 80 mm).
    pub fn gost2016() -> Self {
        Self {
            requisite_width: 75.0,
            ..Self::default()
        }
    }
}

impl Default for Layout {
    fn default() -> Self {
        Self {
            page_width: 210.0,
            page_height: 297.0,
            margins: Margins {
                top: 20.0,
                bottom: 20.0,
                left: 30.0,
                right: 10.0,
            },
            landscape_margins: Margins {
                top: 30.0,
                bottom: 10.0,
                left: 20.0,
                right: 20.0,
            },
            page_number_from_top: 10.0,
            font: "Liberation Serif".into(),
            docx_font: "Times New Roman".into(),
            symbol_font: "DejaVu Sans".into(),
            body_size: 14.0,
            table_size: 12.0,
            small_size: 11.0,
            line_spacing: 1.0,
            indent: 12.5,
            requisite_width: 80.0,
            centered_title_width: 120.0,
            members_name_width: 0.4,
            list_indent: 5.0,
            gap_after_header: 1.0,
            gap_after_title: 2.0,
            gap_before_signature: 2.0,
            paragraph_spacing: 0.0,
            cell_padding: 1.5,
            emblem_width: 15.0,
            single_line: 1.15,
            font_line: 0.909,
            page_number_box: 5.0,
            gap_after_authority: 1.0,
            gap_after_kind: 1.0,
            gap_before_distribution: 1.0,
            gap_after_mark: 1.0,
            gap_after_appendix_title: 1.0,
            gap_around_table: 0.5,
            gap_around_heading: 0.5,
            table_rule: 0.5,
            signature_gutter: 5.0,
            name_slack: 1.0,
            stamp: Stamp {
                stroke: 0.75,
                color: "1F3A93".into(),
                inset: 2.0,
                radius: 1.0,
                leading: 0.2,
                emblem_width: 8.0,
            },
            executor_leading: 0.1,
            executor_clearance: 2.0,
            long_word: 24,
            short_word: 12,
            gap_after_sheet_heading: 1.0,
            sheet_row_height: 9.0,
            approval_widths: vec![3.2, 1.6, 2.2, 1.5, 2.2],
            acknowledgment_widths: vec![0.9, 2.6, 3.0, 1.9, 1.6],
            visa_size: 12.0,
            visa_sign_width: 35.0,
            gap_between_visas: 1.0,
            qr_size: 15.0,
            qr_from_bottom: 4.0,
            qr_pixels: 8,
            sign_field: SignField {
                width: 60.0,
                height: 25.0,
            },
        }
    }
}
