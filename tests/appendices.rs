//! Appendices: marks and approval stamps, numbering, page numbers per appendix,
//! rows from CSV files (and their errors), a 1,000-row plan.

mod common;
use common::*;

fn fixture(name: &str) -> std::path::PathBuf {
    root().join("tests/fixtures").join(name)
}

#[test]
fn csv_rows_join_the_yaml_rows() {
    let p = prepare(&fixture("csv/plan.yaml"));
    let text = p.doc.plain_text().join("\n");
    for want in [
        "Первая строка из YAML",
        "Раздел из таблицы",
        "Строка с; точкой с запятой",
        "– первый пункт",
        "– второй пункт",
        "Третья строка",
        "ноябрь",
    ] {
        assert!(text.contains(want), "«{want}» missing:\n{text}");
    }
    // Automatic numbering runs over YAML and CSV rows; the section row has none.
    let pdf_words = words(&pdf_text(&pdf_of(&fixture("csv/plan.yaml"))));
    let joined = pdf_words.join(" ");
    assert!(joined.contains("1. Первая строка из YAML"), "{joined}");
    assert!(joined.contains("2. Строка с; точкой с запятой"), "{joined}");
    assert!(joined.contains("3. Третья строка"), "{joined}");
}

#[test]
fn two_appendices_are_numbered_and_agree() {
    let p = prepare(&fixture("csv/plan.yaml"));
    let a = &p.doc.appendices;
    assert_eq!(a.len(), 2);
    assert_eq!(
        a[0].mark,
        [
            "Приложение 1",
            "УТВЕРЖДЕН",
            "распоряжением управления образования",
            "от 01.09.2023 №\u{a0}77"
        ]
    );
    assert_eq!(a[1].mark[1], "УТВЕРЖДЕНО");
    let body = p.doc.plain_text().join("\n");
    assert!(
        body.contains("Утвердить план (приложение №\u{a0}1)."),
        "{body}"
    );
    assert!(
        body.contains("Утвердить положение (приложение №\u{a0}2)."),
        "{body}"
    );
}

#[test]
fn bad_csv_files_are_reported_with_their_place() {
    let dir = root().join("tests/fixtures/csv");
    let cases = [
        (
            "bad-column.yaml",
            "bad-column.csv:1:13",
            "неизвестная колонка «сорк»",
            "возможно, вы имели в виду «срок»",
        ),
        (
            "ragged.yaml",
            "ragged.csv:3",
            "в строке 3 ячеек, а в заголовке 2",
            "",
        ),
        (
            "latin1.yaml",
            "latin1.csv:1",
            "не в кодировке UTF-8",
            "CSV UTF-8",
        ),
        ("outside.yaml", "outside.yaml:13:22", "за пределы папки", ""),
        // The same column twice: one of them would be lost.
        (
            "duplicate.yaml",
            "duplicate.csv:1:18",
            "колонка «мероприятие» повторяется: столбцы 1 и 3",
            "оставьте один столбец",
        ),
    ];
    for (yaml, place, msg, hint) in cases {
        let out = tempfile::tempdir().unwrap();
        let (code, _, err) = cli(&["render", yaml, "-o", out.path().to_str().unwrap()], &dir);
        assert_eq!(code, 1, "{yaml}: {err}");
        assert!(
            err.contains(place),
            "{yaml}: place «{place}» not named:\n{err}"
        );
        assert!(err.contains(msg) && err.contains(hint), "{yaml}:\n{err}");
        assert_eq!(std::fs::read_dir(out.path()).unwrap().count(), 0);
    }
}

#[test]
fn each_appendix_numbers_its_pages_from_two() {
    let pdf = pdf_of(&fixture("landscape.yaml"));
    let text = pdf_text(&pdf);
    let pages: Vec<&str> = text
        .split('\u{c}')
        .filter(|p| !p.trim().is_empty())
        .collect();
    // Page 1: the act, no number. Page 2: the appendix's first page, no number.
    assert!(
        !pages[0]
            .lines()
            .next()
            .unwrap()
            .trim()
            .chars()
            .all(|c| c.is_ascii_digit())
    );
    assert!(pages[1].starts_with("УТВЕРЖДЕН"), "{}", &pages[1][..60]);
    for (i, p) in pages.iter().enumerate().skip(2) {
        assert_eq!(
            p.lines().next().unwrap().trim(),
            (i).to_string(),
            "appendix page {}",
            i
        );
    }
}

#[test]
fn a_thousand_row_plan_has_every_row_and_the_header_on_every_page() {
    let dir = tempfile::tempdir().unwrap();
    let mut y = String::from(
        "вид: приказ\nорган: [Управление образования]\nдата: 01.09.2023\nномер: 1000\nзаголовок: О плане\n\
         пункты: [\"Утвердить план ({приложение:план}).\"]\nподписант: {должность: Начальник, имя: И.И. Иванов}\n\
         приложения:\n  - id: план\n    заголовок: [ПЛАН]\n    содержание:\n      - таблица:\n\
         \x20         колонки: [\"№ п/п\", {заголовок: Мероприятие, ширина: 4}, {заголовок: Срок, ширина: 2}]\n          строки:\n",
    );
    for i in 1..=1000 {
        y.push_str(&format!(
            "            - [Мероприятие {i} по плану, до {:02}.05.2024]\n",
            i % 28 + 1
        ));
    }
    let path = dir.path().join("big.yaml");
    std::fs::write(&path, y).unwrap();
    let text = pdf_text(&pdf_of(&path));
    let flat = words(&text).join(" ");
    for i in 1..=1000 {
        assert!(
            flat.contains(&format!("{i}. Мероприятие {i} по плану")),
            "row {i} missing"
        );
    }
    let pages: Vec<&str> = text
        .split('\u{c}')
        .filter(|p| !p.trim().is_empty())
        .collect();
    assert!(pages.len() > 20, "{} pages", pages.len());
    for (i, p) in pages.iter().enumerate().skip(1) {
        let w = words(p).join(" ");
        assert!(
            w.contains("п/п Мероприятие Срок"),
            "page {}: no header",
            i + 1
        );
    }
}

#[test]
fn child_rows_and_number_formats() {
    let dir = tempfile::tempdir().unwrap();
    let y = format!(
        "{MINIMAL}приложения:\n  - содержание:\n      - таблица:\n          формат_номера: \"1\"\n          колонки: [\"№ п/п\", {{заголовок: Мероприятие, ключ: м}}]\n          строки:\n            - м: Первое\n              подстроки:\n                - [Первое-а]\n                - [Первое-б]\n            - [Второе]\n            - {{№: \"2а\", м: Вставленное}}\n"
    );
    std::fs::write(dir.path().join("c.yaml"), y).unwrap();
    let p = prepare(&dir.path().join("c.yaml"));
    let text = p.doc.plain_text().join("|");
    for want in [
        "1|Первое",
        "1.1|Первое-а",
        "1.2|Первое-б",
        "2|Второе",
        "2а|Вставленное",
    ] {
        assert!(text.contains(want), "«{want}» in {text}");
    }
}

#[test]
fn a_section_row_never_ends_a_page() {
    // In Очёр's plan the second section falls at the foot of page 2.
    let text = pdf_text(&pdf_of(&data("ochyor-60.yaml")));
    let page = text
        .split('\u{c}')
        .find(|p| p.contains("Организационные и методические рекомендации"))
        .expect("the section row");
    assert!(
        words(page).join(" ").contains("Проведение установочного"),
        "section row left alone:\n{page}"
    );
}
