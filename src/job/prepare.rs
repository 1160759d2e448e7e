//! One act from its YAML to the document model: read → facts → validate and
//! lint → resolve. The facts of the act (its numbering, texts and lines) are
//! worked out once here and handed to each stage.

use crate::diag::{Diagnostic, Diagnostics};
use crate::facts::Facts;
use crate::read::folder_of;
use crate::{emblem, errors, lint, model, read, resolve, templates, timings, validate};
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
        limits,
    ));
    // Worked out once, after the rows from spreadsheets are in.
    let facts = Facts::of(&parsed.act, &parsed.source.text);
    diags.extend(validate::validate(
        &parsed.act,
        &facts,
        &parsed.source,
        base,
        limits,
    ));
    timings::mark("проверка");
    if diags.has_errors() {
        diags.sort();
        return Err(diags);
    }
    let (parsed, facts) = (&parsed, &facts);
    let lints = || {
        let l = lint::lint_with(&parsed.act, facts, &parsed.source, &limits.allow);
        timings::mark("предупреждения (lint)");
        l
    };
    let resolved = || -> Result<Prepared, Diagnostics> {
        let doc = resolve::resolve(&parsed.act, &facts.numbering, templates, selection)
            .map_err(|d| Diagnostics(vec![d.in_file(path.display().to_string())]))?;
        timings::mark("итоговая модель");
        let emblem = match &parsed.act.authority.emblem {
            Some(e) => Some(
                read::local::check_local_file(
                    base,
                    limits.root.as_deref(),
                    &e.value,
                    &["png", "svg", "jpg", "jpeg"],
                )
                .and_then(|full| load_image(&full, limits))
                .map_err(|m| {
                    Diagnostics(vec![
                        Diagnostic::error(errors::BAD_EMBLEM, m).at(&parsed.source, e.pos),
                    ])
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
