//! Writing output files safely.
//!
//! Every file goes to a temporary file in the target folder, is synced, and
//! is then renamed over the target, so a reader never sees a half-written
//! file and an existing file is never left truncated. A batch writes
//! thousands of files: there the sync is one call for the whole file system
//! at the end ([`Durability::AtEnd`], [`sync_folder`]) instead of one per file;
//! a killed batch still leaves only whole files (the data is in the kernel's
//! cache before the rename), and only a power cut before that last sync can
//! lose the newest files. The files of one act
//! are written all or nothing: every temporary file is complete before the
//! first rename, and a failure before that point leaves the folder as it was.
//! `--no-clobber` places a file only where none exists, atomically (two runs
//! racing for one name: exactly one wins). Ctrl-C removes the temporary files
//! being written; those a killed run left behind (`.prikaz-PID-*.tmp`, its
//! process gone) are removed by the next run in that folder.

use crate::diag::Diagnostic;
use crate::errors;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, SystemTime};

/// What happened to one output file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Written {
    New(PathBuf),
    Replaced(PathBuf),
    /// `--no-clobber` and the file existed.
    Kept(PathBuf),
}

pub(crate) const TEMP_PREFIX: &str = ".prikaz-";
pub(crate) const TEMP_SUFFIX: &str = ".tmp";
/// Where the writing process cannot be looked up, a temporary file older than
/// this is left over (a run finishes its files within seconds).
const STALE_AFTER: Duration = Duration::from_secs(15 * 60);

/// Temporary files being written now, for the Ctrl-C handler. A file is
/// created and listed, and renamed and unlisted, while this lock is held, and
/// the handler holds it from the first removal to the exit: so no file exists
/// unlisted at the moment of the interrupt, and none is made after it.
static LIVE: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

fn live() -> std::sync::MutexGuard<'static, Vec<PathBuf>> {
    LIVE.lock().unwrap_or_else(|e| e.into_inner())
}

/// On Ctrl-C (or SIGTERM), remove the temporary files being written and exit
/// with 130, as a shell expects of an interrupted program.
/// A budget of a user's template stops the program the same way, with 1.
pub fn clean_up_on_interrupt() {
    let _ = ctrlc::set_handler(|| stop_and_exit(130));
    crate::budget::on_exceeded(|| stop_and_exit(1));
}

/// Stop the worker processes, remove the temporary files being written, and
/// exit with `code`.
fn stop_and_exit(code: i32) {
    stop_children();
    // Kept until the exit: a writing thread waits here instead of making a
    // new temporary file.
    let live = live();
    for p in live.iter() {
        let _ = std::fs::remove_file(p);
    }
    std::process::exit(code);
}

/// Run `make`, which creates a temporary file written elsewhere and says
/// where it is, and list it for the Ctrl-C handler, as one step the handler
/// cannot split.
pub(crate) fn make_temp<T>(
    make: impl FnOnce() -> std::io::Result<(T, PathBuf)>,
) -> std::io::Result<T> {
    let mut all = live();
    let (made, path) = make()?;
    all.push(path);
    Ok(made)
}

/// Run `finish`, which renames or removes the temporary file `path`, and
/// unlist it, as one step the handler cannot split.
pub(crate) fn finish_temp<T>(path: &Path, finish: impl FnOnce() -> T) -> T {
    let mut all = live();
    let done = finish();
    all.retain(|p| p != path);
    done
}

/// Worker processes of a batch, stopped with this one.
static CHILDREN: Mutex<Vec<u32>> = Mutex::new(Vec::new());

/// Stop `pid` too when this process is interrupted, until [`forget_child`].
pub fn track_child(pid: u32) {
    CHILDREN.lock().unwrap_or_else(|e| e.into_inner()).push(pid);
}

pub fn forget_child(pid: u32) {
    CHILDREN
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .retain(|p| *p != pid);
}

/// Ask each tracked worker to stop (its own handler removes its temporary
/// files) and wait until it has. A terminal's Ctrl-C reaches the workers
/// anyway; `kill -INT` of this process alone does not.
fn stop_children() {
    #[cfg(unix)]
    {
        let pids = CHILDREN.lock().unwrap_or_else(|e| e.into_inner()).clone();
        for &pid in &pids {
            // SAFETY: plain system calls on processes this one started.
            unsafe {
                libc::kill(pid as libc::pid_t, libc::SIGTERM);
            }
        }
        for &pid in &pids {
            // SAFETY: as above; a worker another thread reaped first gives ECHILD.
            unsafe {
                libc::waitpid(pid as libc::pid_t, std::ptr::null_mut(), 0);
            }
        }
    }
}

/// A temporary file, known to the Ctrl-C handler while it lives.
struct Temp(Option<tempfile::NamedTempFile>);

impl Temp {
    /// Create it with `builder` in `dir` and list it, as one step.
    fn create(builder: &tempfile::Builder, dir: &Path) -> std::io::Result<Self> {
        make_temp(|| {
            let f = builder.tempfile_in(dir)?;
            let path = f.path().to_path_buf();
            Ok((Temp(Some(f)), path))
        })
    }

    /// Rename it to `target` (only where no file is, if `no_clobber`) and
    /// unlist it, as one step.
    fn persist(mut self, target: &Path, no_clobber: bool) -> std::io::Result<()> {
        let f = self.0.take().expect("a live temporary file");
        let path = f.path().to_path_buf();
        finish_temp(&path, || {
            let done = if no_clobber {
                f.persist_noclobber(target)
            } else {
                f.persist(target)
            };
            // A failed rename gives the file back: it is removed here, still listed.
            done.map(drop).map_err(|e| e.error)
        })
    }
}

impl Drop for Temp {
    fn drop(&mut self) {
        if let Some(f) = self.0.take() {
            let path = f.path().to_path_buf();
            finish_temp(&path, || drop(f));
        }
    }
}

fn e030(what: String) -> Diagnostic {
    Diagnostic::error(errors::WRITE_FAILED, what)
}

/// When written data is forced to the disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Durability {
    /// Each file is synced before it is renamed into place.
    EachFile,
    /// The caller calls [`sync_folder`] once the last file is written.
    AtEnd,
}

/// Write all `files` (name, bytes) into `dir`: all of them, or none.
pub fn write_all(
    dir: &Path,
    files: &[(String, Vec<u8>)],
    no_clobber: bool,
) -> Result<Vec<Written>, Diagnostic> {
    write_all_with(dir, files, no_clobber, Durability::EachFile)
}

/// [`write_all`], syncing as `durability` says.
pub fn write_all_with(
    dir: &Path,
    files: &[(String, Vec<u8>)],
    no_clobber: bool,
    durability: Durability,
) -> Result<Vec<Written>, Diagnostic> {
    std::fs::create_dir_all(dir).map_err(|e| {
        e030(format!(
            "не удалось создать папку {}: {}",
            dir.display(),
            crate::diag::io_reason(&e)
        ))
    })?;
    remove_stale_temporaries(dir);
    // Phase 1: every file complete in a temporary file. Dropping `ready` on an
    // error removes the temporaries, and no target has been touched.
    let mut ready = Vec::with_capacity(files.len());
    for (name, bytes) in files {
        let target = dir.join(name);
        if target.is_dir() {
            return Err(e030(format!(
                "не удалось записать {}: на месте файла стоит папка",
                target.display()
            )));
        }
        if no_clobber && target.exists() {
            ready.push((target, None));
            continue;
        }
        ready.push((target.clone(), Some(temporary(&target, bytes, durability)?)));
    }
    // Phase 2: renames, which do not fail for want of space.
    let mut out = Vec::with_capacity(ready.len());
    for (target, tmp) in ready {
        let Some(tmp) = tmp else {
            out.push(Written::Kept(target));
            continue;
        };
        if no_clobber {
            // Exclusive: the file appears only if no other run made it first.
            match tmp.persist(&target, true) {
                Ok(_) => out.push(Written::New(target)),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    out.push(Written::Kept(target))
                }
                Err(e) => return Err(fail(&target, &e)),
            }
            continue;
        }
        let existed = target.exists();
        tmp.persist(&target, false).map_err(|e| fail(&target, &e))?;
        out.push(if existed {
            Written::Replaced(target)
        } else {
            Written::New(target)
        });
    }
    Ok(out)
}

fn fail(target: &Path, e: &std::io::Error) -> Diagnostic {
    e030(format!(
        "не удалось записать {}: {}",
        target.display(),
        crate::diag::io_reason(e)
    ))
}

/// Write `bytes` to `target` through a temporary file in the same folder.
pub fn write_atomic(target: &Path, bytes: &[u8]) -> Result<(), Diagnostic> {
    temporary(target, bytes, Durability::EachFile)?
        .persist(target, false)
        .map_err(|e| fail(target, &e))?;
    Ok(())
}

/// A complete temporary file beside `target` (synced unless `durability`
/// leaves that to the end), with the permissions the target will have.
fn temporary(target: &Path, bytes: &[u8], durability: Durability) -> Result<Temp, Diagnostic> {
    let dir = crate::read::folder_of(target);
    let err = |e: std::io::Error| fail(target, &e);
    let mut builder = tempfile::Builder::new();
    // The process id in the name tells a later run whether the writer is gone.
    let prefix = format!("{TEMP_PREFIX}{}-", std::process::id());
    builder.prefix(&prefix).suffix(TEMP_SUFFIX);
    // A new file gets the permissions any saved file gets (0666 less the umask,
    // so 0644 under umask 022), not the temporary file's private 0600.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let mut tmp = Temp::create(&builder, dir).map_err(err)?;
    let f = tmp.0.as_mut().expect("a live temporary file");
    // A replaced file keeps its own permissions.
    if let Ok(meta) = std::fs::metadata(target) {
        f.as_file()
            .set_permissions(meta.permissions())
            .map_err(err)?;
    }
    f.write_all(bytes).map_err(err)?;
    if durability == Durability::EachFile {
        f.as_file().sync_all().map_err(err)?;
    }
    Ok(tmp)
}

/// Force everything written under `dir` (files and renames) to the disk: one
/// `syncfs` of its file system where there is one, else a sync of each file
/// and folder under it.
pub fn sync_folder(dir: &Path) -> Result<(), Diagnostic> {
    let err = |e: std::io::Error| {
        e030(format!(
            "не удалось сохранить на диск {}: {}",
            dir.display(),
            crate::diag::io_reason(&e)
        ))
    };
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsRawFd;
        let d = std::fs::File::open(dir).map_err(err)?;
        // SAFETY: a plain system call on a descriptor this function owns.
        if unsafe { libc::syncfs(d.as_raw_fd()) } != 0 {
            return Err(err(std::io::Error::last_os_error()));
        }
        Ok(())
    }
    #[cfg(not(target_os = "linux"))]
    {
        fn walk(p: &Path) -> std::io::Result<()> {
            if p.is_dir() {
                for e in std::fs::read_dir(p)? {
                    walk(&e?.path())?;
                }
                // Folders cannot be opened for syncing on every platform.
                if let Ok(f) = std::fs::File::open(p) {
                    let _ = f.sync_all();
                }
                Ok(())
            } else {
                std::fs::OpenOptions::new().write(true).open(p)?.sync_all()
            }
        }
        walk(dir).map_err(err)
    }
}

/// Remove `.prikaz-PID-*.tmp` files a killed run (kill -9, power loss) left in
/// `dir`: those whose process is gone, or, where processes cannot be looked
/// up, those old enough not to belong to a run still writing.
pub fn remove_stale_temporaries(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let now = SystemTime::now();
    for e in entries.flatten() {
        let name = e.file_name();
        let name = name.to_string_lossy();
        if !(name.starts_with(TEMP_PREFIX) && name.ends_with(TEMP_SUFFIX)) {
            continue;
        }
        let pid = name[TEMP_PREFIX.len()..]
            .split('-')
            .next()
            .and_then(|p| p.parse::<u32>().ok());
        let proc_fs = Path::new("/proc/self").exists();
        let gone = match pid {
            Some(p) if proc_fs => {
                p != std::process::id() && !Path::new("/proc").join(p.to_string()).exists()
            }
            _ => e
                .metadata()
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| now.duration_since(t).ok())
                .is_some_and(|age| age > STALE_AFTER),
        };
        if gone && e.file_type().is_ok_and(|t| t.is_file()) {
            let _ = std::fs::remove_file(e.path());
        }
    }
}
