//! Text that came from somewhere the clerk may not be looking: rows from a
//! workbook whose first sheet is hidden (P505); an electronic-signature
//! stamp whose owner is not the signatory (P506), as when the act names its
//! own signatory and the stamp stays from the profile.

use super::Cx;
use super::codes::{P505, P506};
use crate::read::input::Block;

pub fn check(cx: &mut Cx) {
    let act = cx.act;
    for (ai, a) in act.appendices.iter().enumerate() {
        for (bi, b) in a.body.iter().enumerate() {
            if let Block::Table(t) = b
                && let Some(from) = &t.rows_from
                && let Some(first) = from.hidden_skipped.first()
            {
                let list: Vec<String> = from
                    .hidden_skipped
                    .iter()
                    .map(|n| format!("«{n}»"))
                    .collect();
                cx.warn(
                    P505,
                    from.file.pos,
                    &format!("приложения[{}].содержание[{}].таблица.строки_из", ai + 1, bi + 1),
                    format!(
                        "в книге «{}» скрыт{} лист{} {}: строки взяты с первого видимого листа",
                        from.file.value,
                        if list.len() > 1 { "ы" } else { "" },
                        if list.len() > 1 { "ы" } else { "" },
                        list.join(", ")
                    ),
                    Some(format!(
                        "если нужен скрытый лист, назовите его: строки_из: {{файл: {}, лист: {first}}}",
                        from.file.value
                    )),
                );
            }
        }
    }
    let s = &act.signatory;
    if let Some(e) = &s.esign
        && !same_person(&s.name.value, &e.owner)
    {
        let from_profile = e.pos.file != cx.src.id;
        cx.warn(
            P506,
            if from_profile { s.name.pos } else { e.pos },
            "подписант.электронная_подпись.владелец",
            format!(
                "электронная подпись выдана «{}», а акт подписывает «{}»{}",
                e.owner.trim(),
                s.name.value.trim(),
                if from_profile {
                    " (отметка о подписи взята из профиля)"
                } else {
                    ""
                }
            ),
            Some(
                "укажите в «подписант» электронную подпись этого подписанта или уберите отметку"
                    .into(),
            ),
        );
    }
}

/// Do `name` («Е.А. Глуховская») and `owner` («Глуховская Елена
/// Александровна») name one person: a word of the name without a dot (the
/// surname) is among the owner's words, letter case aside. A name of
/// initials only cannot be compared and counts as the same.
fn same_person(name: &str, owner: &str) -> bool {
    let words = |s: &str| -> Vec<String> {
        s.split(|c: char| c.is_whitespace() || c == '.' || c == ',')
            .filter(|w| w.chars().count() > 1)
            .map(|w| w.to_lowercase().replace('ё', "е"))
            .collect()
    };
    let surnames: Vec<String> = name
        .split_whitespace()
        .filter(|w| !w.contains('.'))
        .flat_map(&words)
        .collect();
    if surnames.is_empty() {
        return true;
    }
    let owner = words(owner);
    surnames.iter().any(|s| owner.contains(s))
}

#[cfg(test)]
mod tests {
    use super::same_person;

    #[test]
    fn owners() {
        assert!(same_person(
            "Е.А. Глуховская",
            "Глуховская Елена Александровна"
        ));
        assert!(same_person("Глуховская Е.А.", "ГЛУХОВСКАЯ ЕЛЕНА"));
        assert!(same_person("Е.А. Семёнова", "Семенова Е.А."));
        assert!(!same_person(
            "И.И. Петров",
            "Глуховская Елена Александровна"
        ));
        assert!(same_person("Е.А.", "Глуховская Елена"));
    }
}
