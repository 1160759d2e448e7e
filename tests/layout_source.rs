//! One set of layout numbers: every number in `prikaz::layout::Layout` is read
//! by both writers. The test changes each number in turn and checks that the
//! PDF and the DOCX both change; a size, gap, stroke or colour typed again in
//! the template or the DOCX writer would leave one of them unmoved.

mod common;
use common::*;
use prikaz::layout::Layout;
use serde_json::Value;

/// Numbers read by one writer only, each with the reason.
const ONE_WRITER: &[(&str, &str, &str)] = &[
    (
        "page_number_box",
        "pdf",
        "Typst places the page number by its foot; Word by the header's top",
    ),
    (
        "name_slack",
        "docx",
        "Word's signature cell is sized in advance; Typst sizes the name's box itself",
    ),
    (
        "short_word",
        "pdf",
        "Word hyphenates by its own rules (it is told not to hyphenate capitals)",
    ),
    (
        "long_word",
        "pdf",
        "Word breaks a word longer than its cell by itself",
    ),
    (
        "stamp.radius",
        "pdf",
        "Word draws the stamp as a table cell, whose borders have square corners",
    ),
    (
        "qr_pixels",
        "docx",
        "the PDF draws the QR code as vector shapes; the DOCX embeds a PNG of this resolution",
    ),
];

/// Numbers `resolve` copies into the model (each table's size, each
/// appendix's margins): checked through the model instead.
const RESOLVED: &[&str] = &[
    "table_size",
    "members_name_width",
    "sheet_row_height",
    "landscape_margins.top",
    "landscape_margins.bottom",
    "landscape_margins.left",
    "landscape_margins.right",
];

fn numeric_paths(v: &Value, prefix: &str, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                let p = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                numeric_paths(x, &p, out);
            }
        }
        Value::Number(_) => out.push(prefix.to_string()),
        _ => {}
    }
}

fn bump(v: &mut Value, path: &str) {
    let mut cur = v;
    for k in path.split('.') {
        cur = cur.get_mut(k).unwrap();
    }
    if let Some(n) = cur.as_u64() {
        // A count: up by a quarter, as a whole number.
        *cur = serde_json::json!(n + n.div_ceil(4).max(1));
        return;
    }
    let x = cur.as_f64().unwrap();
    // The clear space above the executor note shows only where the text comes
    // near it: make it large enough to push the text.
    let factor = if path == "executor_clearance" {
        20.0
    } else {
        1.25
    };
    *cur = serde_json::json!(if x == 0.0 { 2.0 } else { x * factor });
}

const SVG: &[u8] = br#"<svg xmlns="http://www.w3.org/2000/svg" width="40" height="50"><rect width="40" height="50" fill="red"/></svg>"#;

fn outputs(doc: &prikaz::model::Document) -> (Vec<u8>, Vec<u8>) {
    let emblem = prikaz::emblem::Emblem::new(SVG.to_vec(), "герб.svg", 40_000_000).unwrap();
    let pdf = engine().pdf(doc, Some(&emblem)).expect("PDF");
    let docx = prikaz::render::docx::write(doc, Some(&emblem)).expect("DOCX");
    (pdf, docx)
}

#[test]
fn every_layout_number_moves_both_writers() {
    let mut p = prepare(&root().join("tests/fixtures/layout.yaml"));
    p.doc.act.as_mut().unwrap().emblem = true;
    // The coat of arms in the e-signature stamp too (stamp.emblem_width).
    p.doc.act.as_mut().unwrap().signature.esign_emblem = true;
    let (pdf0, docx0) = outputs(&p.doc);
    // The signature field (sign_field.*) stands where no e-signature stamp does.
    let mut fielded = p.doc.clone();
    fielded.signature_fields = true;
    let s = &mut fielded.act.as_mut().unwrap().signature;
    s.esign.clear();
    s.field = Some(prikaz::model::SignField {
        name: "Подпись".into(),
        signer: s.name.clone(),
        description: "Подпись".into(),
    });
    let fielded_out = outputs(&fielded);
    // A centred title (centered_title_width) in place of the one at the left.
    let mut centred = p.doc.clone();
    centred.act.as_mut().unwrap().title_centered = true;
    let centred_out = outputs(&centred);
    let json = serde_json::to_value(&p.doc.layout).unwrap();
    let mut paths = vec![];
    numeric_paths(&json, "", &mut paths);
    assert!(
        paths.len() > 30,
        "the walk found the layout's numbers: {paths:?}"
    );
    let mut failures = vec![];
    for path in paths.iter().filter(|p| !RESOLVED.contains(&p.as_str())) {
        let mut v = json.clone();
        bump(&mut v, path);
        let (base, (pdf0, docx0)) = if path.starts_with("sign_field.") {
            (&fielded, (&fielded_out.0, &fielded_out.1))
        } else if path == "centered_title_width" {
            (&centred, (&centred_out.0, &centred_out.1))
        } else {
            (&p.doc, (&pdf0, &docx0))
        };
        let mut doc = base.clone();
        doc.layout = serde_json::from_value::<Layout>(v).unwrap();
        let (pdf, docx) = outputs(&doc);
        let moved = (&pdf != pdf0, &docx != docx0);
        let want = match ONE_WRITER.iter().find(|(f, ..)| f == path) {
            Some((_, "pdf", _)) => (true, false),
            Some(_) => (false, true),
            None => (true, true),
        };
        if moved != want {
            failures.push(format!(
                "{path}: PDF moved {}, DOCX moved {} (expected {}, {})",
                moved.0, moved.1, want.0, want.1
            ));
        }
    }
    // The stamp's colour, a string.
    let mut doc = p.doc.clone();
    doc.layout.stamp.color = "C00000".into();
    let (pdf, docx) = outputs(&doc);
    if pdf == pdf0 || docx == docx0 {
        failures.push("stamp.color: a writer did not move".into());
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The numbers resolve copies into the model come from the layout.
#[test]
fn resolved_layout_numbers_come_from_the_layout() {
    let p = prepare(&root().join("tests/fixtures/docx-landscape.yaml"));
    let l = &p.doc.layout;
    let landscape = &p.doc.appendices[0];
    assert!(landscape.landscape);
    assert_eq!(landscape.margins, l.landscape_margins);
    assert_eq!(p.doc.appendices[1].margins, l.margins);
    let sizes: Vec<f32> = landscape
        .body
        .iter()
        .filter_map(|b| match b {
            prikaz::model::Block::Table(t) => Some(t.font_size),
            _ => None,
        })
        .collect();
    assert_eq!(sizes, vec![l.table_size]);
    // The sheets' rows and columns.
    let p = prepare(&root().join("tests/fixtures/layout.yaml"));
    let l = &p.doc.layout;
    let sheet = &p.doc.sheets_at_end[0].table;
    assert_eq!(sheet.row_height, Some(l.sheet_row_height));
    let widths: Vec<f32> = sheet.columns.iter().map(|c| c.width).collect();
    assert_eq!(widths, l.acknowledgment_widths);
    assert_eq!(sheet.font_size, l.table_size);
    // A «Состав»: the names' share of the width.
    let p = prepare(&root().join("tests/fixtures/members.yaml"));
    let l = &p.doc.layout;
    let table = p.doc.appendices[0]
        .body
        .iter()
        .find_map(|b| match b {
            prikaz::model::Block::Table(t) => Some(t),
            _ => None,
        })
        .unwrap();
    let total: f32 = table.columns.iter().map(|c| c.width).sum();
    assert!((table.columns[0].width / total - l.members_name_width).abs() < 1e-6);
}
