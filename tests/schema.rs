//! The editor schema (`prikaz schema`) checked by an implementation no one
//! here wrote: the PyPI `jsonschema`, reading YAML as yaml-language-server
//! does (YAML 1.2 core), through `tests/tools/schema_check.py`.
//!
//! And by the editor's own engine: Red Hat's yaml-language-server, which VS
//! Code's YAML extension runs, finds the schema from a file's modeline and
//! completes, explains and checks fields (`tests/tools/yaml_ls.py`).
//!
//! `./scripts/test.sh` installs jsonschema and PyYAML into `.tools/schema-py`
//! and yaml-language-server into `.tools/yaml-ls`; a missing one fails these
//! tests.

mod common;

use common::{MINIMAL, cli, copy_profiles, data, root, tools};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The schema `prikaz schema [which]` prints, saved in `dir`.
fn schema(which: &str, dir: &Path) -> PathBuf {
    let (code, out, err) = cli(&["schema", which], dir);
    assert_eq!(code, 0, "{err}");
    let path = dir.join(format!("{which}.schema.json"));
    std::fs::write(&path, out).unwrap();
    path
}

/// Run the checker; one JSON value a line.
fn checker(args: &[&Path]) -> Vec<Value> {
    let py = tools().join("schema-py");
    assert!(
        py.join("jsonschema").exists(),
        "{} is missing: run ./scripts/test.sh (it installs the PyPI packages jsonschema and PyYAML into .tools/schema-py)",
        py.display()
    );
    let out = Command::new("python3")
        .arg(root().join("tests/tools/schema_check.py"))
        .args(args)
        .env("PYTHONPATH", &py)
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "schema_check.py: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// Each file's errors as (path, validator, message).
fn validate(schema: &Path, files: &[PathBuf]) -> Vec<(String, Value)> {
    let mut args: Vec<&Path> = vec![schema];
    args.extend(files.iter().map(PathBuf::as_path));
    checker(&args)
        .into_iter()
        .map(|v| (v["file"].as_str().unwrap().to_string(), v))
        .collect()
}

#[test]
fn the_schemas_are_valid_json_schemas_and_every_example_fits_its_field() {
    let dir = tempfile::tempdir().unwrap();
    for which in ["акт", "профиль"] {
        let s = schema(which, dir.path());
        // --examples also checks the schema itself against its meta-schema.
        let lines = checker(&[Path::new("--examples"), &s]);
        let (last, bad) = lines.split_last().unwrap();
        assert!(
            bad.is_empty(),
            "{which}: examples that do not fit: {bad:#?}"
        );
        let n = last["examples_checked"].as_u64().unwrap();
        assert!(n > 30, "{which}: only {n} examples");
        // Every field says what it is, in Russian.
        let text = std::fs::read_to_string(&s).unwrap();
        let v: Value = serde_json::from_str(&text).unwrap();
        for (key, field) in v["properties"].as_object().unwrap() {
            let d = field["description"].as_str().unwrap_or("");
            assert!(
                d.chars().any(|c| ('а'..='я').contains(&c)),
                "{which}.{key}: {field}"
            );
        }
    }
}

#[test]
fn the_schemas_in_data_are_the_ones_prikaz_prints() {
    // The examples' modelines point at these; a stale copy would mislead the
    // editor.
    let dir = tempfile::tempdir().unwrap();
    for (which, file) in [
        ("акт", "схема-акта.json"),
        ("профиль", "профили/схема-профиля.json"),
    ] {
        let printed = std::fs::read_to_string(schema(which, dir.path())).unwrap();
        let kept = std::fs::read_to_string(data(file)).unwrap();
        assert!(
            printed.trim_end() == kept.trim_end(),
            "data/{file} is stale: run `prikaz schema {which} -o data/{file}`"
        );
    }
}

/// The schema a file's modeline names, from the file's folder.
fn modeline(file: &Path) -> PathBuf {
    let text = std::fs::read_to_string(file).unwrap();
    let first = text.lines().next().unwrap_or("");
    let rel = first
        .strip_prefix("# yaml-language-server: $schema=")
        .unwrap_or_else(|| panic!("{}: no modeline: {first}", file.display()));
    file.parent().unwrap().join(rel.trim())
}

#[test]
fn every_example_and_profile_fits_the_schema_its_modeline_names() {
    // Every act in data/ (the batch base is a template, not an act).
    let mut acts: Vec<PathBuf> = std::fs::read_dir(data("."))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    acts.sort();
    assert!(acts.len() >= 3, "{acts:?}");
    let profiles = [
        data("профили/уо-оренбург.yaml"),
        data("профили/уо-очёр.yaml"),
        data("batch/профили/районы.yaml"),
    ];
    for (files, kept) in [
        (&acts[..], data("схема-акта.json")),
        (&profiles[..], data("профили/схема-профиля.json")),
    ] {
        for f in files {
            let named = modeline(f);
            assert_eq!(
                std::fs::canonicalize(&named).unwrap(),
                std::fs::canonicalize(&kept).unwrap(),
                "{}",
                f.display()
            );
        }
        for (file, v) in validate(&kept, files) {
            assert!(v["errors"].as_array().unwrap().is_empty(), "{file}: {v:#}");
        }
    }
}

#[test]
fn every_starter_fits_the_schema() {
    let dir = tempfile::tempdir().unwrap();
    copy_profiles(dir.path());
    let act = schema("акт", dir.path());
    let mut files = vec![];
    for kind in ["приказ", "распоряжение", "постановление"] {
        for with in ["", "план", "положение", "список", "план,положение,список"]
        {
            for profile in [None, Some("профили/уо-оренбург.yaml")] {
                let mut args = vec!["new", kind];
                if !with.is_empty() {
                    args.extend(["--with", with]);
                }
                if let Some(p) = profile {
                    args.extend(["--profile", p]);
                }
                let (code, out, err) = cli(&args, dir.path());
                assert_eq!(code, 0, "{args:?}: {err}");
                assert!(
                    out.starts_with("# yaml-language-server: $schema=схема-акта.json\n"),
                    "{args:?}: the starter names no schema"
                );
                let f = dir.path().join(format!("{}.yaml", files.len()));
                std::fs::write(&f, out).unwrap();
                files.push(f);
            }
        }
    }
    assert_eq!(files.len(), 30);
    for (file, v) in validate(&act, &files) {
        assert!(v["errors"].as_array().unwrap().is_empty(), "{file}: {v:#}");
    }
}

/// prikaz's field path for the first error with `code` in `file` (the top of
/// the file is the empty path).
fn prikaz_path(dir: &Path, file: &str, code: &str) -> String {
    let (_, out, err) = cli(&["check", "--format", "json", file], dir);
    let v: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}{err}"));
    let d = v[0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == code)
        .unwrap_or_else(|| panic!("prikaz gave no {code} for {file}: {out}"))
        .clone();
    d["field"].as_str().unwrap_or("").to_string()
}

#[test]
fn a_misspelt_key_and_a_wrong_type_are_refused_at_the_same_field_path_as_prikaz() {
    let dir = tempfile::tempdir().unwrap();
    let act = schema("акт", dir.path());
    let with_table = format!(
        "{MINIMAL}приложения:
  - заголовок: План
    содержание:
      - таблица:
          колонки: [№ п/п, Мероприятие, {{заголовок: Срок, ширна: 2}}]
          строки: [[Совещание, март]]
"
    );
    // (what is wrong, the act, prikaz's code, the schema's validator)
    let cases: Vec<(&str, String, &str, &str)> = vec![
        (
            "misspelt top-level key",
            MINIMAL.replace("заголовок:", "заголвок:"),
            "E009",
            "additionalProperties",
        ),
        (
            "misspelt key of a point",
            MINIMAL.replace(
                "  - Провести проверку.",
                "  - Провести проверку.\n  - {текст: Отчитаться., срк: 01.03.2024}",
            ),
            "E009",
            "additionalProperties",
        ),
        (
            "misspelt key of a table column",
            with_table,
            "E009",
            "additionalProperties",
        ),
        (
            "a number for a position",
            MINIMAL.replace("должность: Начальник управления", "должность: 5"),
            "E004",
            "type",
        ),
        (
            "a word for a date",
            MINIMAL.replace("дата: 01.02.2024", "дата: вчера"),
            "E006",
            "pattern",
        ),
        (
            "a header layout that does not exist",
            format!("{MINIMAL}оформление: {{шапка: поперечная}}\n"),
            "E007",
            "enum",
        ),
        (
            "a list for the number",
            MINIMAL.replace("номер: 7", "номер: [7, 8]"),
            "E004",
            "type",
        ),
    ];
    let mut files = vec![];
    for (i, (_, text, ..)) in cases.iter().enumerate() {
        let f = dir.path().join(format!("{i}.yaml"));
        std::fs::write(&f, text).unwrap();
        files.push(f);
    }
    let results = validate(&act, &files);
    for ((what, _, code, validator), (file, v)) in cases.iter().zip(results) {
        let name = Path::new(&file).file_name().unwrap().to_str().unwrap();
        let expected = prikaz_path(dir.path(), name, code);
        let errors = v["errors"].as_array().unwrap();
        assert!(!errors.is_empty(), "{what}: the schema accepted it");
        // The error an editor shows first.
        let best = &v["best"];
        assert_eq!(best["path"], expected.as_str(), "{what}: {v:#}");
        // And it says the same kind of thing.
        let leaf = errors
            .iter()
            .find(|e| e["path"] == expected.as_str() && e["validator"] == *validator);
        assert!(
            leaf.is_some(),
            "{what}: no {validator} error at «{expected}»: {v:#}"
        );
    }
}

#[test]
fn schema_command_names_its_schemas_and_writes_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let (code, _, err) = cli(&["schema", "приказ"], dir.path());
    assert_eq!(code, 2);
    assert!(err.contains("«акт» и «профиль»"), "{err}");
    let (code, _, err) = cli(&["schema", "-o", "схема-акта.json"], dir.path());
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("схема записана: схема-акта.json"), "{err}");
    let (_, printed, _) = cli(&["schema"], dir.path());
    let written = std::fs::read_to_string(dir.path().join("схема-акта.json")).unwrap();
    assert_eq!(written.trim_end(), printed.trim_end());
    let v: Value = serde_json::from_str(&written).unwrap();
    assert_eq!(v["$schema"], "http://json-schema.org/draft-07/schema#");
    // Only the schema is left in the folder: no temporary file.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

/// What VS Code's YAML extension does with a starter's modeline: the schema
/// beside the act is found, fields and values are completed, a field is
/// explained in Russian, and a misspelt key is underlined at its line.
#[test]
fn the_editors_language_server_completes_explains_and_checks_from_the_modeline() {
    let server = tools().join("yaml-ls/node_modules/.bin/yaml-language-server");
    assert!(
        server.exists(),
        "{} is missing: run ./scripts/test.sh (it installs the npm package yaml-language-server into .tools/yaml-ls)",
        server.display()
    );
    let dir = tempfile::tempdir().unwrap();
    let (code, _, err) = cli(&["schema", "-o", "схема-акта.json"], dir.path());
    assert_eq!(code, 0, "{err}");
    let (_, starter, _) = cli(&["new", "приказ"], dir.path());
    let modeline = starter.lines().next().unwrap();
    // Line 3 (from 0) is an empty line inside the signatory, as while typing.
    let text = format!(
        "{modeline}\nвид: приказ\nподписант:\n  \nоформление: {{шапка: угловая}}\nзаголвок: О проверке\n"
    );
    let file = dir.path().join("приказ.yaml");
    std::fs::write(&file, text).unwrap();
    let out = Command::new("python3")
        .arg(root().join("tests/tools/yaml_ls.py"))
        .arg(&server)
        .arg(&file)
        .args(["complete:3:2", "complete:1:5", "hover:1:1"])
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "yaml_ls.py: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let labels = |k: &str| -> Vec<String> {
        v[k].as_array()
            .unwrap_or_else(|| panic!("{k}: {v:#}"))
            .iter()
            .map(|l| l.as_str().unwrap().to_string())
            .collect()
    };
    let fields = labels("complete:3:2");
    for f in ["должность", "имя", "исполняющий_обязанности"] {
        assert!(fields.iter().any(|l| l == f), "{f} not offered: {fields:?}");
    }
    let kinds = labels("complete:1:5");
    for k in ["приказ", "распоряжение", "постановление"] {
        assert!(kinds.iter().any(|l| l == k), "{k} not offered: {kinds:?}");
    }
    let hover = v["hover:1:1"].as_str().unwrap();
    assert!(hover.contains("Вид документа"), "{hover}");
    let diagnostics = v["diagnostics"].as_array().unwrap();
    assert!(
        diagnostics
            .iter()
            .any(|d| d["line"] == 5 && d["message"].as_str().unwrap().contains("заголвок")),
        "the misspelt key is not underlined: {diagnostics:#?}"
    );
}
