//! Writers: the resolved document model → output formats.
//!
//! Like mdBook's renderers, each writer takes the same input — the resolved
//! [`crate::model::Document`] (with its layout numbers) and the coat of arms
//! prepared once ([`crate::emblem::Emblem`]) — and returns bytes; neither reads
//! YAML nor decides wording. [`render`] is the one place that decides which
//! writer makes which file. Only `render::typst` names Typst's types.

pub mod docx;
pub mod typst;

/// The page writer (PDF, PNG) under names that say what it does.
pub use self::typst::{Engine, Pages, forget_layouts};

use crate::diag::Diagnostic;
use crate::emblem::Emblem;
use crate::model::Document;

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Pdf,
    Docx,
    /// PNG previews, one file per page.
    Png,
}

impl Format {
    /// `pdf,docx` → the formats, each once; the message is Russian.
    pub fn parse_list(s: &str) -> Result<Vec<Format>, String> {
        let mut out = vec![];
        for part in s
            .split(',')
            .map(|p| p.trim().to_lowercase())
            .filter(|p| !p.is_empty())
        {
            let f = match part.as_str() {
                "pdf" => Format::Pdf,
                "docx" => Format::Docx,
                "png" => Format::Png,
                other => {
                    return Err(format!(
                        "неизвестный формат «{other}»; допустимы: pdf, docx, png"
                    ));
                }
            };
            if !out.contains(&f) {
                out.push(f);
            }
        }
        if out.is_empty() {
            return Err("не указан ни один формат: --format pdf,docx".into());
        }
        Ok(out)
    }
}

/// The files of one document, named from `stem`, and its laid-out pages when
/// they were made (for any PDF or PNG, or when `keep_layout` asks for them).
pub struct Rendered {
    pub files: Vec<(String, Vec<u8>)>,
    pub pages: Option<Pages>,
}

/// Run the writers for `formats`: the one place that decides which writer makes
/// which file and how it is named (`stem.pdf`, `stem-1.png`, `stem.docx`).
pub fn render(
    engine: &Engine,
    doc: &Document,
    emblem: Option<&Emblem>,
    stem: &str,
    formats: &[Format],
    dpi: f32,
    keep_layout: bool,
) -> Result<Rendered, Diagnostic> {
    let mut files = vec![];
    let mut pages = None;
    if keep_layout
        || formats
            .iter()
            .any(|f| matches!(f, Format::Pdf | Format::Png))
    {
        let p = engine.compile(doc, emblem)?;
        for f in formats {
            match f {
                Format::Pdf => files.push((format!("{stem}.pdf"), engine.export_pdf(doc, &p)?)),
                Format::Png => {
                    for (i, png) in engine.png(&p, dpi)?.into_iter().enumerate() {
                        files.push((format!("{stem}-{}.png", i + 1), png));
                    }
                }
                Format::Docx => {}
            }
        }
        pages = Some(p);
    }
    if formats.contains(&Format::Docx) {
        files.push((format!("{stem}.docx"), docx::write(doc, emblem)?));
    }
    Ok(Rendered { files, pages })
}
