//! `prikaz watch`: render again whenever an act or a file it reads changes.
//!
//! Every file an act reads lies inside its allowed folder (`--root`, else the
//! act's own folder: see [`crate::read::local::check_local_file`]), so that folder
//! is watched, recursively, through the platform's change notices (notify).
//! A change counts for an act when it touches one of the act's own inputs: the
//! YAML, its profile, its spreadsheets, its coat of arms ([`inputs`]). While the
//! act cannot be read, those are not known, and any change of a file of a kind
//! an act reads counts. Bursts of changes (an editor saving through a temporary
//! file, a spreadsheet program writing in pieces) are gathered for [`QUIET`]
//! before the act is rendered once.
//!
//! What is done with a change — rendering, writing atomically, printing the
//! problems — is the caller's: this module only says which acts to redo. The
//! caller tells which files it wrote, and changes of those never count: an
//! act whose coat of arms is its own PNG preview would otherwise be rendered
//! again for ever.

use crate::read::Limits;
use crate::read::input::Block;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// How long the files must stay still before an act is rendered again.
pub const QUIET: Duration = Duration::from_millis(200);

/// Kinds of files an act reads (YAML, spreadsheets, images).
const INPUT_EXTENSIONS: &[&str] = &[
    "yaml", "yml", "csv", "txt", "xlsx", "xlsm", "ods", "png", "svg", "jpg", "jpeg",
];

/// `p` made absolute with its links followed, even when the file itself does
/// not exist (yet): then its folder is resolved and the name appended. Paths
/// from change notices and from the act compare equal this way.
fn normal(p: &Path) -> PathBuf {
    if let Ok(c) = p.canonicalize() {
        return c;
    }
    let abs = std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    match (abs.parent(), abs.file_name()) {
        (Some(dir), Some(name)) => dir
            .canonicalize()
            .map(|d| d.join(name))
            .unwrap_or(abs.clone()),
        _ => abs,
    }
}

/// The files the act `file` reads: itself, its profile, the spreadsheets its
/// tables take rows from and its coat of arms (those that do not exist yet
/// too: creating one is a change). `None` while the act cannot be read.
pub fn inputs(file: &Path, limits: &Limits) -> Option<HashSet<PathBuf>> {
    let parsed = crate::read::read_file(file, limits).ok()?;
    let base = crate::read::folder_of(file);
    let mut all = HashSet::from([normal(file)]);
    if let Some(p) = &parsed.profile {
        all.insert(normal(&p.path));
    }
    if let Some(e) = &parsed.act.authority.emblem {
        all.insert(normal(&base.join(&e.value)));
    }
    for a in &parsed.act.appendices {
        for b in &a.body {
            if let Block::Table(t) = b
                && let Some(from) = &t.rows_from
            {
                all.insert(normal(&base.join(&from.file.value)));
            }
        }
    }
    Some(all)
}

/// One act being watched.
struct Watched {
    file: PathBuf,
    /// Its inputs as last read; `None` while it cannot be read.
    inputs: Option<HashSet<PathBuf>>,
    /// The folder its inputs may come from.
    folder: PathBuf,
}

impl Watched {
    fn touched_by(&self, changed: &Path) -> bool {
        match &self.inputs {
            Some(set) => set.contains(changed),
            None => {
                changed.starts_with(&self.folder)
                    && changed
                        .extension()
                        .and_then(|e| e.to_str())
                        .is_some_and(|e| INPUT_EXTENSIONS.contains(&e.to_lowercase().as_str()))
            }
        }
    }
}

/// Watch `files`: call `redo` with the indices of the acts to render — all of
/// them at once at the start, then those a change touched — until the
/// process is stopped. `redo` returns the files it wrote: changes of those
/// are not changes of an input. `Err` (in Russian) when the folders cannot be
/// watched.
pub fn run(
    files: &[PathBuf],
    limits: &Limits,
    mut redo: impl FnMut(&[usize]) -> Vec<PathBuf>,
) -> Result<(), String> {
    use notify::Watcher as _;
    let (tx, rx) = mpsc::channel::<notify::Result<notify::Event>>();
    let mut watcher = notify::recommended_watcher(tx)
        .map_err(|e| format!("не удалось следить за файлами: {e}"))?;
    let mut acts = Vec::with_capacity(files.len());
    let mut folders: Vec<PathBuf> = vec![];
    for f in files {
        let dir = normal(limits.root.as_deref().unwrap_or(crate::read::folder_of(f)));
        if !folders.iter().any(|w| dir.starts_with(w)) {
            folders.retain(|w| !w.starts_with(&dir));
            folders.push(dir.clone());
        }
        acts.push(Watched {
            file: f.clone(),
            inputs: inputs(f, limits),
            folder: dir,
        });
    }
    for dir in &folders {
        watcher
            .watch(dir, notify::RecursiveMode::Recursive)
            .map_err(|e| {
                format!(
                    "не удалось следить за папкой {}: {}",
                    dir.display(),
                    match &e.kind {
                        notify::ErrorKind::Io(io) => crate::diag::io_reason(io),
                        notify::ErrorKind::PathNotFound => "папка не найдена".into(),
                        notify::ErrorKind::MaxFilesWatch => {
                            "исчерпан предел системы на число отслеживаемых папок".into()
                        }
                        _ => e.to_string(),
                    }
                )
            })?;
    }
    // The files watch itself wrote, as their changes name them.
    let mut outputs: HashSet<PathBuf> = HashSet::new();
    let written = redo(&(0..acts.len()).collect::<Vec<_>>());
    outputs.extend(written.iter().map(|p| normal(p)));
    // Acts a change touched, and when the files will have been still long
    // enough. Only such changes count: a reader opening the outputs (access
    // notices) or files of no act do not put the render off.
    let mut due: Vec<usize> = vec![];
    let mut at = Instant::now();
    loop {
        let next = if due.is_empty() {
            rx.recv().map_err(|_| mpsc::RecvTimeoutError::Disconnected)
        } else {
            rx.recv_timeout(at.saturating_duration_since(Instant::now()))
        };
        match next {
            Ok(Ok(e)) if !matches!(e.kind, notify::EventKind::Access(_)) => {
                let changed: Vec<PathBuf> = e
                    .paths
                    .iter()
                    .map(|p| normal(p))
                    .filter(|p| !outputs.contains(p))
                    .collect();
                for (i, a) in acts.iter().enumerate() {
                    if changed.iter().any(|c| a.touched_by(c)) {
                        if !due.contains(&i) {
                            due.push(i);
                        }
                        at = Instant::now() + QUIET;
                    }
                }
            }
            Ok(_) => {}
            Err(mpsc::RecvTimeoutError::Timeout) => {
                for &i in &due {
                    // A new profile or spreadsheet named: watch that from now on.
                    acts[i].inputs = inputs(&acts[i].file, limits);
                }
                due.sort_unstable();
                let written = redo(&due);
                outputs.extend(written.iter().map(|p| normal(p)));
                due.clear();
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => return Ok(()),
        }
    }
}
