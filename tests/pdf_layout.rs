//! PDF layout checked with poppler: fonts embedded, A4 pages (landscape where asked),
//! no word outside the margins of gost.md part 1, the table header on every page.

mod common;
use common::*;
use prikaz::layout::Layout;

const PT_PER_MM: f64 = 72.0 / 25.4;

type Word = BoxWord;

fn check_margins(pdf: &[u8], name: &str) -> usize {
    check_margins_of(pdf, name, &Layout::default(), 0.6)
}

/// No word outside `layout`'s margins, give or take `tol` points; returns the
/// number of words checked.
fn check_margins_of(pdf: &[u8], name: &str, layout: &Layout, tol: f64) -> usize {
    let pages = bbox(pdf);
    assert!(!pages.is_empty());
    let mut checked = 0;
    for (i, p) in pages.iter().enumerate() {
        let landscape = p.width > p.height;
        let m = if landscape {
            layout.landscape_margins
        } else {
            layout.margins
        };
        let (l, r, t, b) = (
            m.left as f64 * PT_PER_MM,
            m.right as f64 * PT_PER_MM,
            m.top as f64 * PT_PER_MM,
            m.bottom as f64 * PT_PER_MM,
        );
        for w in &p.words {
            // The page number stands in the top margin by design (ГОСТ §3.2), ≥ 10 mm from the edge.
            if w.y1 < t && w.text.chars().all(|c| c.is_ascii_digit()) {
                assert!(
                    w.y0 >= 10.0 * PT_PER_MM - tol,
                    "{name} p.{}: page number too close to the edge",
                    i + 1
                );
                assert!(
                    ((w.x0 + w.x1) / 2.0 - (l + (p.width - l - r) / 2.0)).abs() < 3.0,
                    "{name} p.{}: page number not centred",
                    i + 1
                );
                continue;
            }
            let ok = w.x0 >= l - tol
                && w.x1 <= p.width - r + tol
                && w.y0 >= t - tol
                && w.y1 <= p.height - b + tol;
            assert!(
                ok,
                "{name} p.{}: «{}» crosses a margin: x {:.1}–{:.1}, y {:.1}–{:.1} on {:.0}×{:.0}",
                i + 1,
                w.text,
                w.x0,
                w.x1,
                w.y0,
                w.y1,
                p.width,
                p.height
            );
            checked += 1;
        }
    }
    checked
}

#[test]
fn fonts_are_embedded() {
    for f in ["orenburg-596.yaml", "ochyor-60.yaml"] {
        let out = poppler("pdffonts", &[], &pdf_of(&data(f)));
        let rows: Vec<&str> = out.lines().skip(2).collect();
        assert!(!rows.is_empty(), "{f}: no fonts listed");
        for r in &rows {
            // columns: name type encoding emb sub uni object ID
            let cols: Vec<&str> = r.split_whitespace().collect();
            let n = cols.len();
            assert_eq!(cols[n - 5], "yes", "{f}: font not embedded: {r}");
            assert!(
                r.contains("LiberationSerif") || r.contains("DejaVuSans"),
                "{f}: unexpected font {r}"
            );
        }
    }
}

#[test]
fn pages_are_a4_and_text_stays_inside_margins() {
    for f in ["orenburg-596.yaml", "ochyor-60.yaml"] {
        let pdf = pdf_of(&data(f));
        let info = poppler("pdfinfo", &["-f", "1", "-l", "999"], &pdf);
        let sizes: Vec<&str> = info
            .lines()
            .filter(|l| l.starts_with("Page") && l.contains("size:"))
            .collect();
        assert!(sizes.len() >= 2, "{f}: {info}");
        for s in sizes {
            assert!(s.contains("595.276 x 841.89"), "{f}: not A4 portrait: {s}");
        }
        let n = check_margins(&pdf, f);
        assert!(n > 400, "{f}: only {n} words checked");
    }
}

#[test]
fn landscape_appendix_turns_page_and_margins_and_repeats_header() {
    let pdf = pdf_of(&root().join("tests/fixtures/landscape.yaml"));
    let pages = bbox(&pdf);
    assert!(pages.len() >= 3, "act + a table of several pages");
    assert!(pages[0].width < pages[0].height, "the act is portrait");
    for p in &pages[1..] {
        assert!(
            (p.width - 841.89).abs() < 0.1 && (p.height - 595.276).abs() < 0.1,
            "landscape page is 842×595"
        );
    }
    check_margins(&pdf, "landscape.yaml");
    // The header row, and the column-number row, on every page of the table.
    let text = pdf_text(&pdf);
    let table_pages: Vec<&str> = text
        .split('\u{c}')
        .skip(1)
        .filter(|p| !p.trim().is_empty())
        .collect();
    assert!(table_pages.len() >= 2);
    for (i, p) in table_pages.iter().enumerate() {
        let w = words(p);
        let pos = w
            .windows(4)
            .position(|x| x == ["Мероприятие", "Срок", "Ответственный", "1"]);
        assert!(
            pos.is_some(),
            "table page {}: header missing: {:?}",
            i + 1,
            &w[..w.len().min(20)]
        );
    }
    // Every row is present once.
    for n in 1..=60 {
        let needle = format!("Мероприятие номер {n} по");
        assert_eq!(text.matches(&needle).count(), 1, "row {n}");
    }
}

/// An organisation's own margins, set in its profile: the text of both
/// writers moves to them on portrait pages, and a landscape page turns them
/// with the sheet (the wide margin stays on the bound edge).
#[test]
fn margins_from_the_profile_move_the_text_in_both_writers() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("профиль.yaml"),
        "оформление:\n  поля: {слева: 28, справа: 12, сверху: 22, снизу: 26}\n",
    )
    .unwrap();
    let act = std::fs::read_to_string(root().join("tests/fixtures/landscape.yaml")).unwrap();
    std::fs::write(
        dir.path().join("a.yaml"),
        format!("профиль: профиль.yaml\n{act}"),
    )
    .unwrap();
    let (code, _, err) = cli(
        &["render", "a.yaml", "-o", "out", "--format", "pdf,docx"],
        dir.path(),
    );
    assert_eq!(code, 0, "{err}");
    let out = dir.path().join("out");
    let docx = std::fs::read(out.join("Приказ_12-од_2024-01-15.docx")).unwrap();
    // Word's own figures: twentieths of a point.
    let xml = docx_part(&docx, "word/document.xml");
    let tw = |mm: f64| (mm * 72.0 / 25.4 * 20.0).round() as i64;
    assert!(
        xml.contains(&format!(
            r#"w:top="{}" w:right="{}" w:bottom="{}" w:left="{}""#,
            tw(22.0),
            tw(12.0),
            tw(26.0),
            tw(28.0)
        )),
        "portrait section margins"
    );
    assert!(
        xml.contains(&format!(
            r#"w:top="{}" w:right="{}" w:bottom="{}" w:left="{}""#,
            tw(28.0),
            tw(26.0),
            tw(12.0),
            tw(22.0)
        )),
        "landscape section margins turn with the sheet"
    );
    let mut layout = Layout::default();
    layout.margins = prikaz::layout::Margins {
        top: 22.0,
        right: 12.0,
        bottom: 26.0,
        left: 28.0,
    };
    layout.landscape_margins = prikaz::layout::Margins {
        top: 28.0,
        right: 26.0,
        bottom: 12.0,
        left: 22.0,
    };
    let pdf = std::fs::read(out.join("Приказ_12-од_2024-01-15.pdf")).unwrap();
    let lo = libreoffice_pdf(&docx, "Приказ_12-од_2024-01-15");
    // LibreOffice's word boxes are taller than Typst's for the same text
    // (14.3 pt against 10.0 pt for the executor's 11-pt line, its font's
    // bounding box), so the executor note at the foot, set on the bottom
    // margin by both, reaches 1.5 pt past it in pdftotext's eyes.
    for (format, pdf, tol) in [("PDF", &pdf, 0.6), ("DOCX", &lo, 2.0)] {
        let n = check_margins_of(pdf, format, &layout, tol);
        assert!(n > 300, "{format}: only {n} words checked");
        // The text really starts at the new left margin, not only inside it.
        let pages = bbox(pdf);
        let left = pages[0].words.iter().map(|w| w.x0).fold(f64::MAX, f64::min);
        assert!(
            (left - 28.0 * PT_PER_MM).abs() < 1.0,
            "{format}: the act's text starts {:.1} mm from the left edge",
            left / PT_PER_MM
        );
        // On a landscape page the page number is centred between the turned
        // margins: 22 mm and 26 mm, not ГОСТ's usual 20 and 20.
        // (An appendix's pages are numbered from its second page.)
        let number = pages
            .iter()
            .filter(|p| p.width > p.height)
            .flat_map(|p| &p.words)
            .find(|w| w.y1 < 28.0 * PT_PER_MM && w.text.chars().all(|c| c.is_ascii_digit()))
            .unwrap_or_else(|| panic!("{format}: no page number on a landscape page"));
        let centre = (number.x0 + number.x1) / 2.0 / PT_PER_MM;
        let expected = 22.0 + (297.0 - 22.0 - 26.0) / 2.0;
        assert!(
            (centre - expected).abs() < 1.0,
            "{format}: the landscape page number is centred at {centre:.1} mm, not {expected} mm"
        );
    }
}

/// A clean text layer: long words where hyphenation is off (a title, a mark,
/// narrow column titles) still wrap inside their boxes, yet the PDF's text
/// reads exactly as typed, with no invisible characters inserted; and
/// abbreviations in a narrow cell are never hyphenated.
#[test]
fn long_words_read_as_typed_and_stay_in_their_boxes() {
    // 40 letters, and another for the mark; the slash pair goes everywhere.
    let long = "Рентгеноэлектрокардиографическийанализов";
    let long2 = "Электроэнцефалографическихисследователей";
    assert_eq!(long.chars().count(), 40);
    let slash = "Ответственный/исполнитель";
    let yaml = format!(
        "вид: приказ\nорган: {{наименование: [Управление образования], в_родительном: \"{long2} {slash}\"}}\n\
         дата: 01.02.2024\nномер: 7\nзаголовок: \"О проверке {slash} {long}\"\nпункты: [Провести проверку.]\n\
         подписант: {{должность: Начальник, имя: И.И. Иванов}}\n\
         приложения:\n  - содержание:\n      - таблица:\n          колонки:\n\
         \x20           - {{заголовок: \"{slash}\", ширина: 1.5}}\n\
         \x20           - {{заголовок: {long}, ширина: 1}}\n\
         \x20           - {{заголовок: Мероприятие, ширина: 6}}\n\
         \x20         строки:\n            - [\"ШНОР МОиН ЦМиСО ШНОР МОиН ЦМиСО\", a, b]\n"
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.yaml");
    std::fs::write(&path, yaml).unwrap();
    let pdf = pdf_of(&path);
    let text = pdf_text(&pdf);
    assert!(!text.contains('\u{200b}'), "U+200B in the text layer");
    // A hyphenated line end is a soft hyphen and a line break: not in the word.
    let joined = text.replace("\u{ad}\n", "").replace('\n', "");
    // Each where it was put: the slash pair in the title, the mark and a
    // column title; the long word in the title and a column title.
    for (w, times) in [(long, 2), (long2, 1), (slash, 3)] {
        assert_eq!(
            joined.matches(w).count(),
            times,
            "«{w}» does not read as typed:\n{text}"
        );
    }
    // Abbreviations whole on their lines: no hyphen, soft or hard, inside.
    for a in ["ШНОР", "МОиН", "ЦМиСО"] {
        let whole = text.matches(a).count();
        assert_eq!(whole, 2, "«{a}» broken:\n{text}");
    }
    check_margins(&pdf, "long words");
    // The narrow column titles stay in their columns: the table spans the
    // text width, the columns are 1.5 and 1 of 8.5 parts.
    let l = Layout::default();
    let left = l.margins.left as f64 * PT_PER_MM;
    let width = (l.page_width - l.margins.left - l.margins.right) as f64 * PT_PER_MM;
    let columns = [
        (slash, left, left + width * 1.5 / 8.5),
        (long, left + width * 1.5 / 8.5, left + width * 2.5 / 8.5),
    ];
    let pages = bbox(&pdf);
    let table_page = pages.last().unwrap();
    // The table starts below the mark, whose last line holds the act's date.
    let below_mark = table_page
        .words
        .iter()
        .filter(|w| w.text == "01.02.2024")
        .map(|w| w.y1)
        .fold(0.0_f64, f64::max);
    assert!(below_mark > 0.0, "the mark is on the table's page");
    for (title, x0, x1) in columns {
        let pieces: Vec<&Word> = table_page
            .words
            .iter()
            .filter(|w| {
                let t = w.text.trim_end_matches('\u{ad}');
                w.y0 > below_mark && t.chars().count() >= 3 && title.contains(t)
            })
            .collect();
        assert!(
            !pieces.is_empty(),
            "the title «{title}» is on the last page"
        );
        for w in pieces {
            assert!(
                w.x0 >= x0 - 0.6 && w.x1 <= x1 + 0.6,
                "«{}» at {:.1}–{:.1} leaves its column {x0:.1}–{x1:.1}",
                w.text,
                w.x0,
                w.x1
            );
        }
    }
}

/// `--blank`: printed on the organisation's pre-printed blank, the act leaves
/// out the coat of arms, the authority and the kind, in the PDF and in the
/// DOCX (through LibreOffice), while the date, the number and the title keep
/// their places to within a point.
#[test]
fn on_a_blank_the_requisites_go_and_the_date_and_number_stay() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(data("orenburg-596.yaml"), dir.path().join("a.yaml")).unwrap();
    copy_profiles(dir.path());
    for (out, extra) in [("full", None), ("blank", Some("--blank"))] {
        let mut args = vec!["render", "a.yaml", "-o", out, "--format", "pdf,docx"];
        args.extend(extra);
        let (code, _, err) = cli(&args, dir.path());
        assert_eq!(code, 0, "{err}");
        let docx = std::fs::read(
            dir.path()
                .join(out)
                .join("Распоряжение_596_2023-09-20.docx"),
        )
        .unwrap();
        std::fs::write(
            dir.path().join(out).join("lo.pdf"),
            libreoffice_pdf(&docx, "Распоряжение_596_2023-09-20"),
        )
        .unwrap();
    }
    let first_page = |path: &str| {
        let pdf = std::fs::read(dir.path().join(path)).unwrap();
        bbox(&pdf).into_iter().next().unwrap().words
    };
    let at = |words: &[Word], w: &str| {
        words
            .iter()
            .find(|x| x.text == w)
            .map(|x| (x.x0, x.y0))
            .unwrap_or_else(|| panic!("«{w}» not on the first page"))
    };
    for (format, full, blank) in [
        (
            "PDF",
            "full/Распоряжение_596_2023-09-20.pdf",
            "blank/Распоряжение_596_2023-09-20.pdf",
        ),
        ("DOCX", "full/lo.pdf", "blank/lo.pdf"),
    ] {
        let (full, blank) = (first_page(full), first_page(blank));
        for w in ["АДМИНИСТРАЦИИ", "РАСПОРЯЖЕНИЕ"] {
            assert!(
                full.iter().any(|x| x.text == w),
                "{format}: «{w}» on the full act"
            );
            assert!(
                !blank.iter().any(|x| x.text == w),
                "{format}: «{w}» printed on the blank"
            );
        }
        for w in ["20.09.2023", "596", "Об"] {
            let (a, b) = (at(&full, w), at(&blank, w));
            assert!(
                (a.0 - b.0).abs() < 1.0 && (a.1 - b.1).abs() < 1.0,
                "{format}: «{w}» moved from {a:?} to {b:?}"
            );
        }
    }
}

/// The header layouts, in both writers: the same words in the same order in
/// the PDF and in the DOCX (through LibreOffice), and where each layout puts
/// them: across the page, in the 75-mm corner zone, or the kind and the
/// number on one line.
#[test]
fn header_layouts_place_the_same_words_in_both_writers() {
    let dir = tempfile::tempdir().unwrap();
    copy_profiles(dir.path());
    let layout = Layout::default();
    let left = layout.margins.left as f64 * PT_PER_MM;
    let act = |lay: &str, with_number: &str| {
        format!(
            "профиль: уо-оренбург.yaml\nвид: приказ\nоформление: {{шапка: {lay}, дата_с_номером: {with_number}}}\n\
             по: основной деятельности\nдата: 12.11.2020\nномер: 15-од\nместо: г. Оренбург\n\
             заголовок: О проверке\nпункты: [Провести проверку.]\nподписант: ио\n"
        )
    };
    // The header's words, in reading order, down to the title.
    let header = |pdf: &[u8]| -> Vec<Word> {
        let mut words = bbox(pdf).into_iter().next().unwrap().words;
        let title = words
            .iter()
            .position(|w| w.text == "Об" || w.text == "О")
            .unwrap();
        words.truncate(title);
        // Reading order: line by line (baselines within 3 pt), left to right;
        // the order the writers emit runs in is theirs.
        words.sort_by(|a, b| {
            ((a.y1 / 3.0).round(), a.x0)
                .partial_cmp(&((b.y1 / 3.0).round(), b.x0))
                .unwrap()
        });
        words
    };
    for (lay, with_number) in [
        ("продольная", "нет"),
        ("продольная", "да"),
        ("угловая", "нет"),
        ("вид_с_номером", "нет"),
    ] {
        let name = format!("{lay}-{with_number}");
        std::fs::write(
            dir.path().join(format!("{name}.yaml")),
            act(lay, with_number),
        )
        .unwrap();
        let out = format!("o-{name}");
        let (code, _, err) = cli(
            &[
                "render",
                &format!("{name}.yaml"),
                "-o",
                &out,
                "--format",
                "pdf,docx",
            ],
            dir.path(),
        );
        assert_eq!(code, 0, "{name}: {err}");
        let docx_bytes =
            std::fs::read(dir.path().join(&out).join("Приказ_15-од_2020-11-12.docx")).unwrap();
        let pdf = header(
            &std::fs::read(dir.path().join(&out).join("Приказ_15-од_2020-11-12.pdf")).unwrap(),
        );
        let docx = header(&libreoffice_pdf(&docx_bytes, "Приказ_15-од_2020-11-12"));
        let text = |w: &[Word]| {
            w.iter()
                .map(|x| x.text.clone())
                .collect::<Vec<_>>()
                .join(" ")
        };
        assert_eq!(text(&pdf), text(&docx), "{name}: PDF and DOCX differ");
        let want = match (lay, with_number) {
            ("вид_с_номером", _) => {
                "ПРИКАЗ № 15-од по основной деятельности 12.11.2020 г. Оренбург"
            }
            (_, "да") => "ПРИКАЗ по основной деятельности от 12.11.2020 № 15-од г. Оренбург",
            _ => "ПРИКАЗ по основной деятельности 12.11.2020 № 15-од г. Оренбург",
        };
        assert!(text(&pdf).ends_with(want), "{name}: {}", text(&pdf));
        assert!(
            text(&pdf).starts_with("УПРАВЛЕНИЕ ОБРАЗОВАНИЯ АДМИНИСТРАЦИИ"),
            "{name}"
        );
        for (format, words) in [("PDF", &pdf), ("DOCX", &docx)] {
            let find = |t: &str| words.iter().find(|w| w.text == t).unwrap();
            let (date, kind) = (
                find(if with_number == "да" {
                    "от"
                } else {
                    "12.11.2020"
                }),
                find("ПРИКАЗ"),
            );
            // The date line starts at the left margin in every layout.
            assert!(
                (date.x0 - left).abs() < 2.0,
                "{name} {format}: date at {}",
                date.x0
            );
            match lay {
                "угловая" => {
                    let zone = left + layout.requisite_width as f64 * PT_PER_MM;
                    for w in words.iter() {
                        assert!(
                            w.x1 <= zone + 1.0,
                            "{name} {format}: «{}» outside the corner zone",
                            w.text
                        );
                    }
                    let number = find("15-од");
                    assert!(
                        (number.x1 - zone).abs() < 2.0,
                        "{name} {format}: number ends at {}",
                        number.x1
                    );
                }
                "вид_с_номером" => {
                    let number = find("15-од");
                    assert!(
                        (number.y0 - kind.y0).abs() < 1.0,
                        "{name} {format}: kind and number on one line"
                    );
                }
                _ if with_number == "нет" => {
                    let number = find("15-од");
                    let right = (layout.page_width - layout.margins.right) as f64 * PT_PER_MM;
                    assert!(
                        (number.x1 - right).abs() < 2.0,
                        "{name} {format}: number flush right"
                    );
                    assert!(
                        (number.y0 - date.y0).abs() < 1.0,
                        "{name} {format}: date and number on one line"
                    );
                }
                _ => {
                    let number = find("15-од");
                    assert!(
                        (number.y0 - date.y0).abs() < 1.0,
                        "{name} {format}: «от … №» on one line"
                    );
                }
            }
        }
    }
}
