//! Benchmark: time and peak memory of rendering (release build).
//! Run with `./scripts/bench.sh` (or `cargo bench --bench render`); figures go to the README.
//!
//! Each scenario runs in a child process of its own so that its peak memory
//! (VmHWM) is its own.

use prikaz::read::Limits;
use prikaz::render::Engine;
use prikaz::resolve::Selection;
use prikaz::templates::Templates;
use std::path::{Path, PathBuf};
use std::time::Instant;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn peak_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("VmHWM:")).map(|l| {
                l.split_whitespace()
                    .nth(1)
                    .unwrap_or("0")
                    .parse()
                    .unwrap_or(0)
            })
        })
        .unwrap_or(0)
}

/// A plan of `rows` activities, as a methodist would write it.
pub fn big_plan(rows: usize) -> String {
    let mut y = String::from(
        "вид: приказ\nорган: [Управление образования]\nдата: 01.09.2023\nномер: 1000\nзаголовок: Об утверждении большого плана\n\
         пункты: [\"Утвердить план ({приложение:план}).\"]\nконтроль: оставляю\nподписант: {должность: Начальник, имя: И.И. Иванов}\n\
         исполнитель: {имя: Петров Пётр Петрович, телефон: 00-00-00}\n\
         приложения:\n  - id: план\n    вид: План\n    утверждается: да\n    заголовок: [ПЛАН, мероприятий]\n    содержание:\n      - таблица:\n\
         \x20         колонки: [\"№ п/п\", {заголовок: Мероприятие, ширина: 4}, {заголовок: Срок, ширина: 2}, {заголовок: Ответственные, ширина: 2}, {заголовок: Результат, ширина: 2}]\n          строки:\n",
    );
    for i in 1..=rows {
        if i % 50 == 1 {
            y.push_str(&format!("            - раздел: Раздел {}\n", i / 50 + 1));
        }
        y.push_str(&format!(
            "            - [\"Мероприятие {i}: проведение методического семинара для педагогов школ с низкими результатами\", \
             до {:02}.{:02}.2024, \"Долгополова Н.В., координаторы от УО\", Аналитическая справка по итогам]\n",
            i % 28 + 1,
            i % 12 + 1
        ));
    }
    y
}

/// `n` variants for data/batch/plan-base.yaml: the districts of
/// data/batch/districts.yaml over and over, each with its own name and number.
pub fn batch_variants(n: usize) -> String {
    let one = std::fs::read_to_string(root().join("data/batch/districts.yaml")).unwrap();
    let items: Vec<&str> = one.split("\n- имя: ").skip(1).collect();
    let mut y = String::new();
    for i in 0..n {
        let item = items[i % items.len()].trim_end();
        let (name, rest) = item.split_once('\n').unwrap();
        let rest = rest
            .lines()
            .map(|l| {
                if l.trim_start().starts_with("номер:") {
                    format!("  номер: \"{}\"", 1000 + i)
                } else if let Some(name) = l
                    .strip_prefix("  район: {родительный: ")
                    .and_then(|r| r.strip_suffix('}'))
                {
                    // Every variant a district of its own: the six of
                    // districts.yaml over and over let a worker that got
                    // every other variant find three districts' pages in
                    // Typst's cache, which 500 real schools would not.
                    format!("  район: {{родительный: {name} (округ {})}}", i + 1)
                } else {
                    l.to_string()
                }
            })
            .collect::<Vec<_>>()
            .join("\n");
        y.push_str(&format!("- имя: {name} {}\n{rest}\n\n", i + 1));
    }
    y
}

fn run_child(scenario: &str) {
    if let Some(path) = scenario.strip_prefix("variants500=") {
        std::fs::write(path, batch_variants(500)).unwrap();
        return;
    }
    let templates = Templates::builtin();
    let limits = Limits {
        max_input: 64 * 1024 * 1024,
        ..Limits::default()
    };
    let (path, reps) = match scenario {
        "orenburg" => (root().join("data/orenburg-596.yaml"), 20),
        "ochyor" => (root().join("data/ochyor-60.yaml"), 20),
        "plan1000" => {
            let dir = std::env::temp_dir().join("prikaz-bench");
            std::fs::create_dir_all(&dir).unwrap();
            let p = dir.join("plan1000.yaml");
            std::fs::write(&p, big_plan(1000)).unwrap();
            (p, 3)
        }
        other => panic!("unknown scenario {other}"),
    };
    let t0 = Instant::now();
    let engine = Engine::new(&templates.page);
    let startup = t0.elapsed();
    let mut times = vec![];
    let mut pages = 0;
    let mut bytes = 0;
    let mut docx_times = vec![];
    for _ in 0..reps {
        let t = Instant::now();
        let p =
            prikaz::prepare(Path::new(&path), &templates, &limits, &Selection::All).expect("valid");
        let paged = engine.compile(&p.doc, p.emblem.as_ref()).expect("layout");
        let pdf = engine.export_pdf(&p.doc, &paged).expect("pdf");
        times.push(t.elapsed().as_secs_f64() * 1000.0);
        pages = paged.len();
        bytes = pdf.len();
        let t = Instant::now();
        if prikaz::render::docx::write(&p.doc, p.emblem.as_ref()).is_ok() {
            docx_times.push(t.elapsed().as_secs_f64() * 1000.0);
        }
    }
    times.sort_by(f64::total_cmp);
    docx_times.sort_by(f64::total_cmp);
    let med = |v: &[f64]| {
        if v.is_empty() {
            f64::NAN
        } else {
            v[v.len() / 2]
        }
    };
    println!(
        "{scenario}\t{pages}\t{:.0}\t{:.1}\t{:.1}\t{:.1}\t{}",
        startup.as_secs_f64() * 1000.0,
        med(&times),
        times.first().copied().unwrap_or(f64::NAN),
        med(&docx_times),
        peak_kb() / 1024
    );
    eprintln!("  ({scenario}: {reps} runs, PDF {bytes} bytes)");
}

fn main() {
    if let Ok(s) = std::env::var("PRIKAZ_BENCH_CHILD") {
        run_child(&s);
        return;
    }
    println!(
        "| scenario | pages | engine start, ms | PDF median, ms | PDF best, ms | DOCX median, ms | peak RSS, MB |"
    );
    println!("|---|---|---|---|---|---|---|");
    let exe = std::env::current_exe().unwrap();
    let child = |s: &str| {
        let out = std::process::Command::new(&exe)
            .env("PRIKAZ_BENCH_CHILD", s)
            .output()
            .expect("child runs");
        eprint!("{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    for s in ["orenburg", "ochyor", "plan1000"] {
        let line = child(s);
        let cols: Vec<&str> = line.trim().split('\t').collect();
        println!("| {} |", cols.join(" | "));
    }
}
