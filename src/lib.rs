//! prikaz: Russian administrative acts (приказ, распоряжение, постановление) from
//! YAML to PDF and DOCX laid out per ГОСТ Р 7.0.97.
//!
//! The flow, one module per stage:
//! `read` (YAML → input model) → `validate` (semantic errors) → `resolve`
//! (→ `model`, the final document) → `render::typst` (PDF, PNG).
//! Layout numbers live in `layout`, wording in `templates/wording/*.j2`.

pub mod batch;
pub mod diag;
pub mod layout;
pub mod lint;
pub mod model;
pub mod output;
pub mod read;
pub mod render;
pub mod resolve;
pub mod templates;
pub mod validate;

use diag::{Diagnostic, Diagnostics};
use std::path::Path;

/// A document ready for the writers, with the warnings found on the way.
pub struct Prepared {
    pub doc: model::Document,
    pub warnings: Diagnostics,
    pub emblem: Option<Vec<u8>>,
}

/// Read, validate and resolve one YAML file.
pub fn prepare(
    path: &Path,
    templates: &templates::Templates,
    limits: &read::Limits,
    selection: &resolve::Selection,
) -> Result<Prepared, Diagnostics> {
    let parsed = read::read_file(path, limits)?;
    let base = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    prepare_parsed(parsed, base, templates, selection)
}

/// Validate and resolve a decoded act; `base` is the folder its files are relative to.
pub fn prepare_parsed(
    mut parsed: read::Parsed,
    base: &Path,
    templates: &templates::Templates,
    selection: &resolve::Selection,
) -> Result<Prepared, Diagnostics> {
    let path = parsed.source.path.clone();
    let mut diags = std::mem::take(&mut parsed.diags);
    diags.extend(read::csv_rows::load(&mut parsed.act, &parsed.source, base));
    diags.extend(validate::validate(&parsed.act, &parsed.source, base));
    if !diags.has_errors() {
        diags.extend(lint::lint(&parsed.act, &parsed.source));
    }
    if diags.has_errors() {
        diags.sort();
        return Err(diags);
    }
    let doc = resolve::resolve(&parsed.act, templates, selection)
        .map_err(|d| Diagnostics(vec![d.in_file(path.display().to_string())]))?;
    let emblem = match &parsed.act.authority.emblem {
        Some(e) => {
            let full = validate::check_local_file(base, &e.value, &["png", "svg", "jpg", "jpeg"])
                .map_err(|m| {
                Diagnostics(vec![Diagnostic::error("E015", m).at(&parsed.source, e.pos)])
            })?;
            Some(std::fs::read(&full).map_err(|err| {
                Diagnostics(vec![
                    Diagnostic::error(
                        "E015",
                        format!("не удалось прочитать герб: {}", io_reason(&err)),
                    )
                    .at(&parsed.source, e.pos),
                ])
            })?)
        }
        None => None,
    };
    Ok(Prepared {
        doc,
        warnings: diags,
        emblem,
    })
}

/// The reason of an I/O error, in Russian.
pub fn io_reason(e: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    match e.kind() {
        K::NotFound => "файл или папка не найдены".into(),
        K::PermissionDenied => "нет прав доступа".into(),
        K::AlreadyExists => "файл уже существует".into(),
        K::StorageFull => "на диске нет места".into(),
        K::ReadOnlyFilesystem => "диск доступен только для чтения".into(),
        K::IsADirectory => "это папка, а не файл".into(),
        K::InvalidData => "файл повреждён или не в той кодировке".into(),
        _ => format!("ошибка ввода-вывода ({e})"),
    }
}
