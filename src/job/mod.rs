//! One act to files: the one path that `render`, `watch`, the batch workers
//! and `serve` all take.
//!
//! [`make`]: prepare the act (read → facts → validate and lint → resolve, in
//! [`prepare`]), apply the run's decision to print on a pre-printed blank,
//! stop on warnings under `--strict`, and run the writers, which name the
//! files after the model's stem. [`Run::write`]: refuse a name another act of
//! the same run already took, then write every file or none ([`crate::output`]).

pub mod prepare;

pub use crate::read::folder_of;
pub use prepare::{Prepared, prepare, prepare_parsed, prepare_then};

use crate::diag::{Diagnostic, Diagnostics, Severity};
use crate::errors;
use crate::output::{self, Durability, Written};
use crate::read::{Limits, Parsed};
use crate::render::{self, Engine, Format, Pages, PdfStandard};
use crate::resolve::Selection;
use crate::templates::Templates;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// PNG previews, dots per inch, unless `--dpi` says otherwise.
pub const DEFAULT_DPI: f32 = 100.0;

/// What a run makes of each act.
#[derive(Debug, Clone)]
pub struct Settings {
    pub formats: Vec<Format>,
    /// PNG previews, dots per inch.
    pub dpi: f32,
    pub pdf: PdfStandard,
    /// The whole act, or one appendix (`--only`).
    pub selection: Selection,
    /// Printed on the organisation's pre-printed blank (`--blank`).
    pub blank: bool,
    /// Signature fields where the document is signed (`--signature-field`).
    pub signature_fields: bool,
    /// Warnings stop the act as errors do (`--strict`).
    pub strict: bool,
    /// Keep the laid-out pages (for a merged PDF).
    pub keep_pages: bool,
    /// Write the DOCX on a thread of its own beside the layout (one act on an
    /// idle machine; a batch already keeps every core busy).
    pub parallel: bool,
}

impl Settings {
    /// The whole act in `formats`, as PDF/A-2b, with nothing else asked for.
    pub fn new(formats: Vec<Format>) -> Self {
        Settings {
            formats,
            dpi: DEFAULT_DPI,
            pdf: PdfStandard::default(),
            selection: Selection::All,
            blank: false,
            signature_fields: false,
            strict: false,
            keep_pages: false,
            parallel: false,
        }
    }

    fn writers(&self) -> render::Options {
        render::Options {
            formats: self.formats.clone(),
            dpi: self.dpi,
            pdf: self.pdf,
            keep_pages: self.keep_pages,
            parallel: self.parallel,
        }
    }
}

/// Where the page writer comes from: made already, or being made on a thread
/// of its own ([`Later`]) while the first act is read.
pub trait EngineSource: Sync {
    fn engine(&self) -> &Engine;
}

impl EngineSource for Engine {
    fn engine(&self) -> &Engine {
        self
    }
}

impl EngineSource for Later<Engine> {
    fn engine(&self) -> &Engine {
        self.get()
    }
}

/// What every act of a run shares.
pub struct Tools<'a> {
    pub templates: &'a Templates,
    pub limits: &'a Limits,
    pub engine: &'a dyn EngineSource,
}

/// An act to make: a file on disk, or one already read (a batch variant, the
/// editor's unsaved text) with the folder its files are relative to.
pub enum Input<'a> {
    File(&'a Path),
    Parsed { parsed: Box<Parsed>, base: &'a Path },
}

/// One act, made and not yet written.
pub struct Made {
    /// File name → bytes.
    pub files: Vec<(String, Vec<u8>)>,
    /// The laid-out pages, when they were kept.
    pub pages: Option<Pages>,
    /// The warnings (none of them under `--strict`: those stop the act).
    pub warnings: Diagnostics,
    /// The file names' stem, when it had to be shortened to fit a file name.
    pub shortened: Option<String>,
}

/// Make one act: the model, then the files the settings ask for.
pub fn make(input: Input, settings: &Settings, tools: &Tools) -> Result<Made, Diagnostics> {
    let writers = settings.writers();
    let source = match &input {
        Input::File(path) => path.display().to_string(),
        Input::Parsed { parsed, .. } => parsed.source.path.display().to_string(),
    };
    let work = |p: &mut Prepared| {
        if settings.blank {
            p.doc.print_on_blank();
        }
        if settings.signature_fields {
            p.doc.add_signature_fields();
        }
        let meta = &p.doc.meta;
        let rendered = render::render(
            tools.engine.engine(),
            &p.doc,
            p.emblem.as_ref(),
            &meta.file_stem,
            &writers,
        );
        let shortened = meta.file_stem_shortened.then(|| meta.file_stem.clone());
        (shortened, rendered)
    };
    let (p, (shortened, rendered)) = match input {
        // The lints run on a thread of their own beside the writers.
        Input::File(path) => prepare_then(
            path,
            tools.templates,
            tools.limits,
            &settings.selection,
            work,
        )?,
        Input::Parsed { parsed, base } => {
            let mut p = prepare_parsed(
                *parsed,
                base,
                tools.templates,
                tools.limits,
                &settings.selection,
            )?;
            let r = work(&mut p);
            (p, r)
        }
    };
    // Under --strict a warning stops the act; what the writers made is dropped.
    if settings.strict && p.warnings.warnings() > 0 {
        let mut d = p.warnings;
        for x in &mut d.0 {
            x.severity = Severity::Error;
        }
        return Err(d);
    }
    // A writer's failure is told after the warnings found before it.
    let rendered = rendered.map_err(|d| {
        let mut all = p.warnings.clone();
        all.push(d.in_file(source));
        all
    })?;
    Ok(Made {
        files: rendered.files,
        pages: rendered.pages,
        warnings: p.warnings,
        shortened,
    })
}

/// The files of one run: which act made each, so that two acts that map to
/// the same file name do not overwrite each other silently.
#[derive(Default)]
pub struct Run {
    made: HashMap<PathBuf, PathBuf>,
}

impl Run {
    /// Write `files` of the act `source` into `dir`, all or nothing.
    pub fn write(
        &mut self,
        source: &Path,
        dir: &Path,
        files: &[(String, Vec<u8>)],
        no_clobber: bool,
        durability: Durability,
    ) -> Result<Vec<Written>, Diagnostic> {
        for (name, _) in files {
            let target = dir.join(name);
            if let Some(earlier) = self.made.get(&target) {
                return Err(Diagnostic::error(
                    errors::SAME_OUTPUT,
                    format!(
                        "файл {} уже создан в этом запуске из {}: у двух актов одинаковые вид, номер и дата",
                        target.display(),
                        earlier.display()
                    ),
                )
                .hint("исправьте номер или дату одного из актов, или формируйте их в разные папки (-o)"));
            }
        }
        let written = output::write_all_with(dir, files, no_clobber, durability)?;
        for (name, _) in files {
            self.made.insert(dir.join(name), source.to_path_buf());
        }
        Ok(written)
    }
}

/// A value made on a thread of its own while this one goes on; [`Later::get`]
/// waits for it. Typst's library and the fonts take 2.4 ms to set up, which a
/// clerk's single act otherwise waits for before reading the YAML.
pub struct Later<T> {
    making: std::sync::Mutex<Option<std::thread::JoinHandle<T>>>,
    value: std::sync::OnceLock<T>,
    make: std::sync::Arc<dyn Fn() -> T + Send + Sync>,
}

impl<T: Send + 'static> Later<T> {
    pub fn start(make: impl Fn() -> T + Send + Sync + 'static) -> Self {
        let make: std::sync::Arc<dyn Fn() -> T + Send + Sync> = std::sync::Arc::new(make);
        let on_thread = make.clone();
        Later {
            making: std::sync::Mutex::new(
                std::thread::Builder::new().spawn(move || on_thread()).ok(),
            ),
            value: std::sync::OnceLock::new(),
            make,
        }
    }

    pub fn get(&self) -> &T {
        self.value.get_or_init(|| {
            let handle = self.making.lock().ok().and_then(|mut m| m.take());
            // Made here when the thread could not start; a panic there goes on here.
            match handle {
                Some(h) => h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)),
                None => (self.make)(),
            }
        })
    }
}
