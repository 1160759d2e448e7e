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

pub use crate::diag::Encoding;
use crate::diag::{Diagnostic, Diagnostics, Pos, SourceFile};
use crate::errors;
use std::path::Path;
use std::sync::Arc;

/// Warning codes of slips the reader finds (their table is `lint::codes`,
/// which names them from here): words after « # » that YAML took for a
/// comment; a file read as Windows-1251; a line glued to the list item above.
pub const COMMENT_CUT: &str = "P604";
pub const READ_AS_CP1251: &str = "P605";
pub const GLUED_ITEM: &str = "P606";
/// An id with Latin letters among Russian ones.
pub const LATIN_IN_ID: &str = "P607";

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

pub use crate::capped::{ReadError, read_capped};

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
    let (text, encoding) = match decode_text(bytes) {
        Ok(t) => t,
        Err(at) => {
            return Err(one(Diagnostic::error(
                errors::YAML_SYNTAX,
                "файл не в кодировке UTF-8 (или это не текстовый файл)",
            )
            .in_file(name)
            .hint("сохраните файл как текст в UTF-8"))
            .map_pos(at));
        }
    };
    let src = SourceFile::read_as(name, text, encoding);
    if let Some(i) = src.text.find('\0') {
        return Err(one(Diagnostic::error(
            errors::YAML_SYNTAX,
            "в файле нулевой байт: это не текстовый YAML-файл",
        )
        .at(&src, Pos::at_offset(&src.text, i))));
    }
    Ok(src)
}

/// A text file's bytes as text, and the encoding it was read in when not
/// UTF-8. UTF-8 (a BOM is dropped) is read as is; UTF-16 (what Windows
/// PowerShell 5 writes with `>`: with a BOM, or without one when its zero
/// bytes give it away) is read silently, as nothing is lost; bytes that are
/// not UTF-8 but read as Russian text in Windows-1251 (old Notepad's «ANSI»)
/// are read so, and the encoding named, for a warning. `Err`: the place of
/// the first byte that is none of these.
pub fn decode_text(bytes: Vec<u8>) -> Result<(String, Option<Encoding>), Pos> {
    if let Some(t) = utf16(&bytes) {
        return Ok((t, None));
    }
    match String::from_utf8(bytes) {
        Ok(t) => Ok((
            t.strip_prefix('\u{feff}').map(str::to_string).unwrap_or(t),
            None,
        )),
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            if let Some(t) = cp1251(&bytes) {
                return Ok((t, Some(Encoding::Cp1251)));
            }
            let good = String::from_utf8_lossy(&bytes[..valid]);
            Err(Pos::at_offset(&good, good.len()))
        }
    }
}

/// UTF-16 text: with a BOM, or without one when every zero byte stands on
/// the same side of its pair (ASCII letters of UTF-16).
fn utf16(bytes: &[u8]) -> Option<String> {
    let (le, body) = match bytes {
        [0xFF, 0xFE, rest @ ..] => (true, rest),
        [0xFE, 0xFF, rest @ ..] => (false, rest),
        _ => {
            let zeros_even = bytes.iter().step_by(2).filter(|b| **b == 0).count();
            let zeros_odd = bytes.iter().skip(1).step_by(2).filter(|b| **b == 0).count();
            let pairs = bytes.len() / 2;
            if bytes.len() < 4 || !bytes.len().is_multiple_of(2) {
                return None;
            }
            if zeros_odd * 3 >= pairs && zeros_even == 0 {
                (true, bytes)
            } else if zeros_even * 3 >= pairs && zeros_odd == 0 {
                (false, bytes)
            } else {
                return None;
            }
        }
    };
    if !body.len().is_multiple_of(2) {
        return None;
    }
    let units = body.chunks_exact(2).map(|p| {
        if le {
            u16::from_le_bytes([p[0], p[1]])
        } else {
            u16::from_be_bytes([p[0], p[1]])
        }
    });
    let text = char::decode_utf16(units)
        .collect::<Result<String, _>>()
        .ok()?;
    // Only what reads as text: no control characters, and letters mostly
    // ASCII or Russian (random bytes after a BOM decode to anything). Without
    // a BOM, also the ASCII its zero bytes promised.
    let chars = text.chars().count();
    let ascii = text.chars().filter(char::is_ascii).count();
    let usual = text
        .chars()
        .filter(|c| c.is_ascii() || crate::diag::is_cyrillic(*c) || !c.is_alphabetic())
        .count();
    if text
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
        || usual * 10 < chars * 9
        || (bytes.len() == body.len() && ascii * 3 < chars)
    {
        return None;
    }
    Some(
        text.strip_prefix('\u{feff}')
            .map(str::to_string)
            .unwrap_or(text),
    )
}

/// Bytes that read as Russian text in Windows-1251: no control characters
/// but line breaks and tabs, and most letters beyond ASCII Cyrillic.
fn cp1251(bytes: &[u8]) -> Option<String> {
    let (text, _, bad) = encoding_rs::WINDOWS_1251.decode(bytes);
    if bad {
        return None;
    }
    // Russian letters in UTF-8 among them (a file glued from two): reading
    // it all as Windows-1251 would garble those.
    let utf8_russian = bytes
        .windows(2)
        .filter(|w| matches!(w[0], 0xD0 | 0xD1) && (0x80..=0xBF).contains(&w[1]))
        .count();
    if utf8_russian >= 3 {
        return None;
    }
    let mut cyrillic = 0usize;
    let mut other = 0usize;
    for c in text.chars() {
        if c.is_control() && !matches!(c, '\n' | '\r' | '\t') {
            return None;
        }
        if !c.is_ascii() {
            if matches!(c, 'А'..='я' | 'Ё' | 'ё') {
                cyrillic += 1;
            } else {
                other += 1;
            }
        }
    }
    (cyrillic > 0 && cyrillic >= other * 4).then(|| text.into_owned())
}

/// Parse, merge the profile the act names (found from the act's folder),
/// and decode.
fn parse_and_decode(src: Arc<SourceFile>, limits: &Limits) -> Result<Parsed, Diagnostics> {
    let (mut root, mut notes) = yaml::parse_all(&src).map_err(one)?;
    if profile::is_profile(&root, &src.path) {
        return Err(one(
            Diagnostic::error(
                errors::PROFILE,
                "это профиль организации, а не акт: файлы делаются из акта, который его называет",
            )
            .at(&src, root.pos)
            .hint(format!(
                "акт называет профиль полем «профиль: профили/уо.yaml»; сам профиль проверяет prikaz check {}",
                src.path.display()
            )),
        ));
    }
    let base = folder_of(&src.path).to_path_buf();
    let profile = match profile::apply_noting(&mut root, &src, &base, limits, &mut notes) {
        Ok(p) => p,
        Err(e) => {
            notes.extend(e);
            notes.sort();
            return Err(notes);
        }
    };
    let decoded = decode_root(&root, src);
    let lints_off: Vec<String> = match &decoded {
        Ok(p) => p.act.lints_off.iter().map(|c| c.value.clone()).collect(),
        Err(_) => vec![],
    };
    let (parsed, more) = match decoded {
        Ok(mut p) => {
            let d = std::mem::take(&mut p.diags);
            (Some(p), d)
        }
        Err(d) => (None, d),
    };
    notes.extend(more);
    // The reader's warnings are lints too: switched off as the others are.
    let off: Vec<String> = limits
        .allow
        .iter()
        .chain(&lints_off)
        .map(|c| crate::codes::normalize_code(c))
        .collect();
    notes
        .0
        .retain(|d| d.is_error() || !off.iter().any(|c| c == d.code));
    notes.sort();
    match parsed {
        Some(mut parsed) if !notes.has_errors() => {
            parsed.profile = profile;
            parsed.diags = notes;
            Ok(parsed)
        }
        _ => Err(notes),
    }
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
