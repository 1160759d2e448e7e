//! `prikaz watch`: edits of a watched act (valid, invalid, valid) and of its
//! profile, the outputs after each, the Russian message, and Ctrl-C.

mod common;
use common::*;
use std::io::Read;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A running `prikaz watch` with what it printed so far.
struct Watch {
    child: Child,
    err: Arc<Mutex<String>>,
}

impl Watch {
    fn start(args: &[&str], cwd: &Path) -> Watch {
        let mut child = Command::new(env!("CARGO_BIN_EXE_prikaz"))
            .args(args)
            .current_dir(cwd)
            .stderr(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .expect("prikaz runs");
        let err = Arc::new(Mutex::new(String::new()));
        let mut pipe = child.stderr.take().unwrap();
        let sink = err.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = pipe.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock()
                    .unwrap()
                    .push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        });
        Watch { child, err }
    }

    fn printed(&self) -> String {
        self.err.lock().unwrap().clone()
    }

    /// Wait until `what` holds; fail with everything printed if it never does.
    /// Not a timing test: the limit is only there so that a broken watch fails.
    fn until(&self, what: &str, mut ok: impl FnMut() -> bool) {
        let start = Instant::now();
        while !ok() {
            assert!(
                start.elapsed() < Duration::from_secs(120),
                "never happened: {what}\nprikaz watch printed:\n{}",
                self.printed()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn text_of(pdf: &Path) -> String {
    let text = std::fs::read(pdf).map(|b| pdf_text(&b)).unwrap_or_default();
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Replace `from` by `to` in `file`, the way an editor saves: a new file
/// renamed over the old one.
fn edit(file: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(file).unwrap();
    assert!(text.contains(from), "{from} is not in {}", file.display());
    let tmp = file.with_extension("yaml~");
    std::fs::write(&tmp, text.replacen(from, to, 1)).unwrap();
    std::fs::rename(&tmp, file).unwrap();
}

#[test]
fn valid_invalid_valid_edits_keep_the_last_good_pdf() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(data("ochyor-60.yaml"), dir.path().join("ochyor-60.yaml")).unwrap();
    copy_profiles(dir.path());
    let act = dir.path().join("ochyor-60.yaml");
    let pdf = dir.path().join("out/Приказ_60_2023-05-03.pdf");
    let w = Watch::start(&["watch", "ochyor-60.yaml", "-o", "out"], dir.path());
    w.until("the first PDF", || {
        text_of(&pdf).contains("Об утверждении плана")
    });

    // 1. Valid: a new title.
    edit(
        &act,
        "Об утверждении плана мероприятий",
        "О плане работы со школами",
    );
    w.until("the PDF with the new title", || {
        text_of(&pdf).contains("О плане работы со школами")
    });
    let good = std::fs::read(&pdf).unwrap();

    // 2. Invalid: an impossible date. The message is Russian and names the
    // place; the PDF stays as it was.
    edit(&act, "дата: 2023-05-03", "дата: 2023-02-30");
    w.until("the message about the date", || {
        w.printed().contains("файлы не обновлены")
    });
    let said = w.printed();
    let place = format!("ochyor-60.yaml:{}:7", date_line());
    assert!(
        said.contains("такой даты нет: 30.02.2023") && said.contains(&place),
        "{said}"
    );
    assert_eq!(
        std::fs::read(&pdf).unwrap(),
        good,
        "the last good PDF must stay"
    );
    assert!(!dir.path().join("out/Приказ_60_2023-02-30.pdf").exists());

    // 3. Valid again: the date fixed and the title changed once more.
    edit(&act, "дата: 2023-02-30", "дата: 2023-05-03");
    edit(&act, "О плане работы со школами", "О поддержке школ");
    w.until("the PDF with the third title", || {
        text_of(&pdf).contains("О поддержке школ")
    });

    // The profile is watched too: a new signatory's name reaches the PDF.
    let profile = dir.path().join("профили/уо-очёр.yaml");
    let text = std::fs::read_to_string(&profile).unwrap();
    let name = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("имя:"))
        .expect("the profile names its signatory")
        .trim()
        .to_string();
    edit(&profile, &name, "И.И. Тестовый");
    w.until("the PDF with the profile's new name", || {
        text_of(&pdf).contains("И.И. Тестовый")
    });
    assert!(temporaries(&dir.path().join("out")).is_empty());
}

/// A table's rows from a CSV: editing the CSV renders the act again.
#[test]
fn an_edited_spreadsheet_is_rendered_again() {
    let dir = tempfile::tempdir().unwrap();
    let fixtures = root().join("tests/fixtures/csv");
    for f in ["plan.yaml", "plan.csv"] {
        std::fs::copy(fixtures.join(f), dir.path().join(f)).unwrap();
    }
    let pdf = dir.path().join("Распоряжение_77_2023-09-01.pdf");
    let w = Watch::start(&["watch", "plan.yaml"], dir.path());
    w.until("the first PDF", || {
        text_of(&pdf).contains("Раздел из таблицы")
    });
    let csv = dir.path().join("plan.csv");
    let text = std::fs::read_to_string(&csv).unwrap();
    // Written in place, as a spreadsheet program saves.
    std::fs::write(
        &csv,
        text.replacen("Раздел из таблицы", "Раздел из правки", 1),
    )
    .unwrap();
    w.until("the PDF with the edited row", || {
        text_of(&pdf).contains("Раздел из правки")
    });
    assert!(
        w.printed().contains("изменения в plan.yaml"),
        "{}",
        w.printed()
    );
}

#[cfg(unix)]
#[test]
fn ctrl_c_stops_watching_and_leaves_no_temporary_files() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(data("ochyor-60.yaml"), dir.path().join("ochyor-60.yaml")).unwrap();
    copy_profiles(dir.path());
    let pdf = dir.path().join("Приказ_60_2023-05-03.pdf");
    let mut w = Watch::start(
        &["watch", "ochyor-60.yaml", "--format", "pdf,docx"],
        dir.path(),
    );
    w.until("the first files", || {
        w.printed().contains("слежу за изменениями")
    });
    assert!(pdf.is_file() && pdf.with_extension("docx").is_file());
    // An edit, and Ctrl-C while its files may still be being written.
    edit(
        &dir.path().join("ochyor-60.yaml"),
        "Об утверждении плана мероприятий",
        "О плане",
    );
    std::thread::sleep(watch_quiet());
    // SAFETY: a signal to the child this test started.
    unsafe {
        libc::kill(w.child.id() as libc::pid_t, libc::SIGINT);
    }
    let status = w.child.wait().unwrap();
    assert_eq!(status.code(), Some(130), "{}", w.printed());
    assert!(
        temporaries(dir.path()).is_empty(),
        "{:?}",
        temporaries(dir.path())
    );
    // Whatever it had finished is whole: the PDF still opens.
    assert!(text_of(&pdf).contains("Очерского"), "{}", text_of(&pdf));
}

fn watch_quiet() -> Duration {
    prikaz::watch::QUIET + Duration::from_millis(50)
}

/// The line of the act's date in data/ochyor-60.yaml.
fn date_line() -> usize {
    let text = std::fs::read_to_string(data("ochyor-60.yaml")).unwrap();
    text.lines().position(|l| l.starts_with("дата:")).unwrap() + 1
}

/// Watch does not feed itself: an act whose coat of arms is the PNG preview
/// `watch --format png` writes is rendered once, not again for ever (the
/// probe's case); the same with the preview written to another folder
/// (made up). An edit of the act is still rendered, once.
#[test]
fn watch_ignores_its_own_outputs() {
    for (out, args) in [
        ("", &["watch", "a.yaml", "--format", "png"][..]),
        (
            "out/",
            &["watch", "a.yaml", "--format", "png,pdf", "-o", "out"][..],
        ),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path();
        std::fs::write(p.join("a.yaml"), MINIMAL).unwrap();
        // The preview, made once to learn its name.
        let (code, _, err) = cli(&["render", "a.yaml", "--format", "png", "-o", "first"], p);
        assert_eq!(code, 0, "{err}");
        let name = std::fs::read_dir(p.join("first"))
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .find(|n| n.ends_with(".png"))
            .expect("a PNG preview");
        std::fs::create_dir_all(p.join(out)).unwrap();
        std::fs::copy(p.join("first").join(&name), p.join(out).join(&name)).unwrap();
        let act = MINIMAL.replace(
            "орган: Управление образования",
            &format!("орган: {{наименование: [Управление образования], герб: \"{out}{name}\"}}"),
        );
        std::fs::write(p.join("a.yaml"), &act).unwrap();
        let w = Watch::start(args, p);
        w.until("the first render", || {
            w.printed().contains("слежу за изменениями")
        });
        std::thread::sleep(Duration::from_secs(3));
        let again = w.printed().matches("формирую заново").count();
        assert_eq!(
            again,
            0,
            "rendered again by its own output:\n{}",
            w.printed()
        );
        edit(&p.join("a.yaml"), "О проверке", "О проверке знаний");
        w.until("the edit rendered", || {
            w.printed().matches("формирую заново").count() == 1
        });
        std::thread::sleep(Duration::from_secs(3));
        assert_eq!(
            w.printed().matches("формирую заново").count(),
            1,
            "{}",
            w.printed()
        );
    }
}
