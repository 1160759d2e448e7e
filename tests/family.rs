//! The family of acts: forms other organisations use (issue «семья актов»).

mod common;
use common::{BoxWord, bbox, cli, libreoffice_pdf, pdf_text, require, root};

/// «(приложения № 1, № 2 и № 3)»: one reference to several appendices,
/// written with commas; each id is checked, and a wrong one is named.
#[test]
fn one_reference_names_several_appendices() {
    require("pdftotext", "poppler-utils");
    let dir = tempfile::tempdir().unwrap();
    let appendix = |id: &str, title: &str| {
        format!(
            "  - id: {id}\n    вид: План\n    утверждается: да\n    заголовок: {title}\n    содержание:\n      - Текст.\n"
        )
    };
    let act = |points: &str| {
        format!(
            "вид: приказ\nорган: Управление образования\nдата: 01.02.2024\nномер: 7\nзаголовок: О планах\nпункты:\n{points}контроль: оставляю\nподписант:\n  должность: Начальник управления\n  имя: И.И. Иванов\nприложения:\n{}{}{}",
            appendix("план", "План работы"),
            appendix("смета", "Смета расходов"),
            appendix("список", "Список школ"),
        )
    };
    let yaml = act(
        "  - id: первый\n    текст: Утвердить планы (приложения:план,смета,список).\n  - Исполнить {приложения:план,смета} в срок.\n  - Контроль по {пунктам:первый,второй}.\n  - id: второй\n    текст: Отчитаться.\n",
    )
    .replace("(приложения:план,смета,список)", "({приложения:план,смета,список})");
    std::fs::write(dir.path().join("a.yaml"), &yaml).unwrap();
    let (code, _, err) = cli(
        &["render", "a.yaml", "-o", "out", "--format", "pdf,docx"],
        dir.path(),
    );
    assert_eq!(code, 0, "{err}");
    let pdf = std::fs::read_dir(dir.path().join("out"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "pdf"))
        .unwrap();
    let text = pdf_text(&std::fs::read(&pdf).unwrap()).replace('\u{a0}', " ");
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for want in [
        "Утвердить планы (приложения № 1, № 2 и № 3).",
        "Исполнить приложения № 1 и № 2 в срок.",
        "Контроль по пунктам 1 и 4.",
    ] {
        assert!(text.contains(want), "«{want}» not in:\n{text}");
    }
    let docx = std::fs::read(pdf.with_extension("docx")).unwrap();
    let docx = common::docx_text(&docx).replace('\u{a0}', " ");
    assert!(
        docx.contains("Утвердить планы (приложения № 1, № 2 и № 3)."),
        "{docx}"
    );

    // A wrong id among them is named; one without braces is caught whole.
    let bad = yaml.replace("{приложения:план,смета}", "{приложения:план,сметы}");
    std::fs::write(dir.path().join("a.yaml"), &bad).unwrap();
    let (code, _, err) = cli(&["check", "a.yaml"], dir.path());
    assert_eq!(code, 1);
    assert!(
        err.contains("ссылка на несуществующее приложение «сметы»"),
        "{err}"
    );
    assert!(err.contains("возможно, вы имели в виду «смета»"), "{err}");
    let bare = yaml.replace("{приложения:план,смета}", "приложения:план,смета");
    std::fs::write(dir.path().join("a.yaml"), &bare).unwrap();
    let (code, _, err) = cli(&["check", "a.yaml"], dir.path());
    assert_eq!(code, 1);
    assert!(
        err.contains("напишите ссылку так: {приложения:план,смета}"),
        "{err}"
    );
}

/// `fixture` rendered with `--strict` to PDF and DOCX, whose files are named
/// `stem`: their bytes.
fn render_fixture(fixture: &str, stem: &str) -> (Vec<u8>, Vec<u8>) {
    require("pdftotext", "poppler-utils");
    let dir = tempfile::tempdir().unwrap();
    let act = root().join(fixture);
    let (code, _, err) = cli(
        &[
            "render",
            act.to_str().unwrap(),
            "-o",
            dir.path().to_str().unwrap(),
            "--format",
            "pdf,docx",
            "--strict",
        ],
        dir.path(),
    );
    assert_eq!(code, 0, "{err}");
    let stem = dir.path().join(stem);
    (
        std::fs::read(stem.with_extension("pdf")).unwrap(),
        std::fs::read(stem.with_extension("docx")).unwrap(),
    )
}

const PT_PER_MM: f64 = 72.0 / 25.4;

/// The words of `page` in lines (by their baseline), each line left to right.
fn lines_of(words: &[BoxWord]) -> Vec<Vec<&BoxWord>> {
    let mut lines: Vec<Vec<&BoxWord>> = vec![];
    let mut sorted: Vec<&BoxWord> = words.iter().collect();
    sorted.sort_by(|a, b| a.y1.total_cmp(&b.y1).then(a.x0.total_cmp(&b.x0)));
    for w in sorted {
        match lines.last_mut() {
            Some(l) if (l[0].y1 - w.y1).abs() < 3.0 => l.push(w),
            _ => lines.push(vec![w]),
        }
    }
    for l in &mut lines {
        l.sort_by(|a, b| a.x0.total_cmp(&b.x0));
    }
    lines
}

fn line_text(l: &[&BoxWord]) -> String {
    l.iter()
        .map(|w| w.text.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Checks the arrangement of `tests/fixtures/house-style.yaml` on the first
/// page of `pdf` (`which` names it in messages): the number on the kind's
/// line, «от 30.12.2020г.» at the left margin, the title a centred block no
/// wider than 120 mm, «ПОСТАНОВЛЯЮ:» centred on its own line.
fn house_style_arrangement(pdf: &[u8], which: &str) {
    let page = &bbox(pdf)[0];
    let lines = lines_of(&page.words);
    let texts: Vec<String> = lines.iter().map(|l| line_text(l)).collect();
    let find = |start: &str| -> &Vec<&BoxWord> {
        let i = texts
            .iter()
            .position(|t| t.starts_with(start))
            .unwrap_or_else(|| panic!("{which}: no line starting «{start}» in {texts:#?}"));
        &lines[i]
    };
    // The text area, from the signature line: the position at the left
    // margin, the name flush right.
    let sign = find("Глава администрации");
    let (left, right) = (sign[0].x0, sign.last().unwrap().x1);
    let centre = (left + right) / 2.0;
    let centred = |l: &[&BoxWord], what: &str| {
        let mid = (l[0].x0 + l.last().unwrap().x1) / 2.0;
        assert!(
            (mid - centre).abs() < 2.0 * PT_PER_MM,
            "{which}: {what} is centred at {:.1} mm, the text at {:.1} mm",
            mid / PT_PER_MM,
            centre / PT_PER_MM
        );
    };
    assert_eq!(
        line_text(find("ПОСТАНОВЛЕНИЕ")).replace('\u{a0}', " "),
        "ПОСТАНОВЛЕНИЕ N 148-01 (о/д)",
        "{which}"
    );
    let date = find("от");
    assert_eq!(line_text(date), "от 30.12.2020г.", "{which}");
    assert!(
        (date[0].x0 - left).abs() < 1.0 * PT_PER_MM,
        "{which}: the date line is not at the left margin"
    );
    let word = find("ПОСТАНОВЛЯЮ:");
    assert_eq!(word.len(), 1, "{which}: the operative word is not alone");
    centred(word, "«ПОСТАНОВЛЯЮ:»");
    let first = texts
        .iter()
        .position(|t| t.starts_with("Об утверждении"))
        .unwrap();
    let title: Vec<&Vec<&BoxWord>> = lines[first..]
        .iter()
        .take_while(|l| !line_text(l).starts_with("В целях"))
        .collect();
    assert!(
        title.len() >= 2,
        "{which}: the title is one line: {texts:#?}"
    );
    for l in &title {
        let width = (l.last().unwrap().x1 - l[0].x0) / PT_PER_MM;
        assert!(
            width <= 121.0,
            "{which}: a title line is {width:.1} mm wide: {}",
            line_text(l)
        );
        centred(l, &format!("title line «{}»", line_text(l)));
    }
}

/// A house style other organisations use: «ПОСТАНОВЛЕНИЕ N 148-01 (о/д)»,
/// «от 30.12.2020г.», the operative word centred, the title a narrow centred
/// block — in our PDF and in LibreOffice's PDF of our DOCX, and «N» in the
/// appendix's mark.
#[test]
fn a_house_style_of_city_administrations_in_both_writers() {
    let (pdf, docx) = render_fixture(
        "tests/fixtures/house-style.yaml",
        "Постановление_148-01_(о-д)_2020-12-30",
    );
    house_style_arrangement(&pdf, "PDF");
    house_style_arrangement(&libreoffice_pdf(&docx, "house-style"), "DOCX");
    let text = pdf_text(&pdf).replace('\u{a0}', " ");
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        text.contains("УТВЕРЖДЕН постановлением от 30.12.2020г. N 148-01 (о/д)"),
        "{text}"
    );
    let words = common::docx_text(&docx).replace('\u{a0}', " ");
    assert!(words.contains("от 30.12.2020г. N 148-01 (о/д)"), "{words}");
}

/// The other date forms: «30.12.2020 г.» with a non-breaking space, and
/// «от … № …» on one line.
#[test]
fn date_forms_with_the_year_letter() {
    require("pdftotext", "poppler-utils");
    let dir = tempfile::tempdir().unwrap();
    let act = std::fs::read_to_string(root().join("tests/fixtures/house-style.yaml"))
        .unwrap()
        .replace("шапка: вид_с_номером", "шапка: продольная")
        .replace("цифрами_с_г_слитно", "цифрами_с_г")
        .replace("знак_номера: N", "знак_номера: №");
    std::fs::write(dir.path().join("a.yaml"), act).unwrap();
    let (code, _, err) = cli(
        &["render", "a.yaml", "-o", "out", "--format", "pdf,docx"],
        dir.path(),
    );
    assert_eq!(code, 0, "{err}");
    let pdf = std::fs::read(
        dir.path()
            .join("out/Постановление_148-01_(о-д)_2020-12-30.pdf"),
    )
    .unwrap();
    let page = &bbox(&pdf)[0];
    let lines = lines_of(&page.words);
    let date = lines
        .iter()
        .map(|l| line_text(l))
        .find(|t| t.starts_with("от "))
        .unwrap();
    assert_eq!(
        date.replace('\u{a0}', " "),
        "от 30.12.2020 г. № 148-01 (о/д)"
    );
    let docx = std::fs::read(
        dir.path()
            .join("out/Постановление_148-01_(о-д)_2020-12-30.docx"),
    )
    .unwrap();
    let words = common::docx_text(&docx);
    assert!(
        words.contains("от 30.12.2020\u{a0}г. №\u{a0}148-01 (о/д)"),
        "no non-breaking spaces before «г.» and after «№»: {words}"
    );
}

/// The words of the list's page in `pdf`, lines joined with «|».
fn list_lines(pdf: &[u8]) -> Vec<String> {
    let pages = bbox(pdf);
    let page = pages
        .iter()
        .find(|p| {
            p.words
                .iter()
                .any(|w| w.text == "Преображенский" || w.text.starts_with("Преоб"))
        })
        .expect("the list's page");
    lines_of(&page.words).iter().map(|l| line_text(l)).collect()
}

/// Names are not hyphenated and keep their initials, «№» keeps its
/// number, and a column too narrow for them is widened: in our PDF and in
/// LibreOffice's PDF of our DOCX.
#[test]
fn names_stay_whole_in_narrow_cells_in_both_writers() {
    let (pdf, docx) = render_fixture(
        "tests/fixtures/names-in-narrow-cells.yaml",
        "Приказ_7_2024-02-01",
    );
    for (which, pdf) in [("PDF", pdf), ("DOCX", libreoffice_pdf(&docx, "names"))] {
        let lines = list_lines(&pdf);
        let all = lines.join("|");
        for name in [
            "Жукова О.П.",
            "Константинопольская Е.В.",
            "Преображенский А.А.",
            "№ п/п",
        ] {
            assert!(
                lines
                    .iter()
                    .any(|l| l.replace('\u{a0}', " ").contains(name)),
                "{which}: «{name}» is not whole on one line: {all}"
            );
        }
        for number in ["№ 1»", "№ 12»", "№ 105»"] {
            assert!(
                lines
                    .iter()
                    .any(|l| l.replace('\u{a0}', " ").contains(number)),
                "{which}: «{number}» is broken: {all}"
            );
        }
        for name in ["Жукова", "Константинопольская", "Преображенский"]
        {
            let head: String = name.chars().take(4).collect();
            assert_eq!(
                all.matches(head.as_str()).count(),
                all.matches(name).count(),
                "{which}: «{name}» is hyphenated: {all}"
            );
        }
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with("МАДОУ") || l.contains(" МАДОУ")),
            "{which}: «МАДОУ» is not a word of its own: {all}"
        );
    }
}

/// A «Состав»: each group under its label at the left margin, the names on
/// the left and «— должность» side by side on the right, no rules, the
/// names not hyphenated — in our PDF and in LibreOffice's PDF of our DOCX.
#[test]
fn a_membership_appendix_in_two_columns_in_both_writers() {
    let (pdf, docx) = render_fixture("tests/fixtures/members.yaml", "Приказ_8_2024-02-01");
    for (which, pdf) in [("PDF", pdf), ("DOCX", libreoffice_pdf(&docx, "members"))] {
        let pages = bbox(&pdf);
        let page = pages
            .iter()
            .find(|p| p.words.iter().any(|w| w.text == "СОСТАВ"))
            .expect("the appendix");
        let lines = lines_of(&page.words);
        let texts: Vec<String> = lines.iter().map(|l| line_text(l)).collect();
        let all = texts.join("|");
        let labels = [
            "Председатель рабочей группы:",
            "Заместитель председателя рабочей группы:",
            "Секретарь рабочей группы:",
            "Члены рабочей группы:",
        ];
        let at = |start: &str| {
            texts
                .iter()
                .position(|t| t.starts_with(start))
                .unwrap_or_else(|| panic!("{which}: no «{start}»: {all}"))
        };
        let label_lines: Vec<usize> = labels.iter().map(|l| at(l)).collect();
        assert!(
            label_lines.windows(2).all(|w| w[0] < w[1]),
            "{which}: the groups are out of order: {all}"
        );
        let left = lines[label_lines[0]][0].x0;
        for &i in &label_lines {
            assert!(
                (lines[i][0].x0 - left).abs() < 1.0,
                "{which}: a label is not at the left margin: {}",
                texts[i]
            );
        }
        // Each member: the name from the left margin and, on its line, the
        // dash of the position in the right column, at one x for all.
        let mut dashes = vec![];
        for name in [
            "Глуховская",
            "Рахманкулов",
            "Петрова",
            "Сидоров",
            "Константинопольская",
        ] {
            let i = at(name);
            assert!((lines[i][0].x0 - left).abs() < 1.0, "{which}: {}", texts[i]);
            let dash = lines[i]
                .iter()
                .find(|w| w.text == "—")
                .unwrap_or_else(|| panic!("{which}: no dash beside «{name}»: {}", texts[i]));
            dashes.push(dash.x0);
        }
        let first = dashes[0];
        assert!(
            dashes.iter().all(|d| (d - first).abs() < 1.0),
            "{which}: the positions do not start at one place: {dashes:?}"
        );
        assert!(
            (first - left) / PT_PER_MM > 50.0,
            "{which}: the right column starts {:.1} mm from the margin",
            (first - left) / PT_PER_MM
        );
        for name in ["Равильевич", "Григорьевич", "Екатерина"] {
            assert!(
                texts.iter().any(|t| t.split(' ').any(|w| w == name)),
                "{which}: «{name}» is hyphenated: {all}"
            );
        }
    }
    // No rules: the table of a «Состав» draws no line (pdftotext cannot see
    // lines; the DOCX says so itself).
    let doc = common::docx_part(&docx, "word/document.xml");
    let tables: Vec<&str> = doc.split("<w:tbl>").skip(1).collect();
    let last = tables.last().expect("a table");
    assert!(
        !last
            .split("</w:tblPr>")
            .next()
            .unwrap()
            .contains("w:val=\"single\""),
        "the «Состав» table has rules"
    );
}
