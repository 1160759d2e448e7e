//! Writers: the resolved document model → output formats.
//!
//! Like mdBook's renderers, each writer takes the same input — the resolved
//! [`crate::model::Document`] (with its layout numbers) and the coat of arms
//! prepared once ([`crate::emblem::Emblem`]) — and returns bytes; neither reads
//! YAML nor decides wording. [`render`] is the one place that decides which
//! writer makes which file. Only `render::typst` names Typst's types.

pub mod docx;
pub mod pdf_fields;
pub mod typst;

/// The page writer (PDF, PNG) under names that say what it does.
pub use self::typst::{
    Engine, Pages, SvgCache, SvgPage, TextRun, finish_trace, forget_layouts, start_trace,
};

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

/// The standard a PDF conforms to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PdfStandard {
    /// Plain PDF 1.7.
    Plain,
    /// PDF/A-2b (ISO 19005-2, ГОСТ Р ИСО 19005-2), for permanent keeping.
    #[default]
    A2b,
    /// PDF/A-2a and PDF/UA-1: archival, tagged, readable by screen readers.
    A2aUa1,
}

impl PdfStandard {
    /// `a-2b`, `ua` (or `a-2a`), `обычный` (or `plain`); the message is Russian.
    pub fn parse(s: &str) -> Result<Self, String> {
        match s.trim().to_lowercase().replace(['_', ' '], "-").as_str() {
            "a-2b" | "pdf-a-2b" | "pdfa" | "pdf-a" => Ok(Self::A2b),
            "ua" | "ua-1" | "pdf-ua" | "a-2a" | "a-2a-ua-1" => Ok(Self::A2aUa1),
            "обычный" | "plain" | "pdf" | "нет" => Ok(Self::Plain),
            other => Err(format!(
                "неизвестный стандарт PDF «{other}»; допустимы: a-2b (по умолчанию), ua, обычный"
            )),
        }
    }
}

/// What to make of one document.
#[derive(Debug, Clone)]
pub struct Options {
    pub formats: Vec<Format>,
    /// PNG previews, dots per inch.
    pub dpi: f32,
    pub pdf: PdfStandard,
    /// Keep the laid-out pages (for a merged PDF) even without a PDF or PNG.
    pub keep_pages: bool,
    /// Write the DOCX on a thread of its own while Typst lays out the pages
    /// (one act on an idle machine; a batch already keeps every core busy).
    pub parallel: bool,
}

/// The files of one document, named from `stem`, and its laid-out pages when
/// they were made (for any PDF or PNG, or when `keep_pages` asks for them).
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
    opts: &Options,
) -> Result<Rendered, Diagnostic> {
    let formats = &opts.formats;
    let want_docx = formats.contains(&Format::Docx);
    let paged = || -> Result<Rendered, Diagnostic> {
        let mut files = vec![];
        if !(opts.keep_pages
            || formats
                .iter()
                .any(|f| matches!(f, Format::Pdf | Format::Png)))
        {
            return Ok(Rendered { files, pages: None });
        }
        let p = engine.compile(doc, emblem)?;
        crate::timings::mark("вёрстка Typst");
        for f in formats {
            match f {
                Format::Pdf => files.push((
                    format!("{stem}.pdf"),
                    engine.export_pdf_with(&doc.meta, &p, opts.pdf)?,
                )),
                Format::Png => {
                    for (i, png) in engine.png(&p, opts.dpi)?.into_iter().enumerate() {
                        files.push((format!("{stem}-{}.png", i + 1), png));
                    }
                }
                Format::Docx => {}
            }
        }
        crate::timings::mark("PDF/PNG");
        Ok(Rendered {
            files,
            pages: Some(p),
        })
    };
    let docx = || -> Result<Option<Vec<u8>>, Diagnostic> {
        if want_docx {
            let d = crate::diag::guard("записи DOCX", || docx::write(doc, emblem));
            crate::timings::mark("DOCX");
            d.map(Some)
        } else {
            Ok(None)
        }
    };
    let (paged, docx) = if opts.parallel && want_docx {
        std::thread::scope(|s| {
            let d = std::thread::Builder::new()
                .stack_size(64 * 1024 * 1024)
                .spawn_scoped(s, docx);
            let p = paged();
            // A thread that could not start leaves its work to this one.
            // The thread's work is guarded: it returns an error, never panics.
            let d = match d {
                Ok(h) => h.join().unwrap_or_else(|_| docx()),
                Err(_) => docx(),
            };
            (p, d)
        })
    } else {
        (paged(), docx())
    };
    let mut rendered = paged?;
    if let Some(bytes) = docx? {
        rendered.files.push((format!("{stem}.docx"), bytes));
    }
    Ok(rendered)
}
