//! The test suite itself: it needs nothing outside the checkout, so a user who
//! clones the project alone can run it.

mod common;
use common::*;
use std::path::Path;

fn walk(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap().filter_map(Result::ok) {
        let p = e.path();
        if p.is_dir() {
            walk(&p, out);
        } else {
            out.push(p);
        }
    }
}

#[test]
fn nothing_reads_outside_the_checkout() {
    // Spelt in two pieces so that this file does not name it itself.
    let needle = format!("..{}shared", '/');
    let mut files = vec![];
    for dir in ["tests", "benches", "scripts", "src", ".ci"] {
        walk(&root().join(dir), &mut files);
    }
    assert!(files.len() > 20, "the walk found the project's files");
    let offenders: Vec<String> = files
        .iter()
        .filter(|p| {
            std::fs::read(p)
                .map(|b| String::from_utf8_lossy(&b).contains(&needle))
                .unwrap_or(false)
        })
        .map(|p| p.display().to_string())
        .collect();
    assert!(
        offenders.is_empty(),
        "these files name {needle}, which a fresh clone does not have: {offenders:?}"
    );
}

#[test]
fn the_reference_acts_are_carried_in_the_repository() {
    for name in [
        "orenburg-596-act.txt",
        "orenburg-596-plan.txt",
        "ochyor-60.txt",
    ] {
        let text = reference_act(name);
        assert!(text.len() > 3000, "{name} is a whole act");
    }
    let readme = std::fs::read_to_string(root().join("tests/fixtures/acts/README.md")).unwrap();
    for name in [
        "orenburg-596-act.txt",
        "orenburg-596-plan.txt",
        "ochyor-60.txt",
    ] {
        assert!(
            readme.contains(name),
            "the README names where {name} comes from"
        );
    }
}

/// Error codes live in one table (`src/errors.rs`), each under a name: every
/// name is reported somewhere in the source, and every code has its texts.
/// (tests/stages.rs checks that no code is typed as a bare literal.)
#[test]
fn every_error_code_is_in_the_table_and_used() {
    let table = std::fs::read_to_string(root().join("src/errors.rs")).unwrap();
    let row = regex::Regex::new(r#"(?m)^\s*([A-Z_0-9]+) = "([ET]0\d\d)","#).unwrap();
    let named: Vec<(String, String)> = row
        .captures_iter(&table)
        .map(|c| (c[1].to_string(), c[2].to_string()))
        .collect();
    let listed: Vec<&str> = prikaz::errors::CODES.iter().map(|i| i.code).collect();
    assert_eq!(
        named.iter().map(|(_, c)| c.as_str()).collect::<Vec<_>>(),
        listed,
        "every row of the table has a name"
    );
    let mut files = vec![];
    walk(&root().join("src"), &mut files);
    let mut source = String::new();
    for f in files.iter().filter(|f| !f.ends_with("errors.rs")) {
        let text = std::fs::read_to_string(f).unwrap_or_default();
        // Unit tests compare codes; they report none.
        source.push_str(text.split("#[cfg(test)]").next().unwrap_or(""));
    }
    let unused: Vec<_> = named
        .iter()
        .filter(|(name, _)| !source.contains(&format!("errors::{name}")))
        .collect();
    assert!(named.len() > 30, "the scan found the table: {named:?}");
    assert!(
        unused.is_empty(),
        "in src/errors.rs but never reported: {unused:?}"
    );
    let codes: std::collections::BTreeSet<&str> = listed.iter().copied().collect();
    assert_eq!(codes.len(), listed.len(), "a code is listed twice");
    for i in prikaz::errors::CODES {
        assert!(!i.name.is_empty() && !i.why.is_empty() && !i.explain.is_empty());
    }
}

#[test]
fn check_explains_error_codes_too() {
    let dir = tempfile::tempdir().unwrap();
    let (code, out, _) = cli(&["check", "--explain", "E006"], dir.path());
    assert_eq!(code, 0);
    assert!(out.contains("E006 — неверная дата"), "{out}");
    assert!(out.contains("Почему prikaz останавливается"), "{out}");
    // What E006 also meant once has a code and a text of its own: a margin
    // and a spreadsheet's header row are not dates.
    let (_, out, _) = cli(&["check", "--explain", "E022"], dir.path());
    assert!(
        out.contains("E022 — неверное поле страницы") && out.contains("мм"),
        "{out}"
    );
    assert!(!out.contains("ДД.ММ.ГГГГ"), "{out}");
    let (_, out, _) = cli(&["check", "--explain", "E023"], dir.path());
    assert!(
        out.contains("E023 — неверный номер строки") && out.contains("строка_заголовка"),
        "{out}"
    );
    assert!(!out.contains("ДД.ММ.ГГГГ"), "{out}");
    // A Cyrillic «Е» is understood too.
    let (code, out, _) = cli(&["check", "--explain", "е017"], dir.path());
    assert_eq!(code, 0, "{out}");
    let (_, list, _) = cli(&["check", "--explain"], dir.path());
    assert!(list.contains("P101") && list.contains("T005"), "{list}");
    let (code, _, err) = cli(&["check", "--explain", "E999"], dir.path());
    assert_eq!(code, 2);
    assert!(err.contains("неизвестный код «E999»"), "{err}");
}
