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

/// Convert `csv` (semicolons, UTF-8) into `ext` with LibreOffice Calc, as a
/// methodist's spreadsheet program would save it.
fn calc_convert(dir: &std::path::Path, csv: &str, ext: &str) {
    soffice_convert(
        &dir.join(csv),
        ext,
        Some("Text - txt - csv (StarCalc):59,34,76,1"),
    );
}

/// A plan kept in Excel or LibreOffice gives the same table as the CSV it was
/// saved from; the sheet and the header row can be named.
#[test]
fn xlsx_and_ods_plans_give_the_csv_table() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(fixture("csv/plan.csv"), dir.path().join("plan.csv")).unwrap();
    let yaml = std::fs::read_to_string(fixture("csv/plan.yaml")).unwrap();
    std::fs::write(dir.path().join("plan.yaml"), &yaml).unwrap();
    let from_csv = prepare(&dir.path().join("plan.yaml")).doc.plain_text();
    assert!(from_csv.join(" ").contains("Третья строка"));
    for ext in ["xlsx", "ods"] {
        calc_convert(dir.path(), "plan.csv", ext);
        for from in [
            format!("plan.{ext}"),
            format!("{{файл: plan.{ext}, лист: plan, строка_заголовка: 1}}"),
        ] {
            let name = format!("plan-{ext}.yaml");
            std::fs::write(
                dir.path().join(&name),
                yaml.replace("строки_из: plan.csv", &format!("строки_из: {from}")),
            )
            .unwrap();
            let got = prepare(&dir.path().join(&name)).doc.plain_text();
            assert_eq!(got, from_csv, "{from}");
        }
    }
}

/// Problems in a workbook name the file, the sheet, the row and the column.
#[test]
fn a_bad_spreadsheet_cell_is_named_by_sheet_row_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let yaml = std::fs::read_to_string(fixture("csv/plan.yaml")).unwrap();
    // Row 3 has text right of the last heading; the heading of C is unknown.
    std::fs::write(
        dir.path().join("bad.csv"),
        "раздел;мероприятие;срок\n;Первая;май\n;Вторая;июнь;забытый текст\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("unknown.csv"),
        "раздел;мероприятие;исполнитель\n;Первая;Иванова\n",
    )
    .unwrap();
    for ext in ["xlsx", "ods"] {
        calc_convert(dir.path(), "bad.csv", ext);
        calc_convert(dir.path(), "unknown.csv", ext);
        let check = |file: &str| {
            std::fs::write(
                dir.path().join("a.yaml"),
                yaml.replace("строки_из: plan.csv", &format!("строки_из: {file}")),
            )
            .unwrap();
            let (code, _, err) = cli(&["check", "a.yaml"], dir.path());
            assert_eq!(code, 1, "{file}: {err}");
            err
        };
        let err = check(&format!("bad.{ext}"));
        assert!(
            err.contains(&format!("bad.{ext}, лист «bad», строка 3, столбец D"))
                && err.contains("правее последнего столбца"),
            "{err}"
        );
        let err = check(&format!("unknown.{ext}"));
        assert!(
            err.contains(&format!(
                "unknown.{ext}, лист «unknown», строка 1, столбец C"
            )) && err.contains("неизвестная колонка «исполнитель»"),
            "{err}"
        );
        let err = check(&format!("{{файл: bad.{ext}, лист: План}}"));
        assert!(err.contains("нет листа «План»; есть: bad"), "{err}");
    }
    // A sheet is only for workbooks.
    std::fs::copy(fixture("csv/plan.csv"), dir.path().join("plan.csv")).unwrap();
    std::fs::write(
        dir.path().join("a.yaml"),
        yaml.replace(
            "строки_из: plan.csv",
            "строки_из: {файл: plan.csv, лист: План}",
        ),
    )
    .unwrap();
    let (code, _, err) = cli(&["check", "a.yaml"], dir.path());
    assert_eq!(code, 1);
    assert!(err.contains("только у книги"), "{err}");
}

/// A workbook that unpacks to far more than it weighs (a zip bomb) is refused
/// once the budget of unpacked bytes is spent.
#[test]
fn a_workbook_bomb_is_refused_unopened() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let mut z = zip::ZipWriter::new(std::fs::File::create(dir.path().join("bomb.xlsx")).unwrap());
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    z.start_file("xl/worksheets/sheet1.xml", opts).unwrap();
    let zeros = vec![b' '; 1 << 20];
    for _ in 0..100 {
        z.write_all(&zeros).unwrap();
    }
    z.finish().unwrap();
    assert!(
        std::fs::metadata(dir.path().join("bomb.xlsx"))
            .unwrap()
            .len()
            < 1 << 20
    );
    let yaml = std::fs::read_to_string(fixture("csv/plan.yaml")).unwrap();
    std::fs::write(
        dir.path().join("a.yaml"),
        yaml.replace("строки_из: plan.csv", "строки_из: bomb.xlsx"),
    )
    .unwrap();
    let (code, _, err) = cli(&["check", "a.yaml"], dir.path());
    assert_eq!(code, 1);
    assert!(err.contains("распаковывается больше чем в 64 МБ"), "{err}");
}

/// Rewrite the zip `from` into `to`, passing each entry's text through `edit`.
fn rezip(from: &std::path::Path, to: &std::path::Path, edit: impl Fn(&str, String) -> String) {
    use std::io::{Read, Write};
    let mut src = zip::ZipArchive::new(std::fs::File::open(from).unwrap()).unwrap();
    let mut out = zip::ZipWriter::new(std::fs::File::create(to).unwrap());
    for i in 0..src.len() {
        let mut e = src.by_index(i).unwrap();
        let name = e.name().to_string();
        let mut bytes = vec![];
        e.read_to_end(&mut bytes).unwrap();
        let bytes = match String::from_utf8(bytes) {
            Ok(text) => edit(&name, text).into_bytes(),
            Err(e) => e.into_bytes(),
        };
        out.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        out.write_all(&bytes).unwrap();
    }
    out.finish().unwrap();
}

/// A workbook that names a cell a million rows down, or repeats a filled
/// cell a million times, is refused without building the grid it asks for.
#[test]
fn a_hostile_workbook_asks_for_no_huge_grid() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(fixture("csv/plan.csv"), dir.path().join("plan.csv")).unwrap();
    calc_convert(dir.path(), "plan.csv", "xlsx");
    calc_convert(dir.path(), "plan.csv", "ods");
    rezip(
        &dir.path().join("plan.xlsx"),
        &dir.path().join("far.xlsx"),
        |name, text| {
            if name.contains("worksheets/sheet") {
                // The last cell moves to the sheet's far corner.
                let mut text = text;
                let at = text.rfind("<c r=\"").unwrap() + 6;
                let end = at + text[at..].find('"').unwrap();
                text.replace_range(at..end, "XFD1048576");
                text
            } else {
                text
            }
        },
    );
    rezip(
        &dir.path().join("plan.ods"),
        &dir.path().join("rep.ods"),
        |name, text| {
            if name == "content.xml" {
                text.replacen(
                "<table:table-cell office:value-type=\"string\"",
                "<table:table-cell table:number-columns-repeated=\"1000000\" office:value-type=\"string\"",
                1,
            )
            } else {
                text
            }
        },
    );
    let yaml = std::fs::read_to_string(fixture("csv/plan.yaml")).unwrap();
    for (file, says) in [
        ("far.xlsx", "заполнена ячейка XFD1048576"),
        ("rep.ods", "так далеко таблица плана не бывает"),
    ] {
        std::fs::write(
            dir.path().join("a.yaml"),
            yaml.replace("строки_из: plan.csv", &format!("строки_из: {file}")),
        )
        .unwrap();
        let out = std::process::Command::new("/usr/bin/time")
            .args(["-f", "%M"])
            .arg(env!("CARGO_BIN_EXE_prikaz"))
            .args(["check", "a.yaml"])
            .current_dir(dir.path())
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{file}: {err}");
        assert!(err.contains(says), "{file}: {err}");
        let peak_kb: u64 = err.lines().last().unwrap().trim().parse().unwrap();
        assert!(peak_kb < 100_000, "{file}: peak {peak_kb} KB");
    }
}
