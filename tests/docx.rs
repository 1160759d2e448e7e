//! The DOCX writer (`prikaz::render::docx::write`): the XML it produces, byte
//! stability, and — through LibreOffice — the words, page count and look of the
//! document compared with our own Typst PDF.
//!
//! The LibreOffice tests need `soffice` (Debian: libreoffice-writer-nogui, plus
//! hyphen-ru for Russian hyphenation) and poppler-utils; when a tool is missing
//! they fail with a message saying what to install, they are never skipped.

mod common;
use common::*;
use prikaz::emblem::Emblem;
use prikaz::model::Block;
use prikaz::resolve::Selection;
use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

// ---- Helpers ----

fn docx(p: &prikaz::Prepared) -> Vec<u8> {
    match prikaz::render::docx::write(&p.doc, p.emblem.as_ref()) {
        Ok(b) => b,
        Err(d) => panic!("DOCX fails: {}", d.render()),
    }
}

fn typst_pdf(p: &prikaz::Prepared) -> Vec<u8> {
    engine()
        .pdf(&p.doc, p.emblem.as_ref())
        .expect("PDF renders")
}

fn fixture() -> PathBuf {
    root().join("tests/fixtures/docx-landscape.yaml")
}

/// All parts of a DOCX package, by name.
fn unzip(bytes: &[u8]) -> BTreeMap<String, Vec<u8>> {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip file");
    let mut out = BTreeMap::new();
    for i in 0..z.len() {
        let mut f = z.by_index(i).unwrap();
        let mut data = Vec::new();
        f.read_to_end(&mut data).unwrap();
        out.insert(f.name().to_string(), data);
    }
    out
}

fn part(parts: &BTreeMap<String, Vec<u8>>, name: &str) -> String {
    let data = parts
        .get(name)
        .unwrap_or_else(|| panic!("no part {name} in the package"));
    String::from_utf8(data.clone()).expect("XML parts are UTF-8")
}

fn page_count(pdf: &[u8]) -> usize {
    // pdftotext ends every page with a form feed.
    pdf_text(pdf).matches('\u{c}').count()
}

/// A word of `pdftotext -raw` output; `line_end`: the last word of its line.
#[derive(Debug, Clone, PartialEq)]
struct Word {
    text: String,
    line_end: bool,
}

/// Words of `pdftotext -raw` output, normalised: lines that are only a page
/// number dropped, NBSP as space, a soft hyphen or a hyphen at a line end
/// joins the two halves. Hyphens are not compared at all (a compound word may
/// break at its own hyphen in one file only), and a word ending in a dash
/// joins the next line too (a line may break after «2023–» in one file only).
fn words(text: &str) -> Vec<Word> {
    let norm = |w: &str| w.replace(['\u{ad}', '-', '\u{2010}', '\u{2011}'], "");
    let mut out = Vec::new();
    let mut carry = String::new();
    for line in text.split(['\n', '\u{c}']) {
        let line = line.replace(['\u{a0}', '\u{202f}'], " ");
        let t = line.trim();
        if t.is_empty() || t.chars().all(|c| c.is_ascii_digit()) {
            continue;
        }
        let mut ws: Vec<String> = t.split_whitespace().map(String::from).collect();
        ws[0] = format!("{carry}{}", ws[0]);
        carry.clear();
        let last = ws.last().cloned().unwrap_or_default();
        let glue = last.chars().count() >= 2
            && last.ends_with(['\u{ad}', '-', '\u{2010}', '\u{2011}', '–', '—']);
        if glue {
            carry = ws.pop().unwrap_or_default();
        }
        let n = ws.len();
        for (k, w) in ws.into_iter().enumerate() {
            let text = norm(&w);
            if !text.is_empty() {
                out.push(Word {
                    text,
                    line_end: k + 1 == n,
                });
            }
        }
    }
    let text = norm(&carry);
    if !text.is_empty() {
        out.push(Word {
            text,
            line_end: true,
        });
    }
    out
}

/// The words of a PDF, page by page, without the table header rows repeated
/// at the top of later pages: where a page breaks a table differs between the
/// writers, so the repeats would land at different places in the text.
fn document_words(pdf: &[u8], doc: &prikaz::model::Document) -> Vec<Word> {
    let mut headers: Vec<Vec<String>> = Vec::new();
    let mut bodies: Vec<&Vec<Block>> = doc.act.iter().map(|a| &a.body).collect();
    bodies.extend(doc.appendices.iter().map(|a| &a.body));
    // The approval and acknowledgment sheets are tables too.
    let sheets: Vec<Vec<Block>> = doc
        .sheets_after_act
        .iter()
        .chain(&doc.sheets_at_end)
        .map(|s| vec![Block::Table(s.table.clone())])
        .collect();
    bodies.extend(sheets.iter());
    for body in bodies {
        for b in body {
            if let Block::Table(t) = b {
                let mut h: Vec<String> = t.columns.iter().map(|c| c.title.clone()).collect();
                if t.column_numbers {
                    h.extend((1..=t.columns.len()).map(|i| i.to_string()));
                }
                headers.push(words(&h.join(" ")).into_iter().map(|w| w.text).collect());
            }
        }
    }
    let mut out: Vec<Word> = Vec::new();
    for page in pdf_text(pdf).split('\u{c}') {
        let mut ws = words(page);
        for h in &headers {
            let starts = ws.len() >= h.len() && ws.iter().zip(h).all(|(w, t)| &w.text == t);
            let seen = out
                .windows(h.len().max(1))
                .any(|win| win.iter().map(|w| &w.text).eq(h.iter()));
            if starts && seen {
                ws.drain(..h.len());
            }
        }
        out.extend(ws);
    }
    out
}

/// Compare two word lists. A word one writer split at a line end without a
/// hyphen (LibreOffice breaks «Н.В.» after «Н.» when nothing else fits in a
/// narrow cell) counts as the whole word of the other. Returns the number of
/// words compared, or where they first differ, with context.
fn compare_words(expected: &[Word], got: &[Word]) -> Result<usize, String> {
    // Does `whole` equal 2 or 3 consecutive words of `parts` from `at`, split at line ends?
    fn split(whole: &str, parts: &[Word], at: usize) -> Option<usize> {
        let mut acc = String::new();
        for k in 0..3 {
            let w = parts.get(at + k)?;
            acc.push_str(&w.text);
            if k > 0 && acc == whole {
                return Some(k + 1);
            }
            if !w.line_end || !whole.starts_with(&acc) {
                return None;
            }
        }
        None
    }
    let (mut i, mut j) = (0, 0);
    while i < expected.len() && j < got.len() {
        if expected[i].text == got[j].text {
            i += 1;
            j += 1;
        } else if let Some(k) = split(&expected[i].text, got, j) {
            i += 1;
            j += k;
        } else if let Some(k) = split(&got[j].text, expected, i) {
            i += k;
            j += 1;
        } else {
            break;
        }
    }
    if i == expected.len() && j == got.len() {
        return Ok(i);
    }
    let ctx = |v: &[Word], at: usize| {
        v[at.saturating_sub(8)..(at + 8).min(v.len())]
            .iter()
            .map(|w| w.text.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    };
    Err(format!(
        "word {i} of {} (Typst) differs from word {j} of {} (LibreOffice):\n  typst:       …{}…\n  libreoffice: …{}…",
        expected.len(),
        got.len(),
        ctx(expected, i),
        ctx(got, j)
    ))
}

/// A page as a grey map (0 black … 255 white) from `pdftoppm -gray` (PGM).
struct Gray {
    w: usize,
    h: usize,
    px: Vec<u8>,
}

fn raster(pdf: &[u8], page: usize, keep: &Path, name: &str) -> Gray {
    let n = page.to_string();
    let pgm = poppler_bytes(
        "pdftoppm",
        &["-r", "40", "-gray", "-f", &n, "-l", &n, "-singlefile"],
        pdf,
        false,
    );
    // Kept only in the test's temp dir, for a look when the test fails.
    std::fs::write(keep.join(format!("{name}-{page}.pgm")), &pgm).unwrap();
    parse_pgm(&pgm)
}

fn parse_pgm(b: &[u8]) -> Gray {
    let (w, h, px) = netpbm(b, "P5", 1);
    Gray { w, h, px }
}

/// Ink of a page in bands 2 px high, each cut in blocks 8 px wide (at 40 dpi
/// 1.3 mm × 5 mm): mean darkness 0 (white) … 255 (black).
fn bands(g: &Gray) -> Vec<Vec<f64>> {
    const W: usize = 8;
    const H: usize = 2;
    let bw = g.w.div_ceil(W);
    (0..g.h)
        .step_by(H)
        .map(|y0| {
            (0..bw)
                .map(|bx| {
                    let (mut sum, mut n) = (0.0, 0.0);
                    for y in y0..(y0 + H).min(g.h) {
                        for x in bx * W..((bx + 1) * W).min(g.w) {
                            sum += 255.0 - g.px[y * g.w + x] as f64;
                            n += 1.0;
                        }
                    }
                    sum / n
                })
                .collect()
        })
        .collect()
}

/// Visual difference of two pages of the same size, 0…255: the bands of one
/// page are aligned to those of the other by dynamic time warping (in order,
/// each band may stretch over several, at most 60 bands = 76 mm away), and
/// the mean absolute ink difference of the aligned bands is returned. The
/// alignment absorbs a different line pitch (see `SAME_PAGE`); what remains
/// is horizontal layout: margins, indents, centring, blocks and tables.
fn page_difference(a: &Gray, b: &Gray) -> f64 {
    assert_eq!(
        (a.w, a.h),
        (b.w, b.h),
        "pages of different size: {}×{} and {}×{}",
        a.w,
        a.h,
        b.w,
        b.h
    );
    const BAND: usize = 60;
    let (ra, rb) = (bands(a), bands(b));
    let (n, m) = (ra.len(), rb.len());
    let cost = |i: usize, j: usize| {
        let (x, y) = (&ra[i], &rb[j]);
        x.iter().zip(y).map(|(p, q)| (p - q).abs()).sum::<f64>() / x.len() as f64
    };
    // (total cost, path length) of the best path to (i, j).
    let mut d = vec![vec![(f64::INFINITY, 0usize); m + 1]; n + 1];
    d[0][0] = (0.0, 0);
    for i in 1..=n {
        for j in i.saturating_sub(BAND).max(1)..=(i + BAND).min(m) {
            let best = [d[i - 1][j - 1], d[i - 1][j], d[i][j - 1]]
                .into_iter()
                .min_by(|p, q| p.0.total_cmp(&q.0))
                .unwrap();
            d[i][j] = (best.0 + cost(i - 1, j - 1), best.1 + 1);
        }
    }
    let (total, len) = d[n][m];
    total / len.max(1) as f64
}

/// First page (1-based) whose text contains `needle`.
fn page_with(pdf: &[u8], needle: &str) -> usize {
    let text = pdf_text(pdf);
    let needle: String = needle.split_whitespace().collect::<Vec<_>>().join(" ");
    text.split('\u{c}')
        .position(|p| {
            p.replace(['\u{a0}', '\n'], " ")
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .contains(&needle)
        })
        .map(|i| i + 1)
        .unwrap_or_else(|| panic!("no page contains «{needle}»"))
}

// ---- The XML ----

#[test]
fn package_has_sections_headers_numbering_and_settings() {
    let p = prepare(&fixture());
    let parts = unzip(&docx(&p));
    let doc = part(&parts, "word/document.xml");

    // One section per part: the act, a landscape and a portrait appendix.
    let sections: Vec<&str> = doc.split("<w:sectPr>").skip(1).collect();
    assert_eq!(sections.len(), 3, "three sections");
    let landscape = &sections[1];
    assert!(
        landscape.contains(r#"w:orient="landscape""#)
            && landscape.contains(r#"<w:pgSz w:w="16838" w:h="11906""#),
        "the second section is landscape A4: {landscape:.300}"
    );
    // Landscape margins from the model (mm → twips).
    let m = p.doc.appendices[0].margins;
    let tw = |mm: f32| (mm as f64 * 1440.0 / 25.4).round() as i64;
    assert!(
        landscape.contains(&format!(
            r#"<w:pgMar w:top="{}" w:right="{}" w:bottom="{}" w:left="{}""#,
            tw(m.top),
            tw(m.right),
            tw(m.bottom),
            tw(m.left)
        )),
        "landscape margins: {landscape:.400}"
    );
    assert!(!sections[2].contains("landscape"), "the memo is portrait");
    for s in &sections {
        assert!(s.contains(r#"<w:headerReference w:type="default""#));
        assert!(s.contains(r#"<w:headerReference w:type="first""#));
        assert!(
            s.contains("<w:titlePg />"),
            "no number on a part's first page"
        );
        assert!(
            s.contains(r#"<w:pgNumType w:start="1" />"#),
            "numbering restarts"
        );
    }
    let act_margins = p.doc.layout.margins;
    assert!(sections[0].contains(&format!(
        r#"<w:pgMar w:top="{}" w:right="{}" w:bottom="{}" w:left="{}""#,
        tw(act_margins.top),
        tw(act_margins.right),
        tw(act_margins.bottom),
        tw(act_margins.left)
    )));

    // The page number: a PAGE field in the default header, centred.
    let rels = part(&parts, "word/_rels/document.xml.rels");
    let default_rid = sections[0]
        .split(r#"<w:headerReference w:type="default" r:id=""#)
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap();
    let target = rels
        .split("<Relationship ")
        .find(|r| r.contains(&format!(r#"Id="{default_rid}""#)))
        .and_then(|r| r.split(r#"Target=""#).nth(1))
        .and_then(|s| s.split('"').next())
        .unwrap();
    let header = part(&parts, &format!("word/{target}"));
    assert!(
        header.contains("<w:instrText>PAGE</w:instrText>"),
        "{header}"
    );
    assert!(header.contains(r#"<w:jc w:val="center" />"#));

    // Tables: header and column-number rows repeat, rows never split.
    assert_eq!(
        doc.matches("<w:tblHeader />").count(),
        2,
        "the header row and the column-number row repeat"
    );
    assert!(doc.contains("<w:cantSplit />"));
    assert!(
        doc.contains(r#"<w:gridSpan w:val="4" />"#),
        "section rows span"
    );
    assert!(doc.contains(r#"<w:tblLayout w:type="fixed" />"#));
    assert!(
        doc.contains(r#"<w:top w:val="single" w:sz="4""#),
        "0.5 pt borders"
    );

    // Points: real numbering, starting at id 2 (docx-rs keeps id 1).
    let numbering = part(&parts, "word/numbering.xml");
    assert!(numbering.contains(r#"<w:abstractNum w:abstractNumId="2""#));
    assert!(numbering.contains(r#"<w:lvlText w:val="%1." />"#));
    assert!(numbering.contains(r#"<w:lvlText w:val="%1.%2." />"#));
    assert!(numbering.contains(r#"<w:lvlText w:val="%9)" />"#));
    assert!(numbering.contains(r#"<w:suff w:val="space" />"#));
    let points = p
        .doc
        .act
        .as_ref()
        .unwrap()
        .body
        .iter()
        .filter(|b| matches!(b, Block::Point { .. }))
        .count();
    assert!(points >= 6);
    assert_eq!(
        doc.matches(r#"<w:numId w:val="2" />"#).count(),
        points,
        "every point is numbered by Word"
    );
    // … and the labels are not written as text.
    assert!(!doc.contains(">1.1. "));

    // Fonts, language, hyphenation, spacing.
    let styles = part(&parts, "word/styles.xml");
    assert!(styles.contains(r#"w:lang w:val="ru-RU""#), "{styles}");
    // The font in all four run-font slots, in the defaults and on the runs.
    for slot in ["w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"] {
        let attr = format!(r#" {slot}="Times New Roman""#);
        assert!(styles.contains(&attr), "default font slot {slot}");
        assert!(doc.contains(&attr), "font slot {slot}");
    }
    assert!(
        styles.contains(r#"<w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto" />"#)
    );
    assert!(styles.contains("<w:suppressAutoHyphens />"));
    let settings = part(&parts, "word/settings.xml");
    assert!(settings.contains("<w:autoHyphenation />"));

    // Metadata from the act, never from the clock.
    let core = part(&parts, "docProps/core.xml");
    assert!(
        core.contains("<dc:title>Приказ от 15.01.2024 № 12-од"),
        "{core}"
    );
    assert!(
        core.contains("<dc:creator>Администрация города Н-ска Управление образования</dc:creator>")
    );
    assert!(core.contains(">2024-01-15T00:00:00Z</dcterms:created>"));
    assert!(core.contains(">2024-01-15T00:00:00Z</dcterms:modified>"));

    // Text is escaped, the e-signature stamp and executor are there.
    assert!(doc.contains("&amp; «прозрачности» &lt;результатов&gt;"));
    assert!(doc.contains("1a111aaa000000000011"));
    assert!(common::runs_text(&doc).contains("Петрова Анна Сергеевна"));
    assert!(
        doc.contains(r#"<w:framePr "#),
        "executor in a frame at the foot"
    );
}

#[test]
fn orenburg_points_and_landscape_free_sections() {
    let p = prepare(&root().join("data/orenburg-596.yaml"));
    let parts = unzip(&docx(&p));
    let doc = part(&parts, "word/document.xml");
    assert_eq!(
        doc.matches("<w:sectPr>").count(),
        1 + p.doc.appendices.len()
    );
    assert!(!doc.contains("landscape"));
    assert!(doc.contains("<w:tblHeader />"));
    // Items «1)», «2)» are numbered on level 8 («%9)»).
    assert_eq!(doc.matches(r#"<w:ilvl w:val="8" />"#).count(), 2);
}

#[test]
fn labels_that_numbering_cannot_make_stay_text() {
    let mut p = prepare(&fixture());
    let act = p.doc.act.as_mut().unwrap();
    for b in &mut act.body {
        if let Block::Point { number, .. } = b
            && number.label == "1."
        {
            number.label = "1а.".into();
            number.explicit = true;
        }
    }
    let doc = part(&unzip(&docx(&p)), "word/document.xml");
    assert!(doc.contains(">1а. Утвердить график"), "literal label kept");
    // Word would count the next point as «1.»: it stays literal too.
    assert!(doc.contains(">2. Руководителям школ"));
}

#[test]
fn forbidden_characters_never_reach_the_xml() {
    let mut p = prepare(&fixture());
    let act = p.doc.act.as_mut().unwrap();
    act.title =
        "Заголовок\u{1}с\u{b}управляющими\u{1f}символами\u{fffe} & <теги> \"кавычки\"".into();
    act.signature.name = "И.И.\u{0}Иванов".into();
    p.doc.meta.title = "Тест\u{7} & <b>".into();
    let parts = unzip(&docx(&p));
    for (name, data) in &parts {
        if !name.ends_with(".xml") && !name.ends_with(".rels") {
            continue;
        }
        let s = String::from_utf8(data.clone()).unwrap();
        let bad = s.chars().find(|&c| {
            matches!(c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}')
        });
        assert_eq!(bad, None, "forbidden character in {name}");
    }
    let doc = part(&parts, "word/document.xml");
    assert!(doc.contains("Заголовоксуправляющимисимволами &amp; &lt;теги&gt; &quot;кавычки&quot;"));
    assert!(doc.contains("И.И.Иванов"));
    let core = part(&parts, "docProps/core.xml");
    assert!(core.contains("<dc:title>Тест &amp; &lt;b&gt;</dc:title>"));
}

#[test]
fn only_an_appendix_and_continuous_pages() {
    let p = prepare_sel(&fixture(), &Selection::Appendix("памятка".into()));
    assert!(p.doc.act.is_none());
    let doc = part(&unzip(&docx(&p)), "word/document.xml");
    assert_eq!(doc.matches("<w:sectPr>").count(), 1);
    assert!(doc.contains("<w:titlePg />"));

    let mut p = prepare(&fixture());
    p.doc.continuous_pages = true;
    let doc = part(&unzip(&docx(&p)), "word/document.xml");
    // Only the very first page goes unnumbered; numbers run on.
    assert_eq!(doc.matches("<w:titlePg />").count(), 1);
    assert_eq!(doc.matches("<w:pgNumType").count(), 1);
}

#[test]
fn emblem_is_embedded_and_bad_images_are_errors() {
    let mut p = prepare(&fixture());
    p.doc.act.as_mut().unwrap().emblem = true;
    let svg = br##"<svg xmlns="http://www.w3.org/2000/svg" width="40" height="50"><rect x="5" y="5" width="30" height="40" fill="#a00"/></svg>"##;
    let svg = Emblem::new(svg.to_vec(), "герб.svg", 40_000_000).expect("a good SVG");
    let bytes = prikaz::render::docx::write(&p.doc, Some(&svg)).expect("SVG emblem");
    let parts = unzip(&bytes);
    let media: Vec<&String> = parts
        .keys()
        .filter(|k| k.starts_with("word/media/"))
        .collect();
    assert_eq!(media.len(), 1, "{media:?}");
    assert!(parts[media[0]].starts_with(b"\x89PNG"));
    let doc = part(&parts, "word/document.xml");
    // 15 mm wide (layout.emblem_width) in EMU.
    let emu = (p.doc.layout.emblem_width as f64 * 36_000.0).round() as u64;
    assert!(
        doc.contains(&format!(r#"<wp:extent cx="{emu}""#)),
        "emblem width"
    );
    let again = prikaz::render::docx::write(&p.doc, Some(&svg)).unwrap();
    assert_eq!(bytes, again, "emblem output is stable");

    // A file neither writer could draw is refused when the act is prepared,
    // with its name, before any writer sees it.
    for bad in [
        &b"\x89PNG\r\n\x1a\nnot really"[..],
        b"",
        b"\xff\xd8\xff\x00",
        b"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"4\" <<",
        b"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"0\" height=\"0\"/>",
    ] {
        let e = Emblem::new(bad.to_vec(), "герб.png", 40_000_000).expect_err("bad image");
        assert!(e.contains("«герб.png»"), "{e}");
    }
}

// ---- Determinism ----

#[test]
fn same_input_gives_the_same_bytes() {
    for f in [fixture(), root().join("data/orenburg-596.yaml")] {
        let a = docx(&prepare(&f));
        let b = docx(&prepare(&f));
        assert_eq!(a, b, "{}: two runs differ", f.display());
        // In another thread too (docx-rs counts paragraph ids per thread).
        let f2 = f.clone();
        let c = std::thread::spawn(move || docx(&prepare(&f2)))
            .join()
            .unwrap();
        assert_eq!(a, c, "{}: a run in another thread differs", f.display());
        let mut z = zip::ZipArchive::new(std::io::Cursor::new(&a)).unwrap();
        for i in 0..z.len() {
            let e = z.by_index(i).unwrap();
            let t = e.last_modified().unwrap();
            assert_eq!(
                (t.year(), t.month(), t.day()),
                (1980, 1, 1),
                "fixed timestamp of {}",
                e.name()
            );
        }
    }
}

// ---- Through LibreOffice ----

/// The acts under data/ to compare; Оренбург must be there, and the example
/// with the approval and acknowledgment sheets and the QR code.
fn data_acts() -> Vec<PathBuf> {
    let orenburg = root().join("data/orenburg-596.yaml");
    assert!(orenburg.exists(), "{} is missing", orenburg.display());
    let sheets = root().join("data/приказ-с-листами.yaml");
    assert!(sheets.exists(), "{} is missing", sheets.display());
    let mut v = vec![orenburg, sheets];
    let ochyor = root().join("data/ochyor-60.yaml");
    if ochyor.exists() {
        v.push(ochyor);
    }
    v
}

fn stem(p: &Path) -> String {
    p.file_stem().unwrap().to_string_lossy().into_owned()
}

#[test]
fn libreoffice_reads_the_same_words_and_pages() {
    let mut files = data_acts();
    files.push(fixture());
    // Visas at the foot of the page, the e-signature stamp with the coat of
    // arms, a two-page acknowledgment sheet.
    files.push(root().join("tests/fixtures/sheets-visas.yaml"));
    for f in &files {
        let p = prepare(f);
        let ours = typst_pdf(&p);
        let theirs = libreoffice_pdf(&docx(&p), &stem(f));
        let (a, b) = (
            document_words(&ours, &p.doc),
            document_words(&theirs, &p.doc),
        );
        let n = compare_words(&a, &b)
            .unwrap_or_else(|d| panic!("{}: the words differ\n{d}", f.display()));
        let (pa, pb) = (page_count(&ours), page_count(&theirs));
        let line = format!(
            "{}: {n} words equal; pages: Typst {pa}, LibreOffice {pb}",
            stem(f)
        );
        println!("{line}");
        assert!(
            pa.abs_diff(pb) <= 1,
            "{}: page counts differ by more than one: Typst {pa}, LibreOffice {pb} \
             (LibreOffice hyphenates Russian only with the hyphen-ru dictionary installed)",
            f.display()
        );
    }
}

/// Threshold of [`page_difference`] (0…255). Measured with LibreOffice 7.4
/// on Оренбург № 596, Очёр № 60 and the fixture: the same page from the two
/// writers differs by 2.2–8.3 (line breaks differ, and the Typst template sets
/// lines 13.3 pt apart where Word's single spacing of 14 pt Times is 16.1 pt);
/// the act's first page against its first appendix page differs by 10.2–10.8,
/// a text page against a table page by about 15. 9.5 lets the first through
/// and stops the others. Pages of running text all look alike at 40 dpi, so
/// this guards the layout, not the words (checked by the word test); the ink
/// box guards the margins.
const SAME_PAGE: f64 = 9.5;

/// The ink box (left, right, top) must agree within this, millimetres: the
/// margins, the orientation and the first line of the page. The first line
/// differs by about 1.3 mm (the two writers put the ascender differently).
const SAME_EDGE_MM: f64 = 2.5;

/// Left, right, top and bottom of the ink on a page, millimetres (40 dpi).
fn ink_box(g: &Gray) -> (f64, f64, f64, f64) {
    let mm = 25.4 / 40.0;
    let (mut l, mut r, mut t, mut b) = (g.w, 0, g.h, 0);
    for y in 0..g.h {
        for x in 0..g.w {
            if g.px[y * g.w + x] < 128 {
                l = l.min(x);
                r = r.max(x);
                t = t.min(y);
                b = b.max(y);
            }
        }
    }
    (l as f64 * mm, r as f64 * mm, t as f64 * mm, b as f64 * mm)
}

#[test]
fn libreoffice_pages_look_like_the_pdf() {
    let keep = tempfile::tempdir().unwrap();
    let mut files = data_acts();
    files.push(fixture());
    for f in files {
        let p = prepare(&f);
        let name = stem(&f);
        let ours = typst_pdf(&p);
        let theirs = libreoffice_pdf(&docx(&p), &name);
        let first_mark = p.doc.appendices[0].mark[0].clone();
        let (ta, tb) = (
            page_with(&ours, &first_mark),
            page_with(&theirs, &first_mark),
        );
        let mut same = Vec::new();
        let mut pairs = vec![
            ("page 1".to_string(), 1, 1),
            ("first appendix page".to_string(), ta, tb),
        ];
        // The first page of each approval or acknowledgment sheet.
        for sh in p.doc.sheets_after_act.iter().chain(&p.doc.sheets_at_end) {
            let first = &sh.heading[0];
            pairs.push((
                format!("«{first}»"),
                page_with(&ours, first),
                page_with(&theirs, first),
            ));
        }
        for (what, a, b) in pairs {
            let ga = raster(&ours, a, keep.path(), &format!("{name}-typst"));
            let gb = raster(&theirs, b, keep.path(), &format!("{name}-lo"));
            let d = page_difference(&ga, &gb);
            let (ba, bb) = (ink_box(&ga), ink_box(&gb));
            let line = format!(
                "{name}, {what}: difference {d:.1}; ink box (left, right, top) Typst ({:.1}, {:.1}, {:.1}) mm, LibreOffice ({:.1}, {:.1}, {:.1}) mm",
                ba.0, ba.1, ba.2, bb.0, bb.1, bb.2
            );
            println!("{line}");
            assert!(
                d < SAME_PAGE,
                "{line}: looks different (≥ {SAME_PAGE}); images in {}",
                keep.path().display()
            );
            for (x, y) in [(ba.0, bb.0), (ba.1, bb.1), (ba.2, bb.2)] {
                assert!(
                    (x - y).abs() <= SAME_EDGE_MM,
                    "{line}: edges differ by more than {SAME_EDGE_MM} mm"
                );
            }
            same.push((ga, gb, d));
        }
        // The measure must tell pages apart: the act's page 1 against the
        // appendix page differs more than either pair of the same page.
        let (act, appendix) = (&same[0], &same[1]);
        if (act.0.w, act.0.h) == (appendix.1.w, appendix.1.h) {
            let control = page_difference(&act.0, &appendix.1);
            println!("{name}, control (page 1 against the appendix page): {control:.1}");
            assert!(
                control > act.2.max(appendix.2),
                "{name}: the measure does not tell different pages apart ({control:.1})"
            );
        }
    }
}

#[test]
fn word_normalisation() {
    let w = words(
        "2\nобразователь\u{ad}\nными Импульс-\nцентр 2023–\n2024 год — и\u{a0}так\n\u{c}3\n«№ 5» Н.\nВ.",
    );
    let text: Vec<&str> = w.iter().map(|w| w.text.as_str()).collect();
    assert_eq!(
        text,
        vec![
            "образовательными",
            "Импульсцентр",
            "2023–2024",
            "год",
            "—",
            "и",
            "так",
            "«№",
            "5»",
            "Н.",
            "В."
        ]
    );
    let whole = words("Долгополова Н.В. пишет");
    assert_eq!(compare_words(&whole, &w[9..]).map_err(|_| ()), Err(()));
    assert_eq!(compare_words(&whole[1..2], &w[9..11]), Ok(1));
    assert!(compare_words(&w[9..11], &whole[1..2]).is_ok());
    // Not at a line end: a real difference.
    assert!(compare_words(&whole[1..2], &words("Н. В.")).is_err());
}
