//! Lints (issue 7): on the real acts of data/ the checker reports exactly their
//! real slips; a corpus of small acts (tests/fixtures/lints/) shows each lint and
//! each typographic normalisation, with the expected code and place written in the
//! fixture's first comment lines:
//!
//! ```text
//! # expect: P101 29:19        one line per expected warning (code line:col)
//! # expect: нет               no warning at all (a correct act stays clean)
//! # expect-text: №⍽4          the resolved text contains this (⍽ = no-break space)
//! # allow: P601, P501         codes switched off for the run (lint_with)
//! ```

mod common;
use common::*;
use prikaz::diag::Diagnostics;
use prikaz::read::{Limits, read_file};
use prikaz::resolve::Selection;
use std::path::{Path, PathBuf};

/// (code, line, col) of every warning, sorted.
fn places(d: &Diagnostics) -> Vec<(String, u32, u32)> {
    let mut v: Vec<_> =
        d.0.iter()
            .map(|x| {
                let p = x.pos.unwrap_or_default();
                (x.code.to_string(), p.line, p.col)
            })
            .collect();
    v.sort();
    v
}

fn lint_file(path: &Path, allow: &[String]) -> Diagnostics {
    let parsed = read_file(path, &Limits::default()).unwrap_or_else(|d| {
        panic!(
            "{} does not read:\n{}",
            path.display(),
            d.0.iter().map(|x| x.render()).collect::<String>()
        )
    });
    let mut d = parsed.diags;
    // As prepare() does: the rows kept in spreadsheets are read first.
    let mut act = parsed.act;
    d.extend(prikaz::read::csv_rows::load(
        &mut act,
        &parsed.source,
        prikaz::read::folder_of(path),
        &Limits::default(),
    ));
    let facts = prikaz::facts::Facts::of(&act, &parsed.source.text);
    d.extend(prikaz::lint::lint_with(&act, &facts, &parsed.source, allow));
    d
}

fn pinned(list: &[(&str, u32, u32)]) -> Vec<(String, u32, u32)> {
    let mut v: Vec<_> = list
        .iter()
        .map(|(c, l, k)| (c.to_string(), *l, *k))
        .collect();
    v.sort();
    v
}

/// The real slips of Оренбург № 596 (tests/fixtures/acts/orenburg-596-*.txt), and nothing else.
const ORENBURG_SLIPS: &[(&str, u32, u32)] = &[
    // Point 2 sends to «приложению №2», but the act has only приложение № 1.
    ("P302", 32, 62),
    // Plan row 3: «на 2022 – 2023 учебный год» in a plan for 2023-2024.
    ("P201", 178, 35),
    // Plan rows jump from 6 to 8 (row «№: "8."»).
    ("P101", 210, 19),
    // Plan row 11: «кураторы от УО по направлению направлению общее образования».
    // A real slip of the seed too (the same word typed twice), so the checker
    // reports it: a repeated word is exactly what a clerk wants caught before
    // signing, and the lint never fires on correct text (see p601-* fixtures).
    ("P601", 271, 29),
];

/// The real slip of Очёр № 60 (tests/fixtures/acts/ochyor-60.txt): the act has no executor note.
/// ГОСТ Р 7.0.97 §5.25 requires it (the executor's full name and phone); the
/// original simply omits it. Reported at the signatory, after which
/// the note goes.
/// It stands at the signatory, whom the act takes from its profile
/// (data/профили/уо-очёр.yaml, line 13).
const OCHYOR_SLIPS: &[(&str, u32, u32)] = &[("P502", 13, 5)];

#[test]
fn orenburg_reports_exactly_its_real_slips() {
    let d = lint_file(&data("orenburg-596.yaml"), &[]);
    assert_eq!(places(&d), pinned(ORENBURG_SLIPS), "{}", render(&d));
}

#[test]
fn ochyor_reports_exactly_its_real_slip() {
    let d = lint_file(&data("ochyor-60.yaml"), &[]);
    assert_eq!(places(&d), pinned(OCHYOR_SLIPS), "{}", render(&d));
}

#[test]
fn prepare_returns_the_lint_warnings() {
    // The whole pipeline (read → validate → lint → resolve) keeps them as warnings.
    let p = prepare(&data("orenburg-596.yaml"));
    assert_eq!(places(&p.warnings), pinned(ORENBURG_SLIPS));
    assert!(!p.warnings.has_errors());
    let p = prepare(&data("ochyor-60.yaml"));
    assert_eq!(places(&p.warnings), pinned(OCHYOR_SLIPS));
}

#[test]
fn seed_messages_name_the_slip() {
    let d = lint_file(&data("orenburg-596.yaml"), &[]);
    let msg = |code: &str| {
        d.0.iter()
            .find(|x| x.code == code)
            .map(|x| x.message.clone())
            .unwrap_or_default()
    };
    assert!(msg("P101").contains("после 6 идёт 8"), "{}", msg("P101"));
    assert!(msg("P201").contains("2022–2023"), "{}", msg("P201"));
    assert!(msg("P201").contains("2023–2024"), "{}", msg("P201"));
    assert!(msg("P302").contains("№ 2"), "{}", msg("P302"));
    assert!(msg("P601").contains("направлению"), "{}", msg("P601"));
    for x in &d.0 {
        assert!(!x.is_error());
        assert!(x.field.is_some(), "{}", x.render());
        let hint = x.hint.as_deref().unwrap_or("");
        assert!(hint.contains("Почему это важно"), "{}", x.render());
    }
}

fn render(d: &Diagnostics) -> String {
    d.0.iter().map(|x| x.render()).collect()
}

#[test]
fn switched_off_in_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(data("orenburg-596.yaml")).unwrap();
    // Lower case and a Cyrillic «Р» are understood; P999 is not a code.
    let text = format!("{text}\nпроверки:\n  отключить: [p101, Р201, P999]\n");
    copy_profiles(dir.path());
    let path = dir.path().join("act.yaml");
    std::fs::write(&path, &text).unwrap();
    let d = lint_file(&path, &[]);
    let line = text.lines().count() as u32;
    assert_eq!(
        places(&d),
        pinned(&[("P302", 32, 62), ("P601", 271, 29), ("P000", line, 27)]),
        "{}",
        render(&d)
    );
    let p000 = d.0.iter().find(|x| x.code == "P000").unwrap();
    assert!(p000.message.contains("P999"), "{}", p000.render());
}

#[test]
fn switched_off_for_the_run() {
    let d = lint_file(
        &data("orenburg-596.yaml"),
        &["p601".to_string(), "P302".to_string()],
    );
    assert_eq!(
        places(&d),
        pinned(&[("P201", 178, 35), ("P101", 210, 19)]),
        "{}",
        render(&d)
    );
}

/// Rows read from CSV (`строки_из`) are reported at the CSV file's line.
#[test]
fn csv_rows_are_reported_in_the_csv_file() {
    let path = root().join("tests/fixtures/lints/csv/plan.yaml");
    let p = prepare(&path);
    let csv = root().join("tests/fixtures/lints/csv/plan.csv");
    let mut got: Vec<(String, String, u32)> = p
        .warnings
        .0
        .iter()
        .map(|x| {
            (
                x.code.to_string(),
                x.file.clone().unwrap_or_default(),
                x.pos.map_or(0, |p| p.line),
            )
        })
        .collect();
    got.sort();
    let csv = csv.display().to_string();
    assert_eq!(
        got,
        vec![
            // Row «4.» after «2.».
            ("P101".to_string(), csv.clone(), 4),
            // «октябрь 2024 года» is after the 2023-2024 academic year.
            ("P202".to_string(), csv.clone(), 4),
            // «по направлению направлению».
            ("P601".to_string(), csv.clone(), 3),
        ],
        "{}",
        render(&p.warnings)
    );
}

#[test]
fn code_table() {
    let codes = prikaz::lint::codes();
    let mut prev = "";
    for c in codes {
        assert!(
            c.code > prev,
            "codes sorted and unique: {} after {prev}",
            c.code
        );
        prev = c.code;
        assert!(
            c.code.len() == 4
                && c.code.starts_with('P')
                && c.code[1..].chars().all(|d| d.is_ascii_digit()),
            "{}",
            c.code
        );
        for text in [c.name, c.why, c.explain] {
            assert!(
                text.chars().any(|ch| ('а'..='я').contains(&ch)),
                "{}: Russian text expected: {text}",
                c.code
            );
        }
    }
    for family in ["P0", "P1", "P2", "P3", "P4", "P5", "P6"] {
        assert!(codes.iter().any(|c| c.code.starts_with(family)), "{family}");
    }
}

// ---------------------------------------------------------------- the corpus

struct Fixture {
    path: PathBuf,
    expect: Vec<(String, u32, u32)>,
    texts: Vec<String>,
    allow: Vec<String>,
}

fn fixtures() -> Vec<Fixture> {
    let dir = root().join("tests/fixtures/lints");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    paths.sort();
    paths.into_iter().map(|p| parse_fixture(&p)).collect()
}

fn parse_fixture(path: &Path) -> Fixture {
    // A fixture may be in another encoding than UTF-8 (P605); its «# expect»
    // lines are ASCII.
    let text = String::from_utf8_lossy(&std::fs::read(path).unwrap()).into_owned();
    let name = path.display();
    assert!(
        text.starts_with("# expect:"),
        "{name}: the first line must be «# expect: …»"
    );
    let mut f = Fixture {
        path: path.to_path_buf(),
        expect: vec![],
        texts: vec![],
        allow: vec![],
    };
    let mut none = false;
    for line in text.lines().take_while(|l| l.starts_with('#')) {
        let line = line.trim_start_matches('#').trim();
        if let Some(v) = line.strip_prefix("expect-text:") {
            f.texts.push(v.trim().replace('⍽', "\u{a0}"));
        } else if let Some(v) = line.strip_prefix("expect:") {
            let v = v.trim();
            if v == "нет" {
                none = true;
                continue;
            }
            let (code, place) = v
                .split_once(' ')
                .unwrap_or_else(|| panic!("{name}: «# expect: CODE LINE:COL», got «{v}»"));
            let (l, c) = place
                .trim()
                .split_once(':')
                .unwrap_or_else(|| panic!("{name}: place LINE:COL, got «{place}»"));
            f.expect.push((
                code.to_string(),
                l.parse().unwrap_or_else(|_| panic!("{name}: line «{l}»")),
                c.parse().unwrap_or_else(|_| panic!("{name}: column «{c}»")),
            ));
        } else if let Some(v) = line.strip_prefix("allow:") {
            f.allow = v.split(',').map(|s| s.trim().to_string()).collect();
        }
    }
    assert!(
        none == f.expect.is_empty(),
        "{name}: either «# expect: нет» or expected warnings"
    );
    f.expect.sort();
    f
}

#[test]
fn corpus() {
    let all = fixtures();
    assert!(all.len() >= 30, "only {} fixtures", all.len());
    let mut failures = vec![];
    for f in &all {
        let name = f.path.file_name().unwrap().to_string_lossy().to_string();
        // The act must be valid and render: the whole pipeline runs.
        let prepared =
            match prikaz::prepare(&f.path, templates(), &Limits::default(), &Selection::All) {
                Ok(p) => p,
                Err(d) => {
                    failures.push(format!("{name}: does not prepare:\n{}", render(&d)));
                    continue;
                }
            };
        let got = lint_file(&f.path, &f.allow);
        if places(&got) != f.expect {
            failures.push(format!(
                "{name}: expected {:?}, got {:?}\n{}",
                f.expect,
                places(&got),
                render(&got)
            ));
        }
        if f.allow.is_empty() && places(&prepared.warnings) != places(&got) {
            failures.push(format!("{name}: prepare() warnings differ from lint()"));
        }
        let text = prepared.doc.plain_text().join("\n");
        for t in &f.texts {
            if !text.contains(t.as_str()) {
                failures.push(format!(
                    "{name}: resolved text lacks «{}»:\n{}",
                    t.replace('\u{a0}', "⍽"),
                    text.replace('\u{a0}', "⍽")
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn corpus_covers_every_lint_and_has_clean_acts() {
    let all = fixtures();
    for c in prikaz::lint::codes() {
        assert!(
            all.iter().any(|f| f.expect.iter().any(|e| e.0 == c.code)),
            "no fixture shows {}",
            c.code
        );
    }
    let clean = all.iter().filter(|f| f.expect.is_empty()).count();
    let typography = all.iter().filter(|f| !f.texts.is_empty()).count();
    assert!(clean >= 10, "{clean} clean fixtures");
    assert!(typography >= 8, "{typography} typography fixtures");
}

/// Margins narrower than ГОСТ's least are a warning at the value; a top
/// margin the page number would not fit in, or a margin so wide no page is
/// left, is an error.
#[test]
fn margins_below_gost_warn_and_impossible_ones_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let check = |margins: &str| {
        std::fs::write(
            dir.path().join("a.yaml"),
            format!("{MINIMAL}исполнитель: {{имя: Петрова А.С., телефон: 1}}\nконтроль: оставляю\nоформление:\n  поля: {margins}\n"),
        )
        .unwrap();
        let (code, out, _) = cli(&["check", "--format", "json", "a.yaml"], dir.path());
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        let found: Vec<(String, String, u64, u64)> = v[0]["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| {
                (
                    d["code"].as_str().unwrap().to_string(),
                    d["field"].as_str().unwrap_or("").to_string(),
                    d["pos"]["line"].as_u64().unwrap(),
                    d["pos"]["col"].as_u64().unwrap(),
                )
            })
            .collect();
        (code, found)
    };
    let line = MINIMAL.lines().count() as u64 + 4;
    // The column of `value` in `поля: {margins}`, counted in letters from 1.
    let col = |margins: &str, value: &str| {
        let text = format!("  поля: {margins}");
        text[..text.find(value).unwrap()].chars().count() as u64 + 1
    };
    let (code, found) = check("{слева: 30, справа: 10, сверху: 20, снизу: 20}");
    assert_eq!((code, found), (0, vec![]));
    let (code, found) = check("{слева: 15, справа: 8}");
    assert_eq!(code, 0);
    assert_eq!(
        found,
        vec![
            (
                "P504".into(),
                "оформление.поля.слева".into(),
                line,
                col("{слева: 15, справа: 8}", "15")
            ),
            (
                "P504".into(),
                "оформление.поля.справа".into(),
                line,
                col("{слева: 15, справа: 8}", "8}")
            ),
        ]
    );
    let (code, found) = check("{сверху: 12}");
    assert_eq!(code, 1);
    assert_eq!(
        found[0],
        (
            "E022".into(),
            "оформление.поля.сверху".into(),
            line,
            col("{сверху: 12}", "12")
        )
    );
    // The QR code stands in the bottom margin: 15 mm at 4 mm from the edge.
    std::fs::write(
        dir.path().join("a.yaml"),
        format!("{MINIMAL}qr_код: да\nоформление:\n  поля: {{снизу: 16}}\n"),
    )
    .unwrap();
    let (code, _, err) = cli(&["check", "a.yaml"], dir.path());
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("E022") && err.contains("QR-код") && err.contains("оформление.поля.снизу"),
        "{err}"
    );
    let (code, found) = check("{слева: 120}");
    assert_eq!(code, 1);
    assert_eq!(
        found[0],
        (
            "E022".into(),
            "оформление.поля.слева".into(),
            line,
            col("{слева: 120}", "120")
        )
    );
}
