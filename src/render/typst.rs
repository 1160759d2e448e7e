//! Typst writer: the document model → PDF (and PNG previews).
//!
//! The model goes to the template as a virtual JSON file (`/data.json`), read with
//! `json()`: user text is data, never Typst markup. Our [`World`] serves only the
//! template, that JSON, the coat of arms (`/emblem`) and the QR code (`/qr`); fonts are the bundled ones
//! ([`crate::fonts`]), never the system's; `today()` is the act's date.
//!
//! This is the only module that names a Typst type: laid-out pages leave it as
//! [`Pages`], and the memo cache is managed through [`forget_layouts`].

use crate::diag::Diagnostic;
use crate::emblem::Emblem;
use crate::errors;
use crate::model::Document;
use crate::render::PdfStandard;
use typst::diag::{FileError, FileResult, Severity};
use typst::foundations::{Bytes, Datetime, Duration, Smart};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_layout::PagedDocument;

/// Laid-out pages of one document (or of several, merged).
pub struct Pages(PagedDocument);

impl Pages {
    pub fn len(&self) -> usize {
        self.0.pages().len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.pages().is_empty()
    }

    /// The pages of `parts` one after another, as one document titled `title`.
    pub fn merge(parts: Vec<Pages>, title: &str) -> Pages {
        let info = typst::model::DocumentInfo {
            title: Some(title.into()),
            ..Default::default()
        };
        let pages = parts
            .into_iter()
            .flat_map(|p| p.0.pages().to_vec())
            .collect();
        Pages(PagedDocument::new(pages, info))
    }
}

/// Drop the layouts Typst memoised, but for those used in the last `keep`
/// documents. Kept, they grow by megabytes a document. The cache is one per
/// process: where threads share it, `keep` is 0 (each wipes the others'
/// entries anyway); a batch worker process keeps a few (measured in
/// scripts/bench.sh).
pub fn forget_layouts(keep: usize) {
    typst::comemo::evict(keep);
}

/// `PRIKAZ_TRACE=FILE`: Typst's own timing scopes (evaluation, each layout
/// iteration, paragraphs, tables, PDF export), each with its line of the
/// template, written as a Chrome trace (ui.perfetto.dev, chrome://tracing)
/// when the program ends. For finding where a document's layout time goes.
pub fn start_trace() {
    if std::env::var_os("PRIKAZ_TRACE").is_some() {
        typst_timing::enable();
    }
}

/// The template the traced scopes' lines refer to (the last engine made).
static TRACED_TEMPLATE: std::sync::Mutex<Option<Source>> = std::sync::Mutex::new(None);

/// Write the trace [`start_trace`] asked for.
pub fn finish_trace() {
    let Some(path) = std::env::var_os("PRIKAZ_TRACE") else {
        return;
    };
    let template = TRACED_TEMPLATE.lock().ok().and_then(|t| t.clone());
    let line_of = |span| -> (String, u32) {
        let span = typst::syntax::Span::from_raw(span);
        let line = template
            .as_ref()
            .and_then(|t| Some(t.lines().byte_to_line(t.find(span)?.offset())? as u32 + 1));
        ("act.typ".into(), line.unwrap_or(0))
    };
    let written = std::fs::File::create(&path).and_then(|f| {
        let mut w = std::io::BufWriter::new(f);
        typst_timing::export_json(&mut w, line_of).map_err(std::io::Error::other)?;
        std::io::Write::flush(&mut w)
    });
    if let Err(e) = written {
        eprintln!(
            "не удалось записать {}: {e}",
            std::path::Path::new(&path).display()
        );
    }
}

/// Everything that is the same for every document: library, fonts, template.
/// Built once and shared between threads.
pub struct Engine {
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
    template: Source,
}

fn file_id(path: &str) -> FileId {
    RootedPath::new(
        VirtualRoot::Project,
        VirtualPath::new(path).expect("valid virtual path"),
    )
    .intern()
}

impl Engine {
    pub fn new(template: &str) -> Self {
        let fonts: Vec<Font> = crate::fonts::BUNDLED
            .iter()
            .flat_map(|data| Font::iter(Bytes::new(*data)))
            .collect();
        let template = Source::new(file_id("/act.typ"), template.to_string());
        if typst_timing::is_enabled()
            && let Ok(mut t) = TRACED_TEMPLATE.lock()
        {
            *t = Some(template.clone());
        }
        Self {
            library: LazyHash::new(Library::builder().build()),
            book: LazyHash::new(FontBook::from_fonts(&fonts)),
            fonts,
            template,
        }
    }

    /// Lay out a document.
    pub fn compile(&self, doc: &Document, emblem: Option<&Emblem>) -> Result<Pages, Diagnostic> {
        let data = serde_json::to_vec(doc).map_err(|e| {
            Diagnostic::error(errors::PAGE_TEMPLATE, format!("внутренняя ошибка: {e}"))
        })?;
        let world = DocWorld {
            engine: self,
            data: Bytes::new(data),
            emblem: emblem.map(|e| Bytes::new(e.bytes().to_vec())),
            qr: doc.qr.as_ref().map(|q| Bytes::new(q.svg())),
            today: Datetime::from_ymd(doc.meta.year, doc.meta.month as u8, doc.meta.day as u8),
        };
        crate::diag::guard("вёрстке PDF", || {
            let result = crate::budget::timed(|| typst::compile::<PagedDocument>(&world));
            let mut laid = result
                .output
                .map_err(|errs| template_error(&errs, &world))?;
            describe(laid.info_mut(), &doc.meta);
            Ok(Pages(laid))
        })
    }

    /// Lay out and export to PDF (PDF/A-2b, the default standard).
    pub fn pdf(&self, doc: &Document, emblem: Option<&Emblem>) -> Result<Vec<u8>, Diagnostic> {
        let pages = self.compile(doc, emblem)?;
        self.export_pdf(doc, &pages)
    }

    pub fn export_pdf(&self, doc: &Document, pages: &Pages) -> Result<Vec<u8>, Diagnostic> {
        self.export_pdf_with(&doc.meta, pages, PdfStandard::default())
    }

    /// Export laid-out pages (possibly of several documents) with the given
    /// metadata, conforming to `standard`.
    pub fn export_pdf_with(
        &self,
        meta: &crate::model::Meta,
        pages: &Pages,
        standard: PdfStandard,
    ) -> Result<Vec<u8>, Diagnostic> {
        crate::diag::guard("записи PDF", || {
            self.export_unguarded(meta, pages, standard)
        })
    }

    fn export_unguarded(
        &self,
        meta: &crate::model::Meta,
        pages: &Pages,
        standard: PdfStandard,
    ) -> Result<Vec<u8>, Diagnostic> {
        let list: &[typst_pdf::PdfStandard] = match standard {
            PdfStandard::Plain => &[],
            PdfStandard::A2b => &[typst_pdf::PdfStandard::A_2b],
            PdfStandard::A2aUa1 => &[typst_pdf::PdfStandard::A_2a, typst_pdf::PdfStandard::Ua_1],
        };
        let standards = typst_pdf::PdfStandards::new(list).map_err(|e| {
            Diagnostic::error(
                errors::PDF_NOT_WRITTEN,
                format!("не удалось записать PDF: {}", e.message()),
            )
        })?;
        match self.export_as(meta, pages, standards) {
            // A character no bundled font has cannot be in a PDF/A: the lints
            // have warned about it (P603); the PDF is written without the claim.
            Err(errs)
                if standard != PdfStandard::Plain
                    && errs.iter().all(|e| e.contains("could not be displayed")) =>
            {
                self.export_as(meta, pages, typst_pdf::PdfStandards::default())
                    .map_err(export_error)
            }
            r => r.map_err(export_error),
        }
    }

    fn export_as(
        &self,
        meta: &crate::model::Meta,
        pages: &Pages,
        standards: typst_pdf::PdfStandards,
    ) -> Result<Vec<u8>, Vec<String>> {
        let stamp = Datetime::from_ymd_hms(meta.year, meta.month as u8, meta.day as u8, 0, 0, 0)
            .map(typst_pdf::Timestamp::new_utc);
        let options = typst_pdf::PdfOptions {
            ident: Smart::Custom(meta.ident.clone()),
            creator: Smart::Custom(Some(format!("prikaz {}", env!("CARGO_PKG_VERSION")))),
            timestamp: stamp,
            standards,
            ..Default::default()
        };
        let pdf = typst_pdf::pdf(&pages.0, &options).map_err(|errs| {
            errs.iter()
                .map(|e| e.message.to_string())
                .collect::<Vec<_>>()
        })?;
        let fields = sign_fields(&pages.0);
        if fields.is_empty() {
            return Ok(pdf);
        }
        crate::render::pdf_fields::add(&pdf, &fields)
            .map_err(|e| vec![format!("поле подписи не добавлено: {e}")])
    }

    /// PNG images of the pages, `dpi` dots per inch.
    pub fn png(&self, pages: &Pages, dpi: f32) -> Result<Vec<Vec<u8>>, Diagnostic> {
        let opts = typst_render::RenderOptions {
            pixel_per_pt: typst::utils::Scalar::new((dpi / 72.0) as f64),
            ..Default::default()
        };
        crate::diag::guard("записи PNG", || {
            pages
                .0
                .pages()
                .iter()
                .map(|p| {
                    typst_render::render(p, &opts).encode_png().map_err(|e| {
                        Diagnostic::error(
                            errors::PNG_NOT_WRITTEN,
                            format!("не удалось записать PNG: {e}"),
                        )
                    })
                })
                .collect()
        })
    }
}

/// The signature fields the template marked (`<sign-field>`, see
/// `sign-field` in act.typ): each where its mark stands on its page, the
/// size the mark carries, in PDF coordinates. In a merged PDF a name met
/// before gets « 2», « 3» (two variants signed by one head).
fn sign_fields(doc: &PagedDocument) -> Vec<crate::render::pdf_fields::Field> {
    use typst::foundations::{Label, Selector, Value};
    use typst::introspection::{Introspector, MetadataElem};
    let Some(label) = Label::new(typst::utils::PicoStr::intern("sign-field")) else {
        return vec![];
    };
    let marks = doc.introspector().query(&Selector::Label(label));
    let mut out: Vec<crate::render::pdf_fields::Field> = vec![];
    for mark in marks {
        let (Some(at), Some(meta)) = (mark.location(), mark.to_packed::<MetadataElem>()) else {
            continue;
        };
        let Some(pos) = doc.introspector().position(at) else {
            continue;
        };
        let Value::Dict(d) = &meta.value else {
            continue;
        };
        let number = |k: &str| match d.get(k) {
            Ok(Value::Float(f)) => Some(*f as f32),
            Ok(Value::Int(i)) => Some(*i as f32),
            _ => None,
        };
        let text = |k: &str| match d.get(k) {
            Ok(Value::Str(s)) => Some(s.to_string()),
            _ => None,
        };
        let (Some(width), Some(height), Some(name), Some(description)) = (
            number("width"),
            number("height"),
            text("name"),
            text("description"),
        ) else {
            continue;
        };
        let page = pos.page.get() - 1;
        let Some(p) = doc.pages().get(page) else {
            continue;
        };
        let x0 = pos.point.x.to_pt() as f32;
        let top = (p.frame.height() - pos.point.y).to_pt() as f32;
        let mut unique = name.clone();
        let mut n = 1;
        while out.iter().any(|f| f.name == unique) {
            n += 1;
            unique = format!("{name} {n}");
        }
        out.push(crate::render::pdf_fields::Field {
            page,
            rect: [x0, top - height, x0 + width, top],
            name: unique,
            description,
        });
    }
    out
}

/// The document's metadata (PDF title, author, subject, keywords, date), from
/// the model. Set here rather than by `set document` in the template: a style
/// would make the title part of every paragraph's styles, and Typst could then
/// reuse no layout after an edit of the title.
///
/// Each string is cut to [`META_CHARS`] characters: a PDF (and PDF/A above
/// all) holds no string longer than 32 767 bytes, and a title of a
/// thousand words is still named by its beginning.
fn describe(info: &mut typst::model::DocumentInfo, meta: &crate::model::Meta) {
    info.title = Some(cut(&meta.title).into());
    info.author = vec![cut(&meta.author).into()];
    info.description = Some(cut(&meta.subject).into());
    info.keywords = meta.keywords.iter().map(|k| cut(k).into()).collect();
    info.date = Smart::Custom(Datetime::from_ymd(
        meta.year,
        meta.month as u8,
        meta.day as u8,
    ));
}

/// Most characters of one metadata string (title, subject): a PDF string
/// holds at most 32 767 bytes, a Cyrillic letter takes two of them in
/// UTF-16, and a few go to the string's own marks.
const META_CHARS: usize = 2000;

fn cut(s: &str) -> String {
    match s.char_indices().nth(META_CHARS) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_string(),
    }
}

fn export_error(errs: Vec<String>) -> Diagnostic {
    let said: Vec<String> = errs.iter().map(|e| pdf_error_ru(e)).collect();
    Diagnostic::error(
        errors::PDF_NOT_WRITTEN,
        format!("не удалось записать PDF: {}", said.join("; ")),
    )
    .hint("если в акте есть очень длинное слово или строка без пробелов, разбейте её; иначе это ошибка программы — сообщите разработчикам и приложите YAML-файл")
}

/// A PDF writer's message in Russian: the known ones translated, any other
/// told as a failure without the library's English.
fn pdf_error_ru(e: &str) -> String {
    let e = e.to_lowercase();
    if e.contains("string is longer than") {
        "в тексте есть строка без пробелов длиннее, чем допускает PDF/A (32 767 байт)".into()
    } else if e.contains("could not be displayed") || e.contains("missing glyph") {
        "знака нет во встроенных шрифтах, а PDF/A требует, чтобы все знаки были видны".into()
    } else if e.contains("too many") || e.contains("limit") {
        "документ превышает пределы формата PDF/A".into()
    } else {
        "библиотека записи PDF не смогла записать документ".into()
    }
}

/// A Typst message in Russian: the errors a template usually makes
/// translated, any other told without the library's English.
fn typst_error_ru(e: &str) -> String {
    let l = e.to_lowercase();
    let quoted = e
        .split('`')
        .nth(1)
        .map(|q| format!(" «{q}»"))
        .unwrap_or_default();
    if l.starts_with("unknown variable") {
        format!("неизвестное имя{quoted}")
    } else if l.starts_with("expected") {
        "ошибка записи (ожидалось другое выражение)".into()
    } else if l.contains("file not found") {
        "файл не найден".into()
    } else if l.contains("maximum") && l.contains("depth") {
        "слишком глубокая вложенность".into()
    } else if l.contains("cannot access") || l.contains("does not contain field") {
        format!("обращение к полю, которого нет{quoted}")
    } else if l.contains("unknown font") {
        "шрифт не найден".into()
    } else if l.contains("panicked") || l.contains("out of memory") {
        "вёрстка прервана: документ слишком велик".into()
    } else {
        "шаблон не удалось сверстать".into()
    }
}

fn template_error(errs: &[typst::diag::SourceDiagnostic], world: &DocWorld) -> Diagnostic {
    let first = errs
        .iter()
        .find(|e| e.severity == Severity::Error)
        .or(errs.first());
    let mut msg = String::from("ошибка в шаблоне страницы act.typ");
    if let Some(e) = first {
        if let Some(range) = typst::WorldExt::range(world, e.span)
            && let Ok(src) = world.source(world.main())
        {
            let line = src.text()[..range.start].matches('\n').count() + 1;
            msg.push_str(&format!(" (строка {line})"));
        }
        msg.push_str(": ");
        msg.push_str(&typst_error_ru(&e.message));
    }
    Diagnostic::error(errors::PAGE_TEMPLATE, msg)
        .hint("если задан свой шаблон (--template), проверьте его или уберите флаг; иначе это ошибка программы — сообщите разработчикам и приложите YAML-файл")
}

struct DocWorld<'a> {
    engine: &'a Engine,
    data: Bytes,
    emblem: Option<Bytes>,
    /// The QR code as SVG (`/qr`).
    qr: Option<Bytes>,
    today: Option<Datetime>,
}

impl World for DocWorld<'_> {
    fn library(&self) -> &LazyHash<Library> {
        &self.engine.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &self.engine.book
    }

    fn main(&self) -> FileId {
        self.engine.template.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.engine.template.id() {
            Ok(self.engine.template.clone())
        } else {
            Err(FileError::NotSource)
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        let path = id.vpath().get_without_slash();
        if id == file_id("/data.json") {
            return Ok(self.data.clone());
        }
        if let Some(bytes) = &self.emblem
            && id == file_id("/emblem")
        {
            return Ok(bytes.clone());
        }
        if let Some(bytes) = &self.qr
            && id == file_id("/qr")
        {
            return Ok(bytes.clone());
        }
        if id == self.engine.template.id() {
            return Ok(Bytes::from_string(self.engine.template.text().to_string()));
        }
        Err(FileError::NotFound(path.into()))
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.engine.fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        self.today
    }
}

/// One page for the browser: the SVG picture (glyphs drawn as outlines), its
/// size, and the page's text runs where they stand, for a text layer that can
/// be read, searched and selected over the picture.
#[derive(Debug, Clone, serde::Serialize)]
pub struct SvgPage {
    /// Changes exactly when the page's layout changes: the browser keeps a
    /// page it already shows.
    pub key: String,
    pub svg: String,
    /// Page size, points.
    pub width: f64,
    pub height: f64,
    pub text: Vec<TextRun>,
}

/// A run of text on a page: its baseline's start and width, points.
#[derive(Debug, Clone, serde::Serialize)]
pub struct TextRun {
    pub x: f64,
    pub y: f64,
    pub size: f64,
    pub width: f64,
    pub text: String,
}

/// Pages made into SVG before, by layout, so that an edit re-draws only the
/// pages it changed. Holds the pages of the last document drawn.
#[derive(Default)]
pub struct SvgCache(std::collections::HashMap<u128, std::sync::Arc<SvgPage>>);

impl Engine {
    /// The pages as SVG, each with its text runs; a page whose layout is in
    /// `cache` is taken from there, and the cache then holds these pages.
    pub fn svg(
        &self,
        pages: &Pages,
        cache: &mut SvgCache,
    ) -> Result<Vec<std::sync::Arc<SvgPage>>, Diagnostic> {
        crate::diag::guard("записи SVG", || {
            let mut kept = std::collections::HashMap::new();
            let mut out = vec![];
            for page in pages.0.pages() {
                let hash = look_hash(page);
                let made = match cache.0.get(&hash) {
                    Some(p) => p.clone(),
                    None => std::sync::Arc::new(svg_page(page, hash)),
                };
                kept.insert(hash, made.clone());
                out.push(made);
            }
            cache.0 = kept;
            Ok(out)
        })
    }
}

/// A hash of what a page looks like: its size, fill and every item drawn,
/// leaving out what only introspection uses (tags and the locations of
/// groups' logical parents), which an edit elsewhere in the document moves.
fn look_hash(page: &typst_layout::Page) -> u128 {
    use typst::layout::{Frame, FrameItem};
    use typst::utils::hash128;
    fn frame(f: &Frame, out: &mut Vec<u128>) {
        out.push(hash128(&f.size()));
        for (pos, item) in f.items() {
            match item {
                FrameItem::Tag(_) => {}
                FrameItem::Group(g) => {
                    out.push(hash128(&(pos, g.transform, &g.clip)));
                    frame(&g.frame, out);
                }
                other => out.push(hash128(&(pos, other))),
            }
        }
    }
    let mut all = vec![hash128(&(&page.fill, &page.bleed))];
    frame(&page.frame, &mut all);
    hash128(&all)
}

fn svg_page(page: &typst_layout::Page, hash: u128) -> SvgPage {
    use typst::layout::Transform;
    let mut text = vec![];
    text_runs(&page.frame, Transform::identity(), &mut text);
    SvgPage {
        key: format!("{hash:032x}"),
        svg: typst_svg::svg(page, &typst_svg::SvgOptions::default()),
        width: page.frame.width().to_pt(),
        height: page.frame.height().to_pt(),
        text,
    }
}

/// The text runs of `frame` placed by `ts`, as typst-svg places its glyphs.
fn text_runs(frame: &typst::layout::Frame, ts: typst::layout::Transform, out: &mut Vec<TextRun>) {
    use typst::layout::{FrameItem, Transform};
    for (pos, item) in frame.items() {
        let here = ts.pre_concat(Transform::translate(pos.x, pos.y));
        match item {
            FrameItem::Group(g) => text_runs(&g.frame, here.pre_concat(g.transform), out),
            FrameItem::Text(t) => {
                let scale = here.sy.get();
                out.push(TextRun {
                    x: here.tx.to_pt(),
                    y: here.ty.to_pt(),
                    size: t.size.to_pt() * scale,
                    width: t.width().to_pt() * here.sx.get(),
                    text: t.text.to_string(),
                });
            }
            _ => {}
        }
    }
}
