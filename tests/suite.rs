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
