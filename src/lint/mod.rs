//! Lints: clerical slips worth a warning before the head signs (issue 7).
//!
//! Each lint has a stable code (`P…`), a Russian message, a place and a one-line
//! reason (the hint). Warnings become errors with `--strict`; any lint can be
//! switched off in the file (`проверки: {отключить: [P101]}`) or for a run
//! (`--allow P101`, through [`lint_with`]). The codes and their explanations are
//! listed once, in [`codes`].
//!
//! Families, one module each: numbering (`P1xx`), periods and dates (`P2xx`),
//! appendices (`P3xx`), people (`P4xx`), requisites (`P5xx`), text (`P6xx`).

mod appendices;
pub mod codes;
mod mentions;
mod numbering;
mod origins;
mod people;
mod periods;

mod requisites;

mod words;

use crate::diag::{Diagnostic, Diagnostics, Pos, SourceFile};
use crate::facts::{Facts, Numbering};
use crate::read::input::Act;
use crate::read::place;
use crate::read::texts::Text;
use std::collections::HashSet;
use std::sync::Arc;

/// Every lint: code, short name, why it matters, explanation (for `--explain`, `--allow`).
pub fn codes() -> &'static [crate::codes::CodeInfo] {
    codes::CODES
}

/// Run every lint on a valid act.
pub fn lint(act: &Act, facts: &Facts, src: &Arc<SourceFile>) -> Diagnostics {
    lint_with(act, facts, src, &[])
}

/// Run every lint except those switched off in the file (`act.lints_off`) or in
/// `off` (run-level codes, e.g. from `--allow`; matched case-insensitively,
/// unknown ones ignored — the caller checks them against [`codes`]).
pub fn lint_with(act: &Act, facts: &Facts, src: &Arc<SourceFile>, off: &[String]) -> Diagnostics {
    let mut off: HashSet<String> = off.iter().map(|c| codes::normalize(c)).collect();
    let mut settings = vec![];
    for c in &act.lints_off {
        match codes::info(&c.value) {
            Some(i) => {
                off.insert(i.code.to_string());
            }
            None => settings.push(c),
        }
    }
    let mut cx = Cx {
        act,
        src,
        locator: place::Locator::new(&facts.lines),
        texts: &facts.texts,
        numbering: &facts.numbering,
        off,
        out: Diagnostics::default(),
    };
    for c in settings {
        let known = codes::CODES.iter().map(|i| i.code);
        let fix = match crate::diag::suggest(&codes::normalize(&c.value), known) {
            Some(s) => {
                format!("возможно, вы имели в виду {s}; список кодов: prikaz check --explain")
            }
            None => "коды проверок: P101, P201 … — список: prikaz check --explain".to_string(),
        };
        let pos = cx.locate(&c.value, c.pos, 0);
        cx.warn(
            codes::P000,
            pos,
            "проверки.отключить",
            format!("неизвестный код проверки «{}»", c.value.trim()),
            Some(fix),
        );
    }
    numbering::check(&mut cx);
    periods::check(&mut cx);
    appendices::check(&mut cx);
    people::check(&mut cx);
    requisites::check(&mut cx);
    words::check(&mut cx);
    words::check_invisible(&mut cx);
    words::check_glyphs(&mut cx);
    origins::check(&mut cx);
    let mut out = cx.out;
    out.sort();
    out
}

/// What every lint sees, and where it reports.
pub(crate) struct Cx<'a> {
    pub act: &'a Act,
    pub src: &'a Arc<SourceFile>,
    /// Places of words in the source, for [`Cx::locate`].
    locator: place::Locator<'a>,
    /// All user texts, in reading order.
    pub texts: &'a [Text<'a>],
    pub numbering: &'a Numbering,
    off: HashSet<String>,
    out: Diagnostics,
}

impl Cx<'_> {
    /// Is this lint switched on?
    pub fn on(&self, code: &str) -> bool {
        !self.off.contains(code)
    }

    /// Place of byte `at` of a text (for a CSV row: its line).
    pub fn place(&self, t: &Text, at: usize) -> Pos {
        self.locate(t.value, t.pos, at)
    }

    /// Place of byte `at` of `value`, written at `pos` (see [`place::locate`]).
    /// A value from another file (a CSV row) is reported at its own position.
    pub fn locate(&self, value: &str, pos: Pos, at: usize) -> Pos {
        if pos.file != self.src.id {
            return pos;
        }
        self.locator.locate(value, pos, at)
    }

    /// Report a warning; the hint is `fix` (if any) followed by why the lint matters.
    pub fn warn(
        &mut self,
        code: &'static str,
        pos: Pos,
        field: &str,
        message: impl Into<String>,
        fix: Option<String>,
    ) {
        if !self.on(code) {
            return;
        }
        let why = codes::info(code).map_or("", |i| i.why);
        let hint = match fix {
            Some(f) => format!("{f}. Почему это важно: {why}"),
            None => format!("почему это важно: {why}"),
        };
        let d = Diagnostic::warning(code, message);
        // A row read from CSV is reported in the CSV file, at its line.
        let d = match pos.file.path() {
            Some(path) if pos.file != self.src.id => {
                let mut d = d.in_file(path.display().to_string());
                d.pos = Some(pos);
                d
            }
            _ => d.at(self.src, pos),
        };
        self.out.push(d.field(field).hint(hint));
    }
}
