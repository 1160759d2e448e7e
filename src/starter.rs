//! The starters of `prikaz new`: a commented act of each kind that renders
//! as it is, with exactly the appendices asked for (`--with
//! план|положение|список|график`, each with the one point that approves it;
//! the base starters have none; a `положение` that stands alone takes none)
//! and the fields an organisation's profile
//! provides left to it (`--profile`); and the commented profile of
//! `prikaz new профиль`, which the page of `prikaz serve` writes on first use.
//!
//! The starters are plain files in templates/starters/; composing works on
//! their text, so every comment stays where the file has it.

use crate::diag::Diagnostics;
use std::path::Path;

/// The kinds `prikaz new` knows, with their starter.
const KINDS: &[(&str, &str)] = &[
    ("приказ", include_str!("../templates/starters/приказ.yaml")),
    (
        "распоряжение",
        include_str!("../templates/starters/распоряжение.yaml"),
    ),
    (
        "постановление",
        include_str!("../templates/starters/постановление.yaml"),
    ),
    (
        "положение",
        include_str!("../templates/starters/положение.yaml"),
    ),
];

/// Appendices `--with` adds: id, the point that approves it, its text.
const WITH: &[(&str, &str, &str)] = &[
    (
        "план",
        "Утвердить план мероприятий ({приложение:план}).",
        include_str!("../templates/starters/with/план.yaml"),
    ),
    (
        "положение",
        "Утвердить Положение о рабочей группе ({приложение:положение}).",
        include_str!("../templates/starters/with/положение.yaml"),
    ),
    (
        "список",
        "Утвердить список членов рабочей группы ({приложение:список}).",
        include_str!("../templates/starters/with/список.yaml"),
    ),
    (
        "график",
        "Утвердить график мониторинга ({приложение:график}).",
        include_str!("../templates/starters/with/график.yaml"),
    ),
    (
        "состав",
        "Создать рабочую группу и утвердить её состав ({приложение:состав}).",
        include_str!("../templates/starters/with/состав.yaml"),
    ),
];

/// The names `--with` takes.
pub fn appendix_names() -> Vec<&'static str> {
    WITH.iter().map(|w| w.0).collect()
}

/// A profile as a starter names it: its path as the act will write it, its
/// top-level fields and the names of its signatories.
pub struct ProfileUse<'a> {
    pub path: &'a str,
    /// Top-level fields, each with the fields under it (none for a value).
    pub fields: &'a [(String, Vec<String>)],
    pub signatories: &'a [String],
}

/// The starter of `kind` with the appendices `with`, naming `profile`.
pub fn starter(kind: &str, with: &[String], profile: Option<ProfileUse>) -> Result<String, String> {
    let k = kind.trim().to_lowercase();
    let Some((_, text)) = KINDS.iter().find(|(n, _)| *n == k) else {
        return Err(format!(
            "неизвестный вид акта «{kind}»; допустимы: приказ, распоряжение, постановление, положение"
        ));
    };
    if k == "положение" && !with.is_empty() {
        return Err(format!(
            "образцы приложений («--with {}») — для приказа, с пунктом «Утвердить …»; \
             положение, которое утверждается само по себе, пишет свои приложения (формы, перечни) \
             в поле «приложения», как приказ; положение как приложение к приказу: prikaz new приказ --with положение",
            with.join(",")
        ));
    }
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    for w in with {
        let w = w.trim().to_lowercase();
        let Some((id, point, appendix)) = WITH.iter().find(|(n, ..)| *n == w) else {
            return Err(format!(
                "неизвестное приложение «{w}»; допустимы: {}",
                appendix_names().join(", ")
            ));
        };
        // Asked twice: added once.
        if lines
            .iter()
            .any(|l| l.trim_start().starts_with(&format!("- id: {id}")))
        {
            continue;
        }
        let (start, end) = top_field(&lines, "пункты").ok_or("в образце нет пунктов")?;
        // After the last point that approves an appendix, so the points name
        // the appendices in their order; else first.
        let items: Vec<usize> = (start + 1..end)
            .filter(|&i| lines[i].starts_with("  - "))
            .collect();
        let at = items
            .iter()
            .enumerate()
            .rfind(|(_, i)| lines[**i].contains("{приложени"))
            .map_or(start + 1, |(k, _)| items.get(k + 1).copied().unwrap_or(end));
        lines.insert(at, format!("  - {point}"));
        if top_field(&lines, "приложения").is_none() {
            lines.push(String::new());
            lines.push("приложения:".into());
        }
        let end = top_field(&lines, "приложения").map_or(lines.len(), |(_, e)| e);
        for (i, l) in appendix.lines().enumerate() {
            lines.insert(end + i, l.to_string());
        }
    }
    if let Some(p) = profile {
        // The profile gives these; the act keeps only what is new: a field
        // the profile has whole goes, and of a mapping the fields it has.
        for (f, under) in p.fields {
            let Some((start, end)) = top_field(&lines, f) else {
                continue;
            };
            let mut block: Vec<String> = lines[start + 1..end].to_vec();
            for u in under {
                if let Some((s, e)) = sub_field(&block, u) {
                    block.drain(s..e);
                }
            }
            let left = block.iter().any(|l| sub_key(l).is_some());
            if under.is_empty() || !left {
                lines.drain(start..end);
            } else {
                lines.splice(start + 1..end, block);
            }
        }
        if let (Some(first), false) = (
            p.signatories.first(),
            p.fields.iter().any(|(f, _)| f == "подписант"),
        ) && let Some((start, end)) = top_field(&lines, "подписант")
        {
            let others = &p.signatories[1..];
            let note = if others.is_empty() {
                "# подписант из «подписанты» профиля".to_string()
            } else {
                format!("# или: {}", others.join(", "))
            };
            lines.splice(start..end, [format!("подписант: {first}        {note}")]);
        }
        let first = lines
            .iter()
            .position(|l| !l.starts_with('#') && !l.trim().is_empty())
            .unwrap_or(0);
        lines.insert(
            first,
            format!(
                "профиль: {}    # что есть в профиле, акту повторять не нужно",
                p.path
            ),
        );
    }
    let mut out = lines.join("\n");
    out.push('\n');
    Ok(out)
}

/// Lines `[start, end)` of the top-level field `name`: its line, the lines
/// under it, and the comments and blank lines that follow up to the next field.
fn top_field(lines: &[String], name: &str) -> Option<(usize, usize)> {
    let start = lines
        .iter()
        .position(|l| l.starts_with(&format!("{name}:")))?;
    let mut end = start + 1;
    while end < lines.len() {
        let l = &lines[end];
        let top = !l.is_empty() && !l.starts_with(' ') && !l.starts_with('#');
        if top {
            break;
        }
        end += 1;
    }
    // Keep the blank lines and comments before the next field with it.
    while end > start + 1 && (lines[end - 1].trim().is_empty() || lines[end - 1].starts_with('#')) {
        end -= 1;
    }
    Some((start, end))
}

/// The field name of a line `  name: …` directly under a top-level field.
fn sub_key(line: &str) -> Option<&str> {
    let rest = line.strip_prefix("  ")?;
    if rest.starts_with(' ') || rest.starts_with('#') || rest.starts_with('-') {
        return None;
    }
    let (k, _) = rest.split_once(':')?;
    Some(k.trim())
}

/// Lines `[start, end)` of the field `name` inside a top-level field's lines.
fn sub_field(block: &[String], name: &str) -> Option<(usize, usize)> {
    let start = block.iter().position(|l| sub_key(l) == Some(name))?;
    let mut end = start + 1;
    while end < block.len() && sub_key(&block[end]).is_none() {
        end += 1;
    }
    Some((start, end))
}

/// The fields of the profile at `path` (read, not checked: `check` of the act
/// checks it): each top-level field with the fields under it, and the names
/// of the signatories it offers.
pub type ProfileFields = (Vec<(String, Vec<String>)>, Vec<String>);

pub fn profile_fields(path: &Path) -> Result<ProfileFields, Diagnostics> {
    use crate::read::yaml::{self, Node, NodeKind};
    // The reader's own YAML parser: flow mappings ({ио: {…}}) count as well.
    let src = crate::read::load_source(path, &crate::read::Limits::default())?;
    let root = yaml::parse(&src).map_err(|d| Diagnostics(vec![d]))?;
    let keys = |n: &Node| -> Vec<String> {
        match &n.kind {
            NodeKind::Map(m) => m
                .iter()
                .filter_map(|(k, _)| match &k.kind {
                    NodeKind::Scalar { text, .. } => Some(text.clone()),
                    _ => None,
                })
                .collect(),
            _ => vec![],
        }
    };
    let fields: Vec<(String, Vec<String>)> = match &root.kind {
        NodeKind::Map(m) => m
            .iter()
            .filter_map(|(k, v)| match &k.kind {
                NodeKind::Scalar { text, .. } => Some((text.clone(), keys(v))),
                _ => None,
            })
            .collect(),
        _ => vec![],
    };
    let signatories = fields
        .iter()
        .find(|(f, _)| f == "подписанты")
        .map(|(_, names)| names.clone())
        .unwrap_or_default();
    Ok((fields, signatories))
}

/// What an organisation's profile holds, as a clerk gives it (the page's
/// first-use form, the flags of `prikaz new профиль`).
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct ProfileValues {
    /// Lines of the organisation's name on the letterhead, the higher body first.
    #[serde(default, rename = "организация")]
    pub organisation: Vec<String>,
    /// The name in the genitive («управления образования …»).
    #[serde(default, rename = "в_родительном")]
    pub genitive: String,
    /// The head's position, in lines.
    #[serde(default, rename = "должность")]
    pub position: Vec<String>,
    /// The head's name, «И.О. Фамилия».
    #[serde(default, rename = "руководитель")]
    pub head: String,
    #[serde(default, rename = "исполнитель")]
    pub executor: String,
    #[serde(default, rename = "телефон")]
    pub phone: String,
}

/// The key under which a profile written by [`profile`] names the head.
pub const HEAD_KEY: &str = "руководитель";

impl ProfileValues {
    /// The sample values of a profile with placeholders.
    pub fn sample() -> ProfileValues {
        ProfileValues {
            organisation: vec![
                "Администрация города".into(),
                "Управление образования".into(),
            ],
            genitive: "управления образования администрации города".into(),
            position: vec!["Начальник".into(), "управления образования".into()],
            head: "А.Б. Васильева".into(),
            executor: "Петрова Анна Сергеевна".into(),
            phone: "8 (800) 000-00-00".into(),
        }
    }

    /// Empty values trimmed away; the Russian names of the fields still
    /// missing, if any.
    pub fn tidy(&mut self) -> Result<(), Vec<&'static str>> {
        let lines = |v: &mut Vec<String>| {
            *v = v
                .iter()
                .flat_map(|l| l.lines())
                .map(|l| l.trim().to_string())
                .filter(|l| !l.is_empty())
                .collect();
        };
        lines(&mut self.organisation);
        lines(&mut self.position);
        for v in [
            &mut self.genitive,
            &mut self.head,
            &mut self.executor,
            &mut self.phone,
        ] {
            *v = v.split_whitespace().collect::<Vec<_>>().join(" ");
        }
        let mut missing = vec![];
        if self.organisation.is_empty() {
            missing.push("наименование организации");
        }
        if self.genitive.is_empty() {
            missing.push("наименование в родительном падеже");
        }
        if self.position.is_empty() {
            missing.push("должность руководителя");
        }
        if self.head.is_empty() {
            missing.push("имя руководителя");
        }
        if self.executor.is_empty() {
            missing.push("исполнитель");
        }
        if self.phone.is_empty() {
            missing.push("телефон исполнителя");
        }
        if missing.is_empty() {
            Ok(())
        } else {
            Err(missing)
        }
    }
}

/// A commented profile with `v`'s values, which `prikaz check` accepts for an
/// act that names it.
pub fn profile(v: &ProfileValues) -> String {
    let list = |items: &[String], indent: &str| -> String {
        items
            .iter()
            .map(|i| format!("{indent}- {}\n", scalar(i)))
            .collect()
    };
    let head_line = format!("    имя: {}", scalar(&v.head));
    let head_line = format!("{head_line:<34}");
    format!(
        r#"# yaml-language-server: $schema=схема-профиля.json
# Профиль организации: то, что повторяется в каждом её акте. Акт называет
# профиль полем «профиль: профили/ИМЯ.yaml» (акт в папке года, например
# 2026/, — «профиль: ../профили/ИМЯ.yaml») и содержит только своё; поле
# самого акта всегда главнее поля профиля.
# Строки, начинающиеся с #, — комментарии; их можно удалить.

орган:
  наименование:                   # строки бланка, вышестоящий орган — первым
{org}  в_родительном: {gen}   # для отметок «к приказу …»
#  второй_язык:                   # бланк в две колонки: строки на языке республики
#    наименование: [Чăваш Республикин, Вĕренÿ министерстви]
#    вид: ХУШУ
#    место: Шупашкар хули         # слева, напротив «место» по-русски
#место: г. Чебоксары              # место составления под датой и номером (на двуязычном бланке — справа)

# Подписанты по именам: акт выбирает одного — «подписант: {key}».
подписанты:
  {key}:
    должность:                    # строки должности
{pos}{head_line}# И.О. Фамилия
#  ио:                            # исполняющий обязанности — «подписант: ио»
#    должность: [И.о. начальника, управления образования]
#    имя: В.Г. Сидоров

исполнитель:                      # внизу последней страницы акта
  имя: {exec}
  телефон: {phone}

рассылка:
  заголовок: РАЗОСЛАНО            # или «Разослать»; адресатов называет сам акт
"#,
        org = list(&v.organisation, "    "),
        gen = scalar(&v.genitive),
        key = HEAD_KEY,
        pos = list(&v.position, "      "),
        head_line = head_line,
        exec = scalar(&v.executor),
        phone = scalar(&v.phone),
    )
}

/// `s` as a YAML scalar: plain when YAML reads it back as the same text,
/// else in double quotes.
fn scalar(s: &str) -> String {
    let plain = !s.is_empty()
        && !s.contains(": ")
        && !s.contains(" #")
        && !s.ends_with(':')
        && !s.starts_with(|c: char| "-?:,[]{}#&*!|>'\"%@`".contains(c) || c.is_whitespace())
        && !s.ends_with(char::is_whitespace)
        && !s.contains(|c: char| "[]{},".contains(c) || c.is_control())
        && s.parse::<f64>().is_err()
        && !matches!(
            s.to_lowercase().as_str(),
            "да" | "нет" | "true" | "false" | "yes" | "no" | "null" | "~" | "on" | "off"
        );
    if plain {
        s.to_string()
    } else {
        let mut out = String::from("\"");
        for c in s.chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                c if c.is_control() => out.push(' '),
                c => out.push(c),
            }
        }
        out.push('"');
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalars_read_back_as_written() {
        assert_eq!(scalar("А.Б. Васильева"), "А.Б. Васильева");
        assert_eq!(scalar("МБОУ СОШ #1"), "\"МБОУ СОШ #1\"");
        assert_eq!(scalar("СОШ№1"), "СОШ№1");
        assert_eq!(scalar("отдел: кадры"), "\"отдел: кадры\"");
        assert_eq!(scalar("МБОУ «СОШ № 1», город"), "\"МБОУ «СОШ № 1», город\"");
        assert_eq!(scalar("нет"), "\"нет\"");
        assert_eq!(scalar("8 (800) 000-00-00"), "8 (800) 000-00-00");
        assert_eq!(scalar("12"), "\"12\"");
        assert_eq!(scalar("\"a\""), "\"\\\"a\\\"\"");
    }

    #[test]
    fn missing_fields_are_named() {
        let mut v = ProfileValues {
            organisation: vec!["  ".into(), "Управление\n\nобразования".into()],
            head: " А.Б.   Васильева ".into(),
            ..ProfileValues::default()
        };
        let missing = v.tidy().unwrap_err();
        assert!(missing.contains(&"исполнитель"), "{missing:?}");
        assert!(!missing.contains(&"наименование организации"));
        assert_eq!(v.organisation, ["Управление", "образования"]);
        assert_eq!(v.head, "А.Б. Васильева");
    }
}
