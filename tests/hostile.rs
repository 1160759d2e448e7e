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

/// The probe's cases: the page template `act.typ` of `--template` is a FIFO,
/// a wording template a link to /dev/zero. Made up: a wording template that
/// is a FIFO, and an `act.typ` of 2 MB. Each is refused at once, as an act
/// would be.
#[cfg(unix)]
#[test]
fn templates_that_are_not_files_are_refused() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    write(p, "a.yaml", MINIMAL);
    let mkfifo = |path: &Path| {
        let ok = Command::new("mkfifo").arg(path).status().unwrap().success();
        assert!(ok, "mkfifo");
    };
    let args = ["render", "a.yaml", "-o", "out", "--template", "tpl"];
    std::fs::create_dir_all(p.join("tpl/wording")).unwrap();
    mkfifo(&p.join("tpl/act.typ"));
    refused("act-typ-fifo", p, &args, 1, &["act.typ", "не обычный файл"]);
    std::fs::remove_file(p.join("tpl/act.typ")).unwrap();
    std::os::unix::fs::symlink("/dev/zero", p.join("tpl/wording/appendix_mark.j2")).unwrap();
    let peak = refused(
        "wording-dev-zero",
        p,
        &args,
        1,
        &["appendix_mark.j2", "не обычный файл"],
    );
    assert!(peak < 300_000, "peak {peak} KB");
    std::fs::remove_file(p.join("tpl/wording/appendix_mark.j2")).unwrap();
    mkfifo(&p.join("tpl/wording/appendix_mark.j2"));
    refused(
        "wording-fifo",
        p,
        &args,
        1,
        &["appendix_mark.j2", "не обычный файл"],
    );
    std::fs::remove_file(p.join("tpl/wording/appendix_mark.j2")).unwrap();
    write(p, "tpl/act.typ", "// ".repeat(700_000));
    refused("act-typ-2mb", p, &args, 1, &["act.typ", "больше 1024 КБ"]);
}

// ---------------------------------------------------------------------------
// `prikaz serve`: requests that tried to kill or freeze the server, and saves
// that tried to land outside its folder or lose an edit. After each attack
// the page's own requests must be answered within a second.

mod serve {
    use super::common::http::Served;
    use super::common::*;
    use std::io::{Read, Write};
    use std::net::TcpStream;
    use std::path::Path;
    use std::time::{Duration, Instant};

    /// The act every case serves, and a copy of its profiles.
    fn folder() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::copy(data("ochyor-60.yaml"), dir.path().join("ochyor-60.yaml")).unwrap();
        copy_profiles(dir.path());
        dir
    }

    /// The page's own requests (the page, the list of acts) get their
    /// answers within a second, and the server is still running.
    fn page_answers(s: &mut Served, after: &str) {
        for path in ["/", "/api/acts"] {
            let started = Instant::now();
            let a = s.send("GET", path, b"");
            let took = started.elapsed();
            eprintln!(
                "after {after}: {path} in {:.1} ms",
                took.as_secs_f64() * 1000.0
            );
            assert_eq!(a.status, 200, "after {after}: {path}: {}", a.text());
            assert!(
                took < Duration::from_secs(1),
                "after {after}: {path} took {took:?}"
            );
        }
        assert!(s.alive(), "after {after}: the server is gone");
    }

    /// Resident memory of `pid`, KB.
    fn rss_kb(pid: u32) -> u64 {
        std::fs::read_to_string(format!("/proc/{pid}/status"))
            .unwrap()
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap()
    }

    /// Send `raw` on a new connection and read the answer's status line,
    /// waiting at most `wait` for it.
    fn raw_status(addr: &str, raw: &[u8], wait: Duration) -> String {
        let mut c = TcpStream::connect(addr).unwrap();
        c.set_read_timeout(Some(wait)).unwrap();
        let _ = c.write_all(raw);
        let mut got = vec![];
        let mut buf = [0u8; 4096];
        while !got.windows(2).any(|w| w == b"\r\n") {
            match c.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => got.extend_from_slice(&buf[..n]),
            }
        }
        let text = String::from_utf8_lossy(&got).into_owned();
        text.lines().next().unwrap_or("").to_string()
    }

    fn put_head(addr: &str, length: &str) -> Vec<u8> {
        format!(
            "PUT /api/file?path=ochyor-60.yaml HTTP/1.1\r\nHost: {addr}\r\nOrigin: http://{addr}\r\nContent-Length: {length}\r\n\r\n"
        )
        .into_bytes()
    }

    #[test]
    fn requests_cannot_kill_or_freeze_the_server() {
        let dir = folder();
        let mut s = Served::start(&["ochyor-60.yaml"], dir.path());
        let addr = s.addr.clone();
        let before = rss_kb(s.pid());

        // The probe's case: a declared body of 99 999 999 999 bytes, none sent.
        let started = Instant::now();
        let status = raw_status(
            &addr,
            &put_head(&addr, "99999999999"),
            Duration::from_secs(5),
        );
        assert!(status.contains(" 413 "), "{status}");
        assert!(started.elapsed() < Duration::from_secs(1));
        page_answers(&mut s, "Content-Length 99999999999");
        // Made up: a length past 64 bits, and two lengths that disagree.
        let status = raw_status(
            &addr,
            &put_head(&addr, "184467440737095516160"),
            Duration::from_secs(5),
        );
        assert!(status.contains(" 413 "), "{status}");
        let twice = format!(
            "PUT /api/file?path=ochyor-60.yaml HTTP/1.1\r\nHost: {addr}\r\nContent-Length: 5\r\nContent-Length: 500\r\n\r\nabcde"
        );
        let status = raw_status(&addr, twice.as_bytes(), Duration::from_secs(5));
        assert!(status.contains(" 400 "), "{status}");
        page_answers(&mut s, "lengths past 64 bits and twice");

        // The probe's case: a header line without an end (1 MB of it here,
        // sixteen times the limit: the server stops reading at the limit).
        let mut c = TcpStream::connect(&addr).unwrap();
        c.set_write_timeout(Some(Duration::from_secs(10))).unwrap();
        c.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        let _ = c.write_all(format!("GET / HTTP/1.1\r\nHost: {addr}\r\nX-Long: ").as_bytes());
        let line = vec![b'a'; 64 * 1024];
        for _ in 0..16 {
            if c.write_all(&line).is_err() {
                break;
            }
        }
        let mut answer = String::new();
        let _ = c.read_to_string(&mut answer);
        assert!(answer.starts_with("HTTP/1.1 431"), "{answer}");
        drop(c);
        page_answers(&mut s, "a header line without an end");
        // Made up: a thousand short headers.
        let mut many = format!("GET /api/acts HTTP/1.1\r\nHost: {addr}\r\n");
        for i in 0..1000 {
            many.push_str(&format!("X-{i}: {i}\r\n"));
        }
        many.push_str("\r\n");
        let status = raw_status(&addr, many.as_bytes(), Duration::from_secs(5));
        assert!(status.contains(" 431 "), "{status}");
        page_answers(&mut s, "a thousand headers");
        let grown = rss_kb(s.pid()).saturating_sub(before);
        eprintln!("serve grew by {} MB", grown / 1024);
        assert!(grown < 64 * 1024, "serve grew by {grown} KB");

        // The probe's case: eight bodies sent a byte at a time; made up:
        // forty heads sent a byte at a time and forty silent connections.
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let mut slow = vec![];
        for i in 0..88 {
            let addr = addr.clone();
            let stop = stop.clone();
            slow.push(std::thread::spawn(move || {
                let mut c = TcpStream::connect(&addr).unwrap();
                let raw = if i < 8 {
                    let mut r = put_head(&addr, "1000");
                    r.extend(vec![b'#'; 1000]);
                    r
                } else if i < 48 {
                    put_head(&addr, "0")
                } else {
                    vec![]
                };
                let mut sent = 0;
                while !stop.load(std::sync::atomic::Ordering::SeqCst) {
                    // The head of a body sent at once, the rest byte by byte.
                    let n = if i < 8 && sent == 0 {
                        raw.len() - 1000
                    } else {
                        1
                    };
                    if sent + n <= raw.len() && c.write_all(&raw[sent..sent + n]).is_err() {
                        return;
                    }
                    sent += n;
                    std::thread::sleep(Duration::from_millis(50));
                }
            }));
        }
        std::thread::sleep(Duration::from_millis(500));
        for _ in 0..5 {
            page_answers(&mut s, "slow bodies, heads and silent connections");
            std::thread::sleep(Duration::from_millis(200));
        }
        // A render of the page too, while they wait.
        let text = std::fs::read(dir.path().join("ochyor-60.yaml")).unwrap();
        let r = s.send("POST", "/api/render?path=ochyor-60.yaml", &text);
        assert_eq!(r.status, 200, "{}", r.text());
        stop.store(true, std::sync::atomic::Ordering::SeqCst);
        for t in slow {
            t.join().unwrap();
        }
        page_answers(&mut s, "the slow clients");
    }

    /// Made up: more silent and half-sent connections than the server keeps
    /// (600 against 256). The oldest are closed for the new ones, the page
    /// is still answered, and the threads stay bounded.
    #[test]
    fn a_flood_of_connections_pushes_out_only_its_own() {
        let dir = folder();
        let mut s = Served::start(&["ochyor-60.yaml"], dir.path());
        let addr = s.addr.clone();
        let mut flood = vec![];
        for i in 0..600 {
            let mut c = TcpStream::connect(&addr).unwrap();
            if i % 2 == 1 {
                c.write_all(b"GET /api/acts HTTP/1.1\r\nHost: ").unwrap();
            }
            flood.push(c);
        }
        std::thread::sleep(Duration::from_millis(300));
        for _ in 0..3 {
            page_answers(&mut s, "600 silent and half-sent connections");
        }
        let threads: u64 = std::fs::read_to_string(format!("/proc/{}/status", s.pid()))
            .unwrap()
            .lines()
            .find_map(|l| l.strip_prefix("Threads:"))
            .and_then(|v| v.trim().parse().ok())
            .unwrap();
        eprintln!("serve has {threads} threads");
        assert!(threads < 300, "{threads} threads");
        // The oldest were closed: they read the end of the connection.
        let mut first = &flood[0];
        first
            .set_read_timeout(Some(Duration::from_secs(1)))
            .unwrap();
        assert!(matches!(first.read(&mut [0u8; 16]), Ok(0) | Err(_)));
        drop(flood);
        page_answers(&mut s, "the flood");
    }

    /// A slow client is cut off at its deadline: the head within 10 s.
    #[test]
    fn a_head_that_never_ends_is_cut_off_in_time() {
        let dir = folder();
        let mut s = Served::start(&["ochyor-60.yaml"], dir.path());
        let addr = s.addr.clone();
        let mut c = TcpStream::connect(&addr).unwrap();
        c.set_read_timeout(Some(Duration::from_millis(100)))
            .unwrap();
        let started = Instant::now();
        let mut answer = vec![];
        let mut buf = [0u8; 1024];
        // One byte every 100 ms: never a whole head.
        for b in b"GET /api/acts HTTP/1.1\r\nX: ".iter().cycle() {
            if c.write_all(&[*b]).is_err() {
                break;
            }
            match c.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => answer.extend_from_slice(&buf[..n]),
                Err(_) => {}
            }
            if !answer.is_empty() || started.elapsed() > Duration::from_secs(20) {
                break;
            }
        }
        let took = started.elapsed();
        let answer = String::from_utf8_lossy(&answer);
        assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
        assert!(
            took >= Duration::from_secs(9) && took < Duration::from_secs(12),
            "{took:?}"
        );
        page_answers(&mut s, "a head sent for ten seconds");
    }

    /// A save the page sends: `text` over `path` if it still has `hash`.
    fn save(s: &Served, path: &str, text: &str, hash: &str) -> (u16, serde_json::Value) {
        let body = serde_json::json!({"text": text, "hash": hash}).to_string();
        let a = s.send("PUT", &format!("/api/file?path={path}"), body.as_bytes());
        let v = serde_json::from_slice(&a.body).unwrap_or_default();
        (a.status, v)
    }

    fn temporaries(dir: &Path) -> Vec<String> {
        std::fs::read_dir(dir)
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with(".prikaz-"))
            .collect()
    }

    /// The probe's case: the act's folder swapped for a link to a folder
    /// outside between the check of the path and the write, over and over,
    /// 10 000 saves. Nothing is written outside, nothing left there.
    #[cfg(unix)]
    #[test]
    fn a_folder_swapped_for_a_link_takes_no_save_outside() {
        use std::os::unix::fs::MetadataExt;
        let parent = tempfile::tempdir().unwrap();
        let served = parent.path().join("served");
        let outside = parent.path().join("outside");
        std::fs::create_dir_all(served.join("sub")).unwrap();
        std::fs::create_dir_all(&outside).unwrap();
        let one = "вид: приказ\nномер: 1\n";
        let two = "вид: приказ\nномер: 2\n";
        std::fs::write(served.join("sub/a.yaml"), one).unwrap();
        // Outside, the same text: the hash the page sends fits it too.
        std::fs::write(outside.join("a.yaml"), one).unwrap();
        let inode = std::fs::metadata(outside.join("a.yaml")).unwrap().ino();
        let mut s = Served::start(&[served.to_str().unwrap()], parent.path());
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let swapper = {
            let (served, outside, stop) = (served.clone(), outside.clone(), stop.clone());
            std::thread::spawn(move || {
                let mut swaps = 0u64;
                while !stop.load(std::sync::atomic::Ordering::SeqCst) {
                    std::fs::rename(served.join("sub"), served.join(".real")).unwrap();
                    std::os::unix::fs::symlink(&outside, served.join("sub")).unwrap();
                    std::thread::yield_now();
                    std::fs::remove_file(served.join("sub")).unwrap();
                    std::fs::rename(served.join(".real"), served.join("sub")).unwrap();
                    std::thread::yield_now();
                    swaps += 1;
                }
                swaps
            })
        };
        let mut hash = prikaz::serve::content_hash(one.as_bytes());
        let mut next = two;
        let mut saved = 0;
        let mut statuses = std::collections::BTreeMap::new();
        for _ in 0..10_000 {
            let (status, v) = save(&s, "sub/a.yaml", next, &hash);
            *statuses.entry(status).or_insert(0) += 1;
            if status == 200 {
                saved += 1;
                hash = v["hash"].as_str().unwrap().to_string();
                next = if next == one { two } else { one };
            }
            assert!(matches!(status, 200 | 403 | 404 | 409), "{status}: {v}");
        }
        stop.store(true, std::sync::atomic::Ordering::SeqCst);
        let swaps = swapper.join().unwrap();
        eprintln!("{swaps} swaps, answers {statuses:?}");
        assert!(saved > 0, "no save got through: {statuses:?}");
        assert!(statuses.len() > 1, "the race never hit: {statuses:?}");
        assert_eq!(
            std::fs::read_to_string(outside.join("a.yaml")).unwrap(),
            one
        );
        assert_eq!(
            std::fs::metadata(outside.join("a.yaml")).unwrap().ino(),
            inode,
            "the file outside was replaced"
        );
        assert!(
            temporaries(&outside).is_empty(),
            "{:?}",
            temporaries(&outside)
        );
        assert!(temporaries(&served.join("sub")).is_empty());
        page_answers(&mut s, "10 000 saves through a swapped folder");
    }

    /// Made up: the act itself swapped for a link to a file outside, 2 000
    /// saves; the link is replaced at most, the file outside never.
    #[cfg(unix)]
    #[test]
    fn an_act_swapped_for_a_link_takes_no_save_outside() {
        let parent = tempfile::tempdir().unwrap();
        let served = parent.path().join("served");
        let outside = parent.path().join("outside");
        std::fs::create_dir_all(&served).unwrap();
        std::fs::create_dir_all(&outside).unwrap();
        let one = "вид: приказ\nномер: 1\n";
        std::fs::write(served.join("a.yaml"), one).unwrap();
        std::fs::write(outside.join("a.yaml"), one).unwrap();
        let mut s = Served::start(&[served.to_str().unwrap()], parent.path());
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let swapper = {
            let (served, outside, stop) = (served.clone(), outside.clone(), stop.clone());
            std::thread::spawn(move || {
                while !stop.load(std::sync::atomic::Ordering::SeqCst) {
                    let link = served.join(".link");
                    let _ = std::fs::remove_file(&link);
                    std::os::unix::fs::symlink(outside.join("a.yaml"), &link).unwrap();
                    let _ = std::fs::rename(&link, served.join("a.yaml"));
                    std::thread::yield_now();
                    std::fs::write(served.join(".file"), one).unwrap();
                    let _ = std::fs::rename(served.join(".file"), served.join("a.yaml"));
                    std::thread::yield_now();
                }
            })
        };
        let hash = prikaz::serve::content_hash(one.as_bytes());
        let mut statuses = std::collections::BTreeMap::new();
        for i in 0..2_000 {
            let (status, _) = save(&s, "a.yaml", &format!("{one}# {i}\n"), &hash);
            *statuses.entry(status).or_insert(0) += 1;
        }
        stop.store(true, std::sync::atomic::Ordering::SeqCst);
        swapper.join().unwrap();
        eprintln!("answers {statuses:?}");
        assert_eq!(
            std::fs::read_to_string(outside.join("a.yaml")).unwrap(),
            one
        );
        assert!(temporaries(&outside).is_empty());
        assert!(
            temporaries(&served).is_empty(),
            "{:?}",
            temporaries(&served)
        );
        page_answers(&mut s, "2 000 saves through a swapped act");
    }

    /// The probe's case: a save with an empty hash over an act larger than
    /// `--max-input`, which the server refuses to read. Made up: the same
    /// over an act not in UTF-8 (with its true hash) and over a FIFO.
    #[test]
    fn no_save_over_a_file_the_server_would_not_read() {
        let dir = folder();
        let p = dir.path();
        let big = format!("вид: приказ\n#{}\n", "ж".repeat(40_000));
        std::fs::write(p.join("big.yaml"), &big).unwrap();
        let latin1 = b"\xe2\xe8\xe4: \xef\xf0\xe8\xea\xe0\xe7\n".to_vec();
        std::fs::write(p.join("latin1.yaml"), &latin1).unwrap();
        let mut s = Served::start(&["ochyor-60.yaml", "--max-input", "64КБ"], p);
        let (status, v) = save(&s, "big.yaml", "вид: приказ\n", "");
        assert_eq!(status, 413, "{v}");
        assert!(v["error"].as_str().unwrap().contains("--max-input"), "{v}");
        assert_eq!(std::fs::read_to_string(p.join("big.yaml")).unwrap(), big);
        page_answers(&mut s, "a save over a big file");
        let (status, v) = save(
            &s,
            "latin1.yaml",
            "вид: приказ\n",
            &prikaz::serve::content_hash(&latin1),
        );
        assert_eq!(status, 403, "{v}");
        assert!(v["error"].as_str().unwrap().contains("UTF-8"), "{v}");
        assert_eq!(std::fs::read(p.join("latin1.yaml")).unwrap(), latin1);
        #[cfg(unix)]
        {
            use std::os::unix::fs::FileTypeExt;
            let ok = std::process::Command::new("mkfifo")
                .arg(p.join("fifo.yaml"))
                .status()
                .unwrap()
                .success();
            assert!(ok, "mkfifo");
            let started = Instant::now();
            let (status, v) = save(&s, "fifo.yaml", "вид: приказ\n", "");
            assert_eq!(status, 403, "{v}");
            assert!(started.elapsed() < Duration::from_secs(1));
            assert!(
                std::fs::symlink_metadata(p.join("fifo.yaml"))
                    .unwrap()
                    .file_type()
                    .is_fifo()
            );
        }
        assert!(temporaries(p).is_empty(), "{:?}", temporaries(p));
        page_answers(&mut s, "saves over files it would not read");
    }
}
