//! `prikaz check`: every problem of each act, in Russian, nothing written;
//! `check --explain`: what a code means.

use super::args::Common;
use super::print::{print_diags, warn_suffix};
use prikaz::resolve::Selection;
use std::path::PathBuf;
use std::process::ExitCode;

pub fn check(files: &[PathBuf], output: &str, common: &Common) -> ExitCode {
    let json = match output {
        "text" => false,
        "json" => true,
        other => {
            tell!("ошибка: неизвестный вид вывода «{other}»; допустимы: text, json");
            return ExitCode::from(2);
        }
    };
    let templates = match common.templates() {
        Ok(t) => t,
        Err(c) => return c,
    };
    let limits = common.limits();
    let mut failed = false;
    let mut all = vec![];
    for f in files {
        // A profile is not an act (reading refuses it): it is checked as a
        // profile, its fields as its acts take them. Only a file that fails
        // as an act is read again to tell.
        let (diags, ok, profile) =
            match prikaz::job::prepare(f, &templates, &limits, &Selection::All) {
                Ok(p) => (p.warnings, true, false),
                Err(d) => match prikaz::read::profile::check(f, &limits) {
                    Some(d) => {
                        let ok = !d.has_errors();
                        (d, ok, true)
                    }
                    None => (d, false, false),
                },
            };
        let what = if profile { " (профиль)" } else { "" };
        let errors = diags.errors() + if common.strict { diags.warnings() } else { 0 };
        failed |= !ok || errors > 0;
        if json {
            all.push(serde_json::json!({
                "file": f.display().to_string(),
                "profile": profile,
                "ok": errors == 0,
                "errors": diags.errors(),
                "warnings": diags.warnings(),
                "diagnostics": diags.0,
            }));
        } else {
            print_diags(&diags);
            if errors == 0 {
                tell!(
                    "{}{what}: ошибок нет{}",
                    f.display(),
                    warn_suffix(diags.warnings())
                );
            } else {
                let strict = if common.strict && diags.warnings() > 0 {
                    " (--strict: предупреждения считаются ошибками)"
                } else {
                    ""
                };
                tell!(
                    "{}{what}: ошибок — {}{}{strict}",
                    f.display(),
                    diags.errors(),
                    warn_suffix(diags.warnings())
                );
            }
        }
    }
    if json {
        say!("{}", serde_json::to_string_pretty(&all).unwrap_or_default());
    }
    if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// `check --explain [CODE]`: what a lint checks or an error means, and why.
pub fn explain_code(code: &str) -> ExitCode {
    if code.trim().is_empty() {
        say!(
            "Проверки — предупреждения (prikaz check --explain КОД — подробнее; --allow КОД — отключить):"
        );
        for i in prikaz::lint::codes() {
            say!("  {}  {}", i.code, i.name);
        }
        say!("\nОшибки (prikaz check --explain КОД — подробнее):");
        for i in prikaz::errors::CODES {
            say!("  {}  {}", i.code, i.name);
        }
        return ExitCode::SUCCESS;
    }
    // One shape for both tables; only the label of «why» differs.
    let found = prikaz::lint::codes::info(code)
        .map(|i| (i, "Почему это важно"))
        .or_else(|| prikaz::errors::info(code).map(|i| (i, "Почему prikaz останавливается")));
    match found {
        Some((i, why_label)) => {
            say!(
                "{} — {}\n\n{why_label}: {}\n\n{}",
                i.code,
                i.name,
                i.why,
                i.explain
            );
            ExitCode::SUCCESS
        }
        None => {
            tell!("ошибка: неизвестный код «{code}»; список: prikaz check --explain");
            ExitCode::from(2)
        }
    }
}
