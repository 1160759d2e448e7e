//! Layout parameters: the one place where margins, sizes, indents and spacing live.
//!
//! Both writers read these numbers: the Typst template gets them in its JSON data
//! (`data.layout`), the DOCX writer converts them to twips and half-points.
//! Values follow `shared/design/gost.md`, part 1.

use serde::Serialize;

/// Page margins in millimetres.
#[derive(Debug, Clone, Copy, Serialize, PartialEq)]
pub struct Margins {
    pub top: f32,
    pub bottom: f32,
    pub left: f32,
    pub right: f32,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
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
}

impl Layout {
    pub fn for_edition(edition: crate::read::input::Edition) -> Self {
        let mut l = Self::default();
        if edition == crate::read::input::Edition::Gost2016 {
            l.requisite_width = 75.0;
        }
        l
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
            list_indent: 5.0,
            gap_after_header: 1.0,
            gap_after_title: 2.0,
            gap_before_signature: 2.0,
            paragraph_spacing: 0.0,
            cell_padding: 1.5,
            emblem_width: 15.0,
        }
    }
}
