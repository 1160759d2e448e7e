//! The form view of `prikaz serve` («Текст | Форма», src/serve/editor/form.mjs)
//! in a real browser (headless Chromium over WebDriver, as tests/browser.rs):
//! from an empty folder, a clerk writes the organisation's profile in the
//! first-use form, makes a приказ with a plan with «Новый акт», fills the
//! requisites through the form, pastes plan rows copied from
//! LibreOffice Calc (the clipboard forms Calc itself made, tests/fixtures/calc),
//! moves and deletes rows, undoes and redoes across the views, saves and
//! downloads the PDF; and every act we have survives the form byte for byte.
//! Screenshots go to target/tmp/browser-form/ (CARGO_TARGET_TMPDIR).

mod common;
use common::browser::Browser;
use common::http::Served;
use common::*;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

fn prikaz(dir: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_prikaz"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("prikaz runs")
}

fn calc(name: &str) -> String {
    std::fs::read_to_string(root().join("tests/fixtures/calc").join(name)).unwrap()
}

/// The editor's text.
fn text(b: &Browser) -> String {
    b.js("return window.prikaz.editor.text()", json!([]))
        .as_str()
        .unwrap()
        .to_string()
}

/// Type `s` into the form's field `key` (data-focus) on the keyboard, over
/// what it holds (Ctrl+A first).
fn type_into(b: &Browser, key: &str, s: &str) {
    let e = b.element(&format!("[data-focus=\"{key}\"]"));
    b.call(
        "POST",
        &b.s(&format!("/element/{e}/value")),
        &json!({ "text": format!("\u{E009}a\u{E009}{s}") }),
    );
}

/// Wait until the form has been drawn again after a change from outside it.
fn settle(b: &Browser) {
    b.until("the form drawn", "return window.PrikazForm.test.settled()");
}

/// Words for «in order» comparison: hyphens dropped (a word broken at a line
/// end reads the same as whole), quotes and case as typography.
fn plain_words(t: &str) -> Vec<String> {
    words(t)
        .into_iter()
        .map(|w| {
            w.replace(['-', '"', '(', ')', ',', '.', ':', ';'], "")
                .to_lowercase()
        })
        .filter(|w| !w.is_empty())
        .collect()
}

/// `want` appear in `got` in this order (other words may stand between).
fn in_order(want: &[String], got: &[String]) -> Result<(), String> {
    let mut at = 0;
    for (i, w) in want.iter().enumerate() {
        match got[at..].iter().position(|g| g == w) {
            Some(p) => at += p + 1,
            None => {
                return Err(format!(
                    "word {i} «{w}» not found after word {at} of the PDF; wanted …{}…",
                    want[i.saturating_sub(5)..(i + 5).min(want.len())].join(" ")
                ));
            }
        }
    }
    Ok(())
}

#[test]
fn a_clerk_fills_the_form_and_pastes_rows_from_calc() {
    // From an empty folder, as a clerk starts: the page asks for the
    // organisation, then makes a приказ with a plan.
    let dir = tempfile::tempdir().unwrap();
    let downloads = tempfile::tempdir().unwrap();
    let shots = Path::new(env!("CARGO_TARGET_TMPDIR")).join("browser-form");
    let s = Served::start(&[], dir.path());
    let b = Browser::start(downloads.path(), shots.clone());
    b.go(&s.url());
    let act = b.first_act(&["план"]);
    let sample = std::fs::read_to_string(dir.path().join(&act)).unwrap();
    let comments: Vec<&str> = sample
        .lines()
        .filter(|l| l.trim_start().starts_with('#'))
        .collect();
    assert!(!comments.is_empty(), "the sample has comments:\n{sample}");
    b.until(
        "the first pages",
        "return document.querySelectorAll('#pages .page').length >= 1",
    );
    b.shot("1-text");

    // «Форма»: the requisites as fields.
    b.click(".pf-bar .pf-tab:nth-child(2)");
    b.until(
        "the form",
        "return !!document.querySelector('[data-focus=\"req:заголовок\"]')",
    );
    b.shot("2-form");
    type_into(
        &b,
        "req:заголовок",
        "О проведении краеведческой олимпиады школьников",
    );
    type_into(&b, "req:номер", "45-од");
    // The calendar: what a pick in it gives is the input's value and «change».
    b.js(
        "const d = document.querySelector('[data-focus=\"req:дата\"]'); d.value = '2024-01-10';
         d.dispatchEvent(new Event('change', {bubbles: true})); return true",
        json!([]),
    );
    type_into(&b, "req:подписант", "руководитель");
    let t = text(&b);
    assert!(
        t.contains("\nзаголовок: О проведении краеведческой олимпиады школьников"),
        "{t}"
    );
    assert!(t.contains("\nномер: 45-од"), "{t}");
    assert!(t.contains("\nдата: 10.01.2024"), "{t}");
    assert!(t.contains("\nподписант: руководитель"), "{t}");
    b.until(
        "the new title on the page",
        "return Array.from(document.querySelectorAll('#pages .text span')).some(s => s.textContent.includes('краеведческой'))",
    );
    b.shot("3-requisites");

    // The plan's grid: the last row's first cell takes the paste.
    let last_row = b.js(
        "const cells = document.querySelectorAll('.pf-table textarea[data-col=\"0\"]');
         return cells[cells.length - 1].dataset.focus",
        json!([]),
    );
    let last_row = last_row.as_str().unwrap().to_string();
    // The plan's table (the sample may have other tables before it).
    let key = b.js(
        "return document.querySelector('[data-focus=\"' + arguments[0] + '\"]').closest('table').dataset.table",
        json!([last_row]),
    );
    let plan = format!("table[data-table=\"{}\"]", key.as_str().unwrap());
    let before_paste = text(&b);
    let rows = format!("return document.querySelectorAll('{plan} tbody tr').length");
    let rows_before = b.js(&rows, json!([]));
    // Calc's tab-separated text.
    let ok = b.js(
        "return window.PrikazForm.test.paste(arguments[0], 'text/plain', arguments[1])",
        json!([last_row, calc("план.txt")]),
    );
    assert_eq!(ok, json!(true));
    let after_tsv = text(&b);
    assert_eq!(
        b.js(&rows, json!([])),
        json!(rows_before.as_u64().unwrap() + 6)
    );
    let show_plan = || {
        b.js(
            "document.querySelector(arguments[0]).scrollIntoView(); return true",
            json!([plan]),
        )
    };
    show_plan();
    b.shot("4-pasted-text");
    // Undone, and Calc's HTML pasted instead: the same rows.
    b.click(".pf-undo .pf-btn:nth-child(1)");
    assert_eq!(text(&b), before_paste);
    b.until(
        "the form drawn again after undo",
        &format!("{rows} === {rows_before}"),
    );
    let ok = b.js(
        "return window.PrikazForm.test.paste(arguments[0], 'text/html', arguments[1])",
        json!([last_row, calc("план.html")]),
    );
    assert_eq!(ok, json!(true));
    assert_eq!(
        text(&b),
        after_tsv,
        "the HTML paste differs from the text one"
    );
    // Only lines were added: everything before stays as it was.
    let added: Vec<&str> = {
        let old: Vec<&str> = before_paste.lines().collect();
        let new: Vec<&str> = after_tsv.lines().collect();
        let head = old.iter().zip(&new).take_while(|(a, b)| a == b).count();
        let tail = old[head..]
            .iter()
            .rev()
            .zip(new[head..].iter().rev())
            .take_while(|(a, b)| a == b)
            .count();
        assert_eq!(head + tail, old.len(), "paste changed existing lines");
        new[head..new.len() - tail].to_vec()
    };
    let added = added.join("\n");
    assert!(
        added.contains("Круглый стол \\\"Новые стандарты\\\"")
            || added.contains("'Круглый стол \"Новые стандарты\"'")
            || added.contains("Круглый стол \"Новые стандарты\""),
        "{added}"
    );
    assert!(
        added.contains("Мониторинг читательской грамотности"),
        "{added}"
    );
    show_plan();
    b.shot("5-pasted-html");

    // Move the first pasted row down, delete the fifth pasted one.
    let first = rows_before.as_u64().unwrap() as usize; // data-row of the first pasted

    // Enter in a cell goes to the cell below and changes nothing.
    let table = key.as_str().unwrap();
    let e = b.element(&format!("[data-focus=\"cell:{table}/{first}/1\"]"));
    b.call(
        "POST",
        &b.s(&format!("/element/{e}/value")),
        &json!({ "text": "\u{E007}" }),
    );
    assert_eq!(
        b.js("return document.activeElement.dataset.focus", json!([])),
        json!(format!("cell:{table}/{}/1", first + 1))
    );
    assert_eq!(text(&b), after_tsv);
    b.click(&format!(
        "{plan} tbody tr:nth-child({}) .pf-rt .pf-btn:nth-child(2)",
        first + 1
    ));
    let moved = text(&b);
    assert!(
        moved.find("Круглый стол").unwrap() < moved.find("Семинар для заместителей").unwrap(),
        "the row did not move"
    );
    show_plan();
    b.shot("6-moved");
    b.click(&format!(
        "{plan} tbody tr:nth-child({}) .pf-rt .pf-del",
        first + 5
    ));
    let deleted = text(&b);
    assert!(!deleted.contains("Конкурс методических"), "{deleted}");
    assert!(deleted.contains("Мониторинг читательской"), "{deleted}");
    show_plan();
    b.shot("7-deleted");
    // Undo once, redo once, across the form.
    b.click(".pf-undo .pf-btn:nth-child(1)");
    assert_eq!(text(&b), moved);
    b.until(
        "the undone row in the form",
        "return Array.from(document.querySelectorAll('.pf-table textarea')).some(a => a.value.startsWith('Конкурс методических'))",
    );
    show_plan();
    b.shot("8-undone");
    b.click(".pf-undo .pf-btn:nth-child(2)");
    assert_eq!(text(&b), deleted);
    b.until(
        "the redone deletion in the form",
        "return !Array.from(document.querySelectorAll('.pf-table textarea')).some(a => a.value.startsWith('Конкурс методических'))",
    );
    // The text view has the same text.
    b.click(".pf-bar .pf-tab:nth-child(1)");
    b.until(
        "the text view",
        "return document.getElementById('editor').style.display === ''",
    );
    b.shot("9-text-again");

    b.click("#save");
    b.until(
        "saved",
        "return document.getElementById('status').textContent.startsWith('сохранено')",
    );
    let saved = std::fs::read_to_string(dir.path().join(&act)).unwrap();
    assert_eq!(saved, deleted);
    for c in &comments {
        assert!(saved.contains(c), "comment «{c}» lost:\n{saved}");
    }
    let check = prikaz(dir.path(), &["check", "--strict", &act]);
    assert!(
        check.status.success(),
        "check --strict: {}\n{saved}",
        String::from_utf8_lossy(&check.stderr)
    );

    b.click("#pdf");
    let pdf = wait_for_pdf(&b, downloads.path());
    let got = plain_words(&pdf_text(&std::fs::read(&pdf).unwrap()));
    // The date, the number, the title, the profile's head, then the plan's
    // rows as they stand after the move and the delete.
    let mut want = String::from(
        "10.01.2024 45-од О проведении краеведческой олимпиады школьников В.В. Кузнецова ",
    );
    for row in [
        "Круглый стол \"Новые стандарты\" февраль 2025 года Орлов П.П.",
        "Семинар для заместителей директоров январь 2025 года Зорина И.И.",
        "Мониторинг читательской грамотности (пятые и шестые классы) март 2025 года Белова С.С.",
        "Открытые уроки в школах района апрель 2025 года руководители ОО",
        "Итоговое совещание июнь 2025 года Гусева А.Б.",
    ] {
        want.push_str(row);
        want.push(' ');
    }
    let want = plain_words(&want);
    if let Err(e) = in_order(&want, &got) {
        panic!("{e}\nPDF: {}", got.join(" "));
    }
    assert!(
        !got.contains(&"методических".to_string()),
        "the deleted row is in the PDF"
    );
    b.shot("10-downloaded");
}

fn wait_for_pdf(b: &Browser, dir: &Path) -> PathBuf {
    let start = Instant::now();
    loop {
        let found = std::fs::read_dir(dir)
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .find(|p| p.extension().is_some_and(|e| e == "pdf"));
        if let Some(p) = found {
            return p;
        }
        if start.elapsed() > Duration::from_secs(120) {
            b.shot("failed-download");
            panic!("no PDF downloaded");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Every act we have: data/, data/batch, the YAML acts among the fixtures,
/// and every starter (`prikaz new` of each kind, with each appendix).
fn all_acts(tmp: &Path) -> Vec<(String, String)> {
    let mut out = vec![];
    let mut walk = vec![root().join("data"), root().join("tests/fixtures")];
    while let Some(d) = walk.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                walk.push(p);
            } else if p.extension().is_some_and(|e| e == "yaml" || e == "yml") {
                let t = std::fs::read_to_string(&p).unwrap_or_default();
                // An act names its title at the top level.
                if t.lines().any(|l| l.starts_with("заголовок:")) {
                    out.push((p.strip_prefix(root()).unwrap().display().to_string(), t));
                }
            }
        }
    }
    copy_profiles(tmp);
    for kind in ["приказ", "распоряжение", "постановление"] {
        for with in [None, Some("план"), Some("положение"), Some("список")] {
            for profile in [None, Some("профили/уо-оренбург.yaml")] {
                let name = format!(
                    "{kind}-{}-{}.yaml",
                    with.unwrap_or("нет"),
                    profile.is_some()
                );
                let mut args = vec!["new", kind, "-o", &name];
                if let Some(w) = with {
                    args.extend(["--with", w]);
                }
                if let Some(p) = profile {
                    args.extend(["--profile", p]);
                }
                let o = prikaz(tmp, &args);
                assert!(o.status.success(), "prikaz new {args:?}: {o:?}");
                let t = std::fs::read_to_string(tmp.join(&name)).unwrap();
                out.push((format!("prikaz {}", args.join(" ")), t));
            }
        }
    }
    out.sort();
    out
}

/// The lines of `new` that differ from `old`: (first differing line, old
/// lines there, new lines there), by common head and tail.
fn differing<'a>(old: &'a str, new: &'a str) -> (usize, Vec<&'a str>, Vec<&'a str>) {
    let o: Vec<&str> = old.split('\n').collect();
    let n: Vec<&str> = new.split('\n').collect();
    let head = o.iter().zip(&n).take_while(|(a, b)| a == b).count();
    let tail = o[head..]
        .iter()
        .rev()
        .zip(n[head..].iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    (
        head,
        o[head..o.len() - tail].to_vec(),
        n[head..n.len() - tail].to_vec(),
    )
}

#[test]
fn every_act_survives_the_form_byte_for_byte() {
    let tmp = tempfile::tempdir().unwrap();
    let acts = all_acts(tmp.path());
    assert!(acts.len() >= 30, "only {} acts found", acts.len());
    let served = tempfile::tempdir().unwrap();
    std::fs::copy(data("ochyor-60.yaml"), served.path().join("ochyor-60.yaml")).unwrap();
    copy_profiles(served.path());
    let downloads = tempfile::tempdir().unwrap();
    let shots = Path::new(env!("CARGO_TARGET_TMPDIR")).join("browser-form");
    let s = Served::start(&["ochyor-60.yaml"], served.path());
    let b = Browser::start(downloads.path(), shots);
    b.go(&s.url());
    b.until(
        "the page",
        "return !!(window.PrikazForm && window.prikaz && window.prikaz.editor)",
    );
    let mut changed = 0;
    let mut unread = vec![];
    let (mut draw_ms, mut type_ms) = (0f64, 0f64);
    let mut slowest = String::new();
    let mut exercised = 0;
    for (name, t) in &acts {
        // Every row moved, deleted, every cell and point text set to awkward
        // values, every point made a sub-point and lifted: each reads back.
        let r = b.js(
            "return window.PrikazForm.test.exercise(arguments[0])",
            json!([t]),
        );
        assert_eq!(r["bad"], json!([]), "{name}: edits that did not read back");
        exercised += r["n"].as_u64().unwrap();
        for (key, value) in [
            ("заголовок", "О проверке формы: заголовок, с запятой"),
            ("номер", "99-тест"),
        ] {
            let r: Value = b.js(
                "return window.PrikazForm.test.roundTrip(arguments[0], arguments[1], arguments[2])",
                json!([t, key, value]),
            );
            assert_eq!(
                r["back"].as_str(),
                Some(t.as_str()),
                "{name}: the form changed the text"
            );
            assert!(r["drawn"].as_u64().unwrap() > 0, "{name}: nothing drawn");
            // A local act that stands alone has no number: the form asks for none.
            let local = t.lines().any(|l| {
                ["положение", "правила", "инструкция", "порядок", "регламент"]
                    .iter()
                    .any(|k| l.split('#').next().unwrap_or("").trim() == format!("вид: {k}"))
            });
            if key == "номер" && local {
                assert_eq!(
                    r["act"],
                    json!(false),
                    "{name}: a number field for a local act"
                );
                continue;
            }
            if r["act"] != json!(true) {
                // A fixture that is meant to be broken YAML shows no form.
                assert_eq!(key, "заголовок");
                unread.push(name.clone());
                assert!(
                    b.js(
                        "return !!document.querySelector('.pf-panel .pf-bad')",
                        json!([])
                    ) == json!(true),
                    "{name}: no form and no message"
                );
                break;
            }
            assert_eq!(r["reads"], json!(true), "{name}: {key} does not read back");
            let d = r["drawMs"].as_f64().unwrap();
            if d > draw_ms {
                draw_ms = d;
                slowest = name.clone();
            }
            type_ms = type_ms.max(r["typeMs"].as_f64().unwrap());
            let new = r["changed"].as_str().unwrap();
            let (at, old_lines, new_lines) = differing(t, new);
            // Only the field's own lines: its «ключ:» line (or a new one)
            // and the lines of its value, indented under it.
            let lines: Vec<&str> = t.split('\n').collect();
            let key_line = lines[..at.min(lines.len())]
                .iter()
                .rposition(|l| !l.starts_with(' ') && !l.is_empty());
            let inside = |ls: &[&str]| {
                ls.iter().enumerate().all(|(i, l)| {
                    l.starts_with(' ') || (i == 0 && l.starts_with(&format!("{key}:")))
                })
            };
            let under_key = old_lines
                .first()
                .is_some_and(|l| l.starts_with(&format!("{key}:")))
                || new_lines
                    .first()
                    .is_some_and(|l| l.starts_with(&format!("{key}:")))
                || key_line.is_some_and(|k| lines[k].starts_with(&format!("{key}:")));
            assert!(
                under_key && inside(&old_lines) && inside(&new_lines) && !new_lines.is_empty(),
                "{name}: changing {key} changed line {} on:\n-{}\n+{}",
                at + 1,
                old_lines.join("\n-"),
                new_lines.join("\n+")
            );
            changed += 1;
        }
    }
    eprintln!(
        "{} acts through the form, {changed} fields changed; the slowest drawing {draw_ms:.1} ms ({slowest}), the slowest field edit {type_ms:.1} ms; not read (broken on purpose): {unread:?}; {exercised} table and point edits read back",
        acts.len()
    );
    assert!(changed >= 2 * 30, "only {changed} fields changed");
    assert!(exercised > 1000, "only {exercised} edits exercised");
}

/// Click the button titled `title` in the row of the form's field `key`.
fn click_tool(b: &Browser, key: &str, title: &str) {
    let ok = b.js(
        "const f = document.querySelector('[data-focus=\"' + arguments[0] + '\"]');
         if (!f) return 'no field ' + arguments[0];
         const row = f.closest('.pf-row') || f.closest('tr');
         const btn = Array.from(row.querySelectorAll('button')).find(x => x.title.startsWith(arguments[1]));
         if (!btn) return 'no button ' + arguments[1];
         btn.scrollIntoView(); return true;",
        json!([key, title]),
    );
    assert_eq!(ok, json!(true));
    b.js(
        "const f = document.querySelector('[data-focus=\"' + arguments[0] + '\"]');
         const row = f.closest('.pf-row') || f.closest('tr');
         Array.from(row.querySelectorAll('button')).find(x => x.title.startsWith(arguments[1])).click(); return true",
        json!([key, title]),
    );
}

#[test]
fn points_and_a_new_appendix_through_the_form_and_enter_in_the_text() {
    let dir = tempfile::tempdir().unwrap();
    copy_profiles(dir.path());
    let made = prikaz(
        dir.path(),
        &[
            "new",
            "приказ",
            "--profile",
            "профили/уо-оренбург.yaml",
            "-o",
            "приказ.yaml",
        ],
    );
    assert!(made.status.success(), "{made:?}");
    let sample = std::fs::read_to_string(dir.path().join("приказ.yaml")).unwrap();
    let downloads = tempfile::tempdir().unwrap();
    let shots = Path::new(env!("CARGO_TARGET_TMPDIR")).join("browser-form");
    let s = Served::start(&["приказ.yaml"], dir.path());
    let b = Browser::start(downloads.path(), shots);
    b.go(&s.url());
    b.until(
        "the first pages",
        "return document.querySelectorAll('#pages .page').length >= 1",
    );
    b.click(".pf-bar .pf-tab:nth-child(2)");
    b.until(
        "the form",
        "return !!document.querySelector('[data-focus=\"pt:пункты/0\"]')",
    );
    let points = |b: &Browser| {
        b.js(
            "return window.prikaz.editor.text().split('\\n').filter(l => /^ *- /.test(l)).length",
            json!([]),
        )
    };
    let before = points(&b);

    // A new point after the first, typed; made a sub-point of the first;
    // lifted back; then deleted: the text is the sample again.
    click_tool(&b, "pt:пункты/0", "Добавить пункт после этого");
    b.until(
        "the new point focused",
        "return document.activeElement && document.activeElement.dataset.focus === 'pt:пункты/1'",
    );
    type_into(&b, "pt:пункты/1", "Провести краеведческие чтения.");
    let added = text(&b);
    assert!(
        added.contains("\n  - Провести краеведческие чтения.\n"),
        "{added}"
    );
    click_tool(&b, "pt:пункты/1", "Сделать подпунктом предыдущего пункта");
    let sub = text(&b);
    assert!(
        sub.contains("\n    пункты:\n      - Провести краеведческие чтения.\n")
            || sub.contains("\n    подпункты:\n      - Провести краеведческие чтения.\n"),
        "{sub}"
    );
    assert!(sub.contains("\n  - текст: "), "{sub}");
    b.shot("20-sub-point");
    let sub_check = prikaz_check_text(dir.path(), &sub);
    assert!(sub_check.0, "the sub-point: {}\n{sub}", sub_check.1);
    b.until(
        "the sub-point in the form",
        "return !!document.querySelector('[data-focus=\"pt:пункты/0/пункты/0\"], [data-focus=\"pt:пункты/0/подпункты/0\"]')",
    );
    let key = b.js(
        "return document.querySelector('[data-focus=\"pt:пункты/0/пункты/0\"], [data-focus=\"pt:пункты/0/подпункты/0\"]').dataset.focus",
        json!([]),
    );
    click_tool(
        &b,
        key.as_str().unwrap(),
        "Вынести на уровень выше (после пункта, в котором он стоит)",
    );
    let lifted = text(&b);
    assert!(
        lifted.contains("\n  - Провести краеведческие чтения.\n"),
        "{lifted}"
    );
    assert_eq!(points(&b), json!(before.as_u64().unwrap() + 1));
    b.until(
        "the lifted point in the form",
        "return !!document.querySelector('[data-focus=\"pt:пункты/1\"]')",
    );
    // Down one, up one, on the keyboard (Alt+↓, Alt+↑): where it was.
    let keys = |key: &str, k: &str| {
        let e = b.element(&format!("[data-focus=\"{key}\"]"));
        b.call(
            "POST",
            &b.s(&format!("/element/{e}/value")),
            &json!({ "text": format!("\u{E00A}{k}\u{E00A}") }),
        );
    };
    keys("pt:пункты/1", "\u{E015}");
    let down = text(&b);
    assert_ne!(down, lifted);
    assert!(down.find("Провести краеведческие").unwrap() > down.find("Руководителям").unwrap());
    b.until(
        "the focus follows the point",
        "return document.activeElement.dataset.focus === 'pt:пункты/2'",
    );
    keys("pt:пункты/2", "\u{E013}");
    assert_eq!(text(&b), lifted);
    b.js("window.confirm = () => true; return true", json!([]));
    click_tool(&b, "pt:пункты/1", "Удалить пункт");
    assert_eq!(text(&b), sample);

    // «Добавить приложение»: a list and the point that approves it.
    b.js(
        "const s = Array.from(document.querySelectorAll('.pf-panel select')).find(s => s.getAttribute('aria-label') === 'Какое приложение добавить');
         s.value = 'список'; return true",
        json!([]),
    );
    b.js(
        "Array.from(document.querySelectorAll('.pf-panel button')).find(x => x.textContent === 'Добавить приложение').click(); return true",
        json!([]),
    );
    let with_list = text(&b);
    assert!(with_list.contains("\n  - id: список"), "{with_list}");
    assert!(
        with_list.contains("({приложение:список})."),
        "no approving point:\n{with_list}"
    );
    assert!(with_list.starts_with(&sample[..sample.find("пункты:").unwrap()]));
    let checked = prikaz_check_text(dir.path(), &with_list);
    assert!(checked.0, "with the list: {}\n{with_list}", checked.1);
    b.until(
        "the list's table in the form",
        "return document.querySelectorAll('.pf-table').length >= 1 && Array.from(document.querySelectorAll('.pf-app h3')).some(h => h.textContent.includes('СПИСОК'))",
    );
    b.shot("21-appendix-added");
    // One undo takes it all back: Ctrl+Z in a field of the form.
    let e = b.element("[data-focus=\"req:номер\"]");
    b.call(
        "POST",
        &b.s(&format!("/element/{e}/value")),
        &json!({ "text": "\u{E009}z\u{E009}" }),
    );
    assert_eq!(text(&b), sample);
    settle(&b);

    // The profile's signatories (the page's /api/file answer) are offered.
    b.js(
        "window.prikaz.file = Object.assign({}, window.prikaz.file, {signatories: [
           {'ключ': 'ио', 'должность': 'И.о. начальника управления образования', 'имя': 'Е.А. Глуховская'},
           {'ключ': 'зам', 'должность': 'Заместитель начальника', 'имя': 'В.Г. Сидоров'}]});
         window.PrikazForm.test.draw(); return true",
        json!([]),
    );
    let offered = b.js(
        "return Array.from(document.querySelectorAll('#pf-signatories option')).map(o => o.value + ' ' + o.label)",
        json!([]),
    );
    assert_eq!(
        offered,
        json!([
            "ио И.о. начальника управления образования — Е.А. Глуховская",
            "зам Заместитель начальника — В.Г. Сидоров"
        ])
    );
    // A pick in the list is one «input» with the whole value.
    b.js(
        "return window.PrikazForm.test.type('req:подписант', 'зам')",
        json!([]),
    );
    assert!(text(&b).contains("\nподписант: зам "), "{}", text(&b));
    b.click(".pf-undo .pf-btn:nth-child(1)");
    assert_eq!(text(&b), sample);

    // Enter in the text: deeper after «ключ:», the item's indentation after
    // «- ключ: значение».
    b.click(".pf-bar .pf-tab:nth-child(1)");
    b.js(
        "const v = window.prikaz.editor.view; v.focus();
         v.dispatch({selection: {anchor: v.state.doc.length}}); return true",
        json!([]),
    );
    b.type_in_editor(
        "\nсогласование:\u{E007}визы:\u{E007}- должность: Заместитель\u{E007}имя: В.Г. Сидоров",
    );
    let typed = text(&b);
    assert!(
        typed.ends_with(
            "\nсогласование:\n  визы:\n    - должность: Заместитель\n      имя: В.Г. Сидоров"
        ),
        "{typed}"
    );
    b.shot("22-enter");
}

/// `prikaz check --strict` of `text` written beside the act (ok, what it said).
fn prikaz_check_text(dir: &Path, text: &str) -> (bool, String) {
    std::fs::write(dir.join("проверка.yaml"), text).unwrap();
    let o = prikaz(dir, &["check", "--strict", "проверка.yaml"]);
    std::fs::remove_file(dir.join("проверка.yaml")).unwrap();
    (
        o.status.success(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}
