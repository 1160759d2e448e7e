//! The command line: exit codes, output names, --only, --no-clobber, starters, determinism.

mod common;
use common::*;

fn copy_data(dir: &std::path::Path) {
    for f in ["orenburg-596.yaml", "ochyor-60.yaml"] {
        std::fs::copy(data(f), dir.join(f)).unwrap();
    }
    copy_profiles(dir);
}

#[test]
fn render_writes_named_files_and_exit_codes_are_documented() {
    let dir = tempfile::tempdir().unwrap();
    copy_data(dir.path());
    let (code, _, err) = cli(
        &["render", "orenburg-596.yaml", "ochyor-60.yaml", "-o", "out"],
        dir.path(),
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        dir.path()
            .join("out/Распоряжение_596_2023-09-20.pdf")
            .is_file()
    );
    assert!(dir.path().join("out/Приказ_60_2023-05-03.pdf").is_file());
    assert!(err.contains("записан:"), "{err}");
    // Usage errors: 2.
    assert_eq!(cli(&["render"], dir.path()).0, 2);
    assert_eq!(
        cli(&["render", "x.yaml", "--format", "odt"], dir.path()).0,
        2
    );
    assert_eq!(cli(&["frobnicate"], dir.path()).0, 2);
    // Invalid input (missing file): 1.
    let (code, _, err) = cli(&["check", "нет-такого.yaml"], dir.path());
    assert_eq!(code, 1);
    assert!(
        err.contains("нет-такого.yaml") && err.contains("не найдены"),
        "{err}"
    );
    // check on the examples passes.
    assert_eq!(
        cli(
            &["check", "orenburg-596.yaml", "ochyor-60.yaml"],
            dir.path()
        )
        .0,
        0
    );
}

#[test]
fn help_is_russian() {
    let dir = tempfile::tempdir().unwrap();
    for args in [
        vec!["--help"],
        vec!["render", "--help"],
        vec!["check", "--help"],
    ] {
        let (code, out, _) = cli(&args, dir.path());
        assert_eq!(code, 0);
        assert!(out.contains("Использование"), "{out}");
        for english in ["Usage", "Options", "Print help", "[default"] {
            assert!(
                !out.contains(english),
                "English «{english}» in help:\n{out}"
            );
        }
    }
}

#[test]
fn same_input_same_bytes() {
    let a = pdf_of(&data("orenburg-596.yaml"));
    let b = pdf_of(&data("orenburg-596.yaml"));
    assert!(a == b, "two renders differ");
    // And through the CLI, in separate processes.
    let dir = tempfile::tempdir().unwrap();
    copy_data(dir.path());
    let mut outs = vec![];
    for o in ["a", "b"] {
        assert_eq!(cli(&["render", "ochyor-60.yaml", "-o", o], dir.path()).0, 0);
        outs.push(std::fs::read(dir.path().join(o).join("Приказ_60_2023-05-03.pdf")).unwrap());
    }
    assert!(outs[0] == outs[1], "CLI renders differ");
    // No wall-clock date: the PDF carries the act's date.
    let info = poppler("pdfinfo", &[], &outs[0]);
    assert!(info.contains("2023"), "{info}");
    let year = chrono::Local::now().format("%Y").to_string();
    if year != "2023" {
        assert!(
            !info
                .lines()
                .any(|l| l.starts_with("CreationDate") && l.contains(&year)),
            "{info}"
        );
    }
}

#[test]
fn only_one_appendix_matches_the_full_render_page_by_page() {
    let dir = tempfile::tempdir().unwrap();
    copy_data(dir.path());
    let (code, _, err) = cli(
        &[
            "render",
            "orenburg-596.yaml",
            "--only",
            "приложение:план",
            "-o",
            "o",
        ],
        dir.path(),
    );
    assert_eq!(code, 0, "{err}");
    let only = std::fs::read(
        dir.path()
            .join("o/Распоряжение_596_2023-09-20_приложение_1.pdf"),
    )
    .unwrap();
    // By number too.
    assert_eq!(
        cli(
            &[
                "render",
                "orenburg-596.yaml",
                "--only",
                "приложение:1",
                "-o",
                "n"
            ],
            dir.path()
        )
        .0,
        0
    );
    let full = pdf_of(&data("orenburg-596.yaml"));
    let full_pages: Vec<String> = pdf_text(&full).split('\u{c}').map(String::from).collect();
    let only_pages: Vec<String> = pdf_text(&only).split('\u{c}').map(String::from).collect();
    let start = full_pages
        .iter()
        .position(|p| p.starts_with("Приложение"))
        .expect("appendix page");
    let n = only_pages.iter().filter(|p| !p.trim().is_empty()).count();
    assert!(n >= 2, "the plan has several pages");
    for i in 0..n {
        assert_eq!(
            words(&only_pages[i]),
            words(&full_pages[start + i]),
            "page {} of the appendix",
            i + 1
        );
    }
    // An unknown appendix is an error naming what exists.
    let (code, _, err) = cli(
        &["render", "orenburg-596.yaml", "--only", "приложение:9"],
        dir.path(),
    );
    assert_eq!(code, 1);
    assert!(
        err.contains("нет приложения «9»") && err.contains("план"),
        "{err}"
    );
}

#[test]
fn no_clobber_keeps_existing_files() {
    let dir = tempfile::tempdir().unwrap();
    copy_data(dir.path());
    let target = dir.path().join("o/Приказ_60_2023-05-03.pdf");
    std::fs::create_dir_all(target.parent().unwrap()).unwrap();
    std::fs::write(&target, b"old").unwrap();
    let (code, _, err) = cli(
        &["render", "ochyor-60.yaml", "-o", "o", "--no-clobber"],
        dir.path(),
    );
    assert_eq!(code, 0);
    assert!(err.contains("оставлен без изменений"), "{err}");
    assert_eq!(std::fs::read(&target).unwrap(), b"old");
    let (code, _, err) = cli(&["render", "ochyor-60.yaml", "-o", "o"], dir.path());
    assert_eq!(code, 0);
    assert!(err.contains("перезаписан"), "{err}");
    assert!(std::fs::read(&target).unwrap().starts_with(b"%PDF"));
    // No temporary files are left behind.
    let names: Vec<String> = std::fs::read_dir(target.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, vec!["Приказ_60_2023-05-03.pdf".to_string()]);
}

#[test]
fn starters_are_valid_acts() {
    let dir = tempfile::tempdir().unwrap();
    copy_profiles(dir.path());
    let with: [&[&str]; 5] = [
        &[],
        &["--with", "план"],
        &["--with", "положение"],
        &["--with", "список"],
        &["--with", "план,положение", "--with", "список"],
    ];
    for kind in ["приказ", "распоряжение", "постановление"] {
        for w in with {
            for profile in [None, Some("профили/уо-оренбург.yaml")] {
                let mut args = vec!["new", kind];
                args.extend(w);
                if let Some(p) = profile {
                    args.extend(["--profile", p]);
                }
                let (code, out, err) = cli(&args, dir.path());
                assert_eq!(code, 0, "{args:?}: {err}");
                let f = format!("{kind}.yaml");
                std::fs::write(dir.path().join(&f), &out).unwrap();
                // A starter is a model act: it renders as it is, with no warning.
                let (code, _, err) = cli(&["render", &f, "-o", "o", "--strict"], dir.path());
                assert_eq!(code, 0, "{args:?}: {err}\n{out}");
                assert!(!err.contains("предупреждение"), "{args:?}: {err}");
                for (name, id) in [
                    ("план", "план"),
                    ("положение", "положение"),
                    ("список", "список"),
                ] {
                    if w.iter().any(|a| a.contains(name)) {
                        assert!(out.contains(&format!("- id: {id}")), "{args:?}");
                        // {приложение:план} or {приложении:план}: referred to.
                        assert!(out.contains(&format!(":{id}}}")), "{args:?}");
                    }
                }
                if profile.is_some() {
                    // What the profile gives is not repeated.
                    assert!(out.contains("профиль: профили/уо-оренбург.yaml"), "{out}");
                    assert!(
                        !out.contains("\nорган:") && !out.contains("\nисполнитель:"),
                        "{out}"
                    );
                    assert!(out.contains("подписант: ио"), "{out}");
                }
            }
        }
    }
    assert_eq!(cli(&["new", "указ"], dir.path()).0, 2);
    let (code, _, err) = cli(&["new", "приказ", "--with", "смета"], dir.path());
    assert_eq!(code, 2);
    assert!(
        err.contains("неизвестное приложение «смета»; допустимы: план, положение, список"),
        "{err}"
    );
    let (code, _, err) = cli(&["new", "приказ", "--profile", "нет.yaml"], dir.path());
    assert_eq!(code, 1);
    assert!(err.contains("профиль нет.yaml не читается"), "{err}");
}

/// `prikaz new -o FILE` writes the starter as `prikaz new` prints it, and
/// never over a file that is there: yesterday's act stays byte for byte.
#[test]
fn new_writes_a_file_and_keeps_an_existing_one() {
    let dir = tempfile::tempdir().unwrap();
    let (code, printed, _) = cli(&["new", "распоряжение", "--with", "план"], dir.path());
    assert_eq!(code, 0);
    let (code, _, err) = cli(
        &[
            "new",
            "распоряжение",
            "--with",
            "план",
            "-o",
            "акты/новое.yaml",
        ],
        dir.path(),
    );
    assert_eq!(code, 0, "{err}");
    let written = std::fs::read_to_string(dir.path().join("акты/новое.yaml")).unwrap();
    assert_eq!(written, printed);
    assert!(err.contains("Образец записан в акты/новое.yaml"), "{err}");
    let (code, _, err) = cli(&["check", "акты/новое.yaml"], dir.path());
    assert_eq!(code, 0, "{err}");

    std::fs::write(dir.path().join("вчерашний.yaml"), "вид: приказ\n").unwrap();
    let (code, _, err) = cli(&["new", "приказ", "-o", "вчерашний.yaml"], dir.path());
    assert_eq!(code, 1);
    assert!(err.contains("файл «вчерашний.yaml» уже есть"), "{err}");
    assert!(err.contains("не перезаписывает"), "{err}");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("вчерашний.yaml")).unwrap(),
        "вид: приказ\n"
    );
    let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(left.len(), 2, "no temporary file is left: {left:?}");
}

#[test]
fn png_preview_pages() {
    let dir = tempfile::tempdir().unwrap();
    copy_data(dir.path());
    let (code, _, err) = cli(
        &[
            "render",
            "ochyor-60.yaml",
            "--format",
            "png",
            "--dpi",
            "30",
            "-o",
            "p",
        ],
        dir.path(),
    );
    assert_eq!(code, 0, "{err}");
    let first = std::fs::read(dir.path().join("p/Приказ_60_2023-05-03-1.png")).unwrap();
    assert!(first.starts_with(b"\x89PNG"));
}

#[test]
fn lint_switches_strict_explain_and_json() {
    let dir = tempfile::tempdir().unwrap();
    copy_data(dir.path());
    // Warnings alone keep exit 0; --strict makes them errors and render writes nothing.
    let (code, _, err) = cli(&["check", "orenburg-596.yaml"], dir.path());
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("предупреждений — 4"), "{err}");
    assert_eq!(
        cli(&["check", "orenburg-596.yaml", "--strict"], dir.path()).0,
        1
    );
    let (code, _, err) = cli(
        &["render", "orenburg-596.yaml", "--strict", "-o", "s"],
        dir.path(),
    );
    assert_eq!(code, 1, "{err}");
    assert!(
        !dir.path().join("s").exists()
            || std::fs::read_dir(dir.path().join("s")).unwrap().count() == 0
    );
    // --allow switches codes off for the run.
    let (code, _, err) = cli(
        &[
            "check",
            "orenburg-596.yaml",
            "--strict",
            "--allow",
            "P101,P201,P302,P601",
        ],
        dir.path(),
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        cli(
            &["check", "orenburg-596.yaml", "--allow", "P999"],
            dir.path()
        )
        .0,
        2
    );
    // JSON for tooling.
    let (code, out, _) = cli(
        &["check", "orenburg-596.yaml", "--format", "json"],
        dir.path(),
    );
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let codes: Vec<&str> = v[0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["P302", "P201", "P101", "P601"]);
    // P302 stands at «приложению №2» in point 2.
    let text = std::fs::read_to_string(dir.path().join("orenburg-596.yaml")).unwrap();
    let line = text
        .lines()
        .position(|l| l.contains("приложению №2"))
        .unwrap()
        + 1;
    assert_eq!(v[0]["diagnostics"][0]["pos"]["line"], line);
    // Explanations.
    let (code, out, _) = cli(&["check", "--explain", "P101"], dir.path());
    assert_eq!(code, 0);
    assert!(out.contains("Почему это важно"), "{out}");
    assert_eq!(cli(&["check", "--explain", "X1"], dir.path()).0, 2);
}

#[test]
fn template_folder_overrides_wording_and_page() {
    let dir = tempfile::tempdir().unwrap();
    copy_data(dir.path());
    // Only one wording template: the rest stay built in.
    std::fs::create_dir_all(dir.path().join("tpl/wording")).unwrap();
    std::fs::write(
        dir.path().join("tpl/wording/deadline.j2"),
        "Выполнить до {% if date %}{{ date }}{% else %}{{ text }}{% endif %}",
    )
    .unwrap();
    let (code, _, err) = cli(
        &[
            "render",
            "orenburg-596.yaml",
            "--template",
            "tpl",
            "-o",
            "w",
        ],
        dir.path(),
    );
    assert_eq!(code, 0, "{err}");
    let text = words(&pdf_text(
        &std::fs::read(dir.path().join("w/Распоряжение_596_2023-09-20.pdf")).unwrap(),
    ))
    .join(" ");
    assert!(text.contains("Выполнить до 20.10.2023"), "{text}");
    assert!(!text.contains("Срок: не позднее"), "{text}");
    // A page template of one's own: the data arrives as /data.json.
    std::fs::write(
        dir.path().join("tpl/act.typ"),
        "#let d = json(\"/data.json\")\nСвой шаблон: #d.act.title",
    )
    .unwrap();
    let (code, _, err) = cli(
        &["render", "ochyor-60.yaml", "--template", "tpl", "-o", "p"],
        dir.path(),
    );
    assert_eq!(code, 0, "{err}");
    let text = pdf_text(&std::fs::read(dir.path().join("p/Приказ_60_2023-05-03.pdf")).unwrap());
    assert!(text.contains("Свой шаблон: Об утверждении плана"), "{text}");
}

/// The small frictions a newcomer meets: a misspelt command lists every
/// command, sizes are written as a person writes them, and the batch usage
/// line names its arguments as its argument list does.
#[test]
fn newcomer_frictions() {
    let dir = tempfile::tempdir().unwrap();
    let (code, _, err) = cli(&["rendr"], dir.path());
    assert_eq!(code, 2);
    for c in ["check", "render", "batch", "new"] {
        assert!(err.contains(c), "«{c}» not suggested:\n{err}");
    }
    assert!(err.contains("возможно, вы имели в виду render"), "{err}");

    std::fs::write(dir.path().join("a.yaml"), MINIMAL).unwrap();
    for size in ["4МБ", "4 МБ", "500КБ", "1,5 мб", "4MB", "300000"] {
        let (code, _, err) = cli(&["check", "a.yaml", "--max-input", size], dir.path());
        assert_eq!(code, 0, "--max-input {size}: {err}");
    }
    // 1 KB is too small for the act: the limit really took the unit.
    let (code, _, err) = cli(&["check", "a.yaml", "--max-input", "0,1КБ"], dir.path());
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("слишком велик"), "{err}");
    let (code, _, err) = cli(&["check", "a.yaml", "--max-input", "четыре"], dir.path());
    assert_eq!(code, 2);
    assert!(err.contains("не размер") && err.contains("4МБ"), "{err}");

    let (_, out, _) = cli(&["batch", "--help"], dir.path());
    let usage = out
        .lines()
        .find(|l| l.contains("Использование"))
        .unwrap_or_default();
    assert!(usage.contains("<ОСНОВА> <ВАРИАНТЫ>"), "{usage}");
    assert!(out.contains("папка файла-основы"), "{out}");
}

/// `prikaz completions bash` is a script bash loads, and its completion
/// offers the commands and options the program has.
#[test]
fn bash_completion_completes_commands_and_options() {
    let dir = tempfile::tempdir().unwrap();
    let (code, script, err) = cli(&["completions", "bash"], dir.path());
    assert_eq!(code, 0, "{err}");
    std::fs::write(dir.path().join("prikaz.bash"), &script).unwrap();
    let complete = |words: &str, cword: usize| {
        let out = std::process::Command::new("bash")
            .arg("-c")
            .arg(format!(
                "source ./prikaz.bash && COMP_WORDS=({words}) && COMP_CWORD={cword} && \
                 COMP_LINE='{words}' && COMP_POINT=${{#COMP_LINE}} && _prikaz prikaz && \
                 printf '%s\\n' \"${{COMPREPLY[@]}}\""
            ))
            .current_dir(dir.path())
            .output()
            .expect("bash runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let commands = complete("prikaz ''", 1);
    for c in [
        "check",
        "render",
        "batch",
        "new",
        "schema",
        "completions",
        "man",
    ] {
        assert!(commands.lines().any(|l| l == c), "{c} in {commands}");
    }
    let options = complete("prikaz render --pdf", 2);
    assert!(options.lines().any(|l| l == "--pdf-standard"), "{options}");
    for shell in ["zsh", "fish", "powershell"] {
        let (code, s, err) = cli(&["completions", shell], dir.path());
        assert_eq!(code, 0, "{shell}: {err}");
        assert!(
            s.contains("render") && s.contains("pdf-standard"),
            "{shell}"
        );
    }
    let (code, _, err) = cli(&["completions", "cmd"], dir.path());
    assert_eq!(code, 2);
    assert!(err.contains("ОБОЛОЧКА") || err.contains("оболоч"), "{err}");
}

/// `prikaz man` is a man page that man-db renders, in Russian, with a page
/// for each command and every option of it.
#[test]
fn man_page_renders_in_russian_with_every_command() {
    let dir = tempfile::tempdir().unwrap();
    let (code, roff, err) = cli(&["man"], dir.path());
    assert_eq!(code, 0, "{err}");
    std::fs::write(dir.path().join("prikaz.1"), &roff).unwrap();
    let out = std::process::Command::new("man")
        .args(["-l", "prikaz.1"])
        .env("MANWIDTH", "100")
        .env("MANPAGER", "cat")
        .env("LANG", "C.UTF-8")
        .current_dir(dir.path())
        .output()
        .expect("man runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Justified lines: spaces are widened.
    let text = String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    for want in [
        "ИМЯ",
        "СИНТАКСИС",
        "prikaz-check",
        "prikaz-render",
        "prikaz-batch",
        "--pdf-standard",
        "--no-clobber",
        "Показать эту справку",
        "Коды выхода",
    ] {
        assert!(text.contains(want), "{want} not in the rendered page");
    }
    for english in [
        "NAME",
        "SYNOPSIS",
        "OPTIONS",
        "Print help",
        "Possible values",
    ] {
        assert!(!text.contains(english), "«{english}» in the rendered page");
    }
}
