//! Russian word forms the wording templates need: case forms of the act kinds and
//! the grammatical gender of appendix kinds (for УТВЕРЖДЕН/А/О/Ы).

use crate::read::input::ActKind;

/// Case forms of an act kind.
pub struct KindForms {
    /// «приказ» — the value the templates compare against.
    pub name: &'static str,
    /// «ПРИКАЗ» on the blank.
    pub heading: &'static str,
    /// «Приказ» at the start of a sentence or a file name.
    pub capitalised: &'static str,
    pub genitive: &'static str,
    pub dative: &'static str,
    pub instrumental: &'static str,
}

pub fn forms(kind: ActKind) -> KindForms {
    match kind {
        ActKind::Order => KindForms {
            name: "приказ",
            heading: "ПРИКАЗ",
            capitalised: "Приказ",
            genitive: "приказа",
            dative: "приказу",
            instrumental: "приказом",
        },
        ActKind::Directive => KindForms {
            name: "распоряжение",
            heading: "РАСПОРЯЖЕНИЕ",
            capitalised: "Распоряжение",
            genitive: "распоряжения",
            dative: "распоряжению",
            instrumental: "распоряжением",
        },
        ActKind::Resolution => KindForms {
            name: "постановление",
            heading: "ПОСТАНОВЛЕНИЕ",
            capitalised: "Постановление",
            genitive: "постановления",
            dative: "постановлению",
            instrumental: "постановлением",
        },
        ActKind::Decision => KindForms {
            name: "решение",
            heading: "РЕШЕНИЕ",
            capitalised: "Решение",
            genitive: "решения",
            dative: "решению",
            instrumental: "решением",
        },
        ActKind::Regulation => KindForms {
            name: "положение",
            heading: "ПОЛОЖЕНИЕ",
            capitalised: "Положение",
            genitive: "положения",
            dative: "положению",
            instrumental: "положением",
        },
        ActKind::Rules => KindForms {
            name: "правила",
            heading: "ПРАВИЛА",
            capitalised: "Правила",
            genitive: "правил",
            dative: "правилам",
            instrumental: "правилами",
        },
        ActKind::Instruction => KindForms {
            name: "инструкция",
            heading: "ИНСТРУКЦИЯ",
            capitalised: "Инструкция",
            genitive: "инструкции",
            dative: "инструкции",
            instrumental: "инструкцией",
        },
        ActKind::Procedure => KindForms {
            name: "порядок",
            heading: "ПОРЯДОК",
            capitalised: "Порядок",
            genitive: "порядка",
            dative: "порядку",
            instrumental: "порядком",
        },
        ActKind::Reglament => KindForms {
            name: "регламент",
            heading: "РЕГЛАМЕНТ",
            capitalised: "Регламент",
            genitive: "регламента",
            dative: "регламенту",
            instrumental: "регламентом",
        },
    }
}

/// Grammatical gender of a document kind: "м", "ж", "с" or "мн".
///
/// Known kinds come from the table; others are guessed from the ending of the
/// first word (an «-а/-я» noun is feminine, «-е/-о» neuter, «-ы/-и» plural).
/// The YAML field `причастие` overrides the result.
pub fn gender(doc_kind: &str) -> &'static str {
    const TABLE: &[(&str, &str)] = &[
        ("план", "м"),
        ("план-график", "м"),
        ("регламент", "м"),
        ("состав", "м"),
        ("список", "м"),
        ("перечень", "м"),
        ("порядок", "м"),
        ("график", "м"),
        ("календарь", "м"),
        ("устав", "м"),
        ("кодекс", "м"),
        ("комплекс", "м"),
        ("положение", "с"),
        ("расписание", "с"),
        ("штатное", "с"),
        ("программа", "ж"),
        ("инструкция", "ж"),
        ("дорожная", "ж"),
        ("методика", "ж"),
        ("концепция", "ж"),
        ("стратегия", "ж"),
        ("форма", "ж"),
        ("смета", "ж"),
        ("политика", "ж"),
        ("правила", "мн"),
        ("требования", "мн"),
        ("критерии", "мн"),
        ("показатели", "мн"),
        ("изменения", "мн"),
        ("рекомендации", "мн"),
        ("меры", "мн"),
        ("тарифы", "мн"),
        ("нормы", "мн"),
    ];
    let first = doc_kind
        .split_whitespace()
        .next()
        .unwrap_or("")
        .trim_matches(|c: char| !c.is_alphabetic() && c != '-')
        .to_lowercase();
    if let Some((_, g)) = TABLE.iter().find(|(w, _)| *w == first) {
        return g;
    }
    match first.chars().last() {
        Some('а' | 'я') => "ж",
        Some('е' | 'о') => "с",
        Some('ы' | 'и') => "мн",
        _ => "м",
    }
}

#[cfg(test)]
mod tests {
    use super::gender;

    #[test]
    fn genders() {
        assert_eq!(gender("План"), "м");
        assert_eq!(gender("План-график («дорожная карта»)"), "м");
        assert_eq!(gender("Положение"), "с");
        assert_eq!(gender("Программа"), "ж");
        assert_eq!(gender("Правила"), "мн");
        assert_eq!(gender("Дорожная карта"), "ж");
        assert_eq!(gender("Номенклатура"), "ж");
        assert_eq!(gender("Состав"), "м");
    }
}
