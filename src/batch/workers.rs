//! Where the variants are made: plain threads ([`pool`]) or copies of this
//! program fed one variant number a line ([`in_processes`], [`serve`]).

/// Set in the environment of a worker process.
pub const WORKER_ENV: &str = "PRIKAZ_BATCH_WORKER";

use super::{Job, KEEP_LAYOUTS, Options, Outcome, Produced, Report, Variant, keep_freed_memory};
use crate::diag::{Diagnostic, Diagnostics};
use crate::errors;
use crate::output::Durability;
use crate::read::Limits;
use crate::render::Engine;
use crate::templates::Templates;
use serde::{Deserialize, Serialize};
use std::ffi::OsString;
use std::io::{BufRead, Write};
use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// What a worker process sends back for one variant (one JSON line).
#[derive(Serialize, Deserialize)]
struct Reply {
    files: Vec<String>,
    pages: usize,
    warnings: Vec<Report>,
    errors: Vec<Report>,
}

/// Run `job(0)` … `job(total - 1)` on `threads` plain worker threads pulling
/// the next index, and return the results in index order. Typst keeps
/// per-thread state that grew without bound inside a rayon pool (measured:
/// ~1 MB a document), and lays out deep content recursively, hence plain
/// threads with roomy stacks. `job` must not panic (the caller guards it); a
/// thread that cannot be started leaves its work to the others, and with none
/// started the work runs on the calling thread.
pub(super) fn pool<T: Send>(
    total: usize,
    threads: usize,
    job: impl Fn(usize) -> T + Sync,
) -> Vec<T> {
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
pub(super) fn in_processes(
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::errors;

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
