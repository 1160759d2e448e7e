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
        // UTF-8 Russian with Windows-1251 bytes in it: text in no encoding
        // prikaz reads (a whole file in Windows-1251 is read, and may be saved over).
        let mut latin1 = "вид: приказ\n".as_bytes().to_vec();
        latin1.extend(b"\xe2\xe8\xe4: \xef\xf0\xe8\xea\xe0\xe7\n");
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

// ---- Spreadsheets written here as zip and XML (class 1) ----

/// A zip of `parts` (name, bytes), deflated.
fn zip_of(parts: &[(&str, Vec<u8>)]) -> Vec<u8> {
    use std::io::Write;
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(false);
    for (name, bytes) in parts {
        z.start_file(*name, opts).unwrap();
        z.write_all(bytes).unwrap();
    }
    z.finish().unwrap().into_inner()
}

const XLSX_NS: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";

/// A minimal .xlsx: sheets (name, hidden, `<sheetData>` content), shared
/// strings, and a second cell style that is a date (numFmtId 14).
fn xlsx(sheets: &[(&str, bool, String)], shared: &[String]) -> Vec<u8> {
    let mut types = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>"#,
    );
    let mut book = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{XLSX_NS}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>"#
    );
    let mut rels = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rS" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/><Relationship Id="rT" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>"#,
    );
    let mut parts: Vec<(String, Vec<u8>)> = vec![];
    for (i, (name, hidden, data)) in sheets.iter().enumerate() {
        let n = i + 1;
        types.push_str(&format!(r#"<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>"#));
        let state = if *hidden { r#" state="hidden""# } else { "" };
        book.push_str(&format!(
            r#"<sheet name="{name}" sheetId="{n}"{state} r:id="rId{n}"/>"#
        ));
        rels.push_str(&format!(r#"<Relationship Id="rId{n}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet{n}.xml"/>"#));
        parts.push((
            format!("xl/worksheets/sheet{n}.xml"),
            format!(r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{XLSX_NS}"><sheetData>{data}</sheetData></worksheet>"#).into_bytes(),
        ));
    }
    types.push_str("</Types>");
    book.push_str("</sheets></workbook>");
    rels.push_str("</Relationships>");
    let mut sst = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{XLSX_NS}" count="{0}" uniqueCount="{0}">"#,
        shared.len()
    );
    for s in shared {
        sst.push_str(&format!("<si><t>{s}</t></si>"));
    }
    sst.push_str("</sst>");
    let styles = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="{XLSX_NS}"><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/></cellXfs></styleSheet>"#
    );
    let mut all: Vec<(&str, Vec<u8>)> = vec![
        ("[Content_Types].xml", types.into_bytes()),
        ("_rels/.rels", br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="r1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.to_vec()),
        ("xl/workbook.xml", book.into_bytes()),
        ("xl/_rels/workbook.xml.rels", rels.into_bytes()),
        ("xl/sharedStrings.xml", sst.into_bytes()),
        ("xl/styles.xml", styles.into_bytes()),
    ];
    for (n, b) in &parts {
        all.push((n.as_str(), b.clone()));
    }
    zip_of(&all)
}

/// The header row of a plan sheet («мероприятие» in A1), as a shared string 0.
fn xlsx_header() -> String {
    r#"<row r="1"><c r="A1" t="s"><v>0</v></c></row>"#.to_string()
}

/// A minimal .ods whose content.xml holds `styles` and the `tables`.
fn ods(styles: &str, tables: &str) -> Vec<u8> {
    let content = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"><office:automatic-styles>{styles}</office:automatic-styles><office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body></office:document-content>"#
    );
    zip_of(&[
        (
            "mimetype",
            b"application/vnd.oasis.opendocument.spreadsheet".to_vec(),
        ),
        ("content.xml", content.into_bytes()),
    ])
}

/// An .ods table named «План» with the header row and then `rows`.
fn ods_plan(rows: &str) -> Vec<u8> {
    ods(
        "",
        &format!(
            r#"<table:table table:name="План"><table:table-row><table:table-cell office:value-type="string"><text:p>мероприятие</text:p></table:table-cell></table:table-row>{rows}</table:table>"#
        ),
    )
}

const ODS_CELL: &str = r#"<table:table-cell office:value-type="string"><text:p>Мероприятие</text:p></table:table-cell>"#;

/// Set every uncompressed size the zip's headers state to 100 bytes.
fn understate_sizes(mut zip: Vec<u8>) -> Vec<u8> {
    let mut i = 0;
    while i + 4 <= zip.len() {
        let at = match &zip[i..i + 4] {
            b"PK\x03\x04" => Some(i + 22),
            b"PK\x01\x02" => Some(i + 24),
            _ => None,
        };
        if let Some(at) = at {
            zip[at..at + 4].copy_from_slice(&100u32.to_le_bytes());
        }
        i += 1;
    }
    zip
}

#[test]
fn spreadsheets_that_ask_too_much_are_refused() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    let sheet = |name: &str, file: &str, bytes: Vec<u8>, want: &[&str]| {
        assert!(bytes.len() < 4 << 20, "{name}: {} bytes", bytes.len());
        write(p, file, bytes);
        let yaml = format!("{name}.yaml");
        write(p, &yaml, with_csv(file));
        for cmd in [
            ["check", yaml.as_str(), "", ""],
            ["render", yaml.as_str(), "-o", "out"],
        ] {
            let args: Vec<&str> = cmd.iter().copied().filter(|a| !a.is_empty()).collect();
            let peak = refused(name, p, &args, 1, want);
            assert!(peak < 400_000, "{name}: peak {peak} KB");
        }
    };

    // The probe's case: empty cells repeated 999 times, then empty rows a
    // million times, then a filled cell — the grid calamine filled in.
    sheet(
        "ods-empty-repeats",
        "empty.ods",
        ods_plan(&format!(
            r#"<table:table-row><table:table-cell table:number-columns-repeated="999"/>{ODS_CELL}</table:table-row><table:table-row table:number-rows-repeated="1000000"><table:table-cell table:number-columns-repeated="1000"/></table:table-row><table:table-row>{ODS_CELL}</table:table-row>"#
        )),
        &["empty.ods", "так далеко"],
    );
    // The probe's case: repeats in single quotes on self-closing cells that
    // carry a value, inside the sheet's reach: 20 000 rows × 20 cells.
    sheet(
        "ods-quotes",
        "quotes.ods",
        ods_plan(
            r#"<table:table-row table:number-rows-repeated='20000'><table:table-cell office:value-type='string' office:string-value='x' table:number-columns-repeated='20'/></table:table-row>"#,
        ),
        &["quotes.ods", "заполненных ячеек"],
    );
    // The probe's case: covered cells (under a merged one) that carry a value.
    sheet(
        "ods-covered",
        "covered.ods",
        ods_plan(
            r#"<table:table-row table:number-rows-repeated="15000"><table:table-cell office:value-type="string" office:string-value="x"/><table:covered-table-cell table:number-columns-repeated="30" office:value-type="string" office:string-value="x"/></table:table-row>"#,
        ),
        &["covered.ods", "заполненных ячеек"],
    );
    // Made up: a hundred million spaces written as one element.
    sheet(
        "ods-spaces",
        "spaces.ods",
        ods_plan(
            r#"<table:table-row><table:table-cell office:value-type="string"><text:p>а<text:s text:c="100000000"/>б</text:p></table:table-cell></table:table-row>"#,
        ),
        &["spaces.ods", "строка 2, столбец A", "КБ текста"],
    );
    // The probe's case: a sheet of 100 MB placed before the plan's, past
    // the part of content.xml a check would read.
    let padding = " ".repeat(100 << 20);
    sheet(
        "ods-late-bomb",
        "late.ods",
        ods(
            "",
            &format!(
                r#"<table:table table:name="Пусто"><table:table-row><table:table-cell office:value-type="string"><text:p>{padding}</text:p></table:table-cell></table:table-row></table:table><table:table table:name="План"><table:table-row>{ODS_CELL}</table:table-row></table:table>"#
            ),
        ),
        &["late.ods", "распаковывается больше чем в 64 МБ"],
    );
    drop(padding);

    // The probe's case: one shared string of 60 000 letters named by
    // 65 000 cells, each cell a copy of it.
    let mut rows = xlsx_header();
    for r in 2..65_000 {
        rows.push_str(&format!(
            r#"<row r="{r}"><c r="A{r}" t="s"><v>1</v></c></row>"#
        ));
    }
    sheet(
        "xlsx-shared",
        "shared.xlsx",
        xlsx(
            &[("План", false, rows)],
            &["мероприятие".into(), "ж".repeat(30_000)],
        ),
        &["shared.xlsx", "лист «План»", "текст ячеек листа"],
    );
    // The probe's case: headers that claim 100 bytes for 80 MB of cells.
    let mut rows = xlsx_header();
    let big = "ж".repeat(2000);
    for r in 2..20_000 {
        rows.push_str(&format!(
            r#"<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>{big}</t></is></c></row>"#
        ));
    }
    sheet(
        "xlsx-lying-sizes",
        "lying.xlsx",
        understate_sizes(xlsx(&[("План", false, rows)], &["мероприятие".into()])),
        &["lying.xlsx", "распаковывается больше чем в 64 МБ"],
    );
    // The probe's case: a date-formatted cell holding -1e308.
    let rows = format!(
        r#"{}<row r="2"><c r="A2" s="1"><v>-1e308</v></c></row>"#,
        xlsx_header()
    );
    sheet(
        "xlsx-date",
        "date.xlsx",
        xlsx(&[("План", false, rows)], &["мероприятие".into()]),
        &["date.xlsx", "строка 2, столбец A", "дата вне календаря"],
    );
    // Made up: a date a million years ahead.
    let rows = format!(
        r#"{}<row r="2"><c r="A2" s="1"><v>365000000</v></c></row>"#,
        xlsx_header()
    );
    sheet(
        "xlsx-date-far",
        "far.xlsx",
        xlsx(&[("План", false, rows)], &["мероприятие".into()]),
        &["far.xlsx", "дата вне календаря"],
    );
    // The probe's case: one cell of 18 MB.
    let rows = format!(
        r#"{}<row r="2"><c r="A2" t="inlineStr"><is><t>{}</t></is></c></row>"#,
        xlsx_header(),
        "ж".repeat(9 << 20)
    );
    sheet(
        "xlsx-big-cell",
        "bigcell.xlsx",
        xlsx(&[("План", false, rows)], &["мероприятие".into()]),
        &[
            "bigcell.xlsx",
            "строка 2, столбец A",
            "КБ текста — больше предела",
        ],
    );
}

/// A hidden first sheet is passed over with a warning that names it; a
/// named sheet is read hidden or not.
#[test]
fn a_hidden_first_sheet_is_named_in_a_warning() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    let row =
        |t: &str| format!(r#"<row r="2"><c r="A2" t="inlineStr"><is><t>{t}</t></is></c></row>"#);
    write(
        p,
        "hidden.xlsx",
        xlsx(
            &[
                (
                    "Старый",
                    true,
                    format!("{}{}", xlsx_header(), row("Из скрытого")),
                ),
                (
                    "План",
                    false,
                    format!("{}{}", xlsx_header(), row("Из видимого")),
                ),
            ],
            &["мероприятие".into()],
        ),
    );
    write(
        p,
        "hidden.ods",
        ods(
            r#"<style:style style:name="ta2" style:family="table"><style:table-properties table:display="false"/></style:style>"#,
            r#"<table:table table:name="Старый" table:style-name="ta2"><table:table-row><table:table-cell office:value-type="string"><text:p>мероприятие</text:p></table:table-cell></table:table-row><table:table-row><table:table-cell office:value-type='string'><text:p>Из скрытого</text:p></table:table-cell></table:table-row></table:table><table:table table:name="План"><table:table-row><table:table-cell office:value-type="string"><text:p>мероприятие</text:p></table:table-cell></table:table-row><table:table-row><table:table-cell office:value-type="string"><text:p>Из видимого</text:p></table:table-cell></table:table-row></table:table>"#,
        ),
    );
    for file in ["hidden.xlsx", "hidden.ods"] {
        write(p, "a.yaml", with_csv(file));
        let o = run(p, &["check", "a.yaml"]);
        assert_eq!(o.code, 0, "{file}: {}", o.stderr);
        assert!(
            o.stderr.contains("P505") && o.stderr.contains("«Старый»"),
            "{file}: {}",
            o.stderr
        );
        let prepared = prikaz::prepare(
            &p.join("a.yaml"),
            templates(),
            &prikaz::read::Limits::default(),
            &prikaz::resolve::Selection::All,
        )
        .unwrap_or_else(|e| {
            panic!(
                "{file}: {}",
                e.0.iter().map(|d| d.render()).collect::<String>()
            )
        });
        let text = prepared.doc.plain_text().join("|");
        assert!(
            text.contains("Из видимого") && !text.contains("Из скрытого"),
            "{file}: {text}"
        );
        // Named, the hidden sheet is read, and nothing is said.
        write(
            p,
            "b.yaml",
            with_csv(&format!("{{файл: {file}, лист: Старый}}")),
        );
        let o = run(p, &["check", "b.yaml"]);
        assert_eq!(o.code, 0, "{file}: {}", o.stderr);
        assert!(!o.stderr.contains("P505"), "{file}: {}", o.stderr);
    }
}

/// A table with `columns` and `rows` (YAML flow lists), in an appendix.
fn with_table(columns: &str, rows: &str) -> String {
    format!(
        "{MINIMAL}приложения:\n  - содержание:\n      - таблица:\n          колонки: {columns}\n          строки: {rows}\n"
    )
}

/// Small, valid-looking YAML that asks for hours or gigabytes (class 4),
/// and long words that reached the PDF writer (class 5): `check` refuses
/// each with the place, so `render` never meets them.
#[test]
fn acts_that_ask_too_much_are_refused_by_check() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    let both = |name: &str, yaml: String, want: &[&str]| {
        let file = format!("{name}.yaml");
        write(p, &file, yaml);
        refused(name, p, &["check", &file], 1, want);
        refused(name, p, &["render", &file, "-o", "out"], 1, want);
    };
    // The probe's case: 3 000 small appendices; made up: 101.
    for n in [3000, 101] {
        let mut y = format!("{MINIMAL}приложения:\n");
        for i in 0..n {
            y.push_str(&format!("  - содержание: [Текст {i}.]\n"));
        }
        both(
            &format!("appendices-{n}"),
            y,
            &["приложений, а предел — 100", "приложения[101]"],
        );
    }
    // The probe's case: 100 000 columns; made up: 41.
    for n in [100_000, 41] {
        let cols: Vec<String> = (0..n).map(|i| format!("к{i}")).collect();
        both(
            &format!("columns-{n}"),
            with_table(&format!("[{}]", cols.join(", ")), "[[а]]"),
            &["колонок, а предел — 40"],
        );
    }
    // The probe's case: a cell of 300 000 words; made up: a point of 10 001.
    both(
        "cell-words",
        with_table(
            "[Мероприятие]",
            &format!("[[\"{}\"]]", "слово ".repeat(300_000)),
        ),
        &["300000 слов", "строки[1]"],
    );
    both(
        "point-words",
        MINIMAL.replace(
            "  - Провести проверку.",
            &format!("  - \"{}\"", "слово ".repeat(10_001)),
        ),
        &["10001 слов", "пункты[1]"],
    );
    // Made up: many small texts, 1 500 points of 100 words.
    both(
        "act-words",
        MINIMAL.replace(
            "  - Провести проверку.\n",
            &format!("  - \"{}\"\n", "проверка ".repeat(100)).repeat(1500),
        ),
        &["в акте больше 100000 слов", "пункты[1000]"],
    );
    // The probe's cases: words of 500 000, 40 000 and 20 000 letters in a
    // cell (the last two were T005 and T003); made up: 501 in the title.
    for n in [500_000, 40_000, 20_000] {
        both(
            &format!("word-{n}"),
            with_table("[Мероприятие]", &format!("[[\"а{}\"]]", "б".repeat(n - 1))),
            &[&format!("слово из {n} знаков"), "предела в 500 знаков"],
        );
    }
    both(
        "title-word",
        MINIMAL.replace(
            "заголовок: О проверке",
            &format!("заголовок: О проверке {}", "ю".repeat(501)),
        ),
        &["слово из 501 знаков", "заголовок", "title-word.yaml:5:"],
    );
}

/// What `check` accepts, `render` writes as PDF/A: a title of 40 000
/// characters (its metadata was a PDF string over the format's limit) and
/// the longest word allowed in a narrow cell, which breaks at the cell's edge.
#[test]
fn the_longest_accepted_texts_render_as_pdf_a() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    let title = "слово ".repeat(7_000);
    let word = "ш".repeat(500);
    let yaml = with_table(
        "[{заголовок: Мероприятие, ширина: 1}, {заголовок: Прочее, ширина: 10}]",
        &format!("[[\"{word}\", а]]"),
    )
    .replace(
        "заголовок: О проверке",
        &format!("заголовок: О проверке {title}"),
    );
    write(p, "long.yaml", yaml);
    let o = run(p, &["render", "long.yaml", "-o", "out"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    eprintln!("long title and word: peak {} MB", o.peak_kb / 1024);
    let pdf = std::fs::read(
        p.join("out").join(
            std::fs::read_dir(p.join("out"))
                .unwrap()
                .filter_map(Result::ok)
                .find(|e| e.path().extension().is_some_and(|x| x == "pdf"))
                .expect("a PDF")
                .file_name(),
        ),
    )
    .unwrap();
    // Every letter of the word in the text layer (the cell runs over pages,
    // so nothing is lost at a page's foot), and inside the page.
    let text = pdf_text(&pdf);
    assert_eq!(text.matches('ш').count(), 500, "letters lost:\n{text}");
    let pages = bbox(&pdf);
    let right = pages
        .iter()
        .flat_map(|pg| pg.words.iter().map(|w| w.x1))
        .fold(0.0f64, f64::max);
    // Inside the right margin of 10 mm, give or take half a point.
    let edge = pages[0].width - 10.0 * 72.0 / 25.4 + 0.5;
    assert!(
        right < edge,
        "a word runs into the margin: {right} > {edge}"
    );
}

/// Batches that multiply: a 3 MB value in 3 000 points, 100 000 variants.
#[test]
fn batches_that_multiply_are_refused() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    let base = MINIMAL.replace(
        "  - Провести проверку.\n",
        &"  - \"{{ v }}\"\n".repeat(3000),
    );
    write(p, "base.yaml", &base);
    write(
        p,
        "v.yaml",
        format!("- имя: один\n  v: \"{}\"\n", "ж ".repeat(1_000_000)),
    );
    refused(
        "batch-bytes",
        p,
        &["batch", "base.yaml", "v.yaml", "-o", "out", "-j", "1"],
        1,
        &["подстановка значений даёт больше 4096 КБ"],
    );
    // Made up: 200 KB in 30 places, with the limit lowered to 1 MB.
    write(
        p,
        "v2.yaml",
        format!("- имя: два\n  v: \"{}\"\n", "ж ".repeat(50_000)),
    );
    let base = MINIMAL.replace("  - Провести проверку.\n", &"  - \"{{ v }}\"\n".repeat(30));
    write(p, "base2.yaml", &base);
    refused(
        "batch-bytes-2",
        p,
        &[
            "batch",
            "base2.yaml",
            "v2.yaml",
            "-o",
            "out",
            "--max-input",
            "1МБ",
        ],
        1,
        &["больше 1024 КБ"],
    );
    // The probe's case: 100 000 variants (a CSV: YAML stops at 200 000
    // nodes anyway); made up: 11 over a limit of 10.
    let mut v = String::from("имя,v\n");
    for i in 0..100_000 {
        v.push_str(&format!("в{i},а\n"));
    }
    write(p, "many.csv", &v);
    write(
        p,
        "base3.yaml",
        MINIMAL.replace("Провести проверку.", "\"{{ v }}\""),
    );
    refused(
        "batch-variants",
        p,
        &["batch", "base3.yaml", "many.csv", "-o", "out"],
        1,
        &["100000 вариантов, а предел — 10000", "--max-variants"],
    );
    let v: String = (0..11)
        .map(|i| format!("- {{имя: в{i}, v: а}}\n"))
        .collect();
    write(p, "eleven.yaml", &v);
    refused(
        "batch-variants-11",
        p,
        &[
            "batch",
            "base3.yaml",
            "eleven.yaml",
            "-o",
            "out",
            "--max-variants",
            "10",
        ],
        1,
        &["11 вариантов, а предел — 10"],
    );
}

/// Messages quote only what the clerk wrote, in Russian (class 8).
#[test]
fn messages_show_what_was_typed_in_russian() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    // The probe's case: a batch value that looks like a reference drew a
    // warning about an internal character; made up: the same in a heading.
    write(
        p,
        "base.yaml",
        MINIMAL
            .replace("Провести проверку.", "\"{{ v }}\"")
            .replace("заголовок: О проверке", "заголовок: \"О проверке {{ v }}\""),
    );
    write(p, "v.yaml", "- {имя: один, v: \"см. {приложение:план}\"}\n");
    let o = run(p, &["batch", "base.yaml", "v.yaml", "-o", "out", "-j", "1"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(!o.stderr.contains('\u{FDD0}'), "{}", o.stderr);
    assert!(!o.stderr.contains("P603"), "{}", o.stderr);
    let _ = std::fs::remove_dir_all(p.join("out"));

    // The probe's case: the --only hint listed every id on one line.
    let mut y = format!("{MINIMAL}приложения:\n");
    for i in 0..100 {
        y.push_str(&format!("  - {{id: прил{i}, содержание: [Текст.]}}\n"));
    }
    write(p, "many.yaml", &y);
    let o = run(
        p,
        &[
            "render",
            "many.yaml",
            "-o",
            "out",
            "--only",
            "приложение:другое",
        ],
    );
    assert_eq!(o.code, 1, "{}", o.stderr);
    let hint = o
        .stderr
        .lines()
        .find(|l| l.contains("есть приложения"))
        .unwrap_or("");
    assert!(hint.contains("… и ещё 90") && hint.len() < 300, "{hint}");
    // Made up: a close id is suggested instead.
    let o = run(
        p,
        &[
            "render",
            "many.yaml",
            "-o",
            "out",
            "--only",
            "приложение:прил1o",
        ],
    );
    assert!(
        o.stderr.contains("возможно, вы имели в виду «прил1"),
        "{}",
        o.stderr
    );

    // The probe's case: Typst's English in T002; made up: an unknown name.
    std::fs::create_dir_all(p.join("tpl")).unwrap();
    write(p, "a.yaml", MINIMAL);
    for (typ, want) in [
        ("#let x = (\n#x\n", "шаблон"),
        ("#нет-такого\n", "неизвестное имя"),
    ] {
        write(&p.join("tpl"), "act.typ", typ);
        let o = run(p, &["render", "a.yaml", "--template", "tpl", "-o", "out"]);
        assert_eq!(o.code, 1, "{}", o.stderr);
        let first = o.stderr.lines().find(|l| l.contains("T002")).unwrap_or("");
        assert!(first.contains(want), "{}", o.stderr);
        let detail = first.rsplit(": ").next().unwrap_or("");
        assert!(
            !detail.chars().any(|c| c.is_ascii_lowercase()),
            "English: {first}"
        );
    }

    // Year 0 and year 9999 are refused with the range.
    for (date, year) in [("01.01.0000", "0"), ("9999-12-31", "9999")] {
        write(p, "y.yaml", MINIMAL.replace("01.02.2024", date));
        refused(
            &format!("year-{year}"),
            p,
            &["check", "y.yaml"],
            1,
            &[
                &format!("год {year} вне допустимого"),
                "от 1900 до 2099",
                "y.yaml:3:",
            ],
        );
    }

    // A signatory the act names gets no other person's stamp in silence:
    // the profile's stamp of Глуховская under Иванов is P506.
    std::fs::create_dir_all(p.join("профили")).unwrap();
    write(
        &p.join("профили"),
        "уо.yaml",
        "подписант:\n  должность: Начальник\n  имя: Е.А. Глуховская\n  электронная_подпись: {сертификат: 1a2b3c, владелец: Глуховская Елена Александровна, действителен_с: 01.01.2024, действителен_по: 31.12.2024}\n",
    );
    let act = format!("профиль: уо.yaml\n{MINIMAL}");
    write(p, "sig.yaml", &act);
    let o = run(p, &["check", "sig.yaml"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(
        o.stderr.contains("P506")
            && o.stderr.contains("Глуховская Елена Александровна")
            && o.stderr.contains("И.И. Иванов")
            && o.stderr.contains("из профиля"),
        "{}",
        o.stderr
    );
    // Made up: the act's own stamp of someone else.
    let act = MINIMAL.replace(
        "  имя: И.И. Иванов\n",
        "  имя: И.И. Иванов\n  электронная_подпись: {сертификат: 1a2b3c, владелец: Петров Пётр Петрович, действителен_с: 01.01.2024, действителен_по: 31.12.2024}\n",
    );
    write(p, "sig2.yaml", &act);
    let o = run(p, &["check", "sig2.yaml"]);
    assert!(
        o.stderr.contains("P506") && !o.stderr.contains("из профиля"),
        "{}",
        o.stderr
    );
    // The signatory's own stamp says nothing.
    write(
        p,
        "sig3.yaml",
        act.replace("Петров Пётр Петрович", "Иванов Иван Иванович"),
    );
    let o = run(p, &["check", "sig3.yaml"]);
    assert!(!o.stderr.contains("P506"), "{}", o.stderr);
}

/// A user's page template is a program: one that loops for ever or builds a
/// huge array is stopped by its time or memory budget, with a Russian message
/// naming the budget, exit 1 and no output. The same under an address-space
/// limit below the memory budget (the system refuses first).
#[test]
fn a_users_template_that_loops_or_hoards_is_stopped() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    write(p, "a.yaml", MINIMAL);
    std::fs::create_dir_all(p.join("loop")).unwrap();
    std::fs::create_dir_all(p.join("hoard")).unwrap();
    write(
        p,
        "loop/act.typ",
        "#let s = 0\n#for i in range(100000) { for j in range(100000) { s += 1 } }\n#s\n",
    );
    write(p, "hoard/act.typ", "#let a = range(2000000000)\n#a.len()\n");
    let start = std::time::Instant::now();
    let args = [
        "render",
        "a.yaml",
        "-o",
        "out",
        "--template",
        "loop",
        "--template-time",
        "2",
    ];
    refused(
        "loop",
        p,
        &args,
        1,
        &["act.typ", "дольше 2 с", "--template-time"],
    );
    assert!(
        start.elapsed() < std::time::Duration::from_secs(TIMEOUT_S / 2),
        "the loop ran {:?}",
        start.elapsed()
    );
    let args = [
        "render",
        "a.yaml",
        "-o",
        "out",
        "--template",
        "hoard",
        "--template-memory",
        "300МБ",
    ];
    let peak = refused("hoard", p, &args, 1, &["act.typ", "больше 300 МБ памяти"]);
    assert!(peak < 400_000, "peak {peak} KB");
    // The default budget (4 GB) is above this test's address-space limit:
    // the system refuses first, and the message is the same.
    let args = ["render", "a.yaml", "-o", "out", "--template", "hoard"];
    refused(
        "hoard-ulimit",
        p,
        &args,
        1,
        &["act.typ", "памяти", "--template-memory"],
    );
    // A budget is for a user's template: the built-in one, given the same
    // budget, renders the act.
    let args = ["render", "a.yaml", "-o", "out", "--template-time", "1"];
    let o = run(p, &args);
    assert_eq!(o.code, 0, "{}", o.stderr);
}
