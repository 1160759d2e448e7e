//! A real browser for the tests of `prikaz serve`: Debian's headless
//! Chromium driven over the WebDriver protocol (chromedriver), with the small
//! HTTP client of `super::http`. Screenshots go where `start` is told.

use super::http::request;
use super::require;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// chromedriver and one browser session, ended when dropped.
pub struct Browser {
    driver: Child,
    addr: String,
    session: String,
    shots: PathBuf,
    _profile: tempfile::TempDir,
}

impl Browser {
    pub fn start(downloads: &Path, shots: PathBuf) -> Browser {
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
    pub fn call(&self, method: &str, path: &str, body: &Value) -> Value {
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

    pub fn s(&self, rest: &str) -> String {
        format!("/session/{}{rest}", self.session)
    }

    pub fn go(&self, url: &str) {
        self.call("POST", &self.s("/url"), &json!({ "url": url }));
    }

    /// Run `script` (a function body) in the page with `args`.
    pub fn js(&self, script: &str, args: Value) -> Value {
        self.call(
            "POST",
            &self.s("/execute/sync"),
            &json!({"script": script, "args": args}),
        )
    }

    pub fn element(&self, css: &str) -> String {
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

    pub fn click(&self, css: &str) {
        let e = self.element(css);
        self.call("POST", &self.s(&format!("/element/{e}/click")), &json!({}));
    }

    /// Type `text` on the keyboard into the editor, over its selection.
    pub fn type_in_editor(&self, text: &str) {
        let e = self.element(".cm-content");
        self.call(
            "POST",
            &self.s(&format!("/element/{e}/value")),
            &json!({ "text": text }),
        );
    }

    /// Select the `nth` (0-based) occurrence of `from` up to the end of the
    /// next `to` in the editor, as a clerk would with the mouse.
    pub fn select(&self, from: &str, to: &str) {
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
    pub fn until(&self, name: &str, script: &str) {
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
    pub fn preview_text(&self) -> String {
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

    pub fn shot(&self, name: &str) {
        let v = self.call("GET", &self.s("/screenshot"), &json!({}));
        if let Some(b64) = v.as_str() {
            std::fs::create_dir_all(&self.shots).unwrap();
            std::fs::write(self.shots.join(format!("{name}.png")), base64(b64)).unwrap();
        }
    }
}

impl Browser {
    /// Type `text` into the field `id` (of a dialog), over what it held.
    pub fn fill(&self, id: &str, text: &str) {
        let e = self.element(&format!("#{id}"));
        self.call("POST", &self.s(&format!("/element/{e}/clear")), &json!({}));
        self.call(
            "POST",
            &self.s(&format!("/element/{e}/value")),
            &json!({ "text": text }),
        );
    }

    /// From an empty folder served: the first-use form filled with an
    /// organisation, then «Новый акт» with `appendices` (values of its
    /// checkboxes); the name of the act made (relative to the folder).
    pub fn first_act(&self, appendices: &[&str]) -> String {
        self.until(
            "the first-use form",
            "return document.getElementById('profile-dialog').open",
        );
        self.shot("0a-first-use-form");
        self.fill(
            "profile-org",
            "Администрация Энского района\nОтдел образования",
        );
        self.fill(
            "profile-genitive",
            "отдела образования администрации Энского района",
        );
        self.fill("profile-position", "Начальник\nотдела образования");
        self.fill("profile-head", "В.В. Кузнецова");
        self.fill("profile-executor", "Смирнова Мария Ивановна");
        self.fill("profile-phone", "8 (3532) 11-22-33");
        self.click("#profile-save");
        self.until(
            "the new act dialog",
            "return document.getElementById('new-dialog').open",
        );
        for a in appendices {
            self.click(&format!("#new-form input[value={a}]"));
        }
        let name = self.js(
            "return document.getElementById('new-name').value",
            json!([]),
        );
        let name = name.as_str().unwrap().to_string();
        self.shot("0b-new-act-dialog");
        self.click("#new-create");
        self.until(
            "the new act's pages",
            "return document.querySelectorAll('#pages .page').length >= 2",
        );
        name
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
