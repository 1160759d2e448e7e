//! Reading a file the user named (an act, a profile, a spreadsheet, a
//! template, an image) within a size limit, refusing what is no regular
//! file. Here, below every stage, so that reading and the templates share it.

use std::path::Path;

/// Why a file could not be read.
pub enum ReadError {
    /// Larger than the limit (its size, when the file system tells it).
    TooBig(Option<u64>),
    /// Missing, not a regular file, unreadable: the reason in Russian.
    Other(String),
}

/// Read a file the user named, at most `limit` bytes. Only a regular file is
/// read (a link to one is followed): a device such as /dev/zero, a FIFO that
/// would block forever, or a folder is refused. The size the file system
/// reports is not trusted: reading stops one byte past the limit.
pub fn read_capped(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    use std::io::Read;
    let meta = std::fs::metadata(path).map_err(|e| {
        ReadError::Other(format!(
            "не удалось открыть файл: {}",
            crate::diag::io_reason(&e)
        ))
    })?;
    if meta.is_dir() {
        return Err(ReadError::Other("это папка, а нужен файл".into()));
    }
    if !meta.is_file() {
        return Err(ReadError::Other(
            "это не обычный файл (устройство, канал или сокет): укажите файл с диска".into(),
        ));
    }
    if meta.len() > limit {
        return Err(ReadError::TooBig(Some(meta.len())));
    }
    let mut open = std::fs::OpenOptions::new();
    open.read(true);
    // A FIFO put in the file's place since the check opens at once and is
    // refused below, instead of blocking the open.
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        open.custom_flags(libc::O_NONBLOCK);
    }
    let file = open.open(path).map_err(|e| {
        ReadError::Other(format!(
            "не удалось открыть файл: {}",
            crate::diag::io_reason(&e)
        ))
    })?;
    // The file may have been swapped for something else since the check.
    if !file.metadata().is_ok_and(|m| m.is_file()) {
        return Err(ReadError::Other(
            "это не обычный файл (устройство, канал или сокет): укажите файл с диска".into(),
        ));
    }
    let mut bytes = Vec::with_capacity(meta.len().min(limit) as usize);
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| {
            ReadError::Other(format!(
                "не удалось прочитать файл: {}",
                crate::diag::io_reason(&e)
            ))
        })?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooBig(None));
    }
    Ok(bytes)
}
