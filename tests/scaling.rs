//! Everything a clerk can write is checked in time roughly linear in its size.
//! Each case is timed at four sizes (n, 2n, 4n, 8n) and the ratios asserted,
//! not the seconds: linear work grows 8 times from n to 8n, quadratic work 64
//! times. The bound (24) leaves room for noise and n·log n.

mod common;
use common::*;
use std::time::{Duration, Instant};

/// Best of five, to keep a busy machine's noise out.
fn time(f: &dyn Fn()) -> Duration {
    (0..3)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .min()
        .unwrap()
}

fn scales(name: &str, n: usize, make: &dyn Fn(usize) -> String) {
    scales_by(name, n, make, &|path| {
        // The work of `prikaz check`: read, validate, lint, resolve.
        let _ = prikaz::prepare(
            path,
            templates(),
            &prikaz::read::Limits::default(),
            &prikaz::resolve::Selection::All,
        );
    });
}

/// As [`scales`], timing the whole way to a PDF (the layout included).
fn scales_to_pdf(name: &str, n: usize, make: &dyn Fn(usize) -> String) {
    scales_by(name, n, make, &|path| {
        // Each run lays out afresh: Typst would reuse the last run's layout.
        prikaz::render::forget_layouts(0);
        let p = prepare(path);
        engine().pdf(&p.doc, p.emblem.as_ref()).expect("PDF");
    });
}

fn scales_by(
    name: &str,
    n: usize,
    make: &dyn Fn(usize) -> String,
    work: &dyn Fn(&std::path::Path),
) {
    // One case at a time: the cases of this file would otherwise time each other.
    static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().unwrap();
    let mut times = vec![];
    for k in [1, 2, 4, 8] {
        let path = dir.path().join(format!("{k}.yaml"));
        std::fs::write(&path, make(n * k)).unwrap();
        let t = time(&|| work(&path));
        times.push(t);
    }
    let ratio = times[3].as_secs_f64() / times[0].as_secs_f64().max(1e-6);
    eprintln!("{name}: {times:?}, 8n/n = {ratio:.1}");
    assert!(
        ratio < 24.0,
        "{name}: 8 times the input took {ratio:.1} times as long ({times:?})"
    );
}

#[test]
fn misspelt_keys() {
    scales("misspelt keys", 2_000, &|n| {
        let mut y = MINIMAL.to_string();
        for i in 0..n {
            y.push_str(&format!("заголовк{i}: текст\n"));
        }
        y
    });
}

#[test]
fn references_with_escapes_in_one_preamble() {
    scales("references", 1_000, &|n| {
        let mut pre = String::new();
        for i in 0..n {
            // \u0020 is a space written as an escape: the text and the source differ.
            pre.push_str(&format!("{{пункта:нет{i}}}\\u0020"));
        }
        MINIMAL.replace(
            "заголовок: О проверке",
            &format!("заголовок: О проверке\nпреамбула: \"{pre}\""),
        )
    });
}

#[test]
fn names_of_people() {
    scales("names", 400, &|n| {
        let mut points = String::from("пункты:\n");
        for i in 0..n {
            points.push_str(&format!(
                "  - {{текст: Провести проверку {i}., ответственные: [Иванов{i} И.И., Петрова{i} А.А.]}}\n"
            ));
        }
        MINIMAL.replace("пункты:\n  - Провести проверку.\n", &points)
    });
}

#[test]
fn plan_rows() {
    scales("plan rows", 250, &|n| {
        let mut y = format!(
            "{MINIMAL}приложения:\n  - содержание:\n      - таблица:\n          колонки: [\"№\", Мероприятие, Срок]\n          строки:\n"
        );
        for i in 0..n {
            y.push_str(&format!(
                "            - [Мероприятие {i} с ответственным Ивановым И.И., до 01.0{}.2024]\n",
                i % 9 + 1
            ));
        }
        y
    });
}

/// A word longer than its cell, up to the longest allowed (500 letters),
/// laid out: it breaks between letters, in time linear in its length.
#[test]
fn a_long_word_in_a_cell() {
    scales_to_pdf("long word", 60, &|n| {
        format!(
            "{MINIMAL}приложения:\n  - содержание:\n      - таблица:\n          колонки: [{{заголовок: Мероприятие, ширина: 1}}, {{заголовок: Прочее, ширина: 8}}]\n          строки:\n            - [\"{}\", а]\n",
            "ш".repeat(n)
        )
    });
}

/// A cell of many words, abbreviations among them (each is looked at by
/// the template), up to the most allowed in one text (10 000 words).
#[test]
fn a_long_cell() {
    scales_to_pdf("long cell", 1_250, &|n| {
        let words: Vec<&str> = (0..n)
            .map(|i| if i % 2 == 0 { "ШНОР" } else { "школы" })
            .collect();
        format!(
            "{MINIMAL}приложения:\n  - содержание:\n      - таблица:\n          колонки: [Мероприятие, Срок]\n          строки:\n            - [\"{}\", май]\n",
            words.join(" ")
        )
    });
}

/// Many appendices, up to the most allowed (100), each a page of its own.
#[test]
fn many_appendices() {
    scales_to_pdf("appendices", 12, &|n| {
        let mut y = format!("{MINIMAL}приложения:\n");
        for i in 0..n {
            y.push_str(&format!(
                "  - {{заголовок: [Положение {i}], содержание: [Текст положения {i} о проверке.]}}\n"
            ));
        }
        y
    });
}
