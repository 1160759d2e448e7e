//! Templates: the Typst page template and the short wording templates.
//!
//! Defaults are compiled into the binary from `templates/`; `--template DIR`
//! replaces any of them with a file of the same name from DIR (`act.typ`,
//! `wording/*.j2`). Wording templates are minijinja; their output is plain text
//! that goes into the document model, never into Typst markup.

use crate::diag::Diagnostic;
use crate::errors;
use minijinja::{Environment, UndefinedBehavior, Value};
use std::path::Path;

/// Name and default text of every template.
const WORDING: &[(&str, &str)] = &[
    (
        "appendix_mark",
        include_str!("../templates/wording/appendix_mark.j2"),
    ),
    ("deadline", include_str!("../templates/wording/deadline.j2")),
    (
        "responsible",
        include_str!("../templates/wording/responsible.j2"),
    ),
    ("control", include_str!("../templates/wording/control.j2")),
    (
        "operative_word",
        include_str!("../templates/wording/operative_word.j2"),
    ),
    (
        "members_label",
        include_str!("../templates/wording/members_label.j2"),
    ),
    (
        "reference",
        include_str!("../templates/wording/reference.j2"),
    ),
    (
        "distribution",
        include_str!("../templates/wording/distribution.j2"),
    ),
    ("executor", include_str!("../templates/wording/executor.j2")),
    (
        "approval_stamp",
        include_str!("../templates/wording/approval_stamp.j2"),
    ),
    (
        "introduced_by",
        include_str!("../templates/wording/introduced_by.j2"),
    ),
    (
        "esign_stamp",
        include_str!("../templates/wording/esign_stamp.j2"),
    ),
    (
        "approval_heading",
        include_str!("../templates/wording/approval_heading.j2"),
    ),
    (
        "approval_columns",
        include_str!("../templates/wording/approval_columns.j2"),
    ),
    (
        "acknowledgment_heading",
        include_str!("../templates/wording/acknowledgment_heading.j2"),
    ),
    (
        "acknowledgment_columns",
        include_str!("../templates/wording/acknowledgment_columns.j2"),
    ),
    (
        "qr_content",
        include_str!("../templates/wording/qr_content.j2"),
    ),
    (
        "visa_remarks",
        include_str!("../templates/wording/visa_remarks.j2"),
    ),
];

const PAGE_TEMPLATE: &str = include_str!("../templates/act.typ");

pub struct Templates {
    env: Environment<'static>,
    /// Source of the Typst page template.
    pub page: String,
    /// The page template is a user's (`--template` with an `act.typ`): it
    /// runs within the budgets of [`crate::budget`].
    pub users_page: bool,
}

/// Largest template file (`act.typ`, `wording/*.j2`), bytes.
pub const MAX_TEMPLATE: u64 = 1024 * 1024;

/// A user's template, read as an act is ([`crate::capped::read_capped`]):
/// `None` when it is not there (the built-in one is used); only a regular
/// file, not a FIFO that would block or a link to a device, of at most
/// [`MAX_TEMPLATE`] bytes; the reason in Russian.
fn read_template(p: &Path) -> Result<Option<String>, String> {
    use crate::capped::{ReadError, read_capped};
    if !p.exists() {
        return Ok(None);
    }
    let bytes = read_capped(p, MAX_TEMPLATE).map_err(|e| match e {
        ReadError::TooBig(_) => format!("файл больше {} КБ", MAX_TEMPLATE / 1024),
        ReadError::Other(why) => why,
    })?;
    String::from_utf8(bytes)
        .map(Some)
        .map_err(|_| "файл не в кодировке UTF-8".into())
}

impl Templates {
    /// The built-in templates.
    pub fn builtin() -> Self {
        Self::load(None).expect("built-in templates are valid")
    }

    /// Built-in templates with overrides from `dir`.
    pub fn load(dir: Option<&Path>) -> Result<Self, Diagnostic> {
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        // A loop in a user's wording template stops instead of hanging.
        env.set_fuel(Some(WORDING_FUEL));
        let mut page = PAGE_TEMPLATE.to_string();
        let mut users_page = false;
        let mut found_any = dir.is_none();
        let read = |p: &Path| -> Result<Option<String>, Diagnostic> {
            read_template(p).map_err(|why| {
                Diagnostic::error(
                    errors::TEMPLATE_UNREADABLE,
                    format!("не удалось прочитать шаблон {}: {why}", p.display()),
                )
            })
        };
        if let Some(d) = dir {
            if !d.is_dir() {
                return Err(Diagnostic::error(
                    errors::TEMPLATE_UNREADABLE,
                    format!("папка шаблонов {} не найдена", d.display()),
                ));
            }
            if let Some(t) = read(&d.join("act.typ"))? {
                page = t;
                users_page = true;
                found_any = true;
            }
        }
        for (name, default) in WORDING {
            let mut text = default.to_string();
            if let Some(d) = dir
                && let Some(t) = read(&d.join("wording").join(format!("{name}.j2")))?
            {
                text = t;
                found_any = true;
            }
            env.add_template_owned(name.to_string(), text)
                .map_err(|e| wording_error(name, &e))?;
        }
        if !found_any {
            return Err(Diagnostic::error(
                errors::TEMPLATE_UNREADABLE,
                format!(
                    "в папке {} нет ни act.typ, ни wording/*.j2",
                    dir.map(|d| d.display().to_string()).unwrap_or_default()
                ),
            )
            .hint("скопируйте папку templates/ из поставки и правьте копию"));
        }
        Ok(Self {
            env,
            page,
            users_page,
        })
    }

    /// Render a wording template to text (trimmed).
    pub fn render(&self, name: &str, ctx: Value) -> Result<String, Diagnostic> {
        self.env
            .get_template(name)
            .and_then(|t| t.render(ctx))
            .map(|s| s.trim().to_string())
            .map_err(|e| wording_error(name, &e))
    }

    /// Render a wording template and split it into non-empty lines.
    pub fn lines(&self, name: &str, ctx: Value) -> Result<Vec<String>, Diagnostic> {
        Ok(self
            .render(name, ctx)?
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(String::from)
            .collect())
    }
}

/// Steps a wording template may take: the longest built-in one takes a few
/// hundred; a loop over a huge range runs out long before it is noticed.
const WORDING_FUEL: u64 = 200_000;

/// A wording template's error in Russian, with the template and its line.
fn wording_error(name: &str, e: &minijinja::Error) -> Diagnostic {
    use minijinja::ErrorKind as K;
    let what = match e.kind() {
        K::OutOfFuel => "шаблон выполняется слишком долго — похоже на бесконечный цикл",
        K::SyntaxError => "ошибка в записи шаблона",
        K::UndefinedError => "неизвестная переменная",
        K::UnknownFilter => "неизвестный фильтр",
        K::UnknownFunction => "неизвестная функция",
        K::UnknownTest => "неизвестная проверка",
        K::InvalidOperation => "недопустимое действие",
        K::TooManyArguments | K::MissingArgument => "не то число аргументов",
        _ => "шаблон не выполнился",
    };
    let line = e
        .line()
        .map(|l| format!(", строка {l}"))
        .unwrap_or_default();
    Diagnostic::error(
        errors::TEMPLATE_UNREADABLE,
        format!("ошибка в шаблоне формулировок «{name}.j2»{line}: {what}"),
    )
    .hint(
        "проверьте свой шаблон в папке --template/wording или уберите его, чтобы взять встроенный",
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use minijinja::context;

    #[test]
    fn approval_stamp_agrees() {
        let t = Templates::builtin();
        for (g, want) in [
            ("м", "УТВЕРЖДЕН"),
            ("ж", "УТВЕРЖДЕНА"),
            ("с", "УТВЕРЖДЕНО"),
            ("мн", "УТВЕРЖДЕНЫ"),
        ] {
            let lines = t
                .lines(
                    "appendix_mark",
                    context! { approved => true, number => "2", gender => g, participle => "",
                    act_dative => "приказу", act_instrumental => "приказом", authority_genitive => "АО «Профиль»",
                    to_act => "", by_act => "", date => "18.05.2015", act_number => "67", number_sign => "№",
                    local => false, title => "" },
                )
                .unwrap();
            assert_eq!(
                lines,
                vec![
                    "Приложение 2",
                    want,
                    "приказом АО «Профиль»",
                    "от 18.05.2015 № 67"
                ]
            );
        }
    }

    #[test]
    fn plain_mark() {
        let t = Templates::builtin();
        let lines = t
            .lines(
                "appendix_mark",
                context! { approved => false, number => "2", gender => "м", participle => "",
                act_dative => "приказу", act_instrumental => "приказом", authority_genitive => "АО «Профиль»",
                to_act => "", by_act => "", date => "15.08.2015", act_number => "112", number_sign => "№",
                local => false, title => "" },
            )
            .unwrap();
        assert_eq!(
            lines,
            vec![
                "Приложение № 2",
                "к приказу АО «Профиль»",
                "от 15.08.2015 № 112"
            ]
        );
    }
}
