//! The property behind «nothing is lost without a word»: for generated acts,
//! every word of every point, sub-point, plan cell and requisite the clerk
//! typed reaches the PDF's text and the DOCX's text in order — or `check`
//! reports a problem at the line of the slip. The generated acts include the
//! slips clerks make in YAML: a plan row or a sub-point without «- », « #»
//! inside a text, «: » inside a text, a reference without braces, the usual
//! spellings of the number column, list markers of every pattern.

mod common;
use common::{cli, pdf_text, require};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

/// Short words, so that line-end hyphenation never splits one.
const WORDS: &[&str] = &[
    "дом",
    "лес",
    "сад",
    "мир",
    "год",
    "день",
    "план",
    "урок",
    "класс",
    "школа",
    "отчёт",
    "смотр",
    "сбор",
    "тест",
    "итог",
    "акт",
    "совет",
    "слёт",
    "конкурс",
    "приём",
];

#[derive(Debug, Clone, Copy, PartialEq)]
enum Slip {
    None,
    /// « #слово» after a plain text.
    Comment,
    /// A plan row written without «- ».
    RowWithoutDash,
    /// A sub-point written without «- ».
    SubpointWithoutDash,
    /// «Провести: …» unquoted as a point.
    Colon,
    /// «(приложение:план)».
    BareReference,
}

#[derive(Debug, Clone)]
struct Case {
    points: Vec<(Vec<&'static str>, Vec<Vec<&'static str>>)>,
    rows: Vec<(Vec<&'static str>, Vec<&'static str>)>,
    number_title: &'static str,
    marker: &'static str,
    list: Vec<Vec<&'static str>>,
    slip: Slip,
    /// Which point, row or sub-point the slip goes into.
    at: usize,
}

fn phrase() -> impl Strategy<Value = Vec<&'static str>> {
    // Distinct words: a word twice in a row is a typo P601 reports.
    prop::sample::subsequence(WORDS, 1..5).prop_shuffle()
}

fn case() -> impl Strategy<Value = Case> {
    (
        prop::collection::vec((phrase(), prop::collection::vec(phrase(), 0..3)), 1..4),
        prop::collection::vec((phrase(), phrase()), 1..4),
        prop::sample::select(&["№ п/п", "№п/п", "N п/п", "п/п", "№ пп", "№"][..]),
        prop::sample::select(&["1.", "2.", "(1)", "01.", "1.1.", "а)", "I.", "–"][..]),
        prop::collection::vec(phrase(), 1..4),
        prop::sample::select(
            &[
                Slip::None,
                Slip::Comment,
                Slip::RowWithoutDash,
                Slip::SubpointWithoutDash,
                Slip::Colon,
                Slip::BareReference,
            ][..],
        ),
        0usize..3,
    )
        .prop_map(
            |(points, rows, number_title, marker, list, slip, at)| Case {
                points,
                rows,
                number_title,
                marker,
                list,
                slip,
                at,
            },
        )
}

fn sentence(words: &[&str]) -> String {
    let mut s = words.join(" ");
    if let Some(first) = s.chars().next() {
        s = first.to_uppercase().chain(s.chars().skip(1)).collect();
    }
    s + "."
}

/// The YAML of a case, the words in reading order, and the line of the slip.
fn write(c: &Case) -> (String, Vec<String>, Option<usize>) {
    let mut y = String::from(
        "вид: приказ\nорган: Управление образования\nдата: 01.02.2024\nномер: 15-од\nзаголовок: О плане работы\nпункты:\n",
    );
    let mut words: Vec<String> = "Управление образования О плане работы"
        .split(' ')
        .map(String::from)
        .collect();
    let mut slip_line = None;
    let line = |y: &String| y.lines().count() + 1;
    let push_words = |s: &str, words: &mut Vec<String>| {
        words.extend(
            s.split_whitespace()
                .map(|w| w.trim_matches('.').to_string()),
        );
    };
    let slip_point = c.at % c.points.len();
    for (i, (text, subs)) in c.points.iter().enumerate() {
        let mut t = sentence(text);
        if i == slip_point {
            match c.slip {
                Slip::Comment => {
                    slip_line = Some(line(&y));
                    t = format!("{} #{} {}", t.trim_end_matches('.'), WORDS[i], WORDS[i + 1]);
                }
                Slip::Colon => {
                    slip_line = Some(line(&y));
                    t = format!("Провести: {}", t);
                }
                Slip::BareReference => {
                    slip_line = Some(line(&y));
                    t = format!("{} (приложение:план).", t.trim_end_matches('.'));
                }
                _ => {}
            }
        }
        if subs.is_empty() {
            y.push_str(&format!("  - {t}\n"));
        } else {
            y.push_str(&format!("  - текст: {t}\n    пункты:\n"));
        }
        push_words(&t, &mut words);
        for (j, s) in subs.iter().enumerate() {
            let s = sentence(s);
            if i == slip_point && j == 1 && c.slip == Slip::SubpointWithoutDash {
                slip_line = Some(line(&y));
                y.push_str(&format!("        {s}\n"));
            } else {
                y.push_str(&format!("      - {s}\n"));
            }
            push_words(&s, &mut words);
        }
    }
    y.push_str(
        "контроль: оставляю\nподписант:\n  должность: Начальник управления\n  имя: И.И. Иванов\nисполнитель:\n  имя: Петрова Анна Сергеевна\n  телефон: 8(3532) 00 00 00\n",
    );
    words.extend(["Начальник", "управления", "И.И.", "Иванов"].map(String::from));
    y.push_str("приложения:\n  - id: план\n    вид: План\n    утверждается: да\n    заголовок: План работы\n    содержание:\n");
    y.push_str(&format!(
        "      - нумерация: \"{}\"\n        список:\n",
        c.marker
    ));
    words.extend(["План", "работы"].map(String::from));
    for l in &c.list {
        let s = sentence(l);
        y.push_str(&format!("          - {s}\n"));
        push_words(&s, &mut words);
    }
    y.push_str(&format!(
        "      - таблица:\n          колонки:\n            - \"{}\"\n            - {{заголовок: Мероприятие, ключ: дело}}\n            - {{заголовок: Срок, ключ: срок}}\n          строки:\n",
        c.number_title
    ));
    words.extend(["Мероприятие", "Срок"].map(String::from));
    let slip_row = c.at % c.rows.len();
    for (i, (what, when)) in c.rows.iter().enumerate() {
        let (what, when) = (sentence(what), sentence(when));
        let dash = if i == slip_row && i > 0 && c.slip == Slip::RowWithoutDash {
            slip_line = Some(line(&y));
            "  "
        } else {
            "- "
        };
        y.push_str(&format!(
            "            {dash}дело: {what}\n              срок: {when}\n"
        ));
        push_words(&what, &mut words);
        push_words(&when, &mut words);
    }
    (y, words, slip_line)
}

/// Case is typography here (the authority is printed in capitals).
fn squash(s: &str) -> String {
    s.to_lowercase()
        .replace("\u{ad}\n", "")
        .replace("-\n", "")
        .replace(['«', '»', '.', '\u{ad}'], "")
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

fn in_order(text: &str, words: &[String]) -> Result<(), String> {
    let t = squash(text);
    let mut from = 0;
    for w in words {
        let w = squash(w);
        match t[from..].find(&w) {
            Some(i) => from += i + w.len(),
            None => return Err(format!("«{w}» is missing or out of order")),
        }
    }
    Ok(())
}

#[test]
fn every_word_reaches_both_files_or_check_says_where() {
    require("pdftotext", "poppler-utils");
    let dir = tempfile::tempdir().unwrap();
    let mut runner = TestRunner::new(Config {
        cases: 48,
        failure_persistence: None,
        rng_algorithm: proptest::test_runner::RngAlgorithm::ChaCha,
        ..Config::default()
    });
    let reported = std::cell::Cell::new(0);
    let reached = std::cell::Cell::new(0);
    runner
        .run(&case(), |c| {
            let (yaml, words, slip_line) = write(&c);
            let path = dir.path().join("a.yaml");
            std::fs::write(&path, &yaml).unwrap();
            let (code, _, err) = cli(&["check", "--strict", "a.yaml"], dir.path());
            if code != 0 {
                // Reported: then at the slip's line, and only when there was one.
                let Some(l) = slip_line else {
                    return Err(TestCaseError::fail(format!(
                        "a clean act refused:\n{yaml}\n{err}"
                    )));
                };
                prop_assert!(
                    err.contains(&format!("a.yaml:{l}:")),
                    "the slip on line {l} is reported elsewhere:\n{yaml}\n{err}"
                );
                reported.set(reported.get() + 1);
                return Ok(());
            }
            prop_assert!(
                slip_line.is_none() || c.slip == Slip::None,
                "check --strict passed a slip ({:?}, line {:?}):\n{yaml}",
                c.slip,
                slip_line
            );
            let p = common::prepare(&path);
            let pdf = pdf_text(&common::engine().pdf(&p.doc, p.emblem.as_ref()).unwrap());
            let docx = common::docx_text(&prikaz::render::docx::write(&p.doc, None).unwrap());
            for (name, text) in [("PDF", &pdf), ("DOCX", &docx)] {
                if let Err(e) = in_order(text, &words) {
                    return Err(TestCaseError::fail(format!("{name}: {e}\n{yaml}\n{text}")));
                }
            }
            reached.set(reached.get() + 1);
            Ok(())
        })
        .unwrap();
    // Both halves of the property were exercised.
    let (reported, reached) = (reported.get(), reached.get());
    eprintln!(
        "acts refused at their slip: {reported}; acts whose every word reached both files: {reached}"
    );
    assert!(
        reported > 0 && reached > 0,
        "reported {reported}, reached {reached}"
    );
}
