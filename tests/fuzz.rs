//! Fuzzing the whole path YAML → model → PDF and DOCX with proptest.
//!
//! Two generators: mutated bytes (the reader must never panic), and structured acts
//! with arbitrary Unicode in every text field, random nesting, tables and lists
//! (prepare, Typst and the DOCX writer must never panic or hang). The budget is
//! fixed for CI — PRIKAZ_FUZZ_CASES raises it for longer runs by hand, e.g.
//! `PRIKAZ_FUZZ_CASES=5000 cargo test --release --test fuzz`. The seed is fixed, so
//! a run is repeatable; crashers found become cases in `regressions()` below.

mod common;
use common::*;
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// How many generated acts were valid and went all the way to PDF and DOCX.
static RENDERED: AtomicUsize = AtomicUsize::new(0);
/// The first few generated acts that rendered (PDF, DOCX), for the validators.
static SAMPLE: std::sync::Mutex<Vec<(Vec<u8>, Vec<u8>)>> = std::sync::Mutex::new(Vec::new());

fn cases(default: u32) -> u32 {
    std::env::var("PRIKAZ_FUZZ_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

fn runner(n: u32) -> TestRunner {
    let config = Config {
        cases: n,
        failure_persistence: None,
        ..Config::default()
    };
    TestRunner::new_with_rng(config, TestRng::from_seed(RngAlgorithm::ChaCha, &[7; 32]))
}

/// JSON strings are valid YAML double-quoted scalars: any text, safely quoted.
fn q(s: &str) -> String {
    serde_json::to_string(s).unwrap()
}

thread_local! {
    /// Generate only text the bundled fonts draw (for the validators' sample:
    /// such acts are PDF/A).
    static DRAWABLE: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

fn text() -> BoxedStrategy<String> {
    let plain = "[а-яА-ЯёЁa-zA-Z0-9 ,.;:«»\"'#*_$<>@\\\\/\\[\\]{}()&%№–—-]{1,40}";
    if DRAWABLE.get() {
        return plain.boxed();
    }
    prop_oneof![
        3 => plain,
        1 => any::<String>(),
        1 => "\\PC{1,300}",
    ]
    .boxed()
}

fn date() -> impl Strategy<Value = String> {
    prop_oneof![
        (1u32..=28, 1u32..=12, 2000i32..2040).prop_map(|(d, m, y)| format!("{d:02}.{m:02}.{y}")),
        (1u32..=35, 1u32..=14, 1990i32..2050).prop_map(|(d, m, y)| format!("{y}-{m:02}-{d:02}")),
        text(),
    ]
}

#[derive(Debug, Clone)]
enum P {
    Leaf(String),
    Node {
        text: String,
        deadline: Option<String>,
        sub: Vec<P>,
        items: Vec<String>,
        bullets: Vec<String>,
    },
    Para(String),
}

fn point() -> impl Strategy<Value = P> {
    let leaf = prop_oneof![4 => text().prop_map(P::Leaf), 1 => text().prop_map(P::Para)];
    leaf.prop_recursive(5, 40, 4, |inner| {
        (
            text(),
            proptest::option::of(date()),
            prop::collection::vec(inner, 0..4),
            prop::collection::vec(text(), 0..3),
            prop::collection::vec(text(), 0..3),
        )
            .prop_map(|(text, deadline, sub, items, bullets)| P::Node {
                text,
                deadline,
                sub,
                items,
                bullets,
            })
    })
}

fn emit_point(p: &P, indent: usize, out: &mut String) {
    let pad = " ".repeat(indent);
    match p {
        P::Leaf(t) => out.push_str(&format!("{pad}- {}\n", q(t))),
        P::Para(t) => out.push_str(&format!("{pad}- абзац: {}\n", q(t))),
        P::Node {
            text,
            deadline,
            sub,
            items,
            bullets,
        } => {
            out.push_str(&format!("{pad}- текст: {}\n", q(text)));
            if let Some(d) = deadline {
                out.push_str(&format!("{pad}  срок: {}\n", q(d)));
            }
            if !sub.is_empty() {
                out.push_str(&format!("{pad}  пункты:\n"));
                for s in sub {
                    emit_point(s, indent + 4, out);
                }
            }
            if !items.is_empty() {
                out.push_str(&format!(
                    "{pad}  подпункты: [{}]\n",
                    items.iter().map(|s| q(s)).collect::<Vec<_>>().join(", ")
                ));
            }
            if !bullets.is_empty() {
                out.push_str(&format!(
                    "{pad}  список: [{}]\n",
                    bullets.iter().map(|s| q(s)).collect::<Vec<_>>().join(", ")
                ));
            }
        }
    }
}

/// An appendix: kind, approved, landscape, title lines, table rows.
type Appx = (String, bool, bool, Vec<String>, Vec<Vec<String>>);

#[derive(Debug, Clone)]
struct Act {
    kind: u8,
    authority: Vec<String>,
    date: String,
    number: String,
    title: String,
    preamble: Vec<String>,
    points: Vec<P>,
    control: u8,
    name: String,
    executor: Option<(String, String)>,
    appendices: Vec<Appx>,
}

fn act() -> impl Strategy<Value = Act> {
    (
        0u8..4,
        prop::collection::vec(text(), 1..3),
        date(),
        text(),
        text(),
        prop::collection::vec(text(), 0..3),
        prop::collection::vec(point(), 1..6),
        0u8..3,
        text(),
        proptest::option::of((text(), text())),
        prop::collection::vec(
            (
                prop_oneof![
                    Just("План".to_string()),
                    Just("Положение".to_string()),
                    text()
                ],
                any::<bool>(),
                any::<bool>(),
                prop::collection::vec(text(), 0..3),
                // At most as many cells as the table has text columns (А, Б, В).
                prop::collection::vec(prop::collection::vec(text(), 0..4), 0..12),
            ),
            0..3,
        ),
    )
        .prop_map(
            |(
                kind,
                authority,
                date,
                number,
                title,
                preamble,
                points,
                control,
                name,
                executor,
                appendices,
            )| Act {
                kind,
                authority,
                date,
                number,
                title,
                preamble,
                points,
                control,
                name,
                executor,
                appendices,
            },
        )
}

fn yaml(a: &Act) -> String {
    let kinds = ["приказ", "распоряжение", "постановление", "решение"];
    let mut y = format!(
        "вид: {}\nорган: [{}]\nдата: {}\nномер: {}\nзаголовок: {}\nпреамбула: [{}]\nпункты:\n",
        kinds[a.kind as usize],
        a.authority
            .iter()
            .map(|s| q(s))
            .collect::<Vec<_>>()
            .join(", "),
        q(&a.date),
        q(&a.number),
        q(&a.title),
        a.preamble
            .iter()
            .map(|s| q(s))
            .collect::<Vec<_>>()
            .join(", "),
    );
    for p in &a.points {
        emit_point(p, 2, &mut y);
    }
    match a.control {
        0 => y.push_str("контроль: оставляю\n"),
        1 => y.push_str(&format!("контроль: {{возложить_на: {}}}\n", q(&a.name))),
        _ => {}
    }
    y.push_str(&format!(
        "подписант: {{должность: [{}], имя: {}}}\n",
        q(&a.title),
        q(&a.name)
    ));
    if let Some((n, t)) = &a.executor {
        y.push_str(&format!(
            "исполнитель: {{имя: {}, телефон: {}}}\n",
            q(n),
            q(t)
        ));
    }
    // The approval sheet (or visas), the acknowledgment sheet and the QR code,
    // with the act's own random texts.
    if a.control != 2 {
        let place = ["после_акта", "в_конце", "визы"][a.kind as usize % 3];
        let qr = if a.kind.is_multiple_of(2) {
            "да".to_string()
        } else {
            format!("{{ссылка: {}}}", q(&format!("https://x.ru/{}", a.number)))
        };
        y.push_str(&format!(
            "согласование: {{размещение: {place}, визы: [{{должность: [{}], имя: {}, замечания: {}}}]}}\n\
             лист_ознакомления: {{люди: [{}, {{имя: {}, должность: {}}}], пустые_строки: 1}}\n\
             qr_код: {qr}\n",
            q(&a.title),
            q(&a.name),
            q(&a.number),
            q(&a.name),
            q(&a.title),
            q(&a.number),
        ));
    }
    if !a.appendices.is_empty() {
        y.push_str("приложения:\n");
        for (kind, approved, landscape, title, rows) in &a.appendices {
            y.push_str(&format!(
                "  - вид: {}\n    утверждается: {}\n    ориентация: {}\n    заголовок: [{}]\n    содержание:\n      - абзац: {}\n      - таблица:\n          колонки: [\"№ п/п\", А, Б, В]\n          строки:\n",
                q(kind),
                if *approved { "да" } else { "нет" },
                if *landscape { "альбомная" } else { "книжная" },
                title.iter().map(|s| q(s)).collect::<Vec<_>>().join(", "),
                q(&a.title),
            ));
            for r in rows {
                if r.len() == 1 {
                    y.push_str(&format!("            - раздел: {}\n", q(&r[0])));
                } else {
                    y.push_str(&format!(
                        "            - [{}]\n",
                        r.iter().map(|s| q(s)).collect::<Vec<_>>().join(", ")
                    ));
                }
            }
            if rows.is_empty() {
                y.push_str("            - [a]\n");
            }
        }
    }
    y
}

/// Whole path: must not panic; a valid act must render to PDF and DOCX.
fn whole_path(yaml: &str) -> Result<(), TestCaseError> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("f.yaml");
    std::fs::write(&path, yaml).unwrap();
    copy_profiles(dir.path());
    let t = Instant::now();
    let prepared = prikaz::prepare(
        &path,
        templates(),
        &prikaz::read::Limits::default(),
        &prikaz::resolve::Selection::All,
    );
    if let Ok(p) = prepared {
        let pdf = engine().pdf(&p.doc, p.emblem.as_ref());
        prop_assert!(
            pdf.is_ok(),
            "a valid act failed to render: {:?}",
            pdf.err().map(|d| d.message)
        );
        let docx = prikaz::render::docx::write(&p.doc, p.emblem.as_ref());
        prop_assert!(
            docx.is_ok(),
            "a valid act failed to write DOCX: {:?}",
            docx.err().map(|d| d.message)
        );
        RENDERED.fetch_add(1, Ordering::Relaxed);
        // The validators' sample: acts written as PDF/A (an act with a
        // character no bundled font draws is written without the claim).
        let pdf_a = pdf
            .as_ref()
            .is_ok_and(|b| b.windows(12).any(|w| w == b"pdfaid:part>"));
        let mut sample = SAMPLE.lock().unwrap();
        if pdf_a && sample.len() < 6 {
            sample.push((pdf.unwrap(), docx.unwrap()));
        }
    }
    prop_assert!(
        t.elapsed() < Duration::from_secs(20),
        "took {:?}",
        t.elapsed()
    );
    Ok(())
}

#[test]
fn fuzz_structured_acts() {
    let n = cases(48);
    let before = RENDERED.load(Ordering::Relaxed);
    let mut r = runner(n);
    r.run(&act(), |a| whole_path(&yaml(&a))).unwrap();
    // The generator must reach the writers, not just the validator.
    let rendered = RENDERED.load(Ordering::Relaxed) - before;
    eprintln!("structured fuzz: {n} acts, {rendered} valid and rendered to PDF and DOCX");
    assert!(
        rendered * 4 >= n as usize,
        "only {rendered} of {n} generated acts were valid"
    );
}

#[test]
fn fuzz_mutated_bytes() {
    let seeds: Vec<Vec<u8>> = ["orenburg-596.yaml", "ochyor-60.yaml"]
        .iter()
        .map(|f| std::fs::read(data(f)).unwrap())
        .collect();
    let strat = (
        0usize..2,
        prop::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0u8..3), 1..20),
    );
    let mut r = runner(cases(64));
    r.run(&strat, |(which, edits)| {
        let mut b = seeds[which].clone();
        for (at, byte, op) in edits {
            let i = at.index(b.len().max(1));
            match op {
                0 if i < b.len() => b[i] = byte,
                1 => b.insert(i.min(b.len()), byte),
                _ if i < b.len() => {
                    b.remove(i);
                }
                _ => {}
            }
        }
        // The reader alone, on bytes that may not even be UTF-8.
        // Named as if in data/, so the profile the seeds name is found.
        let name = data("f.yaml").display().to_string();
        let _ = prikaz::read::read_bytes(&name, b.clone(), &prikaz::read::Limits::default());
        if let Ok(s) = String::from_utf8(b) {
            whole_path(&s)?;
        }
        Ok(())
    })
    .unwrap();
}

/// Generated acts of drawable text through the reference validators: the
/// Open XML SDK on their DOCX, veraPDF (PDF/A-2b) on their PDF.
#[test]
fn generated_acts_pass_the_validators() {
    DRAWABLE.set(true);
    let mut r = runner(cases(24));
    r.run(&act(), |a| whole_path(&yaml(&a))).unwrap();
    // A sample of them through the reference validators.
    let dir = tempfile::tempdir().unwrap();
    let sample = std::mem::take(&mut *SAMPLE.lock().unwrap());
    assert!(!sample.is_empty(), "no generated act reached the writers");
    let mut pdfs = vec![];
    for (i, (pdf, docx)) in sample.iter().enumerate() {
        let d = dir.path().join(format!("{i}.docx"));
        std::fs::write(&d, docx).unwrap();
        if let Err(json) = ooxml_errors(&d, "Office2019") {
            panic!("generated act {i}: DOCX fails the Open XML SDK:\n{json}");
        }
        let p = dir.path().join(format!("{i}.pdf"));
        std::fs::write(&p, pdf).unwrap();
        pdfs.push(p);
    }
    let report = verapdf("2b", &pdfs);
    let compliant = report
        .lines()
        .filter(|l| l.ends_with(": compliant"))
        .count();
    assert_eq!(
        compliant,
        pdfs.len(),
        "generated acts, veraPDF PDF/A-2b:\n{report}"
    );
}

/// Both writers on a prepared act: each regression must get this far, so a
/// stricter validator cannot make it pass without testing anything.
fn renders(p: &prikaz::Prepared) {
    engine()
        .pdf(&p.doc, p.emblem.as_ref())
        .unwrap_or_else(|d| panic!("PDF: {}", d.render()));
    prikaz::render::docx::write(&p.doc, p.emblem.as_ref())
        .unwrap_or_else(|d| panic!("DOCX: {}", d.render()));
}

fn prepared(yaml: &str) -> prikaz::Prepared {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("f.yaml");
    std::fs::write(&path, yaml).unwrap();
    prepare(&path)
}

/// Crashers found by fuzzing, kept as regression cases; each asserts that it
/// reaches the writers.
#[test]
fn regressions() {
    // Empty strings in the model (the reader now refuses them in YAML, so the
    // writers are given them directly) and a table row with no cells.
    let mut p = prepared(
        "вид: приказ\nорган: У\nдата: 01.01.2020\nномер: \"1\"\nзаголовок: О\nпункты: [a]\nподписант: {должность: [a], имя: b}\n\
         приложения:\n  - содержание:\n      - таблица:\n          колонки: [\"№ п/п\", А]\n          строки: [[x]]\n",
    );
    let act = p.doc.act.as_mut().unwrap();
    act.authority = vec![String::new()];
    act.title = String::new();
    act.signature.name = String::new();
    if let Some(prikaz::model::Block::Table(t)) = p.doc.appendices[0].body.first_mut() {
        t.rows.push(prikaz::model::Row::Cells {
            number: None,
            cells: vec![],
            field: None,
        });
    } else {
        panic!("the fixture has a table");
    }
    renders(&p);
    // Two section rows in a row: Typst 0.15 panicked on consecutive same-level
    // headers (found by this fuzzer; the template now merges them).
    renders(&prepared(
        "вид: приказ\nорган: У\nдата: 01.02.2024\nномер: 7\nзаголовок: О проверке\nпункты: [a]\nподписант: {должность: Н, имя: И.И. Иванов}\n\
         приложения:\n  - содержание:\n      - таблица:\n          колонки: [\"№ п/п\", А]\n          строки: [{раздел: A}, {раздел: B}, [x]]\n",
    ));
    // A title of one very long word.
    renders(&prepared(&format!(
        "вид: приказ\nорган: [У]\nдата: 01.01.2020\nномер: \"1\"\nзаголовок: \"{}\"\nпункты: [\"a\"]\nподписант: {{должность: [\"a\"], имя: \"b\"}}\n",
        "ж".repeat(400)
    )));
}
