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

use crate::diag::{Diagnostic, Diagnostics, SourceFile};
use crate::errors;
use crate::output::{Durability, Written, write_all_with};
use crate::read::yaml::{self, Node, NodeKind};
use crate::read::{self, Limits};
use crate::render::{Engine, Pages};
use crate::resolve::Selection;
use crate::templates::Templates;
use minijinja::{Environment, UndefinedBehavior, Value};
use regex::Regex;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::ffi::OsString;
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, LazyLock, Mutex};

/// One variant: its name and its values.
#[derive(Debug, Clone)]
pub struct Variant {
    pub name: String,
    pub values: BTreeMap<String, Node>,
}

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

/// Set in the environment of a worker process.
pub const WORKER_ENV: &str = "PRIKAZ_BATCH_WORKER";

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

/// What a worker process sends back for one variant (one JSON line).
#[derive(Serialize, Deserialize)]
struct Reply {
    files: Vec<String>,
    pages: usize,
    warnings: Vec<Report>,
    errors: Vec<Report>,
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

/// Run `job(0)` … `job(total - 1)` on `threads` plain worker threads pulling
/// the next index, and return the results in index order. Typst keeps
/// per-thread state that grew without bound inside a rayon pool (measured:
/// ~1 MB a document), and lays out deep content recursively, hence plain
/// threads with roomy stacks. `job` must not panic (the caller guards it); a
/// thread that cannot be started leaves its work to the others, and with none
/// started the work runs on the calling thread.
fn pool<T: Send>(total: usize, threads: usize, job: impl Fn(usize) -> T + Sync) -> Vec<T> {
    let threads = threads.clamp(1, total.max(1));
    let next = std::sync::atomic::AtomicUsize::new(0);
    let slots: Vec<std::sync::Mutex<Option<T>>> =
        (0..total).map(|_| std::sync::Mutex::new(None)).collect();
    let worker = || {
        loop {
            let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            if i >= total {
                break;
            }
            let r = job(i);
            *slots[i].lock().unwrap_or_else(|e| e.into_inner()) = Some(r);
        }
    };
    std::thread::scope(|scope| {
        let started = (0..threads)
            .filter(|_| {
                std::thread::Builder::new()
                    .stack_size(64 * 1024 * 1024)
                    .spawn_scoped(scope, worker)
                    .is_ok()
            })
            .count();
        if started == 0 {
            worker();
        }
    });
    slots
        .into_iter()
        .filter_map(|m| m.into_inner().unwrap_or_else(|e| e.into_inner()))
        .collect()
}

#[derive(Debug, Serialize)]
pub struct Summary {
    pub variants: Vec<Outcome>,
    pub merged: Option<String>,
    pub written: usize,
    pub failed: usize,
}

static SOLE: LazyLock<Regex> =
    LazyLock::new(|| crate::letters::regex(r"^\s*\{\{\s*([\p{L}\p{N}_.]+)\s*\}\}\s*$"));

/// Read the variants: a YAML list of mappings (or `{варианты: [...]}`), or a CSV file
/// whose header names the values (`head.name` makes a nested value; `имя` names the variant).
pub fn read_variants(path: &Path, limits: &Limits) -> Result<Vec<Variant>, Diagnostics> {
    let name = path.display().to_string();
    let one = |d: Diagnostic| Diagnostics(vec![d]);
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_lowercase();
    let src = read::load_source(path, limits)?;
    let variants = if ext == "csv" {
        csv_variants(&src)?
    } else {
        yaml_variants(&src)?
    };
    if variants.is_empty() {
        return Err(one(Diagnostic::error(
            errors::NO_VARIANTS,
            "в файле нет ни одного варианта",
        )
        .in_file(&name)));
    }
    Ok(variants)
}

fn yaml_variants(src: &Arc<SourceFile>) -> Result<Vec<Variant>, Diagnostics> {
    let root = yaml::parse(src).map_err(|d| Diagnostics(vec![d]))?;
    let list = match &root.kind {
        NodeKind::Seq(items) => items.clone(),
        NodeKind::Map(entries) => {
            match entries.iter().find(|(k, _)| k.as_str() == Some("варианты")) {
                Some((
                    _,
                    Node {
                        kind: NodeKind::Seq(items),
                        ..
                    },
                )) => items.clone(),
                _ => vec![],
            }
        }
        _ => vec![],
    };
    if list.is_empty() {
        return Err(Diagnostics(vec![
            Diagnostic::error(
                errors::VARIANTS_UNREADABLE,
                "ожидался список вариантов («- имя: …»)",
            )
            .at(src, root.pos),
        ]));
    }
    let mut out = vec![];
    let mut d = Diagnostics::default();
    for (i, item) in list.iter().enumerate() {
        let NodeKind::Map(entries) = &item.kind else {
            d.push(
                Diagnostic::error(
                    errors::VARIANTS_UNREADABLE,
                    format!("вариант {} — не набор значений", i + 1),
                )
                .at(src, item.pos),
            );
            continue;
        };
        let mut values = BTreeMap::new();
        for (k, v) in entries {
            values.insert(k.as_str().unwrap_or("").trim().to_string(), v.clone());
        }
        out.push(Variant {
            name: variant_name(&values, i),
            values,
        });
    }
    if d.has_errors() { Err(d) } else { Ok(out) }
}

fn csv_variants(src: &Arc<SourceFile>) -> Result<Vec<Variant>, Diagnostics> {
    let (mut rdr, _) = crate::read::csv_rows::reader(&src.text);
    let name = src.display_name();
    let headers = rdr
        .headers()
        .map_err(|e| {
            Diagnostics(vec![
                Diagnostic::error(
                    errors::VARIANTS_UNREADABLE,
                    format!("заголовок не разобран: {e}"),
                )
                .in_file(format!("{name}:1")),
            ])
        })?
        .clone();
    let mut out = vec![];
    let mut d = Diagnostics::default();
    for (i, rec) in rdr.records().enumerate() {
        let line = i as u32 + 2;
        let rec = match rec {
            Ok(r) if r.len() == headers.len() => r,
            Ok(r) => {
                d.push(
                    Diagnostic::error(
                        errors::VARIANTS_UNREADABLE,
                        format!(
                            "в строке {} ячеек, а в заголовке {}",
                            r.len(),
                            headers.len()
                        ),
                    )
                    .in_file(format!("{name}:{line}")),
                );
                continue;
            }
            Err(e) => {
                d.push(
                    Diagnostic::error(
                        errors::VARIANTS_UNREADABLE,
                        format!("строка не разобрана: {e}"),
                    )
                    .in_file(format!("{name}:{line}")),
                );
                continue;
            }
        };
        let mut values: BTreeMap<String, Node> = BTreeMap::new();
        for (h, v) in headers.iter().zip(rec.iter()) {
            let pos = crate::diag::Pos::new(line, 1);
            let leaf = Node {
                kind: NodeKind::Scalar {
                    text: v.to_string(),
                    plain: false,
                },
                pos,
            };
            insert_path(&mut values, h.trim(), leaf);
        }
        out.push(Variant {
            name: variant_name(&values, i),
            values,
        });
    }
    if d.has_errors() { Err(d) } else { Ok(out) }
}

/// `head.name` → values["head"]["name"].
fn insert_path(values: &mut BTreeMap<String, Node>, path: &str, leaf: Node) {
    let mut parts = path.splitn(2, '.');
    let head = parts.next().unwrap_or("").to_string();
    match parts.next() {
        None => {
            values.insert(head, leaf);
        }
        Some(rest) => {
            let pos = leaf.pos;
            let entry = values.entry(head).or_insert(Node {
                kind: NodeKind::Map(vec![]),
                pos,
            });
            if let NodeKind::Map(m) = &mut entry.kind {
                let mut sub: BTreeMap<String, Node> = m
                    .drain(..)
                    .map(|(k, v)| (k.as_str().unwrap_or("").to_string(), v))
                    .collect();
                insert_path(&mut sub, rest, leaf);
                *m = sub
                    .into_iter()
                    .map(|(k, v)| {
                        (
                            Node {
                                kind: NodeKind::Scalar {
                                    text: k,
                                    plain: true,
                                },
                                pos,
                            },
                            v,
                        )
                    })
                    .collect();
            }
        }
    }
}

fn variant_name(values: &BTreeMap<String, Node>, i: usize) -> String {
    ["имя", "название", "name"]
        .iter()
        .find_map(|k| {
            values
                .get(*k)
                .and_then(|n| n.as_str())
                .map(|s| s.trim().to_string())
        })
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| format!("вариант {}", i + 1))
}

/// Node → minijinja value (strings, lists, maps).
/// A variant's values, as text: braces escaped so that a value is never read
/// as a reference (`{приложении:план}` in a value prints as typed).
fn to_value(n: &Node) -> Value {
    match &n.kind {
        NodeKind::Scalar { text, .. } => Value::from(crate::facts::refs::escape(text)),
        NodeKind::Seq(items) => Value::from(items.iter().map(to_value).collect::<Vec<_>>()),
        NodeKind::Map(entries) => Value::from(
            entries
                .iter()
                .map(|(k, v)| (k.as_str().unwrap_or("").to_string(), to_value(v)))
                .collect::<BTreeMap<_, _>>(),
        ),
    }
}

fn lookup<'a>(values: &'a BTreeMap<String, Node>, path: &str) -> Option<&'a Node> {
    let mut parts = path.split('.');
    let mut cur = values.get(parts.next()?)?;
    for p in parts {
        let NodeKind::Map(entries) = &cur.kind else {
            return None;
        };
        cur = &entries.iter().find(|(k, _)| k.as_str() == Some(p))?.1;
    }
    Some(cur)
}

/// The base tree with one variant's values substituted.
pub fn instantiate(
    base: &Node,
    v: &Variant,
    base_src: &Arc<SourceFile>,
) -> Result<Node, Diagnostics> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    // A runaway template (a loop over range(10**9)) stops instead of hanging the batch.
    env.set_fuel(Some(100_000));
    let ctx = Value::from(
        v.values
            .iter()
            .map(|(k, n)| (k.clone(), to_value(n)))
            .collect::<BTreeMap<_, _>>(),
    );
    let mut errs = Diagnostics::default();
    let node = subst(base, v, &env, &ctx, base_src, &mut errs);
    if errs.has_errors() {
        Err(errs)
    } else {
        Ok(node)
    }
}

/// A variant's list or mapping, inserted whole: its texts stay text.
fn literal(n: &Node) -> Node {
    let kind = match &n.kind {
        NodeKind::Scalar { text, plain } => NodeKind::Scalar {
            text: crate::facts::refs::escape(text),
            plain: *plain,
        },
        NodeKind::Seq(items) => NodeKind::Seq(items.iter().map(literal).collect()),
        NodeKind::Map(entries) => NodeKind::Map(
            entries
                .iter()
                .map(|(k, v)| (k.clone(), literal(v)))
                .collect(),
        ),
    };
    Node { kind, pos: n.pos }
}

fn structured<'a>(text: &str, v: &'a Variant) -> Option<&'a Node> {
    let name = SOLE.captures(text)?.get(1)?.as_str();
    lookup(&v.values, name).filter(|n| !matches!(n.kind, NodeKind::Scalar { .. }))
}

fn subst(
    n: &Node,
    v: &Variant,
    env: &Environment,
    ctx: &Value,
    src: &Arc<SourceFile>,
    errs: &mut Diagnostics,
) -> Node {
    match &n.kind {
        NodeKind::Scalar { text, .. } if text.contains("{{") || text.contains("{%") => {
            if let Some(s) = structured(text, v) {
                return literal(s);
            }
            match env.render_str(text, ctx.clone()) {
                Ok(t) => Node {
                    kind: NodeKind::Scalar {
                        text: t,
                        plain: false,
                    },
                    pos: n.pos,
                },
                Err(e) => {
                    let what = if e.kind() == minijinja::ErrorKind::UndefinedError {
                        format!(
                            "вариант «{}»: нет значения для подстановки в «{}»",
                            v.name,
                            text.trim()
                        )
                    } else {
                        format!(
                            "вариант «{}»: ошибка в подстановке «{}»: {}",
                            v.name,
                            text.trim(),
                            e.kind()
                        )
                    };
                    errs.push(
                        Diagnostic::error(errors::NO_VALUE_TO_SUBSTITUTE, what)
                            .at(src, n.pos)
                            .hint("добавьте значение в файл вариантов"),
                    );
                    n.clone()
                }
            }
        }
        NodeKind::Scalar { .. } => n.clone(),
        NodeKind::Seq(items) => {
            let mut out = Vec::with_capacity(items.len());
            for it in items {
                if let Some(text) = it.as_str()
                    && let Some(s) = structured(text, v)
                    && let NodeKind::Seq(more) = &s.kind
                {
                    out.extend(more.iter().cloned());
                    continue;
                }
                out.push(subst(it, v, env, ctx, src, errs));
            }
            Node {
                kind: NodeKind::Seq(out),
                pos: n.pos,
            }
        }
        NodeKind::Map(entries) => Node {
            kind: NodeKind::Map(
                entries
                    .iter()
                    .map(|(k, val)| (k.clone(), subst(val, v, env, ctx, src, errs)))
                    .collect(),
            ),
            pos: n.pos,
        },
    }
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
    templates: &'a Templates,
    engine: &'a Engine,
    limits: &'a Limits,
}

impl<'a> Job<'a> {
    fn new(
        base_path: &Path,
        variants: &'a [Variant],
        opts: &'a Options,
        templates: &'a Templates,
        engine: &'a Engine,
        limits: &'a Limits,
    ) -> Result<Self, Diagnostics> {
        // The base is read as YAML, not as an act: placeholders may stand where a date goes.
        let src = read::load_source(base_path, limits)?;
        let mut tree = yaml::parse(&src).map_err(|d| Diagnostics(vec![d]))?;
        let dir = base_path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
            .to_path_buf();
        // The base's profile is merged once, before any variant's values.
        let profile = read::profile::apply(&mut tree, &src, &dir, limits)?;
        Ok(Job {
            src,
            _profile: profile,
            tree,
            dir,
            variants,
            opts,
            templates,
            engine,
            limits,
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

    fn one(&self, i: usize, durability: Durability) -> Produced {
        let (opts, v) = (self.opts, &self.variants[i]);
        let mut o = self.blank(i);
        let dir = PathBuf::from(&o.dir);
        let fail = |mut o: Outcome, d: Diagnostics| {
            o.errors = d.0.iter().map(Report::of).collect();
            (o, None)
        };
        let tree = match instantiate(&self.tree, v, &self.src) {
            Ok(t) => t,
            Err(d) => return fail(o, d),
        };
        let parsed = match read::decode_root(&tree, self.src.clone()) {
            Ok(p) => p,
            Err(d) => return fail(o, d),
        };
        let p = match crate::prepare_parsed(
            parsed,
            &self.dir,
            self.templates,
            self.limits,
            &Selection::All,
        ) {
            Ok(p) => p,
            Err(d) => return fail(o, d),
        };
        o.warnings = p.warnings.0.iter().map(Report::of).collect();
        let mut p = p;
        if opts.blank {
            p.doc.print_on_blank();
        }
        let one = |d: Diagnostic| Diagnostics(vec![d]);
        let rendered = match crate::render::render(
            self.engine,
            &p.doc,
            p.emblem.as_ref(),
            &p.doc.meta.file_stem,
            &crate::render::Options {
                formats: opts.formats.clone(),
                dpi: 100.0,
                pdf: opts.pdf,
                keep_pages: opts.merge,
                parallel: false,
            },
        ) {
            Ok(r) => r,
            Err(d) => return fail(o, one(d)),
        };
        let (files, pages) = (rendered.files, rendered.pages);
        o.pages = pages.as_ref().map_or(0, Pages::len);
        let keep = if opts.merge { pages } else { None };
        match write_all_with(&dir, &files, opts.no_clobber, durability) {
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
            Err(d) => fail(o, one(d)),
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

/// A worker process and its pipes.
struct Worker {
    child: std::process::Child,
    /// `None` once closed: end of input tells the worker to stop.
    input: Option<std::process::ChildStdin>,
    output: std::io::BufReader<std::process::ChildStdout>,
}

impl Worker {
    fn start(exe: &Path, args: &[OsString]) -> std::io::Result<Worker> {
        use std::process::{Command, Stdio};
        let mut child = Command::new(exe)
            .args(args)
            .env(WORKER_ENV, "1")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()?;
        crate::output::track_child(child.id());
        let (Some(input), Some(output)) = (child.stdin.take(), child.stdout.take()) else {
            crate::output::forget_child(child.id());
            let _ = child.kill();
            let _ = child.wait();
            return Err(std::io::Error::other("no pipes"));
        };
        Ok(Worker {
            child,
            input: Some(input),
            output: std::io::BufReader::new(output),
        })
    }

    /// Have variant `i` made; an error says why the worker is gone.
    fn ask(&mut self, i: usize) -> Result<Reply, String> {
        let mut line = String::new();
        let answered = match self.input.as_mut() {
            Some(input) => writeln!(input, "{i}")
                .and_then(|_| input.flush())
                .and_then(|_| self.output.read_line(&mut line)),
            None => Ok(0),
        };
        match answered {
            Ok(n) if n > 0 => serde_json::from_str(&line)
                .map_err(|e| format!("непонятный ответ процесса-исполнителя: {e}")),
            _ => Err(self.end()),
        }
    }

    /// Stop the worker and say how it ended.
    fn end(&mut self) -> String {
        let _ = self.child.kill();
        let status = self.child.wait();
        crate::output::forget_child(self.child.id());
        match status {
            Ok(status) => {
                #[cfg(unix)]
                {
                    use std::os::unix::process::ExitStatusExt;
                    if let Some(sig) = status.signal() {
                        return format!(
                            "процесс, делавший этот вариант, аварийно завершился (сигнал {sig})"
                        );
                    }
                }
                format!("процесс, делавший этот вариант, аварийно завершился ({status})")
            }
            Err(e) => format!("процесс, делавший этот вариант, потерян: {e}"),
        }
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        // End of input tells the worker to stop; it has no variant in hand.
        drop(self.input.take());
        let _ = self.child.wait();
        crate::output::forget_child(self.child.id());
    }
}

/// Make the variants in `n` worker processes, each fed the next variant as it
/// finishes one. A worker that dies costs only its variant (reported as a T005
/// error) and is replaced; where no worker can be started, this process makes
/// the variant itself.
fn in_processes(
    job: &Job,
    exe: &Path,
    args: &[OsString],
    n: usize,
    progress: &(dyn Fn(&Outcome) + Sync),
) -> Vec<Produced> {
    let total = job.variants.len();
    let next = AtomicUsize::new(0);
    let slots: Vec<Mutex<Option<Produced>>> = (0..total).map(|_| Mutex::new(None)).collect();
    let feed = || {
        let mut worker: Option<Worker> = None;
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            if i >= total {
                break;
            }
            if worker.is_none() {
                worker = Worker::start(exe, args).ok();
            }
            let r = match worker.as_mut().map(|w| w.ask(i)) {
                Some(Ok(reply)) => {
                    let mut o = job.blank(i);
                    o.files = reply.files;
                    o.pages = reply.pages;
                    o.warnings = reply.warnings;
                    o.errors = reply.errors;
                    (o, None)
                }
                Some(Err(why)) => {
                    drop(worker.take());
                    job.failed(i, Diagnostic::error(errors::INTERNAL, why))
                }
                None => job.make(i, Durability::AtEnd, 0),
            };
            progress(&r.0);
            *slots[i].lock().unwrap_or_else(|e| e.into_inner()) = Some(r);
        }
    };
    std::thread::scope(|scope| {
        for _ in 0..n {
            scope.spawn(feed);
        }
    });
    slots
        .into_iter()
        .filter_map(|m| m.into_inner().unwrap_or_else(|e| e.into_inner()))
        .collect()
}

/// The worker side of [`Workers::Processes`]: read variant numbers from
/// standard input, one a line, make each and answer with one JSON line.
pub fn serve(
    base_path: &Path,
    variants: &[Variant],
    opts: &Options,
    templates: &Templates,
    engine: &Engine,
    limits: &Limits,
) -> Result<(), Diagnostics> {
    // A worker whose parent is gone (killed outright) stops at once, and its
    // signal handler removes the temporary file it was writing.
    #[cfg(target_os = "linux")]
    // SAFETY: prctl only sets which signal this process gets.
    unsafe {
        libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGTERM);
    }
    let job = Job::new(base_path, variants, opts, templates, engine, limits)?;
    keep_freed_memory();
    let mut out = std::io::stdout().lock();
    for line in std::io::stdin().lock().lines() {
        let Ok(i) = line.unwrap_or_default().trim().parse::<usize>() else {
            break;
        };
        if i >= variants.len() {
            break;
        }
        // The cache keeps the last few documents' layouts: this process is
        // the only user of it, and the variants share most of their pages.
        let (o, _) = job.make(i, Durability::AtEnd, KEEP_LAYOUTS);
        let reply = Reply {
            files: o.files,
            pages: o.pages,
            warnings: o.warnings,
            errors: o.errors,
        };
        let text = serde_json::to_string(&reply).unwrap_or_default();
        if writeln!(out, "{text}").and_then(|_| out.flush()).is_err() {
            break;
        }
    }
    Ok(())
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A panic in one job (as `run` guards it) becomes that job's error; the
    /// other jobs still run, on every thread count, and results keep their order.
    #[test]
    fn a_panicking_variant_is_its_own_error() {
        for threads in [1, 2, 4] {
            let results = pool(5, threads, |i| {
                crate::diag::guard("обработке варианта", || {
                    if i == 2 {
                        panic!("сбой в библиотеке");
                    }
                    Ok(i * 10)
                })
            });
            assert_eq!(results.len(), 5);
            for (i, r) in results.iter().enumerate() {
                match r {
                    Ok(v) => assert_eq!(*v, i * 10),
                    Err(d) => {
                        assert_eq!(i, 2);
                        assert_eq!(d.code, errors::INTERNAL);
                        assert!(d.message.contains("сбой в библиотеке"), "{}", d.message);
                    }
                }
            }
            assert!(results[2].is_err());
        }
    }
}
