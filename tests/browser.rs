//! `prikaz serve` in a real browser: Debian's headless Chromium driven over
//! the WebDriver protocol (chromedriver), with the small HTTP client of
//! `common::http`. A clerk's round: open the act, change the title and see it
//! on the page, type an impossible date and see the Russian message at its
//! line, fix it, save, check the file on disk, download the PDF.
//! Screenshots go to target/tmp/browser/ (CARGO_TARGET_TMPDIR), not to git.

mod common;
use common::browser::Browser;
use common::http::Served;
use common::*;
use serde_json::json;
use std::path::Path;
use std::time::{Duration, Instant};

#[test]
fn a_clerk_edits_saves_and_downloads_in_a_real_browser() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(data("ochyor-60.yaml"), dir.path().join("ochyor-60.yaml")).unwrap();
    copy_profiles(dir.path());
    let downloads = tempfile::tempdir().unwrap();
    let shots = Path::new(env!("CARGO_TARGET_TMPDIR")).join("browser");
    let s = Served::start(&["ochyor-60.yaml"], dir.path());
    let b = Browser::start(downloads.path(), shots.clone());
    b.go(&s.url());
    b.until(
        "the first pages",
        "return document.querySelectorAll('#pages .page').length >= 2",
    );
    assert!(b.preview_text().contains("Об утверждении плана"));
    b.shot("1-opened");

    // The title, retyped: the new one is on the page, and the pages stay
    // scrolled where the clerk had them.
    b.js(
        "document.getElementById('right').scrollTop = 700; return true",
        json!([]),
    );
    b.select(
        "Об утверждении плана мероприятий",
        "образовательными результатами",
    );
    b.type_in_editor("О новом плане работы");
    b.until(
        "the new title on the page",
        "return Array.from(document.querySelectorAll('#pages .text span')).some(s => s.textContent.includes('О новом плане работы'))",
    );
    let shown = b.preview_text();
    assert!(!shown.contains("Об утверждении плана"), "{shown}");
    assert_eq!(
        b.js(
            "return document.getElementById('right').scrollTop",
            json!([])
        ),
        json!(700)
    );
    assert!(
        b.js("return document.title", json!([]))
            .as_str()
            .unwrap()
            .starts_with("● ")
    );
    b.shot("2-new-title");

    // An impossible date: the Russian message at the date's line, in the list and
    // in the editor; the last good pages stay, marked as such.
    b.select("2023-05-03", "2023-05-03");
    b.type_in_editor("2023-02-30");
    b.until(
        "the message about the date",
        "return Array.from(document.querySelectorAll('#problems .problem.error')).some(p => p.textContent.includes('такой даты нет: 30.02.2023'))",
    );
    let at = b.js(
        "const p = Array.from(document.querySelectorAll('#problems .problem.error')).find(p => p.textContent.includes('такой даты нет'));
         return [p.dataset.line, p.querySelector('.place').textContent];",
        json!([]),
    );
    let text = std::fs::read_to_string(data("ochyor-60.yaml")).unwrap();
    let line = text.lines().position(|l| l.starts_with("дата:")).unwrap() + 1;
    assert_eq!(
        at,
        json!([line.to_string(), format!("строка {line}, столбец 7:")])
    );
    b.until(
        "the underline in the editor",
        "return document.querySelector('.cm-lintRange-error') !== null",
    );
    let underlined = b.js(
        "const v = window.prikaz.editor.view; const el = document.querySelector('.cm-lintRange-error');
         return v.state.doc.lineAt(v.posAtDOM(el)).number;",
        json!([]),
    );
    assert_eq!(underlined, json!(line));
    assert_eq!(
        b.js("return document.getElementById('stale').hidden", json!([])),
        json!(false)
    );
    assert!(b.preview_text().contains("О новом плане работы"));
    b.shot("3-impossible-date");

    // Fixed, then saved: the file on disk is the editor's text.
    b.select("2023-02-30", "2023-02-30");
    b.type_in_editor("2023-05-03");
    b.until(
        "the problem gone",
        "return document.querySelectorAll('#problems .problem.error').length === 0 && document.getElementById('stale').hidden",
    );
    b.click("#save");
    b.until(
        "saved",
        "return document.getElementById('status').textContent.startsWith('сохранено')",
    );
    let on_disk = std::fs::read_to_string(dir.path().join("ochyor-60.yaml")).unwrap();
    let in_editor = b.js("return window.prikaz.editor.text()", json!([]));
    assert_eq!(json!(on_disk), in_editor);
    assert!(
        on_disk.contains("заголовок: >-\n  О новом плане работы\n"),
        "{on_disk}"
    );
    assert!(on_disk.contains("\nдата: 2023-05-03\n"));
    assert!(!on_disk.contains("Об утверждении плана мероприятий по поддержке"));
    assert!(
        !b.js("return document.title", json!([]))
            .as_str()
            .unwrap()
            .starts_with("● ")
    );

    // The PDF, downloaded by the button.
    b.click("#pdf");
    let pdf = downloads.path().join("Приказ_60_2023-05-03.pdf");
    let start = Instant::now();
    while !pdf.is_file() {
        if start.elapsed() > Duration::from_secs(120) {
            b.shot("failed-download");
            panic!(
                "no PDF downloaded; the folder has {:?}",
                std::fs::read_dir(downloads.path())
                    .unwrap()
                    .flatten()
                    .map(|e| e.file_name())
                    .collect::<Vec<_>>()
            );
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let words = pdf_text(&std::fs::read(&pdf).unwrap())
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(words.contains("О новом плане работы"), "{words}");
    assert!(words.contains("03.05.2023"), "{words}");
    b.shot("4-saved-and-downloaded");
    assert!(shots.join("4-saved-and-downloaded.png").is_file());

    // Completion from the act's schema: a field of «оформление» offered as
    // the clerk types its first letters, with its Russian description; then
    // the field's values.
    b.js(
        "const v = window.prikaz.editor.view; v.focus();
         v.dispatch({selection: {anchor: v.state.doc.length}}); return true",
        json!([]),
    );
    b.type_in_editor("\nоформление:\n  ша");
    b.until(
        "«шапка» offered",
        "const t = document.querySelector('.cm-tooltip-autocomplete'); return !!t && t.textContent.includes('шапка')",
    );
    b.until(
        "the field explained",
        "const i = document.querySelector('.cm-completionInfo'); return !!i && i.textContent.includes('Расположение реквизитов шапки')",
    );
    b.shot("5-completion");
    // CodeMirror takes Enter as «choose» only 75 ms after the list changed
    // (its interactionDelay), so a clerk's Enter is never swallowed.
    std::thread::sleep(Duration::from_millis(300));
    b.type_in_editor("\u{E007}"); // Enter: take it
    b.type_in_editor("уг");
    b.until(
        "«угловая» offered",
        "const t = document.querySelector('.cm-tooltip-autocomplete'); return !!t && t.textContent.includes('угловая')",
    );
    std::thread::sleep(Duration::from_millis(300));
    b.type_in_editor("\u{E007}");
    let text = b.js("return window.prikaz.editor.text()", json!([]));
    assert!(
        text.as_str()
            .unwrap()
            .ends_with("\nоформление:\n  шапка: угловая"),
        "{text}"
    );
}
