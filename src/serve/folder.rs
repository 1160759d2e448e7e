//! The served folder, opened once when the server starts: every act is read
//! and saved relative to that handle, one folder at a time, and no link is
//! followed on the way (cap-std, with `openat` and `O_NOFOLLOW` on Unix and
//! the same checks on Windows). A path checked once is not resolved again by
//! name when it is written: a folder swapped for a link between the check and
//! the write makes the save fail, never land outside.
//!
//! A save writes a temporary file `.prikaz-….tmp` in the act's own folder
//! (through the handle), syncs it and renames it over the act; on any failure
//! the temporary file is removed.

use cap_fs_ext::{DirExt, FollowSymlinks, OpenOptionsFollowExt};
use cap_std::fs::{Dir, OpenOptions};
use std::io::{ErrorKind, Read, Write};
use std::path::{Component, Path};
use std::sync::atomic::{AtomicU64, Ordering};

/// Why a file of the folder could not be read or written; the messages are
/// Russian and quote only the path the page sent.
#[derive(Debug)]
pub enum Failure {
    /// Missing (404).
    Missing(String),
    /// A link, not a regular file, or outside (403).
    Refused(String),
    /// Larger than the limit (413).
    TooBig,
    /// The system failed (500).
    Io(String),
}

impl Failure {
    pub fn status(&self) -> u16 {
        match self {
            Failure::Missing(_) => 404,
            Failure::Refused(_) => 403,
            Failure::TooBig => 413,
            Failure::Io(_) => 500,
        }
    }
}

/// The folder, as a handle.
pub struct Folder {
    dir: Dir,
    path: std::path::PathBuf,
}

/// A file of the folder: its folders from the top, and its name.
pub struct Rel<'a> {
    folders: Vec<&'a str>,
    name: &'a str,
    /// As the page wrote it, for messages.
    shown: &'a str,
}

impl<'a> Rel<'a> {
    /// `rel` (plain names separated by `/`, as [`super::State::relative`]
    /// gives them) of the path `shown` the page sent.
    pub fn new(rel: &'a str, shown: &'a str) -> Option<Rel<'a>> {
        let mut parts: Vec<&str> = vec![];
        for c in Path::new(rel).components() {
            match c {
                Component::Normal(n) => parts.push(n.to_str()?),
                Component::CurDir => {}
                _ => return None,
            }
        }
        let name = parts.pop()?;
        Some(Rel {
            folders: parts,
            name,
            shown,
        })
    }
}

impl Folder {
    /// Open `path` (the one canonical folder the server serves).
    pub fn open(path: &Path) -> std::io::Result<Folder> {
        Ok(Folder {
            dir: Dir::open_ambient_dir(path, cap_std::ambient_authority())?,
            path: path.to_path_buf(),
        })
    }

    /// The folder that holds `rel`, opened one level at a time, refusing
    /// links.
    fn parent(&self, rel: &Rel) -> Result<Dir, Failure> {
        let mut dir = self.dir.try_clone().map_err(|e| io(rel, &e))?;
        for f in &rel.folders {
            dir = dir.open_dir_nofollow(f).map_err(|e| match e.kind() {
                ErrorKind::NotFound => missing(rel),
                _ => Failure::Refused(format!(
                    "путь «{}» проходит через ссылку или не через папку: prikaz serve открывает и сохраняет только файлы в папках самой папки",
                    rel.shown
                )),
            })?;
        }
        Ok(dir)
    }

    /// The bytes of `rel`, at most `limit`: only a regular file, never
    /// through a link; a FIFO put in its place is not waited on.
    pub fn read(&self, rel: &Rel, limit: u64) -> Result<Vec<u8>, Failure> {
        let dir = self.parent(rel)?;
        read_in(&dir, rel, limit)
    }

    /// Replace `rel` with `bytes` atomically, if `check` accepts the file as
    /// it is now (read as [`Folder::read`] reads it; `check` runs while no
    /// other save through this folder can run: the caller holds the lock).
    pub fn replace(
        &self,
        rel: &Rel,
        bytes: &[u8],
        limit: u64,
        check: impl FnOnce(&[u8]) -> Result<(), Failure>,
    ) -> Result<(), Failure> {
        let dir = self.parent(rel)?;
        let now = read_in(&dir, rel, limit)?;
        check(&now)?;
        let (tmp, mut file, shown) = crate::output::make_temp(|| {
            let (tmp, file) = temporary(&dir)?;
            let shown = self.tmp_path(rel, &tmp);
            Ok(((tmp, file, shown.clone()), shown))
        })
        .map_err(|e| io(rel, &e))?;
        let written = (|| {
            // The act keeps its own permissions.
            if let Ok(m) = dir.symlink_metadata(rel.name)
                && m.is_file()
            {
                file.set_permissions(m.permissions())?;
            }
            file.write_all(bytes)?;
            file.sync_all()
        })();
        drop(file);
        crate::output::finish_temp(&shown, || {
            let written = written.and_then(|()| dir.rename(&tmp, &dir, rel.name));
            if written.is_err() {
                let _ = dir.remove_file(&tmp);
            }
            written
        })
        .map_err(|e| io(rel, &e))
    }

    /// Write a new file `rel` with `bytes`, never over a file that is there
    /// (nor a link): the text goes into a temporary file that is then linked
    /// under its name, which fails if the name is taken. Missing folders on
    /// the way are made (never through a link). `Err(None)`: the name is
    /// taken.
    pub fn create(&self, rel: &Rel, bytes: &[u8]) -> Result<(), Option<Failure>> {
        let mut dir = self.dir.try_clone().map_err(|e| Some(io(rel, &e)))?;
        for f in &rel.folders {
            match dir.create_dir(f) {
                Ok(()) => {}
                Err(e) if e.kind() == ErrorKind::AlreadyExists => {}
                Err(e) => return Err(Some(io(rel, &e))),
            }
            dir = dir.open_dir_nofollow(f).map_err(|_| {
                Some(Failure::Refused(format!(
                    "путь «{}» проходит через ссылку или не через папку: prikaz serve сохраняет только файлы в папках самой папки",
                    rel.shown
                )))
            })?;
        }
        if dir.symlink_metadata(rel.name).is_ok() {
            return Err(None);
        }
        let (tmp, mut file, shown) = crate::output::make_temp(|| {
            let (tmp, file) = temporary(&dir)?;
            let shown = self.tmp_path(rel, &tmp);
            Ok(((tmp, file, shown.clone()), shown))
        })
        .map_err(|e| Some(io(rel, &e)))?;
        let written = file.write_all(bytes).and_then(|()| file.sync_all());
        drop(file);
        let mut taken = false;
        crate::output::finish_temp(&shown, || {
            let placed = written.and_then(|()| match dir.hard_link(&tmp, &dir, rel.name) {
                Ok(()) => Ok(()),
                Err(e) if e.kind() == ErrorKind::AlreadyExists => {
                    taken = true;
                    Err(e)
                }
                // No hard links here (FAT, some network folders): the name
                // was free a moment ago and saves run one at a time.
                Err(_) if dir.symlink_metadata(rel.name).is_err() => {
                    dir.rename(&tmp, &dir, rel.name)
                }
                Err(e) => {
                    taken = true;
                    Err(e)
                }
            });
            let _ = dir.remove_file(&tmp);
            placed
        })
        .map_err(|e| if taken { None } else { Some(io(rel, &e)) })
    }

    /// Where a temporary file is, by name, for the Ctrl-C handler.
    fn tmp_path(&self, rel: &Rel, tmp: &str) -> std::path::PathBuf {
        let mut p = self.path.clone();
        for f in &rel.folders {
            p.push(f);
        }
        p.push(tmp);
        p
    }
}

fn read_in(dir: &Dir, rel: &Rel, limit: u64) -> Result<Vec<u8>, Failure> {
    let not_regular = || {
        Failure::Refused(format!(
            "«{}» — не обычный файл (ссылка, папка, устройство или канал): prikaz serve открывает и сохраняет только обычные файлы",
            rel.shown
        ))
    };
    let mut opts = OpenOptions::new();
    opts.read(true);
    opts.follow(FollowSymlinks::No);
    // A FIFO put in place of the act opens at once instead of waiting for a
    // writer, and is then refused as not a regular file.
    #[cfg(unix)]
    {
        use cap_std::fs::OpenOptionsExt;
        opts.custom_flags(libc::O_NONBLOCK);
    }
    let file = dir.open_with(rel.name, &opts).map_err(|e| match e.kind() {
        ErrorKind::NotFound => missing(rel),
        ErrorKind::PermissionDenied => io(rel, &e),
        _ => not_regular(),
    })?;
    let meta = file.metadata().map_err(|e| io(rel, &e))?;
    if !meta.is_file() {
        return Err(not_regular());
    }
    if meta.len() > limit {
        return Err(Failure::TooBig);
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| io(rel, &e))?;
    if bytes.len() as u64 > limit {
        return Err(Failure::TooBig);
    }
    Ok(bytes)
}

/// A new temporary file in `dir`, never one that exists or a link.
fn temporary(dir: &Dir) -> std::io::Result<(String, cap_std::fs::File)> {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let mut opts = OpenOptions::new();
    opts.write(true).create_new(true);
    opts.follow(FollowSymlinks::No);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    let mut last = None;
    for _ in 0..16 {
        let name = format!(
            "{}{}-{:x}{:x}{}",
            crate::output::TEMP_PREFIX,
            std::process::id(),
            nanos,
            NEXT.fetch_add(1, Ordering::Relaxed),
            crate::output::TEMP_SUFFIX
        );
        match dir.open_with(&name, &opts) {
            Ok(f) => return Ok((name, f)),
            Err(e) if e.kind() == ErrorKind::AlreadyExists => last = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last.unwrap_or_else(|| ErrorKind::AlreadyExists.into()))
}

fn missing(rel: &Rel) -> Failure {
    Failure::Missing(format!("файл «{}» не найден", rel.shown))
}

fn io(rel: &Rel, e: &std::io::Error) -> Failure {
    Failure::Io(format!(
        "файл «{}»: {}",
        rel.shown,
        crate::diag::io_reason(e)
    ))
}
