//! Writing output files safely: to a temporary file in the target folder, then
//! renamed over the target, so a reader never sees a half-written file and an
//! existing file is never left truncated.

use crate::diag::Diagnostic;
use std::io::Write;
use std::path::{Path, PathBuf};

/// What happened to one output file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Written {
    New(PathBuf),
    Replaced(PathBuf),
    /// `--no-clobber` and the file existed.
    Kept(PathBuf),
}

/// Write all `files` (name, bytes) into `dir`, each atomically.
pub fn write_all(
    dir: &Path,
    files: &[(String, Vec<u8>)],
    no_clobber: bool,
) -> Result<Vec<Written>, Diagnostic> {
    std::fs::create_dir_all(dir).map_err(|e| {
        Diagnostic::error(
            "E030",
            format!(
                "не удалось создать папку {}: {}",
                dir.display(),
                crate::io_reason(&e)
            ),
        )
    })?;
    let mut out = Vec::new();
    for (name, bytes) in files {
        let target = dir.join(name);
        let existed = target.exists();
        if existed && no_clobber {
            out.push(Written::Kept(target));
            continue;
        }
        write_atomic(&target, bytes)?;
        out.push(if existed {
            Written::Replaced(target)
        } else {
            Written::New(target)
        });
    }
    Ok(out)
}

/// Write `bytes` to `target` through a temporary file in the same folder.
pub fn write_atomic(target: &Path, bytes: &[u8]) -> Result<(), Diagnostic> {
    let dir = target
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let fail = |e: std::io::Error| {
        Diagnostic::error(
            "E030",
            format!(
                "не удалось записать {}: {}",
                target.display(),
                crate::io_reason(&e)
            ),
        )
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(".prikaz-").suffix(".tmp");
    // A new file gets the permissions any saved file gets (0666 less the umask,
    // so 0644 under umask 022), not the temporary file's private 0600.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let mut tmp = builder.tempfile_in(dir).map_err(fail)?;
    // A replaced file keeps its own permissions.
    if let Ok(meta) = std::fs::metadata(target) {
        tmp.as_file()
            .set_permissions(meta.permissions())
            .map_err(fail)?;
    }
    tmp.write_all(bytes).map_err(fail)?;
    tmp.as_file().sync_all().map_err(fail)?;
    tmp.persist(target).map_err(|e| fail(e.error))?;
    Ok(())
}
