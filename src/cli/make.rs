//! `prikaz render` and `prikaz watch`: each act on the one path of
//! [`prikaz::job`], its files written and named on the terminal.

use super::args::{Common, Make, parse_only};
use super::print::print_diags;
use prikaz::diag::Diagnostics;
use prikaz::job::{self, Input, Later, Run, Settings, Tools};
use prikaz::output::{self, Durability, Written};
use prikaz::read::Limits;
use prikaz::render::{Engine, Format};
use prikaz::resolve::Selection;
use prikaz::templates::Templates;
use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;

/// What `render` and `watch` set up before the first act.
struct Session {
    settings: Settings,
    templates: Templates,
    limits: Limits,
    engine: Later<Engine>,
}

impl Session {
    fn tools(&self) -> Tools<'_> {
        Tools {
            templates: &self.templates,
            limits: &self.limits,
            engine: &self.engine,
        }
    }
}

impl Make {
    /// The settings, templates, limits and Typst engine of a run; `Err` is the
    /// exit code of a bad option or template, already told.
    fn session(&self, common: &Common, selection: Selection) -> Result<Session, ExitCode> {
        let formats = match Format::parse_list(&self.output.format) {
            Ok(f) => f,
            Err(m) => {
                tell!("ошибка: {m}");
                return Err(ExitCode::from(2));
            }
        };
        // 600 dpi is print quality; an A4 page is then 35 megapixels (140 MB while
        // it is drawn). More would take gigabytes for nothing a screen can show.
        if !(10.0..=600.0).contains(&self.dpi) {
            tell!("ошибка: разрешение --dpi должно быть от 10 до 600");
            return Err(ExitCode::from(2));
        }
        let templates = common.templates()?;
        let limits = common.limits();
        // One engine for the whole run: Typst's memoised layouts serve the
        // next act (and, in `watch`, the next edit).
        let page = templates.page.clone();
        let engine = Later::start(move || {
            let e = Engine::new(&page);
            prikaz::timings::mark("шрифты и библиотека Typst");
            e
        });
        output::clean_up_on_interrupt();
        Ok(Session {
            settings: Settings {
                dpi: self.dpi,
                pdf: self.output.pdf.standard,
                selection,
                blank: self.output.blank.on,
                signature_fields: self.output.sign.signature_field,
                strict: common.strict,
                parallel: true,
                ..Settings::new(formats)
            },
            templates,
            limits,
            engine,
        })
    }
}

/// One act of `render` or `watch`: made on the job's path, its warnings
/// printed, its files written beside it (or into `-o`).
fn one(
    file: &Path,
    make: &Make,
    session: &Session,
    run: &mut Run,
    no_clobber: bool,
) -> Result<Vec<Written>, Diagnostics> {
    let made = job::make(Input::File(file), &session.settings, &session.tools())?;
    print_diags(&made.warnings);
    if let Some(stem) = &made.shortened {
        tell!(
            "{}: номер слишком длинный для имени файла, имя сокращено: {stem}",
            file.display()
        );
    }
    let dir = match &make.output.out {
        Some(d) => d.as_path(),
        None => job::folder_of(file),
    };
    let written = run
        .write(file, dir, &made.files, no_clobber, Durability::EachFile)
        .map_err(|d| Diagnostics(vec![d.in_file(file.display().to_string())]))?;
    prikaz::timings::mark("запись файлов");
    Ok(written)
}

pub fn render(make: &Make, only: Option<&str>, no_clobber: bool, common: &Common) -> ExitCode {
    let selection = match only.map(parse_only).transpose() {
        Ok(s) => s.unwrap_or_default(),
        Err(m) => {
            tell!("ошибка: {m}");
            return ExitCode::from(2);
        }
    };
    let session = match make.session(common, selection) {
        Ok(s) => s,
        Err(c) => return c,
    };
    let files = &make.files;
    let tty = std::io::stderr().is_terminal();
    let mut failed = false;
    let mut run = Run::default();
    for f in files {
        if tty && files.len() > 1 {
            tell!("обработка {} …", f.display());
        }
        prikaz::render::forget_layouts(0);
        match one(f, make, &session, &mut run, no_clobber) {
            Ok(written) => {
                for w in written {
                    match w {
                        Written::New(p) => tell!("записан: {}", p.display()),
                        Written::Replaced(p) => tell!("перезаписан: {}", p.display()),
                        Written::Kept(p) => {
                            tell!("оставлен без изменений (--no-clobber): {}", p.display())
                        }
                    }
                }
            }
            Err(d) => {
                failed = true;
                print_diags(&d);
                tell!("{}: файлы не созданы", f.display());
            }
        }
    }
    if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// `prikaz watch`: render every act, then each again when its files change.
pub fn watch(make: &Make, common: &Common) -> ExitCode {
    let session = match make.session(common, Selection::All) {
        Ok(s) => s,
        Err(c) => return c,
    };
    let files = &make.files;
    let mut first = true;
    let result = prikaz::watch::run(files, &session.limits, |due| {
        let mut run = Run::default();
        let mut outputs = vec![];
        for &i in due {
            let f = &files[i];
            if !first {
                tell!("изменения в {}: формирую заново …", f.display());
            }
            // Keep the layouts of the acts watched, for the next edit.
            prikaz::render::forget_layouts(files.len().max(2));
            match one(f, make, &session, &mut run, false) {
                Ok(written) => {
                    for w in written {
                        match &w {
                            Written::New(p) => tell!("записан: {}", p.display()),
                            Written::Replaced(p) => tell!("обновлён: {}", p.display()),
                            Written::Kept(p) => tell!("оставлен: {}", p.display()),
                        }
                        let (Written::New(p) | Written::Replaced(p) | Written::Kept(p)) = w;
                        outputs.push(p);
                    }
                }
                Err(d) => {
                    print_diags(&d);
                    tell!(
                        "{}: файлы не обновлены, прежние остаются; исправьте и сохраните файл",
                        f.display()
                    );
                }
            }
        }
        if first {
            tell!("слежу за изменениями (выход — Ctrl-C) …");
        }
        first = false;
        outputs
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(m) => {
            tell!("ошибка: {m}");
            ExitCode::from(1)
        }
    }
}
