//! Hostile and careless input, each case run as a clerk would run it but under
//! a memory limit (`ulimit -v`) and a timeout: prikaz answers with exit 1 (or 2
//! for a wrong command) and a Russian message, never an abort (134), a kill, a
//! hang, or output. The peak memory of each case is printed.
//!
//! The cases are the classes the hardening probe found, each with the example
//! it reported and a second one made up here.

mod common;
use common::*;
use std::path::Path;
use std::process::Command;

/// Address-space limit for each run, KB. prikaz reserves large thread stacks
/// and Typst maps its fonts, so the limit is generous in address space; the
/// cases it guards against took 3 to 7 GB.
const VMEM_KB: u64 = 2_500_000;
const TIMEOUT_S: u64 = 60;

struct Outcome {
    code: i32,
    stderr: String,
    peak_kb: u64,
}

/// Run prikaz with `args` in `dir` under the limits; `/usr/bin/time` reports
/// the peak resident memory.
fn run(dir: &Path, args: &[&str]) -> Outcome {
    require("/usr/bin/time", "time");
    let mut script = format!(
        "ulimit -v {VMEM_KB}; exec timeout -s KILL {TIMEOUT_S} /usr/bin/time -f 'PEAK_KB=%M' \"$0\""
    );
    for (i, _) in args.iter().enumerate() {
        script.push_str(&format!(" \"${}\"", i + 1));
    }
    let out = Command::new("sh")
        .arg("-c")
        .arg(&script)
        .arg(env!("CARGO_BIN_EXE_prikaz"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("sh runs");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let peak_kb = stderr
        .lines()
        .find_map(|l| l.strip_prefix("PEAK_KB="))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0);
    Outcome {
        code: out.status.code().unwrap_or(-1),
        stderr,
        peak_kb,
    }
}

/// The case must be refused cleanly: `code`, a Russian message containing
/// `want`, no English abort text, nothing written to `out/`.
fn refused(name: &str, dir: &Path, args: &[&str], code: i32, want: &[&str]) -> u64 {
    let o = run(dir, args);
    eprintln!("{name}: exit {}, peak {} MB", o.code, o.peak_kb / 1024);
    assert_ne!(o.code, 137, "{name}: killed by the timeout (a hang)");
    assert_ne!(o.code, 134, "{name}: aborted:\n{}", o.stderr);
    assert_eq!(o.code, code, "{name}: exit code:\n{}", o.stderr);
    for w in want {
        assert!(o.stderr.contains(w), "{name}: «{w}» missing:\n{}", o.stderr);
    }
    for english in ["memory allocation", "panicked", "backtrace", "failed to"] {
        assert!(
            !o.stderr.contains(english),
            "{name}: English «{english}»:\n{}",
            o.stderr
        );
    }
    let written = std::fs::read_dir(dir.join("out"))
        .map(|d| d.count())
        .unwrap_or(0);
    assert_eq!(written, 0, "{name}: output written");
    o.peak_kb
}

fn write(dir: &Path, name: &str, content: impl AsRef<[u8]>) {
    std::fs::write(dir.join(name), content).unwrap();
}

/// A PNG that is only a header: `w`×`h` pixels declared, no pixel data.
fn png_header(w: u32, h: u32) -> Vec<u8> {
    fn crc(data: &[u8]) -> u32 {
        let mut c = 0xffff_ffffu32;
        for b in data {
            c ^= *b as u32;
            for _ in 0..8 {
                c = if c & 1 != 0 {
                    0xedb8_8320 ^ (c >> 1)
                } else {
                    c >> 1
                };
            }
        }
        !c
    }
    let mut ihdr = b"IHDR".to_vec();
    ihdr.extend(w.to_be_bytes());
    ihdr.extend(h.to_be_bytes());
    ihdr.extend([8, 0, 0, 0, 0]);
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.extend(13u32.to_be_bytes());
    png.extend(&ihdr);
    png.extend(crc(&ihdr).to_be_bytes());
    png
}

fn with_emblem(path: &str) -> String {
    MINIMAL.replace(
        "орган: Управление образования",
        &format!("орган: {{наименование: [Управление образования], герб: \"{path}\"}}"),
    )
}

fn with_csv(path: &str) -> String {
    format!(
        "{MINIMAL}приложения:\n  - содержание:\n      - таблица:\n          колонки: [\"№\", {{заголовок: Мероприятие, ключ: мероприятие}}]\n          строки_из: {path}\n"
    )
}

#[test]
fn memory_blow_ups_are_refused() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    // The probe's case: one 500 000-character string aliased 3 000 times.
    let mut y = format!("{MINIMAL}x: &a \"{}\"\ny: [", "ж".repeat(250_000));
    y.push_str(&vec!["*a"; 3000].join(", "));
    y.push_str("]\n");
    write(p, "alias.yaml", &y);
    let peak = refused(
        "alias-bytes",
        p,
        &["check", "alias.yaml"],
        1,
        &["слишком велик", "якор"],
    );
    assert!(peak < 300_000, "alias case peak {peak} KB");
    // Made up: a list of long strings aliased through two levels.
    let mut y = format!(
        "{MINIMAL}a: &a [\"{}\", \"{}\"]\nb: &b [",
        "я".repeat(100_000),
        "ю".repeat(100_000)
    );
    y.push_str(&vec!["*a"; 40].join(", "));
    y.push_str("]\nc: [");
    y.push_str(&vec!["*b"; 40].join(", "));
    y.push_str("]\n");
    write(p, "alias2.yaml", &y);
    refused(
        "alias-nested",
        p,
        &["render", "alias2.yaml", "-o", "out"],
        1,
        &["слишком велик"],
    );

    // The probe's case: a coat of arms 1 px wide and 39 000 000 px tall.
    write(p, "tall.png", png_header(1, 39_000_000));
    write(p, "tall.yaml", with_emblem("tall.png"));
    refused(
        "tall-png",
        p,
        &["render", "tall.yaml", "-o", "out", "--format", "png"],
        1,
        &["tall.png"],
    );
    // Made up: a real PNG 1 × 25 000, within the area limit, over the side limit.
    image::GrayImage::new(1, 25_000)
        .save(p.join("strip.png"))
        .unwrap();
    write(p, "strip.yaml", with_emblem("strip.png"));
    refused(
        "strip-png",
        p,
        &["render", "strip.yaml", "-o", "out", "--format", "png"],
        1,
        &["strip.png", "сторона больше 20000"],
    );
    // Made up: an SVG declared a kilometre wide and a millimetre tall.
    write(
        p,
        "wide.svg",
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="1000000" height="1"><rect width="10" height="1"/></svg>"#,
    );
    write(p, "wide.yaml", with_emblem("wide.svg"));
    refused(
        "wide-svg",
        p,
        &["check", "wide.yaml"],
        1,
        &["wide.svg", "вытянуто"],
    );

    // The probe's case: a 62 MB CSV.
    let row = "Мероприятие, которое повторяется много раз в этом огромном файле\n";
    let mut csv = String::from("мероприятие\n");
    while csv.len() < 62 * 1024 * 1024 {
        csv.push_str(row);
    }
    write(p, "big.csv", &csv);
    write(p, "bigcsv.yaml", with_csv("big.csv"));
    refused(
        "big-csv",
        p,
        &["render", "bigcsv.yaml", "-o", "out"],
        1,
        &["big.csv", "слишком велик"],
    );
    // Made up: a small CSV with more rows than a table may have.
    let mut csv = String::from("мероприятие\n");
    for i in 0..25_000 {
        csv.push_str(&format!("Строка {i}\n"));
    }
    write(p, "rows.csv", &csv);
    write(p, "rows.yaml", with_csv("rows.csv"));
    refused("many-rows", p, &["check", "rows.yaml"], 1, &["строк"]);

    // The probe's case: a 1200 dpi preview; made up: a zero dpi one.
    write(p, "a.yaml", MINIMAL);
    refused(
        "dpi-1200",
        p,
        &[
            "render", "a.yaml", "-o", "out", "--format", "png", "--dpi", "1200",
        ],
        2,
        &["--dpi", "600"],
    );
    refused(
        "dpi-0",
        p,
        &[
            "render", "a.yaml", "-o", "out", "--format", "png", "--dpi", "0",
        ],
        2,
        &["--dpi"],
    );
}

#[cfg(unix)]
#[test]
fn files_that_are_not_files_are_refused() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    // The probe's cases: a link to /dev/zero and a FIFO given as the act.
    std::os::unix::fs::symlink("/dev/zero", p.join("zero.yaml")).unwrap();
    refused(
        "dev-zero",
        p,
        &["check", "zero.yaml"],
        1,
        &["не обычный файл"],
    );
    let fifo = p.join("fifo.yaml");
    let ok = Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success();
    assert!(ok, "mkfifo");
    refused(
        "fifo",
        p,
        &["render", "fifo.yaml", "-o", "out"],
        1,
        &["не обычный файл"],
    );
    // Made up: the CSV of a plan and the coat of arms are FIFOs.
    let ok = Command::new("mkfifo")
        .arg(p.join("plan.csv"))
        .status()
        .unwrap()
        .success();
    assert!(ok, "mkfifo");
    write(p, "csv.yaml", with_csv("plan.csv"));
    refused(
        "csv-fifo",
        p,
        &["check", "csv.yaml"],
        1,
        &["не обычный файл"],
    );
    let ok = Command::new("mkfifo")
        .arg(p.join("герб.png"))
        .status()
        .unwrap()
        .success();
    assert!(ok, "mkfifo");
    write(p, "emblem.yaml", with_emblem("герб.png"));
    refused(
        "emblem-fifo",
        p,
        &["render", "emblem.yaml", "-o", "out"],
        1,
        &["не обычный файл"],
    );
}
