//! `prikaz serve` in a real browser: Debian's headless Chromium driven over
//! the WebDriver protocol (chromedriver), with the small HTTP client of
//! `common::http`. A clerk's round: open the act, change the title and see it
//! on the page, type an impossible date and see the Russian message at its
//! line, fix it, save, check the file on disk, download the PDF.
//! Screenshots go to target/tmp/browser/ (CARGO_TARGET_TMPDIR), not to git.

mod common;
use common::http::{Served, request};
use common::*;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// chromedriver and one browser session, ended when dropped.
struct Browser {
    driver: Child,
    addr: String,
    session: String,
    shots: PathBuf,
    _profile: tempfile::TempDir,
}

impl Browser {
    fn start(downloads: &Path, shots: PathBuf) -> Browser {
        require("chromedriver", "chromium chromium-driver");
        require("chromium", "chromium chromium-driver");
        let port = {
            let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            l.local_addr().unwrap().port()
        };
        let driver = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let addr = format!("127.0.0.1:{port}");
        let start = Instant::now();
        while std::net::TcpStream::connect(&addr).is_err() {
            assert!(
                start.elapsed() < Duration::from_secs(60),
                "chromedriver did not start"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        let profile = tempfile::tempdir().unwrap();
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": "/usr/bin/chromium",
                "args": [
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                    "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync",
                    "--disable-dev-shm-usage", "--window-size=1400,900",
                    format!("--user-data-dir={}", profile.path().display()),
                ],
                "prefs": {
                    "download.default_directory": downloads.display().to_string(),
                    "download.prompt_for_download": false,
                },
            },
        }}});
        let mut b = Browser {
            driver,
            addr,
            session: String::new(),
            shots,
            _profile: profile,
        };
        let s = b.call("POST", "/session", &caps);
        b.session = s["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session: {s}"))
            .to_string();
        // Downloads without asking, into `downloads` (headless Chromium).
        b.call(
            "POST",
            &format!("/session/{}/goog/cdp/execute", b.session),
            &json!({"cmd": "Browser.setDownloadBehavior", "params": {
                "behavior": "allow", "downloadPath": downloads.display().to_string()}}),
        );
        b
    }

    /// A WebDriver command; its `value`. An error answer fails the test.
    fn call(&self, method: &str, path: &str, body: &Value) -> Value {
        let a = request(
            &self.addr,
            method,
            path,
            &[("Content-Type", "application/json")],
            body.to_string().as_bytes(),
        );
        let v = a.json();
        assert!(
            a.status == 200,
            "WebDriver {method} {path}: {} {v}",
            a.status
        );
        v["value"].clone()
    }

    fn s(&self, rest: &str) -> String {
        format!("/session/{}{rest}", self.session)
    }

    fn go(&self, url: &str) {
        self.call("POST", &self.s("/url"), &json!({ "url": url }));
    }

    /// Run `script` (a function body) in the page with `args`.
    fn js(&self, script: &str, args: Value) -> Value {
        self.call(
            "POST",
            &self.s("/execute/sync"),
            &json!({"script": script, "args": args}),
        )
    }

    fn element(&self, css: &str) -> String {
        let v = self.call(
            "POST",
            &self.s("/element"),
            &json!({"using": "css selector", "value": css}),
        );
        v.as_object()
            .and_then(|o| o.values().next())
            .and_then(Value::as_str)
            .unwrap_or_else(|| panic!("no element {css}: {v}"))
            .to_string()
    }

    fn click(&self, css: &str) {
        let e = self.element(css);
        self.call("POST", &self.s(&format!("/element/{e}/click")), &json!({}));
    }

    /// Type `text` on the keyboard into the editor, over its selection.
    fn type_in_editor(&self, text: &str) {
        let e = self.element(".cm-content");
        self.call(
            "POST",
            &self.s(&format!("/element/{e}/value")),
            &json!({ "text": text }),
        );
    }

    /// Select the `nth` (0-based) occurrence of `from` up to the end of the
    /// next `to` in the editor, as a clerk would with the mouse.
    fn select(&self, from: &str, to: &str) {
        let ok = self.js(
            "const v = window.prikaz.editor.view; const t = v.state.doc.toString();
             const a = t.indexOf(arguments[0]); if (a < 0) return false;
             const b = t.indexOf(arguments[1], a); if (b < 0) return false;
             v.focus(); v.dispatch({selection: {anchor: a, head: b + arguments[1].length}});
             return true;",
            json!([from, to]),
        );
        assert_eq!(ok, json!(true), "«{from}» … «{to}» is not in the editor");
    }

    /// Wait until `script` returns true (not a timing test: the limit only
    /// fails a broken page); a screenshot named `name` on failure.
    fn until(&self, name: &str, script: &str) {
        let start = Instant::now();
        while self.js(script, json!([])) != json!(true) {
            if start.elapsed() > Duration::from_secs(120) {
                self.shot(&format!("failed-{name}"));
                let status = self.js(
                    "return document.getElementById('status').textContent + ' | ' + document.getElementById('problems').textContent",
                    json!([]),
                );
                panic!("never happened: {name}; the page says: {status}");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// The page's text layer, words joined by single spaces.
    fn preview_text(&self) -> String {
        let v = self.js(
            "return Array.from(document.querySelectorAll('#pages .text span')).map(s => s.textContent).join(' ')",
            json!([]),
        );
        v.as_str()
            .unwrap_or_default()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn shot(&self, name: &str) {
        let v = self.call("GET", &self.s("/screenshot"), &json!({}));
        if let Some(b64) = v.as_str() {
            std::fs::create_dir_all(&self.shots).unwrap();
            std::fs::write(self.shots.join(format!("{name}.png")), base64(b64)).unwrap();
        }
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let _ = request(
                &self.addr,
                "DELETE",
                &format!("/session/{}", self.session),
                &[],
                b"",
            );
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

/// Standard base64 → bytes (WebDriver screenshots).
fn base64(s: &str) -> Vec<u8> {
    let val = |c: u8| match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    };
    let mut out = vec![];
    let (mut acc, mut bits) = (0u32, 0);
    for v in s.bytes().filter_map(val) {
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    out
}

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
