//! The commands that print what a clerk or an editor needs: `schema`, `new`,
//! `man` and `completions`.

use super::Cli;
use super::print::print_diags;
use prikaz::diag::Diagnostics;
use std::path::Path;
use std::process::ExitCode;

pub fn schema(which: &str, out: Option<&Path>) -> ExitCode {
    use prikaz::read::schema;
    let value = match which.trim().to_lowercase().as_str() {
        "акт" | "act" => schema::act(),
        "профиль" | "profile" => schema::profile(),
        other => {
            tell!("ошибка: нет схемы «{other}»: бывают схемы «акт» и «профиль»");
            return ExitCode::from(2);
        }
    };
    let mut text = serde_json::to_string_pretty(&value).expect("a schema is JSON");
    text.push('\n');
    match out {
        None => {
            say!("{}", text.trim_end());
            ExitCode::SUCCESS
        }
        Some(path) => match prikaz::output::write_atomic(path, text.as_bytes()) {
            Ok(()) => {
                tell!("схема записана: {}", path.display());
                ExitCode::SUCCESS
            }
            Err(d) => {
                print_diags(&Diagnostics(vec![d]));
                ExitCode::from(1)
            }
        },
    }
}

pub fn new_starter(
    kind: &str,
    with: &[String],
    profile: Option<&str>,
    output: Option<&Path>,
) -> ExitCode {
    use prikaz::starter::{ProfileUse, profile_fields, starter};
    // The profile is named from where the act will be: the folder of `-o`,
    // else this one.
    let read = match profile {
        // (Named as typed when the act is to be here: «профили/уо.yaml», not «./профили/уо.yaml».)
        Some(p) => match profile_fields(
            &output
                .map(prikaz::read::folder_of)
                .filter(|f| *f != Path::new("."))
                .map_or_else(|| Path::new(p).to_path_buf(), |f| f.join(p)),
        ) {
            Ok(f) => Some((p, f)),
            Err(d) => {
                print_diags(&d);
                tell!(
                    "ошибка: профиль {p} не читается — исправьте его (все его ошибки: prikaz check {p}); образец не записан"
                );
                return ExitCode::from(1);
            }
        },
        None => None,
    };
    let profile = read.as_ref().map(|(p, (fields, signatories))| ProfileUse {
        path: p,
        fields,
        signatories,
    });
    match starter(kind, with, profile) {
        Ok(text) => match output {
            None => {
                say!("{}", text.trim_end());
                ExitCode::SUCCESS
            }
            Some(file) => write_starter(file, text.trim_end(), "Образец"),
        },
        Err(m) => {
            tell!("ошибка: {m}");
            ExitCode::from(2)
        }
    }
}

/// `prikaz new профиль`: a commented profile with `v`'s values.
pub fn new_profile(
    mut v: prikaz::starter::ProfileValues,
    with: &[String],
    named_profile: bool,
    output: Option<&Path>,
) -> ExitCode {
    if !with.is_empty() || named_profile {
        tell!(
            "ошибка: у профиля не бывает приложений и своего профиля: уберите --with и --profile"
        );
        return ExitCode::from(2);
    }
    if let Err(missing) = v.tidy() {
        tell!("ошибка: в профиле не хватает: {}", missing.join(", "));
        return ExitCode::from(2);
    }
    let text = prikaz::starter::profile(&v);
    match output {
        None => {
            say!("{}", text.trim_end());
            ExitCode::SUCCESS
        }
        Some(file) => write_starter(file, text.trim_end(), "Профиль"),
    }
}

/// The starter into `file`, whole or not at all, never over an existing file:
/// `prikaz new -o акт.yaml` is how the README makes a file (PowerShell 5's
/// `>` writes UTF-16, and `>` overwrites yesterday's act without a word).
fn write_starter(file: &Path, text: &str, what: &str) -> ExitCode {
    let dir = prikaz::read::folder_of(file);
    let Some(name) = file.file_name().and_then(|n| n.to_str()) else {
        tell!("ошибка: «{}» — не имя файла", file.display());
        return ExitCode::from(2);
    };
    let bytes = format!("{text}\n").into_bytes();
    match prikaz::output::write_all(dir, &[(name.to_string(), bytes)], true) {
        Ok(w)
            if w.iter()
                .all(|w| matches!(w, prikaz::output::Written::New(_))) =>
        {
            tell!("{what} записан в {}", file.display());
            ExitCode::SUCCESS
        }
        Ok(_) => {
            tell!(
                "ошибка: файл «{}» уже есть; prikaz new не перезаписывает файлы.\n  подсказка: выберите другое имя или удалите старый файл",
                file.display()
            );
            ExitCode::from(1)
        }
        Err(d) => {
            tell!("{}", d.render());
            ExitCode::from(1)
        }
    }
}

/// The man page, from the same definitions as `--help`: the program, then
/// each command with its own options (as `prikaz-check(1)` …), one after the
/// other. clap_mangen titles its sections in English; they are renamed as
/// Russian man pages name them.
pub fn manual() -> ExitCode {
    let mut cmd = <Cli as clap::CommandFactory>::command();
    // Global options (the Russian -h) reach each command.
    cmd.build();
    let mut page = Vec::new();
    let mut write = |c: clap::Command| clap_mangen::Man::new(c).render(&mut page);
    let mut ok = write(cmd.clone()).is_ok();
    for sub in cmd.get_subcommands() {
        let name = format!("prikaz-{}", sub.get_name());
        ok &= write(sub.clone().name(name)).is_ok();
    }
    if !ok {
        tell!("ошибка: не удалось составить страницу man");
        return ExitCode::from(1);
    }
    let mut text = String::from_utf8_lossy(&page).into_owned();
    for (en, ru) in [
        (".SH NAME", ".SH ИМЯ"),
        (".SH SYNOPSIS", ".SH СИНТАКСИС"),
        (".SH DESCRIPTION", ".SH ОПИСАНИЕ"),
        (".SH OPTIONS", ".SH \"ОБЩИЕ ПАРАМЕТРЫ\""),
        (".SH EXTRA", ".SH ПРИМЕЧАНИЯ"),
        (".SH VERSION", ".SH ВЕРСИЯ"),
        (".SH Команды", ".SH КОМАНДЫ"),
    ] {
        text = text.replace(&format!("{en}\n"), &format!("{ru}\n"));
    }
    let _ = std::io::Write::write_all(&mut std::io::stdout().lock(), text.as_bytes());
    ExitCode::SUCCESS
}
