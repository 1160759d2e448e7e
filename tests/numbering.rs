//! Numbering is decided once (`resolve::numbering`): the model carries each
//! number, the PDF prints it, the DOCX maps points onto Word numbering without
//! counting, and the lints read the same numbers (no false P101 on numbered
//! sections; a real skip is still caught).

mod common;
use common::*;
use prikaz::model::{Block, Row};

fn fixture() -> std::path::PathBuf {
    root().join("tests/fixtures/numbering/plan.yaml")
}

/// Labels of every row and section of each table of the first appendix, in order.
fn table_labels(p: &prikaz::Prepared) -> Vec<Vec<String>> {
    p.doc.appendices[0]
        .body
        .iter()
        .filter_map(|b| match b {
            Block::Table(t) => Some(
                t.rows
                    .iter()
                    .map(|r| match r {
                        Row::Section { number, text, .. } => match number {
                            Some(n) => format!("{} {text}", n.label),
                            None => text.clone(),
                        },
                        Row::Cells { number, .. } => {
                            number.as_ref().map(|n| n.label.clone()).unwrap_or_default()
                        }
                    })
                    .collect(),
            ),
            _ => None,
        })
        .collect()
}

#[test]
fn the_model_carries_every_number() {
    let p = prepare(&fixture());
    let points: Vec<(String, u8, u32, bool)> = p
        .doc
        .act
        .as_ref()
        .unwrap()
        .body
        .iter()
        .filter_map(|b| match b {
            Block::Point { number, .. } => Some((
                number.label.clone(),
                number.level,
                number.ordinal,
                number.item,
            )),
            _ => None,
        })
        .collect();
    let want: Vec<(String, u8, u32, bool)> = [
        ("1.", 1, 1, false),
        ("2.", 1, 2, false),
        ("2.1.", 2, 1, false),
        ("2.2.", 2, 2, false),
        ("1)", 3, 1, true),
        ("2)", 3, 2, true),
        ("3.", 1, 3, false),
        // The control clause is the last point.
        ("4.", 1, 4, false),
    ]
    .iter()
    .map(|(l, v, o, i)| (l.to_string(), *v, *o, *i))
    .collect();
    assert_eq!(points, want);

    let tables = table_labels(&p);
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    // Numbered sections: rows beneath them; an explicit «1.3.» in its place.
    assert_eq!(
        tables[0],
        s(&[
            "1. Организационная работа",
            "1.1.",
            "1.2.",
            "1.3.",
            "2. Методическая работа",
            "2.1.",
            "2.2."
        ])
    );
    // Sections numbered by the table.
    assert_eq!(
        tables[1],
        s(&[
            "1. Работа с кадрами",
            "1.1.",
            "2. Работа с родителями",
            "2.1.",
            "2.2."
        ])
    );
    // An explicit parent number: its sub-rows follow it, and so does the counter.
    assert_eq!(tables[2], s(&["1.", "5.", "5.1.", "5.2.", "6."]));
    // Numbered sections from CSV.
    assert_eq!(
        tables[3],
        s(&["1. Диагностика", "1.1.", "1.2.", "2. Коррекция", "2.1."])
    );
}

#[test]
fn the_lints_read_the_same_numbers() {
    let p = prepare(&fixture());
    let p101: Vec<String> = p
        .warnings
        .0
        .iter()
        .filter(|d| d.code == "P101")
        .map(|d| {
            let pos = d.pos.unwrap_or_default();
            format!("{}:{} {}", pos.line, pos.col, d.message)
        })
        .collect();
    // Only the hand-typed «5.» after «1.» (line 53), nothing for the sections.
    assert_eq!(p101.len(), 1, "{p101:?}");
    assert!(
        p101[0].starts_with("53:") && p101[0].contains("после 1 идёт 5"),
        "{p101:?}"
    );
}

#[test]
fn the_pdf_prints_the_numbers_in_order() {
    let pdf = pdf_of(&fixture());
    let w = words(&pdf_text(&pdf)).join(" ");
    for seq in [
        "1. Организационная работа 1.1. Совещание директоров сентябрь 1.2. Семинар",
        "1.3. Отчёт о работе декабрь 2. Методическая работа 2.1. Методический совет",
        "1. Работа с кадрами 1.1. Аттестация весь год 2. Работа с родителями 2.1. Собрания",
        "5. Мониторинг в течение года 5.1. Входной сентябрь 5.2. Итоговый май 6. Итоговое",
        "1. Диагностика 1.1. Входные работы сентябрь 1.2. Анализ октябрь 2. Коррекция 2.1.",
        "2.1. Обеспечить участие педагогов. 2.2. Представить отчёт. 1) о семинарах",
    ] {
        assert!(w.contains(seq), "«{seq}» not in the PDF text:\n{w}");
    }
}

#[test]
fn the_docx_maps_points_onto_word_numbering() {
    let p = prepare(&fixture());
    let bytes = prikaz::render::docx::write(&p.doc, None).expect("DOCX");
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut doc = String::new();
    std::io::Read::read_to_string(&mut z.by_name("word/document.xml").unwrap(), &mut doc).unwrap();
    // Each point is a numbered paragraph on the level the model gave it:
    // four top-level points (control included), two sub-points, two items.
    let ilvl = |n: u8| doc.matches(&format!(r#"<w:ilvl w:val="{n}" />"#)).count();
    assert_eq!((ilvl(0), ilvl(1), ilvl(8)), (4, 2, 2));
    // No label is typed as text where Word numbers it.
    assert!(!doc.contains(">2.1. "), "sub-point label typed as text");
    // Table rows print the model's labels as text.
    for label in ["1.1.", "2.2.", "5.1.", "6."] {
        assert!(doc.contains(&format!(">{label}<")), "row label {label}");
    }
}
