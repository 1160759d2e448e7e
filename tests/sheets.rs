//! What an act carries besides its text, in both writers: the лист
//! согласования and the visas, the лист ознакомления (a real table whose header
//! repeats on every page, pre-filled with everyone the act charges), the
//! QR-code requisite (read back with zbarimg, an independent decoder) and the
//! e-signature stamp (ГОСТ Р 7.0.97 §5.23).
//!
//! Needs poppler-utils, zbar-tools and LibreOffice; a missing tool fails the
//! test with what to install.

mod common;
use common::*;
use prikaz::model::{CellBlock, Row, Sheet, SheetKind};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

const PT_PER_MM: f64 = 72.0 / 25.4;

fn sheets_fixture() -> PathBuf {
    root().join("tests/fixtures/sheets-visas.yaml")
}

fn example() -> PathBuf {
    data("приказ-с-листами.yaml")
}

fn typst_pdf(p: &prikaz::Prepared) -> Vec<u8> {
    engine()
        .pdf(&p.doc, p.emblem.as_ref())
        .expect("PDF renders")
}

fn docx(p: &prikaz::Prepared) -> Vec<u8> {
    prikaz::render::docx::write(&p.doc, p.emblem.as_ref())
        .unwrap_or_else(|d| panic!("DOCX fails: {}", d.render()))
}

fn document_xml(docx: &[u8]) -> String {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(docx)).expect("a zip");
    let mut s = String::new();
    z.by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut s)
        .unwrap();
    s
}

/// NBSP as a space: the model and the PDFs keep them between initials and surnames.
fn plain(s: &str) -> String {
    s.replace(['\u{a0}', '\u{202f}'], " ")
}

/// Orenburg № 596 (with its profile) plus `extra` lines, in a temp folder.
fn orenburg_with(extra: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    copy_profiles(dir.path());
    let yaml = std::fs::read_to_string(data("orenburg-596.yaml")).unwrap();
    let path = dir.path().join("orenburg.yaml");
    std::fs::write(&path, format!("{yaml}\n{extra}")).unwrap();
    (dir, path)
}

fn sheet(p: &prikaz::Prepared, kind: SheetKind) -> &Sheet {
    p.doc
        .sheets_after_act
        .iter()
        .chain(&p.doc.sheets_at_end)
        .find(|s| s.kind == kind)
        .unwrap_or_else(|| panic!("no {kind:?} sheet"))
}

/// Column `col` of every body row, its paragraphs joined.
fn column(s: &Sheet, col: usize) -> Vec<String> {
    s.table
        .rows
        .iter()
        .map(|r| match r {
            Row::Cells { cells, .. } => cells[col]
                .iter()
                .map(|b| match b {
                    CellBlock::Para { text } => plain(text),
                    CellBlock::List { .. } => panic!("no lists on a sheet"),
                })
                .collect::<Vec<_>>()
                .join(" "),
            Row::Section { .. } => panic!("no sections on a sheet"),
        })
        .collect()
}

/// The text of each page, NBSP as spaces, lines joined by spaces.
fn pages(pdf: &[u8]) -> Vec<String> {
    pdf_text(pdf)
        .split('\u{c}')
        .map(|p| plain(p).split_whitespace().collect::<Vec<_>>().join(" "))
        .collect()
}

// ---- The acknowledgment sheet ----

#[test]
fn orenburg_acknowledgment_lists_everyone_the_act_charges_once() {
    // Read from the act's text (data/orenburg-596.yaml = seed 000): point 3
    // charges the head of the monitoring department Долгополова Н.В. and the
    // director of МАУ «Импульс-центр» Шишкина О.П.; point 4 the directors
    // Жалмухаметова А.К., Дегтярева М.В., Займак О.А., Мельчакова Ю.В.,
    // Шаралкова Е.И. and the acting director Чернышева Н.Н.; point 5 the clerk
    // Куракина С.В. The plan's column «Ответственные исполнители» names
    // Долгополова Н.В. again (nominative; dative «Долгополовой» in point 3).
    // The signatory keeps control herself; the distribution list and the
    // executor note charge no one.
    let expected = [
        "Долгополова Н.В.",
        "Шишкина О.П.",
        "Жалмухаметова А.К.",
        "Дегтярева М.В.",
        "Займак О.А.",
        "Мельчакова Ю.В.",
        "Шаралкова Е.И.",
        "Чернышева Н.Н.",
        "Куракина С.В.",
    ];
    let (_dir, path) = orenburg_with("лист_ознакомления: да\n");
    let p = prepare(&path);
    let s = sheet(&p, SheetKind::Acknowledgment);
    assert_eq!(column(s, 1), expected);
    // Their positions, as the points name them before each person (in the
    // dative there; «Директорам» covers the list of schools).
    assert_eq!(
        column(s, 2),
        [
            "начальник отдела мониторинга и информационного обеспечения общего образования \
             управления образования",
            "директор МАУ «Импульс-центр»",
            "директор МОАУ «СОШ № 4»",
            "директор МОАУ «СОШ № 24»",
            "директор МОАУ «СОШ № 63»",
            "директор МОАУ «СОШ № 95»",
            "директор МОАУ «Бердянская СОШ»",
            "и.о. директора МОАУ «СОШ № 65»",
            "делопроизводитель",
        ]
    );
    let numbers: Vec<String> = (1..=expected.len()).map(|i| format!("{i}.")).collect();
    assert_eq!(column(s, 0), numbers);
    assert_eq!(
        s.heading.iter().map(|l| plain(l)).collect::<Vec<_>>(),
        [
            "ЛИСТ ОЗНАКОМЛЕНИЯ",
            "с распоряжением от 20.09.2023 № 596",
            "«Об утверждении Плана мероприятий по поддержке муниципальных общеобразовательных \
             организаций с низкими образовательными результатами на 2023–2024 учебный год»"
        ]
    );
    // Last, after the plan.
    assert!(p.doc.sheets_after_act.is_empty());
    assert_eq!(p.doc.sheets_at_end.len(), 1);

    // The PDF: the sheet is the last page, each person on it once, in order.
    let pdf = typst_pdf(&p);
    let text = pages(&pdf);
    let at = text
        .iter()
        .position(|t| t.contains("ЛИСТ ОЗНАКОМЛЕНИЯ"))
        .expect("a sheet page");
    assert!(
        text[..at].iter().any(|t| t.contains("ПЛАН")),
        "the sheet follows the plan"
    );
    let sheet_text = text[at..].join(" ");
    let mut last = 0;
    for name in expected {
        assert_eq!(
            sheet_text.matches(name).count(),
            1,
            "«{name}» once on the sheet: {sheet_text}"
        );
        let i = sheet_text.find(name).unwrap();
        assert!(i > last, "«{name}» in order");
        last = i;
    }

    // The DOCX: the same names, once each, in the sheet's table.
    let xml = document_xml(&docx(&p));
    let from = xml.find("ЛИСТ ОЗНАКОМЛЕНИЯ").expect("the heading");
    let table = &xml[from..];
    let table = &table[table.find("<w:tbl>").unwrap()..table.find("</w:tbl>").unwrap()];
    let mut last = 0;
    for name in expected {
        let n = plain(name);
        let t = plain(&runs_text(table));
        assert_eq!(t.matches(&n).count(), 1, "«{name}» once in the DOCX table");
        let i = t.find(&n).unwrap();
        assert!(i > last, "«{name}» in order in the DOCX");
        last = i;
    }
}

#[test]
fn one_person_however_declined_and_a_given_list_completes_or_replaces() {
    let dir = tempfile::tempdir().unwrap();
    let act = |ack: &str| {
        format!(
            "вид: приказ\nорган: Управление образования\nдата: 01.02.2024\nномер: 7\n\
             заголовок: О проверке\n\
             пункты:\n\
             \x20 - Начальнику отдела Ивановой И.И. провести проверку.\n\
             \x20 - текст: Подготовить отчёт.\n    ответственный: Иванова И.И.\n\
             \x20 - Назначить И.И. Иванову ответственной за отчёт, а Петрову П.П. — за сводку.\n\
             контроль:\n  возложить_на: заместителя начальника Р.Р. Рахманкулова\n\
             подписант: {{должность: Начальник, имя: А.Б. Васильева}}\n{ack}"
        )
    };
    let prep = |name: &str, ack: &str| {
        let path = dir.path().join(name);
        std::fs::write(&path, act(ack)).unwrap();
        prepare(&path)
    };
    // «Ивановой И.И.», «Иванова И.И.», «И.И. Иванову»: one person, named in
    // the nominative that the «ответственный» line gives. «Петрову П.П.» is a
    // man in the dative; the control clause's «Рахманкулова» an accusative.
    let p = prep("a.yaml", "лист_ознакомления: да\n");
    let s = sheet(&p, SheetKind::Acknowledgment);
    assert_eq!(
        column(s, 1),
        ["Иванова И.И.", "Петров П.П.", "Рахманкулов Р.Р."]
    );
    // A given person the act names completes that row; a new one is added;
    // empty rows are numbered on.
    let p = prep(
        "b.yaml",
        "лист_ознакомления:\n  люди:\n    - {имя: Петров П.П., должность: инженер}\n    - С.С. Сидоров\n  пустые_строки: 2\n",
    );
    let s = sheet(&p, SheetKind::Acknowledgment);
    assert_eq!(
        column(s, 1),
        [
            "Иванова И.И.",
            "Петров П.П.",
            "Рахманкулов Р.Р.",
            "Сидоров С.С.",
            "",
            ""
        ]
    );
    // Positions the text names before a person; the given one where it names none.
    assert_eq!(
        column(s, 2),
        [
            "начальник отдела",
            "инженер",
            "заместитель начальника",
            "",
            "",
            ""
        ]
    );
    assert_eq!(column(s, 0), ["1.", "2.", "3.", "4.", "5.", "6."]);
    // «заменить: да»: only the given list.
    let p = prep(
        "c.yaml",
        "лист_ознакомления:\n  заменить: да\n  люди: [Сидоров С.С.]\n",
    );
    assert_eq!(
        column(sheet(&p, SheetKind::Acknowledgment), 1),
        ["Сидоров С.С."]
    );
    // No sheet unless asked for.
    let p = prep("d.yaml", "");
    assert!(p.doc.sheets_at_end.is_empty() && p.doc.sheets_after_act.is_empty());
}

#[test]
fn acknowledgment_header_repeats_on_every_page_in_both_writers() {
    let p = prepare(&sheets_fixture());
    let s = sheet(&p, SheetKind::Acknowledgment);
    // «заменить: да»: the given two (not Суменкова from the control clause),
    // then 30 empty rows.
    assert_eq!(column(s, 1)[..3], ["Орлова И.В.", "Кузьмин А.А.", ""]);
    assert_eq!(s.table.rows.len(), 32);

    let docx_bytes = docx(&p);
    for (writer, pdf) in [
        ("Typst", typst_pdf(&p)),
        ("LibreOffice", libreoffice_pdf(&docx_bytes, "sheets")),
    ] {
        let boxes = bbox(&pdf);
        let text = pages(&pdf);
        let first = text
            .iter()
            .position(|t| t.contains("ЛИСТ ОЗНАКОМЛЕНИЯ"))
            .unwrap_or_else(|| panic!("{writer}: no sheet"));
        let sheet_pages = &boxes[first..];
        assert!(
            sheet_pages.len() >= 2,
            "{writer}: 32 rows of 9 mm take two pages"
        );
        let mut numbers = vec![];
        for (k, page) in sheet_pages.iter().enumerate() {
            // The header row: the column titles, left to right, above every row.
            let find = |w: &str| {
                page.words
                    .iter()
                    .find(|x| x.text == w)
                    .unwrap_or_else(|| panic!("{writer}: sheet page {}: no «{w}»", k + 1))
            };
            let xs: Vec<f64> = ["п/п", "Фамилия", "Должность", "ознакомления", "Подпись"]
                .iter()
                .map(|w| find(w).x0)
                .collect();
            assert!(
                xs.windows(2).all(|w| w[0] < w[1]),
                "{writer}: header order on sheet page {}: {xs:?}",
                k + 1
            );
            let header_bottom = find("ознакомления").y1;
            for w in &page.words {
                if let Some(n) = w.text.strip_suffix('.').and_then(|n| n.parse::<u32>().ok()) {
                    assert!(w.y0 > header_bottom, "{writer}: row {n} below the header");
                    numbers.push(n);
                }
            }
            if k > 0 {
                // Repeated at the top of a later page.
                let top = p.doc.layout.margins.top as f64 * PT_PER_MM;
                assert!(
                    find("Фамилия").y0 < top + 20.0,
                    "{writer}: the header heads sheet page {}",
                    k + 1
                );
            }
        }
        assert_eq!(
            numbers,
            (1..=32).collect::<Vec<_>>(),
            "{writer}: every row once"
        );
    }

    // The DOCX: a real table, its first row the repeated header, and only it;
    // body rows at least 9 mm high (room to sign).
    let xml = document_xml(&docx_bytes);
    let from = xml.find("ЛИСТ ОЗНАКОМЛЕНИЯ").unwrap();
    let rest = &xml[from..];
    let table = &rest[rest.find("<w:tbl>").unwrap()..rest.find("</w:tbl>").unwrap()];
    let rows: Vec<&str> = table.split("<w:tr>").skip(1).collect();
    assert_eq!(rows.len(), 33, "header + 32 rows");
    assert!(rows[0].contains("<w:tblHeader />") || rows[0].contains("<w:tblHeader/>"));
    assert!(runs_text(rows[0]).contains("Фамилия И.О."));
    let twips = (p.doc.layout.sheet_row_height as f64 * 1440.0 / 25.4).round() as i64;
    for r in &rows[1..] {
        assert!(!r.contains("tblHeader"), "only the first row repeats");
        assert!(
            r.contains(&format!(r#"<w:trHeight w:val="{twips}" w:hRule="atLeast""#)),
            "row height: {r}"
        );
        assert!(r.contains("<w:cantSplit"));
    }
    // Each sheet is a section of its own: a section break right before it.
    let before = &xml[..from];
    let last_sect = before
        .rfind("<w:sectPr>")
        .expect("a section break before the sheet");
    assert!(!before[last_sect..].contains("<w:tbl>"));
}

// ---- The approval sheet and the visas ----

#[test]
fn approval_sheet_after_the_act_or_at_the_end_as_the_profile_says() {
    let p = prepare(&example());
    let s = sheet(&p, SheetKind::Approval);
    assert_eq!(
        s.heading.iter().map(|l| plain(l)).collect::<Vec<_>>(),
        [
            "ЛИСТ СОГЛАСОВАНИЯ",
            "к проекту приказа от 14.02.2024 № 148-од",
            "«О проведении муниципального этапа конкурса „Учитель года — 2024“»"
        ]
    );
    let titles: Vec<&str> = s.table.columns.iter().map(|c| c.title.as_str()).collect();
    assert_eq!(
        titles,
        ["Должность", "Подпись", "И.О. Фамилия", "Дата", "Замечания"]
    );
    assert_eq!(
        column(s, 0),
        [
            "Заместитель начальника управления образования",
            "Начальник юридического отдела"
        ]
    );
    assert_eq!(column(s, 2), ["Р.Р. Рахманкулов", "А.В. Смирнова"]);
    assert_eq!(column(s, 3), ["12.02.2024", ""]);
    assert_eq!(column(s, 4), ["", "нет"]);
    // The example's acknowledgment sheet, read from its text: points 2–4 and
    // the control clause, the plan's «Ответственный» column, then the one the
    // YAML adds; positions where the YAML gives them; two empty rows.
    let ack = sheet(&p, SheetKind::Acknowledgment);
    assert_eq!(
        column(ack, 1),
        [
            "Долгополова Н.В.",
            "Шишкина О.П.",
            "Иванов П.С.",
            "Рахманкулов Р.Р.",
            "Кузнецова М.А.",
            "Петрова Е.Н.",
            "",
            ""
        ]
    );
    assert_eq!(
        column(ack, 2),
        [
            "начальник отдела общего образования",
            "директор МАУ «Импульс-центр»",
            "ведущий специалист",
            "заместитель начальника управления образования",
            "",
            "секретарь конкурсной комиссии",
            "",
            ""
        ]
    );

    // Page order: act, approval sheet, appendix, acknowledgment sheet.
    let order = |pdf: &[u8]| -> Vec<&'static str> {
        pages(pdf)
            .iter()
            .filter(|t| !t.trim().is_empty())
            .map(|t| {
                if t.contains("ЛИСТ СОГЛАСОВАНИЯ") {
                    "согласование"
                } else if t.contains("ЛИСТ ОЗНАКОМЛЕНИЯ") {
                    "ознакомление"
                } else if t.contains("УТВЕРЖДЕН") {
                    "приложение"
                } else {
                    "акт"
                }
            })
            .collect()
    };
    let pdf = typst_pdf(&p);
    let lo = libreoffice_pdf(&docx(&p), "example");
    for (w, pdf) in [("Typst", &pdf), ("LibreOffice", &lo)] {
        assert_eq!(
            order(pdf),
            ["акт", "согласование", "приложение", "ознакомление"],
            "{w}"
        );
    }

    // Positions on the approval page: the heading centred on the text area,
    // the header row left to right, each visa's cells in their columns.
    for (w, pdf) in [("Typst", &pdf), ("LibreOffice", &lo)] {
        let page = &bbox(pdf)[1];
        let l = &p.doc.layout;
        let centre = (l.margins.left + (l.page_width - l.margins.left - l.margins.right) / 2.0)
            as f64
            * PT_PER_MM;
        let find = |t: &str| {
            page.words
                .iter()
                .find(|x| x.text == t)
                .unwrap_or_else(|| panic!("{w}: no «{t}»"))
        };
        let (a, b) = (find("ЛИСТ"), find("СОГЛАСОВАНИЯ"));
        assert!(
            ((a.x0 + b.x1) / 2.0 - centre).abs() < 2.0,
            "{w}: heading centred"
        );
        let head: Vec<f64> = ["Должность", "Подпись", "Фамилия", "Дата", "Замечания"]
            .iter()
            .map(|t| find(t).x0)
            .collect();
        assert!(head.windows(2).all(|x| x[0] < x[1]), "{w}: {head:?}");
        assert!(find("Должность").y0 > b.y1, "{w}: table under the heading");
        let date = find("12.02.2024");
        assert!(
            date.x0 > find("Фамилия").x1 && date.x1 < head[4],
            "{w}: the date in its column"
        );
        let name = find("Рахманкулов");
        assert!(name.x0 > head[1] && name.x1 < head[3], "{w}: name column");
        assert!((name.y0 - date.y0).abs() < 1.0, "{w}: one row");
    }

    // A profile that puts the sheet at the very end.
    let dir = tempfile::tempdir().unwrap();
    copy_profiles(dir.path());
    let profile = std::fs::read_to_string(data("профили/уо-оренбург.yaml")).unwrap();
    std::fs::write(
        dir.path().join("профили/уо-оренбург.yaml"),
        format!("{profile}\nсогласование:\n  размещение: в_конце\n"),
    )
    .unwrap();
    let path = dir.path().join("act.yaml");
    std::fs::copy(example(), &path).unwrap();
    let p2 = prepare(&path);
    assert!(p2.doc.sheets_after_act.is_empty());
    let kinds: Vec<SheetKind> = p2.doc.sheets_at_end.iter().map(|s| s.kind).collect();
    assert_eq!(kinds, [SheetKind::Approval, SheetKind::Acknowledgment]);
    assert_eq!(
        order(&typst_pdf(&p2)),
        ["акт", "приложение", "согласование", "ознакомление"]
    );
    // The profile's placement alone gives no sheet to an act without visas.
    let bare = dir.path().join("bare.yaml");
    std::fs::write(
        &bare,
        "профиль: уо-оренбург.yaml\nвид: приказ\nдата: 01.02.2024\nномер: 7\nзаголовок: О проверке\nпункты: [Провести проверку.]\nподписант: ио\n",
    )
    .unwrap();
    let p3 = prepare(&bare);
    assert!(p3.doc.sheets_at_end.is_empty());

    // The DOCX: the approval table is a real table with a repeated header.
    let xml = document_xml(&docx(&p));
    let from = xml.find("ЛИСТ СОГЛАСОВАНИЯ").unwrap();
    let rest = &xml[from..];
    let table = &rest[rest.find("<w:tbl>").unwrap()..rest.find("</w:tbl>").unwrap()];
    let rows: Vec<&str> = table.split("<w:tr>").skip(1).collect();
    assert_eq!(rows.len(), 3);
    assert!(rows[0].contains("tblHeader") && rows[0].contains("Замечания"));
    assert!(rows[1].contains("Рахманкулов") && rows[1].contains("12.02.2024"));
}

#[test]
fn visas_stand_at_the_foot_of_the_last_page_in_the_gost_form() {
    let p = prepare(&sheets_fixture());
    let act = p.doc.act.as_ref().unwrap();
    assert_eq!(act.visas.len(), 2);
    assert!(
        p.doc.sheets_after_act.is_empty(),
        "visas instead of a sheet"
    );
    assert!(
        p.doc
            .sheets_at_end
            .iter()
            .all(|s| s.kind != SheetKind::Approval)
    );
    assert_eq!(
        act.visas[1].remarks.as_deref(),
        Some("Замечания: прилагаются")
    );
    let l = &p.doc.layout;
    for (w, pdf) in [
        ("Typst", typst_pdf(&p)),
        ("LibreOffice", libreoffice_pdf(&docx(&p), "visas")),
    ] {
        assert!(!pdf_text(&pdf).contains("ЛИСТ СОГЛАСОВАНИЯ"), "{w}");
        let page = &bbox(&pdf)[0];
        let find = |t: &str| {
            page.words
                .iter()
                .find(|x| x.text == t)
                .unwrap_or_else(|| panic!("{w}: no «{t}» on page 1"))
        };
        let left = l.margins.left as f64 * PT_PER_MM;
        let signer = page
            .words
            .iter()
            .filter(|x| x.text == "Васильева")
            .max_by(|a, b| a.x1.total_cmp(&b.x1))
            .unwrap();
        // Position from the left margin; the name after the room for the
        // signature; the date under them; visas in order; the executor last.
        let (pos, name, date) = (find("Главный"), find("Фомина"), find("28.02.2024"));
        assert!((pos.x0 - left).abs() < 1.5, "{w}: position at the margin");
        assert!(pos.y0 > signer.y1, "{w}: visas under the signature");
        let initials = find("Е.Д.");
        assert!(
            (initials.x0 - left - l.visa_sign_width as f64 * PT_PER_MM).abs() < 2.0,
            "{w}: the name after {} mm for the signature: {:.1}",
            l.visa_sign_width,
            initials.x0 - left
        );
        assert!(
            name.y0 > pos.y0 + 5.0 && date.y0 > name.y0 + 5.0,
            "{w}: order"
        );
        assert!((date.x0 - left).abs() < 1.5, "{w}: date at the margin");
        let second = find("юридического");
        let remarks = find("прилагаются");
        let executor = find("Петрова");
        assert!(
            second.y0 > date.y0 + 5.0
                && remarks.y0 > second.y0 + 5.0
                && executor.y0 > remarks.y0 + 5.0,
            "{w}: visas in order, the executor last"
        );
        // At the foot: the executor's phone is the last line above the margin.
        let phone = page
            .words
            .iter()
            .find(|x| x.text.contains("000-00-00"))
            .unwrap_or_else(|| panic!("{w}: phone"));
        let bottom = page.height - l.margins.bottom as f64 * PT_PER_MM;
        assert!(
            bottom - phone.y1 < 8.0 && phone.y1 <= bottom + 2.0,
            "{w}: the foot of the page ({:.1} pt above the margin)",
            bottom - phone.y1
        );
    }
}

// ---- The QR code ----

/// `zbarimg` on an image file: the decoded texts (none: empty).
fn zbar(image: &Path) -> Vec<String> {
    require("zbarimg", "zbar-tools");
    let out = Command::new("zbarimg")
        .args(["-q", "--raw", "-Sdisable", "-Sqrcode.enable"])
        .arg(image)
        .output()
        .expect("zbarimg runs");
    // 0: found; 4: no symbol found.
    assert!(
        matches!(out.status.code(), Some(0) | Some(4)),
        "zbarimg failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect()
}

/// The area of page `page` (from 1) where the QR code belongs, mm: flush right
/// in the bottom margin, `qr_from_bottom` above the edge; with 1.5 mm to spare.
fn qr_area(l: &prikaz::layout::Layout) -> (f32, f32, f32, f32) {
    let side = l.qr_size + 3.0;
    let x = l.page_width - l.margins.right - l.qr_size - 1.5;
    let y = l.page_height - l.qr_from_bottom - l.qr_size - 1.5;
    (x, y, side, side)
}

/// Decode a region (mm) of a PDF page rendered at 300 dpi with pdftoppm.
fn zbar_pdf(pdf: &[u8], page: usize, area: (f32, f32, f32, f32)) -> Vec<String> {
    let px = |mm: f32| ((mm as f64) / 25.4 * 300.0).round() as i64;
    let n = page.to_string();
    let (x, y, w, h) = (px(area.0), px(area.1), px(area.2), px(area.3));
    let png = poppler_bytes(
        "pdftoppm",
        &[
            "-r",
            "300",
            "-f",
            &n,
            "-l",
            &n,
            "-singlefile",
            "-png",
            "-x",
            &x.to_string(),
            "-y",
            &y.to_string(),
            "-W",
            &w.to_string(),
            "-H",
            &h.to_string(),
        ],
        pdf,
        false,
    );
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("page.png");
    std::fs::write(&f, png).unwrap();
    zbar(&f)
}

#[test]
fn zbarimg_reads_the_qr_code_from_the_png_and_the_pdfs_where_gost_puts_it() {
    // The registration data, as the issue spells it: «Приказ № 60 от 03.05.2023, <организация>».
    let cases = [
        (
            example(),
            "Приказ № 148-од от 14.02.2024, Управление образования администрации города Оренбурга",
        ),
        (sheets_fixture(), "https://n-sk.example.ru/acts/2024/31"),
    ];
    for (path, want) in cases {
        let p = prepare(&path);
        assert_eq!(p.doc.qr.as_ref().unwrap().content, want);
        let l = &p.doc.layout;
        let area = qr_area(l);
        let elsewhere = (l.margins.left, area.1, area.2, area.3);

        // The PNG page, as `--format png --dpi 300` writes it: whole, and the
        // corner where the code belongs (the 100-dpi preview has less than a
        // pixel per module for the registration data: a preview, not a scan).
        let pages = engine().compile(&p.doc, p.emblem.as_ref()).unwrap();
        let pngs = engine().png(&pages, 300.0).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("1.png");
        std::fs::write(&f, &pngs[0]).unwrap();
        assert_eq!(zbar(&f), [want], "{}: PNG page 1", path.display());
        let img = image::load_from_memory(&pngs[0]).unwrap();
        let px = |mm: f32| (mm / 25.4 * 300.0).round() as u32;
        let corner = img.crop_imm(px(area.0), px(area.1), px(area.2), px(area.3));
        let f = dir.path().join("corner.png");
        corner.save(&f).unwrap();
        assert_eq!(zbar(&f), [want], "{}: PNG corner", path.display());
        let f2 = dir.path().join("2.png");
        std::fs::write(&f2, &pngs[1]).unwrap();
        assert!(zbar(&f2).is_empty(), "only page 1 carries the code");

        // The DOCX: the code is a picture in the first-page footer of the
        // act's section only; every other first page has the empty footer.
        let bytes = docx(&p);
        let mut z = zip::ZipArchive::new(std::io::Cursor::new(&bytes)).unwrap();
        let mut part = |name: &str| {
            let mut s = String::new();
            z.by_name(name).unwrap().read_to_string(&mut s).unwrap();
            s
        };
        let (empty, coded) = (part("word/footer1.xml"), part("word/footer2.xml"));
        assert!(!empty.contains("<w:drawing>") && coded.contains("<w:drawing>"));
        assert!(coded.contains(r#"<w:jc w:val="right""#), "flush right");
        let emu = (l.qr_size as f64 * 36_000.0).round() as u64;
        assert!(coded.contains(&format!(r#"<wp:extent cx="{emu}" cy="{emu}""#)));
        let xml = document_xml(&bytes);
        let firsts: Vec<String> = xml
            .match_indices(r#"<w:footerReference w:type="first" r:id=""#)
            .map(|(i, m)| {
                let rest = &xml[i + m.len()..];
                rest[..rest.find('"').unwrap()].to_string()
            })
            .collect();
        assert!(firsts.len() >= 2, "a section per part: {firsts:?}");
        assert_eq!(firsts[0], "rIdFooter2");
        assert!(firsts[1..].iter().all(|r| r == "rIdFooter1"), "{firsts:?}");

        // The PDF through pdftoppm, and the DOCX through LibreOffice.
        let pdf = engine().export_pdf(&p.doc, &pages).unwrap();
        let lo = libreoffice_pdf(&bytes, "qr");
        for (w, pdf) in [("Typst", &pdf), ("LibreOffice", &lo)] {
            assert_eq!(
                zbar_pdf(pdf, 1, area),
                [want],
                "{}: {w} PDF, bottom right of page 1",
                path.display()
            );
            assert!(
                zbar_pdf(pdf, 1, elsewhere).is_empty(),
                "{w}: not at the left"
            );
            assert!(zbar_pdf(pdf, 2, area).is_empty(), "{w}: not on page 2");
        }
    }
}

#[test]
fn qr_code_is_2025_only_and_a_link_must_be_a_link() {
    let dir = tempfile::tempdir().unwrap();
    let check = |name: &str, extra: &str| -> Vec<prikaz::diag::Diagnostic> {
        let path = dir.path().join(name);
        std::fs::write(&path, format!("{MINIMAL}\n{extra}")).unwrap();
        match prikaz::prepare(
            &path,
            templates(),
            &prikaz::read::Limits::default(),
            &prikaz::resolve::Selection::All,
        ) {
            Ok(_) => vec![],
            Err(d) => d.0,
        }
    };
    let d = check("a.yaml", "стандарт: 2016\nqr_код: да\n");
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0].code, "E021");
    assert!(d[0].message.contains("2025"), "{}", d[0].message);
    let text = format!("{MINIMAL}\nстандарт: 2016\nqr_код: да\n");
    let line = text.lines().position(|l| l.starts_with("qr_код")).unwrap() + 1;
    assert_eq!(
        d[0].pos.unwrap().line as usize,
        line,
        "at the «qr_код» line"
    );
    let d = check("b.yaml", "qr_код: {ссылка: не ссылка}\n");
    assert_eq!(d[0].code, "E021");
    assert_eq!(d[0].field.as_deref(), Some("qr_код.ссылка"));
    assert!(check("c.yaml", "стандарт: 2016\nqr_код: нет\n").is_empty());
    assert!(check("d.yaml", "qr_код: {ссылка: \"https://a.ru/1\"}\n").is_empty());
    // An appendix alone carries no code.
    let p = prepare_sel(
        &example(),
        &prikaz::resolve::Selection::Appendix("план".into()),
    );
    assert!(p.doc.qr.is_none());
}

// ---- The e-signature stamp (ГОСТ Р 7.0.97 §5.23, gost.md §3.1) ----

/// A page as RGB pixels (pdftoppm PPM at `dpi`).
struct Rgb {
    w: usize,
    h: usize,
    px: Vec<u8>,
}

fn rgb_page(pdf: &[u8], dpi: u32) -> Rgb {
    let r = dpi.to_string();
    let b = poppler_bytes(
        "pdftoppm",
        &["-r", &r, "-f", "1", "-l", "1", "-singlefile"],
        pdf,
        false,
    );
    let (w, h, px) = netpbm(&b, "P6", 3);
    Rgb { w, h, px }
}

impl Rgb {
    fn at(&self, x: usize, y: usize) -> (u8, u8, u8) {
        let i = (y * self.w + x) * 3;
        (self.px[i], self.px[i + 1], self.px[i + 2])
    }
}

#[test]
fn e_signature_stamp_follows_gost_5_23_in_both_writers() {
    let p = prepare(&sheets_fixture());
    let sig = &p.doc.act.as_ref().unwrap().signature;
    // The content §5.23 asks for: the phrase, certificate, owner (full name), validity.
    assert_eq!(
        sig.esign,
        [
            "ДОКУМЕНТ ПОДПИСАН",
            "ЭЛЕКТРОННОЙ ПОДПИСЬЮ",
            "Сертификат 1a111aaa000000000011",
            "Владелец Васильева Анна Борисовна",
            "Действителен с 01.12.2023 по 01.12.2024"
        ]
    );
    assert!(sig.esign_emblem, "the coat of arms asked for");
    let l = &p.doc.layout;
    let hex = |i: usize| u8::from_str_radix(&l.stamp.color[i..i + 2], 16).unwrap() as i32;
    let ink = (hex(0), hex(2), hex(4));
    let docx_bytes = docx(&p);
    let dpi = 150;
    for (w, pdf) in [
        ("Typst", typst_pdf(&p)),
        ("LibreOffice", libreoffice_pdf(&docx_bytes, "stamp")),
    ] {
        let page = &bbox(&pdf)[0];
        let find = |t: &str| {
            page.words
                .iter()
                .find(|x| x.text == t)
                .unwrap_or_else(|| panic!("{w}: no «{t}»"))
        };
        let position = find("управления");
        let name = page
            .words
            .iter()
            .filter(|x| x.text == "Васильева")
            .max_by(|a, b| a.x1.total_cmp(&b.x1))
            .unwrap();
        // The name flush right, on the position's line.
        let right = page.width - l.margins.right as f64 * PT_PER_MM;
        assert!((name.x1 - right).abs() < 1.5, "{w}: name flush right");
        assert!(
            (name.y1 - position.y1).abs() < 1.5,
            "{w}: name on the position's line"
        );
        // The stamp's lines, top to bottom, between the position and the name,
        // where the handwritten signature would be; the last one no lower than
        // the position's line.
        let lines: Vec<&BoxWord> = [
            "ДОКУМЕНТ",
            "ЭЛЕКТРОННОЙ",
            "Сертификат",
            "Владелец",
            "Действителен",
        ]
        .iter()
        .map(|t| find(t))
        .collect();
        assert!(
            lines.windows(2).all(|x| x[0].y0 + 5.0 < x[1].y0),
            "{w}: line order"
        );
        let stamp: Vec<&BoxWord> = page
            .words
            .iter()
            .filter(|x| x.y0 >= lines[0].y0 - 0.5 && x.y1 <= lines[4].y1 + 0.5)
            .filter(|x| x.x0 > position.x1 && x.x1 < find("А.Б.").x0)
            .collect();
        assert!(stamp.len() >= 14, "{w}: the stamp's words: {}", stamp.len());
        for t in [
            "1a111aaa000000000011",
            "01.12.2023",
            "01.12.2024",
            "Борисовна",
        ] {
            assert!(stamp.iter().any(|x| x.text == t), "{w}: «{t}» in the stamp");
        }
        let x0 = stamp.iter().map(|x| x.x0).fold(f64::MAX, f64::min);
        let x1 = stamp.iter().map(|x| x.x1).fold(0.0, f64::max);
        assert!(
            lines[4].y1 <= position.y1 + 0.6,
            "{w}: the stamp ends on the signature line"
        );
        assert!(lines[4].y1 > position.y0 - 12.0, "{w}: … and not above it");

        // The frame, in the stamp's colour, on all four sides around the
        // lines; the coat of arms inside it, above the lines.
        let img = rgb_page(&pdf, dpi);
        let px = |pt: f64| (pt / 72.0 * dpi as f64).round() as usize;
        let is_ink = |(r, g, b): (u8, u8, u8)| {
            (r as i32 - ink.0).abs() < 60
                && (g as i32 - ink.1).abs() < 60
                && (b as i32 - ink.2).abs() < 60
        };
        let reach = px(l.stamp.inset as f64 * PT_PER_MM + 6.0);
        let (bx0, bx1, by0, by1) = (px(x0), px(x1), px(lines[0].y0), px(lines[4].y1));
        let row_is_frame =
            |y: usize| (bx0..bx1).filter(|&x| is_ink(img.at(x, y))).count() * 10 > (bx1 - bx0) * 9;
        let col_is_frame =
            |x: usize| (by0..by1).filter(|&y| is_ink(img.at(x, y))).count() * 10 > (by1 - by0) * 9;
        // Above: past the coat of arms (its height plus the inset).
        let emblem_h = px((l.stamp.emblem_width * 1.25 + l.stamp.inset) as f64 * PT_PER_MM);
        assert!(
            (by0.saturating_sub(reach + emblem_h)..by0).any(row_is_frame),
            "{w}: top side"
        );
        assert!((by1..by1 + reach).any(row_is_frame), "{w}: bottom side");
        assert!(
            (bx0.saturating_sub(reach)..bx0).any(col_is_frame),
            "{w}: left side"
        );
        assert!((bx1..bx1 + reach).any(col_is_frame), "{w}: right side");
        let yellow = (by0.saturating_sub(emblem_h)..by0)
            .flat_map(|y| (bx0..bx1).map(move |x| (x, y)))
            .filter(|&(x, y)| {
                let (r, g, b) = img.at(x, y);
                r > 200 && g > 150 && b < 90
            })
            .count();
        assert!(
            yellow > 10,
            "{w}: the coat of arms in the stamp ({yellow} px)"
        );
        assert!(img.h > by1);
    }

    // The DOCX: the stamp is a cell framed on four sides in the stamp's
    // colour, with the coat of arms; the name's cell is set flush right.
    let xml = document_xml(&docx_bytes);
    let at = xml.find("Сертификат").unwrap();
    let cell = &xml[xml[..at].rfind("<w:tc>").unwrap()..at];
    for side in ["top", "left", "bottom", "right"] {
        assert!(
            cell.contains(&format!(r#"<w:{side} w:val="single""#)),
            "frame side {side}: {cell}"
        );
    }
    assert_eq!(
        cell.matches(&format!(r#"w:color="{}""#, l.stamp.color))
            .count(),
        4
    );
    assert!(
        cell.contains("<w:drawing>"),
        "the coat of arms in the stamp"
    );
    let end = at + xml[at..].find("01.12.2024").unwrap();
    let name_at = end + xml[end..].find("Васильева").unwrap();
    let name_cell = &xml[xml[..name_at].rfind("<w:tc>").unwrap()..name_at];
    assert!(
        name_cell.contains(r#"<w:jc w:val="right""#),
        "the name flush right: {name_cell}"
    );
}

#[test]
fn a_stamp_asks_for_the_coat_of_arms_only_when_the_authority_has_one() {
    let dir = tempfile::tempdir().unwrap();
    let yaml = "вид: приказ\nорган: Управление образования\nдата: 01.02.2024\nномер: 7\n\
                заголовок: О проверке\nпункты: [Провести проверку.]\n\
                подписант:\n  должность: Начальник\n  имя: А.Б. Васильева\n  электронная_подпись:\n    \
                сертификат: 1a2b\n    владелец: Васильева Анна Борисовна\n    действителен_с: 01.12.2023\n    \
                действителен_по: 01.12.2024\n    герб: да\n";
    let path = dir.path().join("a.yaml");
    std::fs::write(&path, yaml).unwrap();
    let d = prikaz::prepare(
        &path,
        templates(),
        &prikaz::read::Limits::default(),
        &prikaz::resolve::Selection::All,
    )
    .err()
    .expect("an error")
    .0;
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0].code, "E015");
    assert_eq!(
        d[0].field.as_deref(),
        Some("подписант.электронная_подпись.герб")
    );
    assert_eq!(d[0].pos.unwrap().line, 11, "at the stamp's fields");
}

#[test]
fn an_organisation_words_the_sheets_in_its_own_templates() {
    let dir = tempfile::tempdir().unwrap();
    let wording = dir.path().join("wording");
    std::fs::create_dir_all(&wording).unwrap();
    std::fs::write(
        wording.join("acknowledgment_heading.j2"),
        "Лист ознакомления работников\nс {{ act_instrumental }} № {{ number }}\n",
    )
    .unwrap();
    std::fs::write(
        wording.join("acknowledgment_columns.j2"),
        "№\nФ.И.О.\nДолжность\nДата\nРоспись\n",
    )
    .unwrap();
    std::fs::write(
        wording.join("qr_content.j2"),
        "{{ kind }} {{ number }} ({{ date }})",
    )
    .unwrap();
    let t = prikaz::templates::Templates::load(Some(dir.path())).unwrap();
    let p = prikaz::prepare(
        &example(),
        &t,
        &prikaz::read::Limits::default(),
        &prikaz::resolve::Selection::All,
    )
    .unwrap_or_else(|d| panic!("{}", d.0[0].render()));
    let s = sheet(&p, SheetKind::Acknowledgment);
    assert_eq!(
        s.heading.iter().map(|l| plain(l)).collect::<Vec<_>>(),
        ["Лист ознакомления работников", "с приказом № 148-од"]
    );
    let titles: Vec<&str> = s.table.columns.iter().map(|c| c.title.as_str()).collect();
    assert_eq!(titles, ["№", "Ф.И.О.", "Должность", "Дата", "Роспись"]);
    assert_eq!(
        p.doc.qr.as_ref().unwrap().content,
        "Приказ 148-од (14.02.2024)"
    );
    // The approval sheet keeps the built-in wording.
    assert_eq!(
        sheet(&p, SheetKind::Approval).heading[0],
        "ЛИСТ СОГЛАСОВАНИЯ"
    );

    // Four column titles for five columns: a clear error, not a broken table.
    std::fs::write(
        wording.join("acknowledgment_columns.j2"),
        "№\nФ.И.О.\nДолжность\nДата\n",
    )
    .unwrap();
    let t = prikaz::templates::Templates::load(Some(dir.path())).unwrap();
    let e = prikaz::prepare(
        &example(),
        &t,
        &prikaz::read::Limits::default(),
        &prikaz::resolve::Selection::All,
    )
    .err()
    .expect("an error")
    .0;
    assert_eq!(e[0].code, "T001");
    assert!(
        e[0].message.contains("acknowledgment_columns.j2") && e[0].message.contains("5 строк"),
        "{}",
        e[0].message
    );
}
