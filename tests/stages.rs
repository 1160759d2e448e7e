//! The order of the stages, read from the source: a module may use only
//! modules of its own stage or of a stage below it. The order is written here
//! once; the README's map of the modules follows it.
//!
//! Also the rules that keep one act on one path: no bare error-code literal
//! outside the code table, `Numbering::of` in one place, a thin `main.rs`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The stages from the bottom up, each with the top-level modules in it and
/// the reason it stands where it does.
const STAGES: &[(&str, &[&str], &str)] = &[
    (
        "base",
        &[
            "diag",
            "capped",
            "errors",
            "codes",
            "letters",
            "calendar",
            "layout",
            "fonts",
            "persons",
            "qr",
            "emblem",
            "templates",
            "timings",
            "budget",
        ],
        "the vocabulary every stage speaks: messages and codes, reading a named file within a limit, letters and months, layout numbers, bundled fonts, templates and images, the budgets of a user's template",
    ),
    (
        "model",
        &["model"],
        "the final document's types, without logic: resolve fills them and the writers read them, so both look down at them",
    ),
    (
        "read",
        &["read"],
        "YAML and the files it names become the input model, every value with its place",
    ),
    (
        "facts",
        &["facts"],
        "what follows from the act as written (numbering, its texts, their places), computed once for the stages above",
    ),
    (
        "check",
        &["validate", "lint"],
        "errors and warnings about the input; they read it and change nothing",
    ),
    (
        "resolve",
        &["resolve"],
        "the checked input becomes the model: numbers, references, dates and wording decided",
    ),
    (
        "render",
        &["render"],
        "the writers place what the model decided and return bytes",
    ),
    (
        "job",
        &["job", "output", "batch", "watch", "serve", "starter"],
        "one act to files (prepare, render, name, write), and the loops that run it",
    ),
    (
        "commands",
        &["cli", "main"],
        "the command line: parses arguments, runs a job, prints",
    ),
];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn sources() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap().filter_map(Result::ok) {
            let p = e.path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|e| e == "rs") {
                out.push(p);
            }
        }
    }
    let mut out = vec![];
    walk(&root().join("src"), &mut out);
    out.sort();
    out
}

/// The top-level module a source file belongs to: `read/input.rs` → `read`.
fn module_of(file: &Path) -> String {
    let rel = file.strip_prefix(root().join("src")).unwrap();
    let first = rel
        .components()
        .next()
        .unwrap()
        .as_os_str()
        .to_string_lossy();
    first.trim_end_matches(".rs").to_string()
}

fn stage_of(module: &str) -> Option<usize> {
    STAGES
        .iter()
        .position(|(_, mods, _)| mods.contains(&module))
}

/// The code of a file without comments and without its unit tests (a test
/// may reach anywhere).
fn code_of(text: &str) -> String {
    let body = text.split("#[cfg(test)]").next().unwrap_or("");
    body.lines()
        .map(|l| match l.find("//") {
            // `//` inside a string ("https://…") is rare in these files; a
            // line is cut only where the comment is outside quotes.
            Some(i) if l[..i].matches('"').count() % 2 == 0 => &l[..i],
            _ => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every module a piece of code names through `crate::` (in the library) or
/// `prikaz::` (in the program), including those inside `crate::{a, b::c}`.
fn used_modules(code: &str, prefix: &str) -> Vec<String> {
    let mut out = vec![];
    let mut rest = code;
    while let Some(i) = rest.find(prefix) {
        let before = rest[..i].chars().last();
        rest = &rest[i + prefix.len()..];
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue;
        }
        if let Some(group) = rest.strip_prefix('{') {
            // A group: the first segment of each comma-separated path at depth 0.
            let mut depth = 0;
            let mut start = true;
            for (j, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => start = true,
                    c if start && (c.is_alphanumeric() || c == '_') => {
                        let name: String = group[j..]
                            .chars()
                            .take_while(|c| c.is_alphanumeric() || *c == '_')
                            .collect();
                        out.push(name);
                        start = false;
                    }
                    _ => {}
                }
            }
        } else {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                out.push(name);
            }
        }
    }
    out
}

#[test]
fn every_import_looks_down_the_stages() {
    let mut wrong = vec![];
    let mut seen = BTreeMap::new();
    for file in sources() {
        let module = module_of(&file);
        if module == "lib" {
            // The crate root declares the modules and the public surface.
            continue;
        }
        let Some(own) = stage_of(&module) else {
            wrong.push(format!(
                "{}: the module «{module}» is in no stage of tests/stages.rs",
                file.display()
            ));
            continue;
        };
        let program = module == "main" || module == "cli";
        let text = std::fs::read_to_string(&file).unwrap();
        let code = code_of(&text);
        let mut names = used_modules(&code, "crate::");
        if program {
            names.extend(used_modules(&code, "prikaz::"));
        }
        for name in names {
            *seen.entry(module.clone()).or_insert(0) += 1;
            if program && name == "cli" {
                continue;
            }
            match stage_of(&name) {
                Some(s) if s <= own => {}
                Some(s) => wrong.push(format!(
                    "{}: «{module}» ({}) uses «{name}» ({}), a later stage",
                    file.display(),
                    STAGES[own].0,
                    STAGES[s].0
                )),
                None => wrong.push(format!(
                    "{}: «{module}» uses «{name}», which is no module of a stage (an item of the crate root?)",
                    file.display()
                )),
            }
        }
    }
    assert!(
        seen.len() > 15,
        "the scan found the modules' imports: {seen:?}"
    );
    assert!(
        wrong.is_empty(),
        "imports against the stage order:\n{}",
        wrong.join("\n")
    );
}

/// The scan itself: an upward import and a grouped one are both seen.
#[test]
fn the_import_scan_sees_paths_and_groups() {
    let code = "use crate::read::input::Act;\nuse crate::{diag::Pos, resolve::{a, b}};\nlet x = crate::io_reason(e);\nmy_crate::x();";
    assert_eq!(
        used_modules(code, "crate::"),
        ["read", "diag", "resolve", "io_reason"]
    );
    assert!(stage_of("resolve") > stage_of("validate"));
    assert!(stage_of("read") < stage_of("lint"));
    assert_eq!(stage_of("io_reason"), None);
}

/// No `"E006"` typed outside the table: a code is named by what it means
/// (`errors::BAD_DATE`), so a code cannot be reused for another meaning by a
/// slip of the keyboard.
#[test]
fn error_codes_are_named_not_typed() {
    let mut found = vec![];
    for file in sources() {
        if file.ends_with("src/errors.rs") {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap();
        for (n, line) in text.lines().enumerate() {
            let b = line.as_bytes();
            for i in 0..b.len().saturating_sub(5) {
                if b[i] == b'"'
                    && (b[i + 1] == b'E' || b[i + 1] == b'T')
                    && b[i + 2..i + 5].iter().all(u8::is_ascii_digit)
                    && b[i + 5] == b'"'
                {
                    found.push(format!("{}:{}: {}", file.display(), n + 1, line.trim()));
                }
            }
        }
    }
    assert!(found.is_empty(), "bare error codes:\n{}", found.join("\n"));
}

#[test]
fn the_numbering_of_an_act_is_counted_in_one_place() {
    let mut calls = vec![];
    for file in sources() {
        let code = code_of(&std::fs::read_to_string(&file).unwrap());
        for _ in code.matches("Numbering::of(") {
            calls.push(file.display().to_string());
        }
    }
    assert_eq!(calls.len(), 1, "Numbering::of is called in: {calls:?}");
    assert!(calls[0].ends_with("facts/mod.rs"), "{calls:?}");
}

#[test]
fn main_only_dispatches() {
    let main = std::fs::read_to_string(root().join("src/main.rs")).unwrap();
    let lines = main.lines().count();
    assert!(lines < 300, "src/main.rs has {lines} lines");
}

/// The README's map of the modules names every module of `src/` in the stage
/// this test gives it, and names no file that is not there.
#[test]
fn the_readme_maps_the_tree() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let start = readme
        .find("## Для разработчиков")
        .expect("the developers' section");
    let section = &readme[start..];
    let section = &section[..section.find("\n## ").map_or(section.len(), |e| e + 1)];
    assert!(
        section.contains("src/job/"),
        "the map says where the one-act path is"
    );
    // Every `src/…` the map names exists.
    let mut named = vec![];
    for part in section.split('`').skip(1).step_by(2) {
        if let Some(p) = part.strip_prefix("src/") {
            named.push(p.to_string());
            assert!(
                root().join("src").join(p).exists(),
                "the README names src/{p}, which is not in the tree"
            );
        }
    }
    // Every top-level module is on a row of the map, in its own stage.
    let stage_words = [
        ("base", "основа"),
        ("model", "модель"),
        ("read", "чтение"),
        ("facts", "факты"),
        ("check", "проверка"),
        ("resolve", "итог"),
        ("render", "писатели"),
        ("job", "работа"),
        ("commands", "команды"),
    ];
    let mut modules: Vec<String> = sources().iter().map(|f| module_of(f)).collect();
    modules.sort();
    modules.dedup();
    for m in modules.iter().filter(|m| *m != "lib") {
        let stage = STAGES[stage_of(m).unwrap()].0;
        let word = stage_words.iter().find(|(s, _)| *s == stage).unwrap().1;
        let file = format!("`src/{m}.rs`");
        let folder = format!("`src/{m}/`");
        let row = section
            .lines()
            .find(|l| l.starts_with("| ") && (l.contains(&file) || l.contains(&folder)))
            .unwrap_or_else(|| panic!("the README's map has no row for src/{m}"));
        assert!(
            row.starts_with(&format!("| {word} |")),
            "src/{m} is in the stage «{stage}» ({word}) but its row says: {row}"
        );
    }
    assert!(named.len() > 20, "the map names the modules: {named:?}");
}
