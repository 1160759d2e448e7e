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

/// A line of `lines` holding the word `w`, with its index.
fn line_with<'a>(
    lines: &'a [Vec<&'a BoxWord>],
    w: &str,
    which: &str,
) -> (usize, &'a Vec<&'a BoxWord>) {
    lines
        .iter()
        .enumerate()
        .find(|(_, l)| l.iter().any(|x| x.text == w))
        .unwrap_or_else(|| {
            let texts: Vec<String> = lines.iter().map(|l| line_text(l)).collect();
            panic!("{which}: no line with «{w}»: {texts:#?}")
        })
}

fn word<'a>(l: &'a [&'a BoxWord], w: &str) -> &'a BoxWord {
    l.iter().find(|x| x.text == w).unwrap()
}

fn mid(l: &[&BoxWord]) -> f64 {
    (l[0].x0 + l.last().unwrap().x1) / 2.0
}

/// Checks the two-language blank of `tests/fixtures/bilingual.yaml` on the
/// first page of `pdf`: each row of the header holds the Chuvash words in
/// the left column and the Russian ones in the right, each centred in its
/// column — the authority, the kind, the date line, the place — and then
/// the title.
fn bilingual_arrangement(pdf: &[u8], which: &str) {
    let page = &bbox(pdf)[0];
    let lines = lines_of(&page.words);
    let (_, sign) = line_with(&lines, "Министр", which);
    let (left, right) = (sign[0].x0, sign.last().unwrap().x1);
    let centre = (left + right) / 2.0;
    // The columns: the text width less the coat of arms and its gutters
    // (15 + 2 × 5 mm), halved.
    let side = (right - left - 25.0 * PT_PER_MM) / 2.0;
    let (left_mid, right_mid) = (left + side / 2.0, right - side / 2.0);
    let halves = |l: &[&BoxWord], chuvash: &[&str], russian: &[&str], what: &str| {
        let (l_words, r_words): (Vec<&BoxWord>, Vec<&BoxWord>) =
            l.iter().copied().partition(|w| w.x1 < centre);
        let l_text: Vec<&str> = l_words.iter().map(|w| w.text.as_str()).collect();
        let r_text: Vec<&str> = r_words.iter().map(|w| w.text.as_str()).collect();
        assert_eq!(l_text, chuvash, "{which}: the left column of the {what}");
        assert_eq!(r_text, russian, "{which}: the right column of the {what}");
        for (ws, m) in [(&l_words, left_mid), (&r_words, right_mid)] {
            let got = mid(ws);
            assert!(
                (got - m).abs() < 2.0 * PT_PER_MM,
                "{which}: the {what} «{}» is centred at {:.1} mm, its column at {:.1} mm",
                ws.iter()
                    .map(|w| w.text.as_str())
                    .collect::<Vec<_>>()
                    .join(" "),
                got / PT_PER_MM,
                m / PT_PER_MM
            );
        }
    };
    let (a, authority) = line_with(&lines, "ЧĂВАШ", which);
    assert!(
        authority.iter().any(|w| w.text == "МИНИСТЕРСТВО"),
        "{which}: the authorities are not side by side: {}",
        line_text(authority)
    );
    assert!(
        authority
            .iter()
            .filter(|w| w.x1 < centre)
            .all(|w| w.text != "МИНИСТЕРСТВО"),
        "{which}: the Russian authority is not in the right column"
    );
    let (k, kind) = line_with(&lines, "ХУШУ", which);
    halves(kind, &["ХУШУ"], &["ПРИКАЗ"], "kind");
    let (d, date) = line_with(&lines, "30.12.2020", which);
    let date: Vec<&BoxWord> = date
        .iter()
        .copied()
        .filter(|w| w.text != "\u{a0}")
        .collect();
    let plain: Vec<String> = date.iter().map(|w| w.text.replace('\u{a0}', " ")).collect();
    let plain: Vec<&str> = plain.iter().flat_map(|t| t.split(' ')).collect();
    assert_eq!(
        plain,
        ["30.12.2020", "№", "148", "30.12.2020", "№", "148"],
        "{which}: the date lines"
    );
    assert!(
        date[0].x1 < centre && date.last().unwrap().x0 > centre,
        "{which}: one date line a column"
    );
    let (p, place) = line_with(&lines, "Шупашкар", which);
    halves(place, &["Шупашкар", "хули"], &["г.", "Чебоксары"], "place");
    let (t, _) = line_with(&lines, "Об", which);
    assert!(
        a < k && k < d && d < p && p < t,
        "{which}: the rows are out of order"
    );
}

/// A bilingual blank: the republic's state language at the left, Russian
/// at the right, row by row, in our PDF and in LibreOffice's PDF of our
/// DOCX; the coat of arms between them.
#[test]
fn a_bilingual_blank_in_two_columns_in_both_writers() {
    let (pdf, docx) = render_fixture("tests/fixtures/bilingual.yaml", "Приказ_148_2020-12-30");
    bilingual_arrangement(&pdf, "PDF");
    bilingual_arrangement(&libreoffice_pdf(&docx, "bilingual"), "DOCX");
    // The coat of arms stands once, in the DOCX's header table.
    let doc = common::docx_part(&docx, "word/document.xml");
    let header = doc.split("</w:tbl>").next().unwrap();
    assert!(
        header.contains("<w:drawing>"),
        "the coat of arms is not in the header's table"
    );
}

/// The second-language lines and the header form must agree: a two-language
/// header without them, or them with a one-language header, is an error at
/// `шапка`.
#[test]
fn a_bilingual_blank_and_its_lines_go_together() {
    let dir = tempfile::tempdir().unwrap();
    let act = std::fs::read_to_string(root().join("tests/fixtures/bilingual.yaml")).unwrap();
    let one = act.replace(
        "место: г. Чебоксары",
        "место: г. Чебоксары\nоформление: {шапка: угловая}",
    );
    std::fs::write(dir.path().join("a.yaml"), one).unwrap();
    let (code, _, err) = cli(&["check", "a.yaml"], dir.path());
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("E054") && err.contains("шапка: двуязычная"),
        "{err}"
    );
    // The same act without its second-language lines.
    let (head, rest) = act.split_once("  второй_язык:").unwrap();
    let (_, tail) = rest.split_once("  герб:").unwrap();
    let none = format!("{head}  герб:{tail}").replace(
        "место: г. Чебоксары",
        "место: г. Чебоксары\nоформление: {шапка: двуязычная}",
    );
    std::fs::write(dir.path().join("b.yaml"), none).unwrap();
    let (code, _, err) = cli(&["check", "b.yaml"], dir.path());
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("E054") && err.contains("второй_язык"), "{err}");
}

/// Checks the standalone Положение of `tests/fixtures/local-act.yaml` on the
/// first page of `pdf`: the school's name centred on top; «ПРИНЯТО» at the
/// left margin and «УТВЕРЖДАЮ» beside it at the start of the right 80 mm,
/// the stamp's lines under it from there; «ПОЛОЖЕНИЕ», the title, the city
/// and the year centred below; sections centred, clauses from the indent.
fn local_act_arrangement(pdf: &[u8], which: &str) {
    let pages = bbox(pdf);
    let page = &pages[0];
    let lines = lines_of(&page.words);
    let texts: Vec<String> = lines
        .iter()
        .map(|l| line_text(l).replace('\u{a0}', " "))
        .collect();
    let all = texts.join("|");
    let (left, right) = (30.0 * PT_PER_MM, 200.0 * PT_PER_MM);
    let centre = (left + right) / 2.0;
    let centred = |l: &[&BoxWord], what: &str| {
        assert!(
            (mid(l) - centre).abs() < 2.0 * PT_PER_MM,
            "{which}: {what} is centred at {:.1} mm, the text at {:.1} mm",
            mid(l) / PT_PER_MM,
            centre / PT_PER_MM
        );
    };
    let at = |start: &str| {
        texts
            .iter()
            .position(|t| t.starts_with(start))
            .unwrap_or_else(|| panic!("{which}: no line starting «{start}»: {all}"))
    };
    let school = at("Муниципальное");
    centred(&lines[school], "the school's name");
    let (s, stamp) = line_with(&lines, "УТВЕРЖДАЮ", which);
    assert!(
        school < s,
        "{which}: the school's name is not above the stamps"
    );
    let accepted = word(stamp, "ПРИНЯТО");
    assert!(
        (accepted.x0 - left).abs() < 1.0 * PT_PER_MM,
        "{which}: «ПРИНЯТО» is not at the left margin"
    );
    let x = word(stamp, "УТВЕРЖДАЮ").x0;
    assert!(
        (x - (right - 80.0 * PT_PER_MM)).abs() < 1.0 * PT_PER_MM,
        "{which}: «УТВЕРЖДАЮ» starts at {:.1} mm, not 80 mm left of the right margin",
        x / PT_PER_MM
    );
    // The stamp's lines, in order, each from where «УТВЕРЖДАЮ» starts.
    let mut last = s;
    for start in ["Директор", "Н.В.", "27.08.2021", "Введено", "от"] {
        let i = (last + 1..lines.len())
            .find(|&i| {
                lines[i].iter().any(|w| {
                    w.text == start && (w.x0 - x).abs() < 1.0 * PT_PER_MM
                        || w.text.starts_with('_')
                            && start == "Н.В."
                            && (w.x0 - x).abs() < 1.0 * PT_PER_MM
                })
            })
            .unwrap_or_else(|| panic!("{which}: no stamp line «{start}» under «УТВЕРЖДАЮ»: {all}"));
        last = i;
    }
    let stamp_text: String = lines[s..=last]
        .iter()
        .flat_map(|l| l.iter().filter(|w| w.x0 >= x - PT_PER_MM))
        .map(|w| w.text.replace('\u{a0}', " "))
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        stamp_text.ends_with("27.08.2021 Введено в действие приказом от 27.08.2021 № 126/А"),
        "{which}: {stamp_text}"
    );
    assert!(
        stamp_text.contains("Директор МБОУ «СОШ № 1»"),
        "{which}: {stamp_text}"
    );
    let kind = at("ПОЛОЖЕНИЕ");
    assert!(kind > last, "{which}: «ПОЛОЖЕНИЕ» is not below the stamps");
    centred(&lines[kind], "«ПОЛОЖЕНИЕ»");
    let city = at("г. Чебоксары");
    assert!(
        city > kind + 1,
        "{which}: the title is not between the kind and the city"
    );
    for l in &lines[kind + 1..city] {
        centred(l, &format!("the title line «{}»", line_text(l)));
        assert!(
            (l.last().unwrap().x1 - l[0].x0) / PT_PER_MM <= 121.0,
            "{which}: a wide title line"
        );
    }
    centred(&lines[city], "the city");
    assert_eq!(
        texts[city + 1],
        "2021",
        "{which}: the year is not under the city"
    );
    centred(&lines[city + 1], "the year");
    let section = at("1. Общие положения");
    centred(&lines[section], "the section «1. Общие положения»");
    let indent = 12.5 * PT_PER_MM;
    for clause in [
        "1.1. Настоящее",
        "1.2. Рабочая",
        "1.2.1. подготовки",
        "1.2.2. сопровождения",
    ] {
        let i = at(clause);
        assert!(i > section, "{which}: «{clause}» is above its section");
        assert!(
            (lines[i][0].x0 - left - indent).abs() < 1.0 * PT_PER_MM,
            "{which}: the clause «{clause}» does not start at the indent"
        );
    }
    let text: String = pages
        .iter()
        .flat_map(|p| p.words.iter().map(|w| w.text.clone()))
        .collect::<Vec<_>>()
        .join(" ");
    assert!(text.contains("2. Порядок работы"), "{which}: {text}");
    assert!(text.contains("2.2. Решения"), "{which}: {text}");
    assert_eq!(
        text.matches("Долгополова").count(),
        1,
        "{which}: the head's name stands other than once, in the stamp: {text}"
    );
}

/// A local act that stands alone (a school's Положение), in our PDF and in
/// LibreOffice's PDF of our DOCX.
#[test]
fn a_local_act_that_stands_alone_in_both_writers() {
    let (pdf, docx) = render_fixture(
        "tests/fixtures/local-act.yaml",
        "Положение_о_рабочей_группе_по_введению_обновлённых_2021-08-27",
    );
    local_act_arrangement(&pdf, "PDF");
    local_act_arrangement(&libreoffice_pdf(&docx, "local-act"), "DOCX");
}

/// An order's fields in a Положение (and the Положение's in an order) are
/// an error at their line, with what to write instead; the profile's
/// fields for its orders do not apply and are not errors.
#[test]
fn a_local_act_refuses_an_orders_fields() {
    let dir = tempfile::tempdir().unwrap();
    let act = std::fs::read_to_string(root().join("tests/fixtures/local-act.yaml")).unwrap();
    let with = act.replace(
        "дата: 27.08.2021\nзаголовок",
        "дата: 27.08.2021\nномер: 5\nконтроль: оставляю\nзаголовок",
    );
    std::fs::write(dir.path().join("a.yaml"), &with).unwrap();
    let (code, _, err) = cli(&["check", "a.yaml"], dir.path());
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("a.yaml:14:1") && err.contains("поле «номер» не подходит к виду «положение»"),
        "{err}"
    );
    assert!(err.contains("введено_приказом: {дата"), "{err}");
    assert!(
        err.contains("a.yaml:15:1") && err.contains("«контроль»"),
        "{err}"
    );
    // An order's header in the Положение's own file: a header form, the
    // second language's lines, the date with the number.
    let header = act
        .replace(
            "  орган_прописными: нет",
            "  орган_прописными: нет\n  шапка: угловая\n  дата_с_номером: да",
        )
        .replace(
            "    - «Средняя общеобразовательная школа № 1»",
            "    - «Средняя общеобразовательная школа № 1»\n  второй_язык: {наименование: [1-мӗш шкул], вид: ХУШУ}",
        );
    std::fs::write(dir.path().join("d.yaml"), &header).unwrap();
    let (code, _, err) = cli(&["check", "d.yaml"], dir.path());
    assert_eq!(code, 1, "{err}");
    for (at, field) in [
        ("d.yaml:10:3", "«орган.второй_язык»"),
        ("d.yaml:13:3", "«оформление.шапка»"),
        ("d.yaml:14:3", "«оформление.дата_с_номером»"),
    ] {
        assert!(
            err.contains(at)
                && err.contains(&format!("поле {field} не подходит к виду «положение»")),
            "{field} at {at}: {err}"
        );
    }
    // A profile with an order's fields: the Положение takes its name and
    // signatory, and the rest does not apply.
    std::fs::write(
        dir.path().join("профиль.yaml"),
        "орган: {наименование: [МБОУ «СОШ № 1»], второй_язык: {наименование: [1-мӗш шкул], вид: ХУШУ}}\nоформление: {шапка: двуязычная, дата_с_номером: да}\nраспорядительное_слово: ПРИКАЗЫВАЮ\nрассылка: {заголовок: Разослать}\nпо: основной деятельности\nподписант: {должность: [Директор], имя: Н.В. Долгополова}\n",
    )
    .unwrap();
    let (code, _, err) = cli(
        &[
            "new",
            "положение",
            "--profile",
            "профиль.yaml",
            "-o",
            "б.yaml",
        ],
        dir.path(),
    );
    assert_eq!(code, 0, "{err}");
    let (code, out, err) = cli(&["check", "--strict", "б.yaml"], dir.path());
    assert_eq!(code, 0, "{out}{err}");
    // An order with a Положение's field.
    let order = std::fs::read_to_string(root().join("tests/fixtures/bilingual.yaml"))
        .unwrap()
        .replace(
            "контроль: оставляю",
            "контроль: оставляю\nпринято: [ПРИНЯТО]",
        );
    std::fs::write(dir.path().join("c.yaml"), order).unwrap();
    let (code, _, err) = cli(&["check", "c.yaml"], dir.path());
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("поле «принято» не подходит к виду «приказ»"),
        "{err}"
    );
}

/// `prikaz new положение` renders with `--strict` and no warning.
#[test]
fn the_starter_of_a_standalone_regulation_renders_strictly() {
    let dir = tempfile::tempdir().unwrap();
    let (code, _, err) = cli(&["new", "положение", "-o", "положение.yaml"], dir.path());
    assert_eq!(code, 0, "{err}");
    let (code, out, err) = cli(
        &[
            "render",
            "положение.yaml",
            "--strict",
            "--format",
            "pdf,docx",
            "-o",
            "out",
        ],
        dir.path(),
    );
    assert_eq!(code, 0, "{out}{err}");
    assert!(!err.contains("предупреждение"), "{err}");
    let files: Vec<String> = std::fs::read_dir(dir.path().join("out"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(files.len(), 2, "{files:?}");
    let (code, _, err) = cli(&["new", "положение", "--with", "план"], dir.path());
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("prikaz new приказ --with положение"), "{err}");
}

/// How many times each of `names` stands whole in `text`'s words.
fn whole_names(text: &str, names: &[&str]) -> Vec<usize> {
    let words: Vec<String> = text
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphabetic()).to_string())
        .collect();
    names
        .iter()
        .map(|n| words.iter().filter(|w| w == n).count())
        .collect()
}

/// People's names in running text are never hyphenated by LibreOffice (or
/// Word) in our DOCX: they are set in a character style with the language
/// «none» and no proofing. Without that style the same text does
/// hyphenate them — the fixture is one where it matters.
#[test]
fn names_in_running_text_stay_whole_in_the_docx() {
    let (pdf, docx) = render_fixture(
        "tests/fixtures/names-in-running-text.yaml",
        "Приказ_148_2020-12-30",
    );
    let names = ["Долгополовой", "Жуковой", "Долгополову", "Жукову"];
    let typed =
        std::fs::read_to_string(root().join("tests/fixtures/names-in-running-text.yaml")).unwrap();
    let want = whole_names(&typed, &names);
    assert!(want.iter().all(|&n| n >= 4), "{want:?}");
    assert_eq!(whole_names(&pdf_text(&pdf), &names), want, "our PDF");
    let kept = libreoffice_pdf(&docx, "names-running");
    assert_eq!(
        whole_names(&pdf_text(&kept), &names),
        want,
        "LibreOffice's PDF of our DOCX"
    );
    // The same DOCX without the names' style.
    let plain = common::docx_with_part(
        &docx,
        "word/document.xml",
        &common::docx_part(&docx, "word/document.xml")
            .replace(r#"<w:rStyle w:val="PersonName" />"#, ""),
    );
    let split = libreoffice_pdf(&plain, "names-running-plain");
    let got = whole_names(&pdf_text(&split), &names);
    assert!(
        got.iter().zip(&want).any(|(g, w)| g < w),
        "without the style no name is hyphenated either: the fixture no longer tests anything ({got:?})"
    );
}

/// The sheets and the QR code of a Положение name it by its title: it has
/// no number («с Положением о рабочей группе …»).
#[test]
fn a_local_acts_sheets_and_qr_code_name_it() {
    let dir = tempfile::tempdir().unwrap();
    let act = std::fs::read_to_string(root().join("tests/fixtures/local-act.yaml")).unwrap();
    let act = format!(
        "{act}лист_ознакомления: да\nсогласование:\n  визы:\n    - {{должность: Заместитель директора, имя: Р.Р. Рахманкулов}}\nqr_код: да\n"
    );
    std::fs::write(dir.path().join("a.yaml"), act).unwrap();
    let (code, out, err) = cli(
        &["check", "--strict", "a.yaml", "--format", "json"],
        dir.path(),
    );
    assert_eq!(code, 0, "{out}{err}");
    let p = common::prepare(&dir.path().join("a.yaml"));
    let text = p.doc.plain_text().join("\n").replace('\u{a0}', " ");
    assert!(
        text.contains("ЛИСТ СОГЛАСОВАНИЯ\nк проекту Положения о рабочей группе по введению"),
        "{text}"
    );
    assert!(
        text.contains("ЛИСТ ОЗНАКОМЛЕНИЯ\nс Положением о рабочей группе по введению"),
        "{text}"
    );
    assert!(!text.contains("№ «"), "{text}");
    let qr = p.doc.qr.as_ref().expect("the QR code");
    assert_eq!(
        qr.content.replace('\u{a0}', " "),
        "Положение от 27.08.2021, Муниципальное бюджетное общеобразовательное учреждение «Средняя общеобразовательная школа № 1»"
    );
}

/// Rules, an instruction, a procedure stand alone as a Положение does, and
/// their titles continue the kind in any form («ПРАВИЛА внутреннего
/// распорядка»): no warning that the title does not start with «О».
#[test]
fn rules_and_instructions_stand_alone_too() {
    let dir = tempfile::tempdir().unwrap();
    let act = std::fs::read_to_string(root().join("tests/fixtures/local-act.yaml"))
        .unwrap()
        .replace("вид: положение", "вид: правила")
        .replace(
            "заголовок: о рабочей группе по введению обновлённых федеральных государственных образовательных стандартов",
            "заголовок: внутреннего распорядка обучающихся",
        );
    std::fs::write(dir.path().join("a.yaml"), act).unwrap();
    let (code, out, err) = cli(
        &[
            "render", "a.yaml", "--strict", "--format", "pdf", "-o", "out",
        ],
        dir.path(),
    );
    assert_eq!(code, 0, "{out}{err}");
    let pdf = std::fs::read(
        dir.path()
            .join("out/Правила_внутреннего_распорядка_обучающихся_2021-08-27.pdf"),
    )
    .unwrap();
    let lines: Vec<String> = lines_of(&bbox(&pdf)[0].words)
        .iter()
        .map(|l| line_text(l))
        .collect();
    let kind = lines
        .iter()
        .position(|l| l == "ПРАВИЛА")
        .expect("«ПРАВИЛА»");
    assert_eq!(lines[kind + 1], "внутреннего распорядка обучающихся");
}

/// On the organisation's pre-printed bilingual blank (`--blank`) the
/// authorities and kinds of both columns are on the paper: not printed,
/// and the date lines stand where they stand on plain paper.
#[test]
fn a_bilingual_blank_printed_on_its_paper() {
    require("pdftotext", "poppler-utils");
    let dir = tempfile::tempdir().unwrap();
    let act = root().join("tests/fixtures/bilingual.yaml");
    for (out, extra) in [("plain", None), ("blank", Some("--blank"))] {
        let mut args = vec![
            "render",
            act.to_str().unwrap(),
            "--format",
            "pdf,docx",
            "-o",
            out,
        ];
        args.extend(extra);
        let (code, _, err) = cli(&args, dir.path());
        assert_eq!(code, 0, "{err}");
    }
    let read = |out: &str, ext: &str| {
        std::fs::read(
            dir.path()
                .join(out)
                .join(format!("Приказ_148_2020-12-30.{ext}")),
        )
        .unwrap()
    };
    for (which, plain, blank) in [
        ("PDF", read("plain", "pdf"), read("blank", "pdf")),
        (
            "DOCX",
            libreoffice_pdf(&read("plain", "docx"), "bilingual-plain"),
            libreoffice_pdf(&read("blank", "docx"), "bilingual-blank"),
        ),
    ] {
        let date_y = |pdf: &[u8]| {
            let page = &bbox(pdf)[0];
            let words: Vec<&BoxWord> = page
                .words
                .iter()
                .filter(|w| w.text == "30.12.2020")
                .collect();
            assert_eq!(words.len(), 2, "{which}: a date line in each column");
            words[0].y1
        };
        let text = pdf_text(&blank);
        for gone in ["ЧĂВАШ", "МИНИСТЕРСТВО", "ХУШУ", "ПРИКАЗ"] {
            assert!(
                !text.split_whitespace().any(|w| w == gone),
                "{which}: «{gone}» is printed on the blank"
            );
        }
        assert!(
            (date_y(&plain) - date_y(&blank)).abs() < 1.0 * PT_PER_MM,
            "{which}: the date lines moved on the blank"
        );
    }
}

/// An appendix of a Положение (a form) is marked «Приложение № 1 / к
/// Положению о …»: no date or number it does not have, in the top-right
/// block, in our PDF and in LibreOffice's PDF of our DOCX.
#[test]
fn a_local_acts_appendix_is_marked_by_its_title() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        root().join("tests/fixtures/local-act-appendices.yaml"),
        dir.path().join("a.yaml"),
    )
    .unwrap();
    let (code, out, err) = cli(
        &[
            "render", "a.yaml", "--strict", "--format", "pdf,docx", "-o", "out",
        ],
        dir.path(),
    );
    assert_eq!(code, 0, "{out}{err}");
    let stem = dir
        .path()
        .join("out/Положение_о_рабочей_группе_по_введению_обновлённых_2021-08-27");
    let pdf = std::fs::read(stem.with_extension("pdf")).unwrap();
    let docx = std::fs::read(stem.with_extension("docx")).unwrap();
    let text = pdf_text(&pdf).replace('\u{a0}', " ");
    assert!(text.contains("согласно приложению № 1"), "{text}");
    for (which, pdf) in [
        ("PDF", pdf),
        ("DOCX", libreoffice_pdf(&docx, "local-appendix")),
    ] {
        let pages = bbox(&pdf);
        let page = pages
            .iter()
            .find(|p| p.words.iter().any(|w| w.text == "ФОРМА"))
            .unwrap_or_else(|| panic!("{which}: no appendix page"));
        let lines = lines_of(&page.words);
        let texts: Vec<String> = lines
            .iter()
            .map(|l| line_text(l).replace('\u{a0}', " "))
            .collect();
        assert_eq!(texts[0], "Приложение № 1", "{which}: {texts:#?}");
        assert!(
            texts[1].starts_with("к Положению о рабочей группе"),
            "{which}: {texts:#?}"
        );
        let x = lines[0][0].x0;
        assert!(
            (x - 120.0 * PT_PER_MM).abs() < 1.0 * PT_PER_MM,
            "{which}: the mark starts at {:.1} mm, not 80 mm left of the right margin",
            x / PT_PER_MM
        );
        let mark: String = texts
            .iter()
            .take_while(|t| !t.starts_with("ФОРМА"))
            .cloned()
            .collect::<Vec<_>>()
            .join(" ");
        assert_eq!(mark.matches('№').count(), 1, "{which}: {mark}");
        assert!(!mark.contains(" от "), "{which}: {mark}");
        assert!(
            !mark.contains("2021"),
            "{which}: a date in the mark: {mark}"
        );
    }
}
