//! prikaz: Russian administrative acts (приказ, распоряжение, постановление) from
//! YAML to PDF and DOCX laid out per ГОСТ Р 7.0.97.
//!
//! The flow, one module per stage:
//! `read` (YAML → input model, every value with its place) → `validate` (errors)
//! and `lint` (warnings) → `resolve` (→ `model`, the final document: every
//! number, reference, date and word decided) → `render::typst` (PDF, PNG) and
//! `render::docx` (DOCX) → `output` (atomic writes). `batch` runs that flow for
//! many variants of one act; `watch` runs it again when an act's files
//! change; `serve` runs it for a local web editor with live pages. Layout
//! numbers live in `layout`, wording in `templates/wording/*.j2`, diagnostics
//! in `diag`, error codes in `errors`, the coat of arms in `emblem`, the
//! bundled fonts in `fonts`.

// Diagnostics are the error type throughout: they carry the place, the message and
// the hint, and travel only on the error path, so their size does not matter.
#![allow(clippy::result_large_err)]

pub mod batch;
pub mod diag;
pub mod emblem;
pub mod errors;
pub mod fonts;
pub mod layout;
pub mod letters;
pub mod lint;
pub mod model;
pub mod output;
pub mod persons;
pub mod qr;
pub mod read;
pub mod render;
pub mod resolve;
pub mod serve;
pub mod starter;
pub mod templates;
pub mod timings;
pub mod validate;
pub mod watch;

use diag::{Diagnostic, Diagnostics};
use std::path::Path;

/// A document ready for the writers, with the warnings found on the way.
pub struct Prepared {
    pub doc: model::Document,
    pub warnings: Diagnostics,
    /// The coat of arms, checked and ready for both writers.
    pub emblem: Option<emblem::Emblem>,
}

/// Read, validate and resolve one YAML file.
pub fn prepare(
    path: &Path,
    templates: &templates::Templates,
    limits: &read::Limits,
    selection: &resolve::Selection,
) -> Result<Prepared, Diagnostics> {
    let parsed = read::read_file(path, limits)?;
    timings::mark("чтение и разбор YAML");
    prepare_parsed(parsed, folder_of(path), templates, limits, selection)
}

/// [`prepare`], then `work` (the writers) on the document while the lints
/// read the act on a thread of their own. On two cores the lints then cost a
/// clerk no time: their 3 ms came before any layout began. (Where nothing
/// waits for them, as in `check`, a thread of their own is slower: its new
/// memory costs more than it saves.) The warnings are complete when this
/// returns; `work` sees only those of reading and validation.
pub fn prepare_then<R>(
    path: &Path,
    templates: &templates::Templates,
    limits: &read::Limits,
    selection: &resolve::Selection,
    work: impl FnOnce(&mut Prepared) -> R,
) -> Result<(Prepared, R), Diagnostics> {
    let parsed = read::read_file(path, limits)?;
    timings::mark("чтение и разбор YAML");
    let (p, r) = finish(
        parsed,
        folder_of(path),
        templates,
        limits,
        selection,
        Some(work),
    )?;
    Ok((p, r.expect("work was given")))
}

/// Validate and resolve a decoded act; `base` is the folder its files are relative to.
pub fn prepare_parsed(
    parsed: read::Parsed,
    base: &Path,
    templates: &templates::Templates,
    limits: &read::Limits,
    selection: &resolve::Selection,
) -> Result<Prepared, Diagnostics> {
    let no_work: Option<fn(&mut Prepared)> = None;
    finish(parsed, base, templates, limits, selection, no_work).map(|(p, _)| p)
}

/// The folder an act's files are relative to: the one it is in.
fn folder_of(path: &Path) -> &Path {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// Validate, lint and resolve a decoded act; with `work`, run it on the
/// document while the lints run beside it (see [`prepare_then`]).
fn finish<R>(
    mut parsed: read::Parsed,
    base: &Path,
    templates: &templates::Templates,
    limits: &read::Limits,
    selection: &resolve::Selection,
    work: Option<impl FnOnce(&mut Prepared) -> R>,
) -> Result<(Prepared, Option<R>), Diagnostics> {
    let path = parsed.source.path.clone();
    let mut diags = std::mem::take(&mut parsed.diags);
    diags.extend(read::csv_rows::load(
        &mut parsed.act,
        &parsed.source,
        base,
        limits.root.as_deref(),
        limits.max_input,
    ));
    diags.extend(validate::validate(
        &parsed.act,
        &parsed.source,
        base,
        limits,
    ));
    timings::mark("проверка");
    if diags.has_errors() {
        diags.sort();
        return Err(diags);
    }
    let parsed = &parsed;
    let lints = || {
        let l = lint::lint_with(&parsed.act, &parsed.source, &limits.allow);
        timings::mark("предупреждения (lint)");
        l
    };
    let resolved = || -> Result<Prepared, Diagnostics> {
        let doc = resolve::resolve(&parsed.act, templates, selection)
            .map_err(|d| Diagnostics(vec![d.in_file(path.display().to_string())]))?;
        timings::mark("итоговая модель");
        let emblem = match &parsed.act.authority.emblem {
            Some(e) => Some(
                validate::check_local_file(
                    base,
                    limits.root.as_deref(),
                    &e.value,
                    &["png", "svg", "jpg", "jpeg"],
                )
                .and_then(|full| load_image(&full, limits))
                .map_err(|m| {
                    Diagnostics(vec![Diagnostic::error("E015", m).at(&parsed.source, e.pos)])
                })?,
            ),
            None => None,
        };
        Ok(Prepared {
            doc,
            warnings: Diagnostics(vec![]),
            emblem,
        })
    };
    let (done, lints) = match work {
        None => {
            let lints = lints();
            (resolved().map(|p| (p, None)), lints)
        }
        Some(work) => std::thread::scope(|s| {
            let linting = std::thread::Builder::new()
                .name("lint".into())
                .spawn_scoped(s, lints);
            let done = resolved().map(|mut p| {
                let r = work(&mut p);
                (p, Some(r))
            });
            // A thread that could not start leaves its work to this one. The
            // lints do not panic (the fuzz tests hold them to that); if one
            // did, the panic goes on as it would have without the thread.
            let lints = match linting {
                Ok(h) => h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)),
                Err(_) => lints(),
            };
            (done, lints)
        }),
    };
    let (mut p, r) = done?;
    diags.extend(lints);
    p.warnings = diags;
    Ok((p, r))
}

/// Read the coat of arms within the size limit and check it (format, size,
/// pixels): a broken image is refused here, before any writer sees it.
fn load_image(path: &Path, limits: &read::Limits) -> Result<emblem::Emblem, String> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let bytes = read::read_capped(path, limits.max_image_bytes).map_err(|e| match e {
        read::ReadError::TooBig(_) => format!(
            "изображение «{name}» слишком велико: больше {} КБ (флаг --max-image)",
            limits.max_image_bytes / 1024
        ),
        read::ReadError::Other(m) => format!("«{name}»: {m}"),
    })?;
    emblem::Emblem::new(bytes, &name, limits.max_image_pixels)
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
        K::NotADirectory => "часть пути — файл, а не папка".into(),
        K::DirectoryNotEmpty => "папка не пуста".into(),
        K::InvalidFilename => "слишком длинное или недопустимое имя файла".into(),
        K::FileTooLarge => "файл слишком велик для этой файловой системы".into(),
        K::QuotaExceeded => "превышена квота на диске".into(),
        K::ResourceBusy | K::ExecutableFileBusy => "файл занят другой программой".into(),
        K::CrossesDevices => "нельзя переместить файл на другой диск".into(),
        K::TooManyLinks => "слишком много ссылок".into(),
        K::Interrupted => "операция прервана".into(),
        K::UnexpectedEof => "файл оборвался".into(),
        K::OutOfMemory => "не хватило памяти".into(),
        K::TimedOut => "истекло время ожидания".into(),
        // The system's own text would be English: the code says enough to look up.
        _ => match e.raw_os_error() {
            Some(code) => format!("ошибка ввода-вывода (код системы {code})"),
            None => "ошибка ввода-вывода".into(),
        },
    }
}
