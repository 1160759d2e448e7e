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

/// 500 districts for data/batch/plan-base.yaml, each with its own rows so that
/// the appendix runs to two pages.
pub fn batch_variants(n: usize) -> String {
    let mut y = String::new();
    for i in 1..=n {
        y.push_str(&format!(
            "- имя: Район {i}\n  район: {{родительный: района № {i} города Н-ска}}\n  номер: \"{}\"\n  дата: {:02}.09.2023\n  \
             руководитель: {{должность: Начальник, имя: А.А. Иванов{i}}}\n  координатор: {{винительный: Петрову Анну, дательный: Петровой А., кратко: Петрова А.}}\n  \
             школы: [\"МОАУ «СОШ № {i}»\", \"МОАУ «Гимназия № {i}»\"]\n  исполнитель: {{имя: Сидорова Мария Ивановна, телефон: \"8 (000) 000-{i:04}\"}}\n  свои_строки:\n",
            600 + i,
            i % 28 + 1
        ));
        for r in 1..=14 {
            y.push_str(&format!(
                "    - {{мероприятие: \"Районное мероприятие {r} по поддержке школ района № {i}\", срок: \"до {:02}.05.2024\", ответственные: Петрова А., результат: Справка}}\n",
                r % 28 + 1
            ));
        }
    }
    y
}

fn run_batch(threads: usize) {
    let templates = Templates::builtin();
    let limits = Limits {
        max_input: 64 * 1024 * 1024,
        ..Limits::default()
    };
    let dir = std::env::temp_dir().join(format!("prikaz-bench-batch-{threads}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let vpath = dir.join("variants.yaml");
    std::fs::write(&vpath, batch_variants(500)).unwrap();
    let engine = Engine::new(&templates.page);
    let t = Instant::now();
    let variants = prikaz::batch::read_variants(&vpath, &limits).expect("variants");
    let opts = prikaz::batch::Options {
        out: dir.join("out"),
        formats: vec![prikaz::render::Format::Pdf, prikaz::render::Format::Docx],
        pdf: prikaz::render::PdfStandard::default(),
        no_clobber: false,
        merge: false,
        threads,
    };
    let summary = prikaz::batch::run(
        &root().join("data/batch/plan-base.yaml"),
        &variants,
        &opts,
        &templates,
        &engine,
        &limits,
        &|_| {},
    )
    .unwrap_or_else(|d| panic!("{}", d.0.iter().map(|x| x.render()).collect::<String>()));
    let secs = t.elapsed().as_secs_f64();
    let pages: usize = summary.variants.iter().map(|o| o.pages).sum();
    if let Some(bad) = summary.variants.iter().find(|o| !o.ok()) {
        panic!(
            "variant {} failed: {}",
            bad.name,
            bad.errors.iter().map(|x| x.render()).collect::<String>()
        );
    }
    println!(
        "batch500-j{threads}\t{:.1}\t{}\t{:.1}\t{:.1}\t{}",
        pages as f64 / summary.variants.len() as f64,
        summary.written,
        secs,
        summary.variants.len() as f64 / secs,
        peak_kb() / 1024
    );
    // The route clerks use today: LibreOffice converting a DOCX to PDF, on a sample.
    if threads == 1
        && std::process::Command::new("soffice")
            .arg("--version")
            .output()
            .is_ok()
    {
        let sample: Vec<String> = summary
            .variants
            .iter()
            .take(10)
            .flat_map(|o| o.files.iter().filter(|f| f.ends_with(".docx")).cloned())
            .collect();
        let conv = dir.join("soffice");
        let t = Instant::now();
        let st = std::process::Command::new("soffice")
            .args(["--headless", "--convert-to", "pdf", "--outdir"])
            .arg(&conv)
            .args(&sample)
            .output()
            .expect("soffice runs");
        let per_doc = t.elapsed().as_secs_f64() / sample.len() as f64;
        // As a clerk does it: one soffice run per document.
        let t1 = Instant::now();
        for f in sample.iter().take(3) {
            let _ = std::process::Command::new("soffice")
                .args(["--headless", "--convert-to", "pdf", "--outdir"])
                .arg(&conv)
                .arg(f)
                .output();
        }
        let single = t1.elapsed().as_secs_f64() / 3.0;
        eprintln!("  soffice: one process per document, {single:.2} s per document");
        eprintln!(
            "  soffice: {} DOCX → PDF in one process, {:.2} s per document (status {})",
            sample.len(),
            per_doc,
            st.status
        );
        println!(
            "soffice\t{:.3}\t{:.1}\t{:.3}",
            per_doc,
            secs / summary.variants.len() as f64 * 1000.0,
            single
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

fn run_child(scenario: &str) {
    if let Some(j) = scenario.strip_prefix("batch500-j") {
        run_batch(j.parse().unwrap());
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
    println!();
    println!(
        "| batch (500 variants, act + plan, PDF and DOCX) | pages per variant | files | seconds | documents per second | peak RSS, MB |"
    );
    println!("|---|---|---|---|---|---|");
    let mut soffice = None;
    for s in ["batch500-j1", "batch500-j2"] {
        for line in child(s).lines() {
            let cols: Vec<&str> = line.trim().split('\t').collect();
            if cols[0] == "soffice" {
                let num = |i: usize| {
                    cols.get(i)
                        .and_then(|c| c.parse::<f64>().ok())
                        .unwrap_or(f64::NAN)
                };
                soffice = Some((num(1), num(2), num(3)));
            } else {
                println!("| {} |", cols.join(" | "));
            }
        }
    }
    if let Some((batch, ours_ms, single)) = soffice {
        println!();
        println!(
            "LibreOffice converting our DOCX to PDF: {batch:.2} s per document when given ten at once, {single:.2} s when run once per document; \
             prikaz (one thread, PDF and DOCX): {ours_ms:.1} ms per variant — {:.0}x and {:.0}x faster.",
            batch * 1000.0 / ours_ms,
            single * 1000.0 / ours_ms
        );
    }
}
