//! Hardening: limits, file access, atomic writes, clear messages for broken
//! environments. Every refusal is Russian, names its place, exits 1, writes nothing.

mod common;
use common::*;
use std::path::Path;

fn write(dir: &Path, name: &str, content: impl AsRef<[u8]>) {
    std::fs::write(dir.join(name), content).unwrap();
}

fn png(dir: &Path, name: &str, w: u32, h: u32) {
    image::RgbImage::new(w, h).save(dir.join(name)).unwrap();
}

fn with_emblem(path: &str) -> String {
    MINIMAL.replace(
        "орган: Управление образования",
        &format!("орган: {{наименование: [Управление образования], герб: \"{path}\"}}"),
    )
}

/// Run render; expect refusal with `want` in the message and nothing written.
fn refused(dir: &Path, args: &[&str], want: &[&str]) {
    let out = dir.join("out");
    let mut a = vec!["render"];
    a.extend_from_slice(args);
    a.extend_from_slice(&["-o", out.to_str().unwrap()]);
    let (code, _, err) = cli(&a, dir);
    assert_eq!(code, 1, "{args:?}: {err}");
    assert!(!err.contains("panicked"), "{err}");
    for w in want {
        assert!(err.contains(w), "{args:?}: «{w}» missing:\n{err}");
    }
    assert_eq!(
        std::fs::read_dir(&out).map(|d| d.count()).unwrap_or(0),
        0,
        "{args:?}: output written"
    );
}

#[test]
fn input_size_limit() {
    let d = tempfile::tempdir().unwrap();
    write(
        d.path(),
        "a.yaml",
        format!("{MINIMAL}# {}\n", "x".repeat(5000)),
    );
    refused(
        d.path(),
        &["a.yaml", "--max-input", "4000"],
        &["a.yaml", "слишком велик", "--max-input"],
    );
    // Within the limit it renders.
    assert_eq!(
        cli(
            &["render", "a.yaml", "--max-input", "9000", "-o", "ok"],
            d.path()
        )
        .0,
        0
    );
}

#[test]
fn rows_per_table_limit() {
    let d = tempfile::tempdir().unwrap();
    let mut y = format!(
        "{MINIMAL}приложения:\n  - содержание:\n      - таблица:\n          колонки: [А, Б]\n          строки:\n"
    );
    for i in 0..30 {
        y.push_str(&format!("            - [строка {i}, x]\n"));
    }
    write(d.path(), "t.yaml", &y);
    refused(
        d.path(),
        &["t.yaml", "--max-rows", "20"],
        &["t.yaml:14:11", "30 строк", "--max-rows"],
    );
    assert_eq!(
        cli(
            &["render", "t.yaml", "--max-rows", "30", "-o", "ok"],
            d.path()
        )
        .0,
        0
    );
}

#[test]
fn nesting_depth_limit() {
    let d = tempfile::tempdir().unwrap();
    let deep = format!("{MINIMAL}x: {}1{}\n", "[".repeat(100), "]".repeat(100));
    write(d.path(), "deep.yaml", deep);
    refused(d.path(), &["deep.yaml"], &["deep.yaml:11:", "вложенность"]);
}

#[test]
fn image_limits_and_broken_images() {
    let d = tempfile::tempdir().unwrap();
    png(d.path(), "small.png", 40, 40);
    write(d.path(), "ok.yaml", with_emblem("small.png"));
    let (code, _, err) = cli(
        &["render", "ok.yaml", "-o", "ok", "--format", "pdf,docx"],
        d.path(),
    );
    assert_eq!(code, 0, "{err}");
    // Bytes.
    refused(
        d.path(),
        &["ok.yaml", "--max-image", "100"],
        &["ok.yaml:2:", "слишком велико", "--max-image"],
    );
    // Pixels: a real PNG of 8000 × 6000 (48 Mpx) is over the 40 Mpx cap.
    png(d.path(), "huge.png", 8000, 6000);
    write(d.path(), "huge.yaml", with_emblem("huge.png"));
    refused(d.path(), &["huge.yaml"], &["8000×6000", "мегапикселей"]);
    // Not an image at all.
    write(d.path(), "fake.png", b"\x89PNG\r\n\x1a\nnot really");
    write(d.path(), "fake.yaml", with_emblem("fake.png"));
    refused(
        d.path(),
        &["fake.yaml"],
        &["fake.png", "не читается как изображение"],
    );
}

#[test]
fn files_outside_the_acts_folder_are_refused() {
    let parent = tempfile::tempdir().unwrap();
    let d = parent.path().join("act");
    std::fs::create_dir(&d).unwrap();
    png(parent.path(), "outside.png", 10, 10);
    for (name, path) in [
        ("up.yaml", "../outside.png"),
        ("abs.yaml", "/etc/passwd.png"),
        ("deep.yaml", "../../../../etc/passwd.png"),
    ] {
        write(&d, name, with_emblem(path));
        refused(&d, &[name], &[name, "за пределы папки акта"]);
    }
    // A link inside the folder that leads out.
    std::os::unix::fs::symlink(parent.path().join("outside.png"), d.join("link.png")).unwrap();
    write(&d, "link.yaml", with_emblem("link.png"));
    refused(
        &d,
        &["link.yaml"],
        &["link.yaml:2:", "ссылка за пределы папки акта"],
    );
    // CSV likewise.
    write(
        &d,
        "c.yaml",
        format!(
            "{MINIMAL}приложения:\n  - содержание:\n      - таблица:\n          колонки: [А]\n          строки_из: ../../etc/passwd.csv\n"
        ),
    );
    refused(&d, &["c.yaml"], &["c.yaml:15:22", "за пределы папки акта"]);
    // --root widens the allowed folder to the parent: now the file is found.
    let (code, _, err) = cli(
        &[
            "render",
            "up.yaml",
            "--root",
            parent.path().to_str().unwrap(),
            "-o",
            "ok",
        ],
        &d,
    );
    assert_eq!(code, 0, "{err}");
    // …but not beyond it.
    refused(
        &d,
        &["deep.yaml", "--root", parent.path().to_str().unwrap()],
        &["за пределы разрешённой папки"],
    );
}

#[test]
fn broken_environment_messages() {
    let d = tempfile::tempdir().unwrap();
    write(d.path(), "a.yaml", MINIMAL);
    // The output "folder" is a file.
    write(d.path(), "file", "x");
    let (code, _, err) = cli(&["render", "a.yaml", "-o", "file/sub"], d.path());
    assert_eq!(code, 1);
    assert!(err.contains("не удалось создать папку"), "{err}");
    // A template folder that is not there.
    let (code, _, err) = cli(&["render", "a.yaml", "--template", "нет-папки"], d.path());
    assert_eq!(code, 1);
    assert!(
        err.contains("папка шаблонов") && err.contains("не найдена"),
        "{err}"
    );
    // A folder given as the input.
    std::fs::create_dir(d.path().join("dir.yaml")).unwrap();
    let (code, _, err) = cli(&["check", "dir.yaml"], d.path());
    assert_eq!(code, 1);
    assert!(err.contains("это папка"), "{err}");
    // A broken page template is reported as such, with its line.
    std::fs::create_dir_all(d.path().join("tpl")).unwrap();
    write(&d.path().join("tpl"), "act.typ", "#let x = (\n#x\n");
    let (code, _, err) = cli(
        &["render", "a.yaml", "--template", "tpl", "-o", "o"],
        d.path(),
    );
    assert_eq!(code, 1);
    assert!(err.contains("ошибка в шаблоне страницы act.typ"), "{err}");
}

#[test]
fn an_interrupted_write_leaves_the_previous_output_intact() {
    let d = tempfile::tempdir().unwrap();
    let mut y = format!(
        "{MINIMAL}приложения:\n  - содержание:\n      - таблица:\n          колонки: [А, Б]\n          строки:\n"
    );
    for i in 0..1500 {
        y.push_str(&format!(
            "            - [строка {i} с текстом, ещё текст {i}]\n"
        ));
    }
    write(d.path(), "big.yaml", &y);
    let target = d.path().join("o/Приказ_7_2024-02-01.pdf");
    std::fs::create_dir_all(target.parent().unwrap()).unwrap();
    std::fs::write(&target, b"previous").unwrap();
    // Kill the process at different moments; each time the target is either the
    // previous file or a complete PDF, never a truncated one.
    let mut saw_new = false;
    // The last run (None) is left to finish, so a replacement is always exercised.
    for delay_ms in [
        Some(5u64),
        Some(40),
        Some(120),
        Some(250),
        Some(400),
        Some(700),
        Some(1200),
        None,
    ] {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_prikaz"))
            .args(["render", "big.yaml", "-o", "o"])
            .current_dir(d.path())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        if let Some(ms) = delay_ms {
            std::thread::sleep(std::time::Duration::from_millis(ms));
            let _ = child.kill();
        }
        let _ = child.wait();
        let now = std::fs::read(&target).unwrap();
        let complete =
            now.starts_with(b"%PDF") && now.windows(5).rev().take(64).any(|w| w == b"%%EOF");
        assert!(
            now == b"previous" || complete,
            "after {delay_ms:?} ms: {} bytes, neither old nor complete",
            now.len()
        );
        saw_new |= complete;
        std::fs::write(&target, b"previous").unwrap();
    }
    assert!(
        saw_new,
        "no run finished: the test did not exercise a replacement"
    );
}

/// Rendered files get the permissions any saved file gets (0644 under umask
/// 022), not the temporary file's 0600; a replaced file keeps its own mode.
#[cfg(unix)]
#[test]
fn output_files_get_the_usual_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let d = tempfile::tempdir().unwrap();
    write(d.path(), "a.yaml", MINIMAL);
    let run = |umask: &str| {
        let out = std::process::Command::new("sh")
            .arg("-c")
            .arg(format!(
                "umask {umask} && exec \"$0\" render a.yaml --format pdf,docx -o out"
            ))
            .arg(env!("CARGO_BIN_EXE_prikaz"))
            .current_dir(d.path())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    let mode = |name: &str| {
        std::fs::metadata(d.path().join("out").join(name))
            .unwrap()
            .permissions()
            .mode()
            & 0o777
    };
    run("022");
    let names = ["Приказ_7_2024-02-01.pdf", "Приказ_7_2024-02-01.docx"];
    let present: Vec<String> = std::fs::read_dir(d.path().join("out"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(present.len(), 2, "{present:?}");
    for n in names {
        assert!(present.contains(&n.to_string()), "{n} in {present:?}");
        assert_eq!(mode(n), 0o644, "{n} under umask 022");
    }
    // Another umask gives another mode: the umask decides, not a fixed number.
    std::fs::remove_dir_all(d.path().join("out")).unwrap();
    run("027");
    assert_eq!(mode(names[0]), 0o640, "under umask 027");
    // A replaced file keeps the mode its owner gave it.
    let p = d.path().join("out").join(names[0]);
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o600)).unwrap();
    std::fs::set_permissions(
        d.path().join("out").join(names[1]),
        std::fs::Permissions::from_mode(0o664),
    )
    .unwrap();
    run("022");
    assert_eq!(mode(names[0]), 0o600, "replaced file keeps 0600");
    assert_eq!(mode(names[1]), 0o664, "replaced file keeps 0664");
}

/// All or nothing per act: when one format cannot be written (a folder
/// stands where the DOCX goes), the PDF is not left behind either.
#[test]
fn one_failing_format_writes_nothing() {
    let d = tempfile::tempdir().unwrap();
    write(d.path(), "a.yaml", MINIMAL);
    std::fs::create_dir_all(d.path().join("out/Приказ_7_2024-02-01.docx")).unwrap();
    let (code, _, err) = cli(
        &["render", "a.yaml", "--format", "pdf,docx", "-o", "out"],
        d.path(),
    );
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("файлы не созданы"), "{err}");
    let left: Vec<String> = std::fs::read_dir(d.path().join("out"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        left,
        vec!["Приказ_7_2024-02-01.docx".to_string()],
        "{left:?}"
    );
}

/// Temporary files a killed run left are removed by the next run in that
/// folder; one whose process still lives is not.
#[cfg(target_os = "linux")]
#[test]
fn stale_temporary_files_are_cleaned() {
    let d = tempfile::tempdir().unwrap();
    write(d.path(), "a.yaml", MINIMAL);
    let out = d.path().join("out");
    std::fs::create_dir_all(&out).unwrap();
    // A pid no process has (above the kernel's maximum), and pid 1 (alive).
    write(&out, ".prikaz-4999999-abc.tmp", "half");
    write(&out, ".prikaz-1-def.tmp", "in progress");
    let (code, _, err) = cli(&["render", "a.yaml", "-o", "out"], d.path());
    assert_eq!(code, 0, "{err}");
    assert!(
        !out.join(".prikaz-4999999-abc.tmp").exists(),
        "stale file kept"
    );
    assert!(
        out.join(".prikaz-1-def.tmp").exists(),
        "a live run's file removed"
    );
}

/// Ctrl-C during a batch: exit 130 and no temporary file left.
#[cfg(unix)]
#[test]
fn ctrl_c_leaves_no_temporary_files() {
    let d = tempfile::tempdir().unwrap();
    for f in ["plan-base.yaml", "districts.yaml"] {
        std::fs::copy(root().join("data/batch").join(f), d.path().join(f)).unwrap();
    }
    copy_batch_profiles(d.path());
    // One thread, and two worker processes (the signal goes to the parent
    // alone, as `kill -INT` sends it: the parent must stop its workers).
    for (delay, jobs) in [
        (150u64, "1"),
        (400, "1"),
        (900, "1"),
        (150, "2"),
        (400, "2"),
    ] {
        let child = std::process::Command::new(env!("CARGO_BIN_EXE_prikaz"))
            .args([
                "batch",
                "plan-base.yaml",
                "districts.yaml",
                "-o",
                "out",
                "--format",
                "pdf,docx",
                "-j",
                jobs,
            ])
            .current_dir(d.path())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay));
        let _ = std::process::Command::new("kill")
            .args(["-INT", &child.id().to_string()])
            .status();
        let out = child.wait_with_output().unwrap();
        // 130: interrupted, temporaries removed; 0: finished first; no code:
        // the signal came before the handler existed, before any file.
        let code = out.status.code();
        assert!(
            matches!(code, Some(130) | Some(0) | None),
            "after {delay} ms, -j {jobs}: exit {code:?}"
        );
        let mut tmp = vec![];
        for e in walkdir(&d.path().join("out")) {
            if e.to_string_lossy().ends_with(".tmp") {
                tmp.push(e);
            }
        }
        assert!(tmp.is_empty(), "after {delay} ms, -j {jobs}: {tmp:?}");
    }
}

fn walkdir(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = vec![];
    if let Ok(rd) = std::fs::read_dir(dir) {
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                out.extend(walkdir(&p));
            } else {
                out.push(p);
            }
        }
    }
    out
}

/// A folder with a.yaml and b.yaml: two acts of one kind, number and date
/// (so one file name), whose titles differ.
fn two_acts_with_one_name() -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    write(d.path(), "a.yaml", MINIMAL);
    write(
        d.path(),
        "b.yaml",
        MINIMAL.replace("О проверке", "О другой проверке"),
    );
    d
}

/// Two acts of one run that map to one file name: an error naming both, and
/// the first act's file is not overwritten.
#[test]
fn two_acts_with_one_file_name_are_an_error() {
    let d = two_acts_with_one_name();
    let (code, _, err) = cli(&["render", "a.yaml", "b.yaml", "-o", "out"], d.path());
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("E031") && err.contains("a.yaml") && err.contains("b.yaml"),
        "{err}"
    );
    let pdf = std::fs::read(d.path().join("out/Приказ_7_2024-02-01.pdf")).unwrap();
    let text = pdf_text(&pdf);
    assert!(
        text.contains("О проверке") && !text.contains("другой"),
        "{text}"
    );
}

/// `--no-clobber` is an exclusive create: of two runs racing for one name,
/// exactly one writes it, and the file is whole.
#[test]
fn no_clobber_races_have_one_winner() {
    let d = two_acts_with_one_name();
    for round in 0..10 {
        let out = format!("out{round}");
        let spawn = |f: &str| {
            std::process::Command::new(env!("CARGO_BIN_EXE_prikaz"))
                .args(["render", f, "-o", &out, "--no-clobber"])
                .current_dir(d.path())
                .output()
        };
        let (a, b) = std::thread::scope(|s| {
            let a = s.spawn(|| spawn("a.yaml").unwrap());
            let b = s.spawn(|| spawn("b.yaml").unwrap());
            (a.join().unwrap(), b.join().unwrap())
        });
        let said =
            |o: &std::process::Output| String::from_utf8_lossy(&o.stderr).contains("записан:");
        assert_eq!(
            said(&a) as u8 + said(&b) as u8,
            1,
            "round {round}: {}\n{}",
            String::from_utf8_lossy(&a.stderr),
            String::from_utf8_lossy(&b.stderr)
        );
        let pdf = std::fs::read(d.path().join(&out).join("Приказ_7_2024-02-01.pdf")).unwrap();
        let text = pdf_text(&pdf);
        let winner_is_b = text.contains("другой");
        assert_eq!(
            said(&b),
            winner_is_b,
            "round {round}: the file is the winner's"
        );
    }
}

/// Messages never send control characters from user text to the terminal.
#[test]
fn escape_sequences_in_user_text_are_shown_not_sent() {
    let d = tempfile::tempdir().unwrap();
    // A name that would retitle and clear the terminal, in a warning (P402:
    // not «И.О. Фамилия») and in an error (unknown field).
    let y = MINIMAL.replace("имя: И.И. Иванов", "имя: \"Иванов\\e]0;взлом\\a\\e[2J\"")
        + "\"поле\\e[2J\": x\n";
    write(d.path(), "a.yaml", y);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_prikaz"))
        .args(["check", "a.yaml"])
        .current_dir(d.path())
        .output()
        .unwrap();
    assert!(!out.stderr.contains(&0x1b), "raw ESC reached the terminal");
    assert!(!out.stderr.contains(&0x07), "raw BEL reached the terminal");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("\\u{1b}"), "{err}");
}

/// A file name made from a very long act number is shortened, and says so.
#[test]
fn a_long_act_number_gives_a_short_file_name() {
    let d = tempfile::tempdir().unwrap();
    let number = format!("{}/{}", "7".repeat(200), "\u{202e}x");
    write(
        d.path(),
        "a.yaml",
        MINIMAL.replace("номер: 7", &format!("номер: \"{number}\"")),
    );
    let (code, _, err) = cli(&["render", "a.yaml", "-o", "out"], d.path());
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("имя сокращено"), "{err}");
    let names: Vec<String> = std::fs::read_dir(d.path().join("out"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 1, "{names:?}");
    assert!(names[0].chars().count() < 100, "{names:?}");
    assert!(!names[0].contains('/') && !names[0].contains('\u{202e}'));
}

/// A loop in a user's wording template stops with a Russian error naming the
/// template, instead of hanging.
#[test]
fn a_looping_wording_template_is_stopped() {
    let d = tempfile::tempdir().unwrap();
    write(d.path(), "a.yaml", MINIMAL);
    std::fs::create_dir_all(d.path().join("tpl/wording")).unwrap();
    write(
        &d.path().join("tpl/wording"),
        "operative_word.j2",
        "{% for i in range(50000) %}{% for j in range(50000) %}x{% endfor %}{% endfor %}",
    );
    let t = std::time::Instant::now();
    let (code, _, err) = cli(&["check", "a.yaml", "--template", "tpl"], d.path());
    assert_eq!(code, 1, "{err}");
    assert!(
        t.elapsed() < std::time::Duration::from_secs(30),
        "not stopped"
    );
    assert!(
        err.contains("operative_word.j2") && err.contains("бесконечный цикл"),
        "{err}"
    );
}
