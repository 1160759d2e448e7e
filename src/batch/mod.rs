//! Batch: one base act, many variants (districts, schools), rendered in parallel.
//!
//! The base YAML may hold minijinja placeholders (`{{ district }}`, `{{ head.name }}`)
//! in its text. Each variant (a YAML list entry or a CSV row) supplies the values.
//! Substitution works on the parsed tree, never on YAML text: a value is inserted
//! as text and never evaluated again, and a scalar that is exactly one placeholder
//! whose value is a list or mapping is replaced by that structure (inside a list, a
//! list value is spliced in) — so a variant can bring its own table rows or schools.
//! A placeholder without a value is an error naming the variant and the place.
//!
//! Typst's memo cache is one per process, and threads sharing it wipe and
//! lock each other's entries. So `prikaz batch` spreads the variants over
//! copies of itself ([`Workers::Processes`], [`serve`]): each worker process
//! keeps its own cache, a crashing variant takes down only its worker (which
//! is replaced), and the parent keeps the progress bar, the summary and the
//! merged PDF. Threads remain for library callers and for `--merge`, which
//! needs every variant's laid-out pages in one process.

mod substitute;
mod variants;
mod workers;

pub use substitute::instantiate;
pub use variants::{Variant, read_variants};
pub use workers::{WORKER_ENV, serve};

use crate::diag::{Diagnostic, Diagnostics, Severity, SourceFile};
use crate::job::{self, EngineSource, Input, Run, Settings, Tools};
use crate::output::{Durability, Written, write_all_with};
use crate::read::yaml::{self, Node};
use crate::read::{self, Limits};
use crate::render::{Engine, Pages};
use crate::templates::Templates;
use serde::{Deserialize, Serialize};
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use workers::{in_processes, pool};

/// What to produce for each variant.
#[derive(Debug, Clone)]
pub struct Options {
    pub out: PathBuf,
    /// PDF and/or DOCX for each variant.
    pub formats: Vec<crate::render::Format>,
    /// The standard of every PDF, the merged one included.
    pub pdf: crate::render::PdfStandard,
    pub no_clobber: bool,
    /// Also write one PDF with every variant, in order.
    pub merge: bool,
    /// Print on the organisation's pre-printed blank (`--blank`).
    pub blank: bool,
    /// Signature fields where each variant is signed (`--signature-field`).
    pub signature_fields: bool,
    /// A variant with warnings fails as with errors (`--strict`).
    pub strict: bool,
    /// How many variants are made at once.
    pub threads: usize,
    pub workers: Workers,
}

/// Where the variants are made.
#[derive(Debug, Clone)]
pub enum Workers {
    /// Threads of this process.
    Threads,
    /// Copies of this program: `exe args…` run with [`WORKER_ENV`] set must
    /// call [`serve`] with the same base, variants and options.
    Processes { exe: PathBuf, args: Vec<OsString> },
}

/// A message about one variant, as `--json` shows it and as it is printed.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Report {
    pub json: serde_json::Value,
    pub text: String,
}

impl Report {
    fn of(d: &Diagnostic) -> Self {
        Report {
            json: serde_json::to_value(d).unwrap_or_default(),
            text: d.render().trim_end().to_string(),
        }
    }
}

fn reports_as_json<S: serde::Serializer>(r: &[Report], s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(r.iter().map(|r| &r.json))
}

/// The result of one variant, for the summary and `--json`.
#[derive(Debug, Clone, Serialize)]
pub struct Outcome {
    pub index: usize,
    pub name: String,
    pub dir: String,
    pub files: Vec<String>,
    pub pages: usize,
    #[serde(serialize_with = "reports_as_json")]
    pub warnings: Vec<Report>,
    #[serde(serialize_with = "reports_as_json")]
    pub errors: Vec<Report>,
}

impl Outcome {
    /// A variant not yet produced: its number, name and folder.
    fn new(i: usize, total: usize, v: &Variant, opts: &Options) -> Self {
        Outcome {
            index: i + 1,
            name: v.name.clone(),
            dir: opts
                .out
                .join(folder_name(i, total, &v.name))
                .display()
                .to_string(),
            files: vec![],
            pages: 0,
            warnings: vec![],
            errors: vec![],
        }
    }

    pub fn ok(&self) -> bool {
        self.errors.is_empty()
    }
}

#[derive(Debug, Serialize)]
pub struct Summary {
    pub variants: Vec<Outcome>,
    pub merged: Option<String>,
    pub written: usize,
    pub failed: usize,
}

/// A folder name: «03-Ленинский_район».
pub fn folder_name(index: usize, total: usize, name: &str) -> String {
    let width = total.to_string().len().max(2);
    let clean: String = name
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '.' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let clean = clean
        .trim_matches(['_', '.'])
        .chars()
        .take(60)
        .collect::<String>();
    format!("{:0width$}-{clean}", index + 1)
}

/// One variant's outcome, with its laid-out pages when a merged PDF is wanted.
type Produced = (Outcome, Option<Pages>);

/// What every variant shares: the base act, parsed once, and the tools.
struct Job<'a> {
    src: Arc<SourceFile>,
    /// Kept for messages that quote it.
    _profile: Option<Arc<SourceFile>>,
    tree: Node,
    dir: PathBuf,
    variants: &'a [Variant],
    opts: &'a Options,
    settings: Settings,
    tools: Tools<'a>,
}

impl<'a> Job<'a> {
    fn new(
        base_path: &Path,
        variants: &'a [Variant],
        opts: &'a Options,
        templates: &'a Templates,
        engine: &'a dyn EngineSource,
        limits: &'a Limits,
    ) -> Result<Self, Diagnostics> {
        // The base is read as YAML, not as an act: placeholders may stand where a date goes.
        let src = read::load_source(base_path, limits)?;
        let mut tree = yaml::parse(&src).map_err(|d| Diagnostics(vec![d]))?;
        let dir = job::folder_of(base_path).to_path_buf();
        // The base's profile is merged once, before any variant's values.
        let profile = read::profile::apply(&mut tree, &src, &dir, limits)?;
        Ok(Job {
            src,
            _profile: profile,
            tree,
            dir,
            variants,
            opts,
            settings: Settings {
                pdf: opts.pdf,
                blank: opts.blank,
                signature_fields: opts.signature_fields,
                strict: opts.strict,
                keep_pages: opts.merge,
                ..Settings::new(opts.formats.clone())
            },
            tools: Tools {
                templates,
                limits,
                engine,
            },
        })
    }

    fn blank(&self, i: usize) -> Outcome {
        Outcome::new(i, self.variants.len(), &self.variants[i], self.opts)
    }

    fn failed(&self, i: usize, d: Diagnostic) -> Produced {
        let mut o = self.blank(i);
        o.errors.push(Report::of(&d));
        (o, None)
    }

    /// Variant `i`, made in this process; `keep` is how many documents'
    /// layouts Typst's cache may keep (0 where threads share it).
    fn make(&self, i: usize, durability: Durability, keep: usize) -> Produced {
        // A panic in one variant (a library bug) is that variant's error.
        let r = crate::diag::guard("обработке варианта", || {
            Ok(self.one(i, durability))
        })
        .unwrap_or_else(|d| self.failed(i, d));
        crate::render::forget_layouts(keep);
        r
    }

    /// Variant `i` on the one path of an act ([`crate::job`]), into its own folder.
    fn one(&self, i: usize, durability: Durability) -> Produced {
        let v = &self.variants[i];
        let mut o = self.blank(i);
        let dir = PathBuf::from(&o.dir);
        let fail = |mut o: Outcome, d: Diagnostics| {
            for x in &d.0 {
                match x.severity {
                    Severity::Error => o.errors.push(Report::of(x)),
                    Severity::Warning => o.warnings.push(Report::of(x)),
                }
            }
            (o, None)
        };
        let tree = match instantiate(&self.tree, v, &self.src, self.tools.limits.max_input) {
            Ok(t) => t,
            Err(d) => return fail(o, d),
        };
        let parsed = match read::decode_root(&tree, self.src.clone()) {
            Ok(p) => p,
            Err(d) => return fail(o, d),
        };
        let input = Input::Parsed {
            parsed: Box::new(parsed),
            base: &self.dir,
        };
        let made = match job::make(input, &self.settings, &self.tools) {
            Ok(m) => m,
            Err(d) => return fail(o, d),
        };
        o.warnings = made.warnings.0.iter().map(Report::of).collect();
        o.pages = made.pages.as_ref().map_or(0, Pages::len);
        let keep = if self.opts.merge { made.pages } else { None };
        // Each variant writes into a folder of its own: no two share a name.
        let mut run = Run::default();
        match run.write(
            &self.src.path,
            &dir,
            &made.files,
            self.opts.no_clobber,
            durability,
        ) {
            Ok(w) => {
                o.files = w
                    .into_iter()
                    .filter_map(|w| match w {
                        Written::New(p) | Written::Replaced(p) => Some(p.display().to_string()),
                        Written::Kept(_) => None,
                    })
                    .collect();
                (o, keep)
            }
            Err(d) => fail(o, Diagnostics(vec![d])),
        }
    }
}

/// Produce every variant; `progress` is called after each one.
pub fn run(
    base_path: &Path,
    variants: &[Variant],
    opts: &Options,
    templates: &Templates,
    engine: &Engine,
    limits: &Limits,
    progress: &(dyn Fn(&Outcome) + Sync),
) -> Result<Summary, Diagnostics> {
    let job = Job::new(base_path, variants, opts, templates, engine, limits)?;
    keep_freed_memory();
    let total = variants.len();
    let threads = opts.threads.clamp(1, total.max(1));
    let results = match &opts.workers {
        Workers::Processes { exe, args } if threads > 1 && !opts.merge => {
            in_processes(&job, exe, args, threads, progress)
        }
        _ => pool(total, threads, |i| {
            // Threads share one cache: with more than one, keeping entries
            // only makes them wipe and lock each other's.
            let keep = if threads == 1 { KEEP_LAYOUTS } else { 0 };
            let r = job.make(i, Durability::AtEnd, keep);
            progress(&r.0);
            r
        }),
    };
    let mut merged = None;
    let mut outcomes = vec![];
    let mut parts = vec![];
    for (o, pages) in results {
        parts.extend(pages);
        outcomes.push(o);
    }
    if opts.merge && !parts.is_empty() {
        let stem = base_path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("пакет");
        let doc = Pages::merge(parts, &format!("{stem}: все варианты"));
        let meta = crate::model::Meta {
            title: format!("{stem}: все варианты"),
            author: String::new(),
            subject: String::new(),
            keywords: vec![],
            date: String::new(),
            year: 2000,
            month: 1,
            day: 1,
            ident: format!("prikaz-batch:{stem}"),
            file_stem: String::new(),
            file_stem_shortened: false,
        };
        let bytes = engine
            .export_pdf_with(&meta, &doc, opts.pdf)
            .map_err(|d| Diagnostics(vec![d]))?;
        let name = format!("{stem}_все_варианты.pdf");
        write_all_with(
            &opts.out,
            &[(name.clone(), bytes)],
            opts.no_clobber,
            Durability::AtEnd,
        )
        .map_err(|d| Diagnostics(vec![d]))?;
        merged = Some(opts.out.join(name).display().to_string());
    }
    // One sync for every file of the batch (output.rs says why).
    if opts.out.is_dir() {
        crate::output::sync_folder(&opts.out).map_err(|d| Diagnostics(vec![d]))?;
    }
    let failed = outcomes.iter().filter(|o| !o.ok()).count();
    let written = outcomes.iter().map(|o| o.files.len()).sum();
    Ok(Summary {
        variants: outcomes,
        merged,
        written,
        failed,
    })
}

/// Each variant allocates and frees tens of megabytes. glibc returns freed
/// memory at the top of the heap to the system at once, and the next variant
/// takes it back page by page: a page fault each. Keeping up to 128 MB of
/// freed memory saved 6 % of a batch's time at the same peak (scripts/bench.sh).
fn keep_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets glibc's allocator parameters.
    unsafe {
        libc::mallopt(libc::M_TRIM_THRESHOLD, 128 << 20);
        libc::mallopt(libc::M_TOP_PAD, 64 << 20);
    }
}

/// How many documents' layouts a worker process keeps in Typst's cache
/// (measured in scripts/bench.sh: more costs memory and gains nothing).
const KEEP_LAYOUTS: usize = 3;
