//! Reader: a YAML file → the input model ([`input::Act`]), with every problem found.
//!
//! Stages: bytes → text (size and encoding checked) → node tree ([`yaml`]) →
//! typed input ([`decode`], [`input`]); table rows from CSV ([`csv_rows`]).
//! Every value keeps its [`crate::diag::Pos`], which knows its file. Views of the
//! input that validation and the lints share: every user text with its field
//! path ([`texts`]) and the exact place of a word inside a multi-line value
//! ([`place`]). Files an act names are found and fenced in by [`local`].
//! Semantic checks live in `validate`.

pub mod csv_rows;
pub mod decode;
pub mod input;
pub mod limits;
pub mod local;
pub mod place;
pub mod profile;
pub mod schema;
pub mod sheets;
pub mod texts;
pub mod yaml;

use crate::diag::{Diagnostic, Diagnostics, Pos, SourceFile};
use crate::errors;
use std::path::Path;
use std::sync::Arc;

/// The folder a file's neighbours are named from: the one it is in (`.` for
/// a bare name). An act's profile, spreadsheets and coat of arms are relative
/// to it; so are the files written beside the act.
pub fn folder_of(path: &Path) -> &Path {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

pub use limits::Limits;

/// Decoded act with its source, ready for validation.
pub struct Parsed {
    pub act: input::Act,
    pub source: Arc<SourceFile>,
    /// The organisation profile the act named, if any (its fields are merged
    /// into `act`; kept so that messages can quote it).
    pub profile: Option<Arc<SourceFile>>,
    pub diags: Diagnostics,
}

/// Read and decode one YAML file. `Err` carries all problems found.
pub fn read_file(path: &Path, limits: &Limits) -> Result<Parsed, Diagnostics> {
    let src = load_source(path, limits)?;
    parse_and_decode(src, limits)
}

/// Read a text file the user named (an act, a batch base, a variants list):
/// it must exist, be a file within `--max-input`, be UTF-8 (a BOM is dropped)
/// and hold no NUL byte. Problems name the file and, where known, the place.
pub fn load_source(path: &Path, limits: &Limits) -> Result<Arc<SourceFile>, Diagnostics> {
    let name = path.display().to_string();
    let bytes = read_capped(path, limits.max_input).map_err(|e| {
        let d = match e {
            ReadError::TooBig(len) => too_big(len, limits),
            ReadError::Other(m) => Diagnostic::error(errors::FILE_UNREADABLE, m),
        };
        one(d.in_file(&name))
    })?;
    source_from_bytes(&name, bytes, limits)
}

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
    let file = std::fs::File::open(path).map_err(|e| {
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

/// A file over `--max-input` (its size, when known).
fn too_big(len: Option<u64>, limits: &Limits) -> Diagnostic {
    Diagnostic::error(
        errors::TOO_LARGE,
        format!(
            "файл слишком велик: больше {} КБ{}",
            limits.max_input / 1024,
            len.map(|l| format!(" (в нём {} КБ)", l / 1024))
                .unwrap_or_default()
        ),
    )
    .hint("предел меняется флагом --max-input, например --max-input 8МБ")
}

fn check_size(name: &str, len: u64, limits: &Limits) -> Result<(), Diagnostics> {
    if len > limits.max_input {
        return Err(one(too_big(Some(len), limits).in_file(name)));
    }
    Ok(())
}

/// Decode YAML given as bytes (the file name is used in messages).
pub fn read_bytes(name: &str, bytes: Vec<u8>, limits: &Limits) -> Result<Parsed, Diagnostics> {
    parse_and_decode(source_from_bytes(name, bytes, limits)?, limits)
}

/// The checks of [`load_source`] on bytes already in memory.
fn source_from_bytes(
    name: &str,
    bytes: Vec<u8>,
    limits: &Limits,
) -> Result<Arc<SourceFile>, Diagnostics> {
    check_size(name, bytes.len() as u64, limits)?;
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let good = &e.as_bytes()[..e.utf8_error().valid_up_to()];
            let good = String::from_utf8_lossy(good);
            let at = Pos::at_offset(&good, good.len());
            return Err(one(Diagnostic::error(
                errors::YAML_SYNTAX,
                "файл не в кодировке UTF-8 (или это не текстовый файл)",
            )
            .in_file(name)
            .hint("сохраните файл как текст в UTF-8"))
            .map_pos(at));
        }
    };
    let text = text
        .strip_prefix('\u{feff}')
        .map(str::to_string)
        .unwrap_or(text);
    let src = SourceFile::new(name, text);
    if let Some(i) = src.text.find('\0') {
        return Err(one(Diagnostic::error(
            errors::YAML_SYNTAX,
            "в файле нулевой байт: это не текстовый YAML-файл",
        )
        .at(&src, Pos::at_offset(&src.text, i))));
    }
    Ok(src)
}

/// Parse, merge the profile the act names (found from the act's folder),
/// and decode.
fn parse_and_decode(src: Arc<SourceFile>, limits: &Limits) -> Result<Parsed, Diagnostics> {
    let mut root = yaml::parse(&src).map_err(one)?;
    let base = folder_of(&src.path).to_path_buf();
    let profile = profile::apply(&mut root, &src, &base, limits)?;
    let mut parsed = decode_root(&root, src)?;
    parsed.profile = profile;
    Ok(parsed)
}

/// Decode an already parsed node tree (batch variants build their own trees).
pub fn decode_root(root: &yaml::Node, src: Arc<SourceFile>) -> Result<Parsed, Diagnostics> {
    let mut cx = decode::Cx::new(src.clone());
    let act = <input::Act as decode::Decode>::decode(root, &mut cx);
    match act {
        Some(act) if !cx.diags.has_errors() => Ok(Parsed {
            act,
            source: src,
            profile: None,
            diags: cx.diags,
        }),
        _ => {
            let mut d = cx.diags;
            d.sort();
            Err(d)
        }
    }
}

fn one(d: Diagnostic) -> Diagnostics {
    Diagnostics(vec![d])
}

impl Diagnostics {
    fn map_pos(mut self, pos: Pos) -> Self {
        for d in &mut self.0 {
            d.pos = Some(pos);
        }
        self
    }
}
