//! `prikaz batch`: one base act, many variants; the progress bar, the
//! summary table and `--json`.

use super::args::{Common, Output};
use super::print::print_diags;
use prikaz::output;
use prikaz::render::{Engine, Format};
use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;

/// The options of `batch` that no other command has.
pub struct Flags {
    pub merge: bool,
    pub json: bool,
    pub jobs: Option<usize>,
    pub no_clobber: bool,
    pub max_variants: usize,
}

pub fn batch(
    base: &Path,
    variants: &Path,
    output: &Output,
    flags: Flags,
    common: &Common,
) -> ExitCode {
    use prikaz::batch;
    let Flags {
        merge,
        json,
        jobs,
        no_clobber,
        max_variants,
    } = flags;
    let formats = match Format::parse_list(&output.format) {
        Ok(f) if !f.contains(&Format::Png) => f,
        Ok(_) => {
            tell!("ошибка: в пакетном режиме доступны форматы pdf и docx");
            return ExitCode::from(2);
        }
        Err(m) => {
            tell!("ошибка: {m}");
            return ExitCode::from(2);
        }
    };
    let templates = match common.templates() {
        Ok(t) => t,
        Err(c) => return c,
    };
    output::clean_up_on_interrupt();
    let limits = prikaz::read::Limits {
        max_variants,
        ..common.limits()
    };
    let list = match batch::read_variants(variants, &limits) {
        Ok(v) => v,
        Err(d) => {
            print_diags(&d);
            return ExitCode::from(1);
        }
    };
    let out = output
        .out
        .clone()
        .unwrap_or_else(|| prikaz::job::folder_of(base).join("out"));
    let opts = batch::Options {
        out,
        formats,
        pdf: output.pdf.standard,
        no_clobber,
        merge,
        blank: output.blank.on,
        signature_fields: output.sign.signature_field,
        strict: common.strict,
        threads: jobs.unwrap_or_else(|| {
            std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(1)
        }),
        // Copies of this very program, given the same arguments.
        workers: match std::env::current_exe() {
            Ok(exe) => batch::Workers::Processes {
                exe,
                args: std::env::args_os().skip(1).collect(),
            },
            Err(_) => batch::Workers::Threads,
        },
    };
    let engine = Engine::new(&templates.page);
    if std::env::var_os(batch::WORKER_ENV).is_some() {
        return match batch::serve(base, &list, &opts, &templates, &engine, &limits) {
            Ok(()) => ExitCode::SUCCESS,
            Err(d) => {
                print_diags(&d);
                ExitCode::from(1)
            }
        };
    }
    let bar = if std::io::stderr().is_terminal() && !json {
        indicatif::ProgressBar::new(list.len() as u64)
    } else {
        indicatif::ProgressBar::hidden()
    };
    if let Ok(style) = indicatif::ProgressStyle::with_template(
        "{bar:40} {pos}/{len} вариантов, осталось {eta} {msg}",
    ) {
        bar.set_style(style);
    }
    let progress = |o: &batch::Outcome| {
        bar.set_message(o.name.clone());
        bar.inc(1);
    };
    let summary = match batch::run(base, &list, &opts, &templates, &engine, &limits, &progress) {
        Ok(s) => s,
        Err(d) => {
            bar.finish_and_clear();
            print_diags(&d);
            return ExitCode::from(1);
        }
    };
    bar.finish_and_clear();
    if json {
        match serde_json::to_string_pretty(&summary) {
            Ok(s) => say!("{s}"),
            Err(e) => tell!("ошибка: {e}"),
        }
    } else {
        for o in &summary.variants {
            for w in o.warnings.iter().chain(&o.errors) {
                tell!("{}", w.text);
            }
        }
        tell!(
            "{:>4}  {:<32} {:>6} {:>6} {:>5}  итог",
            "№",
            "вариант",
            "файлов",
            "стр.",
            "пред."
        );
        for o in &summary.variants {
            let status = if o.ok() {
                "готово".to_string()
            } else {
                format!("ОШИБКА ({})", o.errors.len())
            };
            let name: String = o.name.chars().take(32).collect();
            tell!(
                "{:>4}  {:<32} {:>6} {:>6} {:>5}  {status}",
                o.index,
                name,
                o.files.len(),
                o.pages,
                o.warnings.len()
            );
        }
        if let Some(m) = &summary.merged {
            tell!("общий PDF: {m}");
        }
        tell!(
            "вариантов: {}, успешно: {}, с ошибками: {}, записано файлов: {} в {}",
            summary.variants.len(),
            summary.variants.len() - summary.failed,
            summary.failed,
            summary.written,
            opts.out.display()
        );
    }
    if summary.failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
