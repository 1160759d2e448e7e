//! The signature field (`оформление: {поле_подписи: да}`, `--signature-field`):
//! an empty PDF signature field over the signature requisite, between the
//! position and the name, and one per visa.
//!
//! Checked with programs no one here wrote: pyHanko (PyPI, installed by
//! ./scripts/test.sh into .tools/pyhanko) reads the fields, signs into one
//! with a throwaway certificate that openssl makes, and validates the
//! signature; poppler gives the words' boxes and the page as an image;
//! veraPDF says whether the PDF is PDF/A-2b (and PDF/UA-1).

mod common;

use common::*;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The act of every test here: a position on two lines, a name.
fn act(extra: &str) -> String {
    format!(
        "вид: приказ
орган: Управление образования
дата: 01.02.2024
номер: 7
заголовок: О проверке
пункты:
  - Провести проверку.
подписант:
  должность: [Начальник, управления образования]
  имя: Е.А. Глуховская
{extra}"
    )
}

/// Run pyHanko (`python3 -m pyhanko …`) from .tools/pyhanko; a missing
/// pyHanko fails the test.
fn pyhanko(args: &[&str], cwd: &Path) -> (bool, String) {
    let dir = tools().join("pyhanko");
    assert!(
        dir.join("pyhanko/cli").is_dir(),
        "{} is missing: run ./scripts/test.sh (it installs the PyPI packages pyhanko and pyhanko-cli into .tools)",
        dir.display()
    );
    require("python3", "python3");
    let out = Command::new("python3")
        .args(["-m", "pyhanko", "--no-plugins"])
        .args(args)
        .current_dir(cwd)
        .env("PYTHONPATH", &dir)
        .output()
        .expect("python3 runs");
    (
        out.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

/// A field as pyHanko's own PDF reader sees it.
#[derive(Debug)]
struct Seen {
    name: String,
    page: usize,
    /// x0, y0, x1, y1, points from the bottom left.
    rect: [f64; 4],
    kind: String,
    flags: i64,
    appearance: bool,
    sig_flags: i64,
}

/// The signature fields of `pdf`, read by pyHanko's PDF reader.
fn fields(pdf: &Path) -> Vec<Seen> {
    let dir = tools().join("pyhanko");
    assert!(
        dir.join("pyhanko").is_dir(),
        "pyHanko is missing: run ./scripts/test.sh"
    );
    let script = r#"
import sys
from pyhanko.pdf_utils.reader import PdfFileReader
with open(sys.argv[1], 'rb') as f:
    r = PdfFileReader(f)
    if '/AcroForm' not in r.root:
        sys.exit(0)
    form = r.root['/AcroForm']
    n = int(r.root['/Pages']['/Count'])
    pages = [r.find_page_for_modification(i)[0].idnum for i in range(n)]
    for ref in form['/Fields']:
        fld = ref.get_object()
        rect = [float(x) for x in fld['/Rect']]
        print('\t'.join([str(fld['/T']), str(pages.index(fld.raw_get('/P').idnum)),
            ' '.join(str(x) for x in rect), str(fld['/FT']), str(int(fld.get('/F', 0))),
            str('/AP' in fld and '/N' in fld['/AP']), str(int(form.get('/SigFlags', 0)))]))
"#;
    let out = Command::new("python3")
        .arg("-c")
        .arg(script)
        .arg(pdf)
        .env("PYTHONPATH", &dir)
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "pyHanko's reader fails on {}:\n{}",
        pdf.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            let p: Vec<&str> = l.split('\t').collect();
            let r: Vec<f64> = p[2].split(' ').map(|x| x.parse().unwrap()).collect();
            Seen {
                name: p[0].to_string(),
                page: p[1].parse().unwrap(),
                rect: [r[0], r[1], r[2], r[3]],
                kind: p[3].to_string(),
                flags: p[4].parse().unwrap(),
                appearance: p[5] == "True",
                sig_flags: p[6].parse().unwrap(),
            }
        })
        .collect()
}

/// Render `yaml` (as `a.yaml` in `dir`) with `args`; the one PDF it made.
fn render(dir: &Path, yaml: &str, args: &[&str]) -> PathBuf {
    std::fs::write(dir.join("a.yaml"), yaml).unwrap();
    let out = dir.join("out");
    let _ = std::fs::remove_dir_all(&out);
    let mut all = vec!["render", "a.yaml", "-o", "out"];
    all.extend_from_slice(args);
    let (code, _, err) = cli(&all, dir);
    assert_eq!(code, 0, "{err}");
    let pdfs: Vec<PathBuf> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
        .collect();
    assert_eq!(pdfs.len(), 1);
    pdfs[0].clone()
}

/// Page 1 as a grey image at 72 dpi (a pixel a point): width, height, pixels.
fn page_image(pdf: &[u8]) -> (usize, usize, Vec<u8>) {
    let pgm = poppler_bytes(
        "pdftoppm",
        &["-r", "72", "-gray", "-f", "1", "-l", "1"],
        pdf,
        false,
    );
    netpbm(&pgm, "P5", 1)
}

fn openssl(args: &[&str], cwd: &Path) {
    require("openssl", "openssl");
    let out = Command::new("openssl")
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("openssl runs");
    assert!(
        out.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The head's field: between the position and the name, inside the
/// margins; pyHanko signs into it, the signature validates against the
/// throwaway certificate, and the signature's appearance is drawn inside
/// the field and nowhere else on the page.
#[test]
fn the_head_signs_into_the_field_with_pyhanko() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let pdf = render(d, &act("оформление: {поле_подписи: да}\n"), &[]);
    let unsigned = std::fs::read(&pdf).unwrap();

    // One field, as PDF/A-2b wants a widget: printed, with an appearance.
    let seen = fields(&pdf);
    assert_eq!(seen.len(), 1, "{seen:?}");
    let f = &seen[0];
    assert_eq!(f.name, "Подпись Е А Глуховская");
    assert_eq!(f.kind, "/Sig");
    assert_eq!(f.page, 0);
    assert_eq!(f.flags, 4, "the print flag alone");
    assert!(f.appearance, "an appearance stream /AP /N");
    assert_eq!(f.sig_flags, 1);

    // Inside the margins, clear of the position and of the name.
    let pages = bbox(&unsigned);
    let page = &pages[0];
    let mm = 72.0 / 25.4;
    let l = prikaz::layout::Layout::default();
    let [x0, y0, x1, y1] = f.rect;
    let (top, bottom) = (page.height - y1, page.height - y0);
    assert!(x0 >= l.margins.left as f64 * mm - 0.01, "{:?}", f.rect);
    assert!(
        x1 <= page.width - l.margins.right as f64 * mm + 0.01,
        "{:?}",
        f.rect
    );
    assert!(top >= l.margins.top as f64 * mm, "{:?}", f.rect);
    assert!(
        bottom <= page.height - l.margins.bottom as f64 * mm,
        "{:?}",
        f.rect
    );
    assert!((x1 - x0 - l.sign_field.width as f64 * mm).abs() < 0.1);
    assert!((y1 - y0 - l.sign_field.height as f64 * mm).abs() < 0.1);
    let word = |w: &str| {
        page.words
            .iter()
            .find(|b| b.text == w)
            .unwrap_or_else(|| panic!("no «{w}» on page 1"))
    };
    for w in ["Начальник", "управления", "образования"] {
        let b = word(w);
        assert!(
            b.x1 <= x0,
            "«{w}» ends at {} under the field from {x0}",
            b.x1
        );
    }
    let name = word("Глуховская");
    assert!(
        name.x0 >= x1,
        "the name starts at {} inside the field to {x1}",
        name.x0
    );
    // The field stands level with the signature: its bottom at the name's line.
    assert!(
        bottom >= name.y0 && bottom <= name.y1 + 2.0,
        "field bottom {bottom}, name {}–{}",
        name.y0,
        name.y1
    );

    // A throwaway certificate, made for this test.
    openssl(
        &[
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "key.pem",
            "-out",
            "cert.pem",
            "-days",
            "2",
            "-subj",
            "/CN=Test signer/O=prikaz tests",
            "-addext",
            "keyUsage=critical,digitalSignature,nonRepudiation",
        ],
        d,
    );
    std::fs::copy(&pdf, d.join("unsigned.pdf")).unwrap();
    let (ok, log) = pyhanko(
        &[
            "sign",
            "addsig",
            "--existing-only",
            "--field",
            &f.name,
            "pemder",
            "--key",
            "key.pem",
            "--cert",
            "cert.pem",
            "--no-pass",
            "unsigned.pdf",
            "signed.pdf",
        ],
        d,
    );
    assert!(ok, "pyHanko does not sign:\n{log}");
    let (ok, report) = pyhanko(
        &[
            "sign",
            "validate",
            "--pretty-print",
            "--trust",
            "cert.pem",
            "--trust-replace",
            "--no-revocation-check",
            "signed.pdf",
        ],
        d,
    );
    eprintln!("pyhanko sign validate:\n{report}");
    assert!(ok, "the signature does not validate:\n{report}");
    assert!(
        report.contains("The signature is cryptographically sound."),
        "{report}"
    );
    assert!(
        report.contains("The signature is judged VALID."),
        "{report}"
    );
    // The short form: field, certificate, «INTACT:TRUSTED,UNTOUCHED».
    let (ok, short) = pyhanko(
        &[
            "sign",
            "validate",
            "--trust",
            "cert.pem",
            "--trust-replace",
            "--no-revocation-check",
            "signed.pdf",
        ],
        d,
    );
    assert!(ok, "{short}");
    let line = short
        .lines()
        .find(|l| l.starts_with("Подпись Е А Глуховская:"))
        .unwrap_or_else(|| panic!("the field signed: {short}"));
    assert!(line.ends_with(":INTACT:TRUSTED,UNTOUCHED"), "{line}");

    // The signed page differs from the unsigned one only inside the field.
    let signed = std::fs::read(d.join("signed.pdf")).unwrap();
    let (w, h, before) = page_image(&unsigned);
    let (w2, h2, after) = page_image(&signed);
    assert_eq!((w, h), (w2, h2));
    let mut inside = 0;
    for y in 0..h {
        for x in 0..w {
            if before[y * w + x].abs_diff(after[y * w + x]) > 40 {
                let (px, py) = (x as f64 + 0.5, y as f64 + 0.5);
                assert!(
                    px >= x0 - 1.5 && px <= x1 + 1.5 && py >= top - 1.5 && py <= bottom + 1.5,
                    "the signature draws at ({px}, {py}), outside the field {:?}",
                    (x0, top, x1, bottom)
                );
                inside += 1;
            }
        }
    }
    assert!(
        inside > 100,
        "the signature's appearance shows: {inside} pixels changed"
    );

    // veraPDF: the unsigned PDF is PDF/A-2b; of the signed one, what it says
    // is recorded.
    let report = verapdf("2b", &[d.join("unsigned.pdf"), d.join("signed.pdf")]);
    eprintln!("veraPDF, PDF/A-2b, unsigned and signed:\n{report}");
    let verdict = |file: &str| {
        report
            .lines()
            .find(|l| l.starts_with(&d.join(file).display().to_string()))
            .map(|l| l.rsplit(": ").next().unwrap().to_string())
            .unwrap_or_default()
    };
    assert_eq!(verdict("unsigned.pdf"), "compliant", "{report}");
    assert!(
        ["compliant", "not compliant"].contains(&verdict("signed.pdf").as_str()),
        "{report}"
    );
    std::fs::create_dir_all(root().join("target/tmp/signature")).unwrap();
    std::fs::write(
        root().join("target/tmp/signature/verapdf-signed.txt"),
        &report,
    )
    .unwrap();
}

/// Where the fields are: none without the setting, none where the
/// e-signature mark stands, one per visa on the approval sheet and at the
/// foot of the act; `--signature-field` does what the setting does; the
/// same act gives the same bytes; PDF/A-2b and, with `--pdf-standard ua`,
/// PDF/UA-1 hold.
#[test]
fn fields_stand_where_the_act_is_signed() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();

    let plain = render(d, &act(""), &[]);
    assert!(fields(&plain).is_empty(), "no field unless asked for");
    assert!(
        !std::fs::read(&plain)
            .unwrap()
            .windows(9)
            .any(|w| w == b"/AcroForm")
    );

    let flag = render(d, &act(""), &["--signature-field"]);
    let flagged = std::fs::read(&flag).unwrap();
    let set = render(d, &act("оформление: {поле_подписи: да}\n"), &[]);
    assert_eq!(
        flagged,
        std::fs::read(&set).unwrap(),
        "the flag and the setting give the same file"
    );
    // The organisation's profile may ask for the field for all its acts.
    std::fs::write(d.join("уо.yaml"), "оформление: {поле_подписи: да}\n").unwrap();
    let profiled = render(d, &format!("профиль: уо.yaml\n{}", act("")), &[]);
    assert_eq!(fields(&profiled).len(), 1, "the profile's setting");
    let again = render(d, &act(""), &["--signature-field"]);
    assert_eq!(
        flagged,
        std::fs::read(&again).unwrap(),
        "same act, same bytes"
    );

    let esign = "  электронная_подпись: {сертификат: 01a2b3c4d5, владелец: Глуховская Елена Александровна, действителен_с: 01.01.2024, действителен_по: 31.12.2024}\n";
    let marked = act("оформление: {поле_подписи: да}\n").replace(
        "  имя: Е.А. Глуховская\n",
        &format!("  имя: Е.А. Глуховская\n{esign}"),
    );
    let stamped = render(d, &marked, &[]);
    assert!(
        fields(&stamped).is_empty(),
        "the mark stands in the field's place"
    );

    let visas = "согласование:
  визы:
    - {должность: [Заместитель начальника, управления образования], имя: Р.Р. Рахманкулов}
    - {должность: Начальник юридического отдела, имя: А.В. Смирнова}
";
    let sheet = render(
        d,
        &act(&format!("оформление: {{поле_подписи: да}}\n{visas}")),
        &[],
    );
    let seen = fields(&sheet);
    let names: Vec<(&str, usize)> = seen.iter().map(|f| (f.name.as_str(), f.page)).collect();
    assert_eq!(
        names,
        [
            ("Подпись Е А Глуховская", 0),
            ("Виза Р Р Рахманкулов", 1),
            ("Виза А В Смирнова", 1),
        ],
        "one field per visa on the approval sheet (page 2)"
    );
    // Each visa's field in the «Подпись» column of its own row, beside its name.
    let pages = bbox(&std::fs::read(&sheet).unwrap());
    for (f, surname) in seen[1..].iter().zip(["Рахманкулов", "Смирнова"]) {
        let p = &pages[1];
        let w = p.words.iter().find(|w| w.text == surname).unwrap();
        let (top, bottom) = (p.height - f.rect[3], p.height - f.rect[1]);
        assert!(
            f.rect[2] <= w.x0,
            "{surname}: the field ends left of the name"
        );
        assert!(
            top <= w.y0 + 0.5 && bottom >= w.y1 - 0.5,
            "{surname}: the field spans the name's row"
        );
    }

    let foot = render(
        d,
        &act(&format!(
            "оформление: {{поле_подписи: да}}\n{}",
            visas.replace("  визы:", "  размещение: визы\n  визы:")
        )),
        &[],
    );
    let seen = fields(&foot);
    assert_eq!(seen.len(), 3, "{seen:?}");
    let pages = bbox(&std::fs::read(&foot).unwrap());
    for f in seen.iter().filter(|f| f.name.starts_with("Виза")) {
        let p = &pages[f.page];
        let surname = f.name.rsplit(' ').next().unwrap();
        let w = p.words.iter().find(|w| w.text == surname).unwrap();
        let (top, bottom) = (p.height - f.rect[3], p.height - f.rect[1]);
        assert!(
            f.rect[2] <= w.x0 + 0.5,
            "{surname}: the field ends where the name starts"
        );
        assert!(
            top <= w.y0 + 1.0 && bottom >= w.y1 - 1.0,
            "{surname}: on the name's line"
        );
    }

    let ua = render(
        d,
        &act(&format!("оформление: {{поле_подписи: да}}\n{visas}")),
        &["--pdf-standard", "ua"],
    );
    assert_eq!(fields(&ua).len(), 3);
    let all = [flag.clone(), sheet.clone(), foot.clone()];
    let kept: Vec<PathBuf> = all
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let to = d.join(format!("{i}.pdf"));
            std::fs::copy(p, &to).unwrap();
            to
        })
        .collect();
    let report = verapdf("2b", &kept);
    assert_eq!(
        report
            .lines()
            .filter(|l| l.ends_with(": compliant"))
            .count(),
        3,
        "veraPDF, PDF/A-2b:\n{report}"
    );
    let kept_ua = d.join("ua.pdf");
    std::fs::copy(&ua, &kept_ua).unwrap();
    for flavour in ["ua1", "2a"] {
        let report = verapdf(flavour, std::slice::from_ref(&kept_ua));
        assert!(
            report
                .lines()
                .next()
                .is_some_and(|l| l.ends_with(": compliant")),
            "veraPDF, {flavour}:\n{report}"
        );
    }
}

/// The DOCX gets Word's own signature line (`o:signatureline`) where the PDF
/// has its field: the Open XML SDK validator finds no error in it, and
/// LibreOffice reads it as a signature line for the same signer.
#[test]
fn the_docx_gets_words_signature_line() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let docx_of = |yaml: &str, args: &[&str]| -> PathBuf {
        std::fs::write(d.join("a.yaml"), yaml).unwrap();
        let _ = std::fs::remove_dir_all(d.join("out"));
        let mut all = vec!["render", "a.yaml", "-o", "out", "--format", "docx"];
        all.extend_from_slice(args);
        let (code, _, err) = cli(&all, d);
        assert_eq!(code, 0, "{err}");
        let f = std::fs::read_dir(d.join("out"))
            .unwrap()
            .next()
            .unwrap()
            .unwrap()
            .path();
        let to = d.join(format!("{}.docx", args.len()));
        std::fs::copy(&f, &to).unwrap();
        to
    };
    let plain = docx_of(&act(""), &[]);
    let body = docx_part(&std::fs::read(&plain).unwrap(), "word/document.xml");
    assert!(
        !body.contains("o:signatureline"),
        "no line unless asked for"
    );

    let signed = docx_of(&act(""), &["--signature-field"]);
    let bytes = std::fs::read(&signed).unwrap();
    let body = docx_part(&bytes, "word/document.xml");
    assert_eq!(body.matches("<o:signatureline ").count(), 1, "{body}");
    assert!(
        body.contains(r#"o:suggestedsigner="Е.А. Глуховская""#),
        "{body}"
    );
    assert!(
        body.contains(r#"o:suggestedsigner2="Начальник управления образования""#),
        "{body}"
    );
    assert_eq!(
        bytes,
        std::fs::read(docx_of(&act(""), &["--signature-field", "--dpi", "100"])).unwrap(),
        "same act, same bytes"
    );
    for office in ["Office2019", "Microsoft365"] {
        if let Err(e) = ooxml_errors(&signed, office) {
            panic!("Open XML SDK, {office}:\n{e}");
        }
    }
    // LibreOffice: a signature line for the head, the rest of the text as before.
    let odt = soffice_convert(&signed, "odt", None);
    let content = docx_part(&std::fs::read(&odt).unwrap(), "content.xml");
    let line = content
        .split("<loext:signatureline ")
        .nth(1)
        .unwrap_or_else(|| panic!("LibreOffice sees no signature line"));
    assert!(
        line.contains(r#"loext:suggested-signer-name="Е.А. Глуховская""#),
        "{line}"
    );
    let text = |p: &Path| words(&poppler("pdftotext", &[], &std::fs::read(p).unwrap()));
    let with_line = soffice_convert(&signed, "pdf", None);
    let without = soffice_convert(&plain, "pdf", None);
    assert_eq!(text(&with_line), text(&without), "the line adds no words");
}

/// A local act that stands alone (a Положение) is signed in its
/// «УТВЕРЖДАЮ»: the field covers the stamp's «______» before the head's
/// name, on that line, and nothing else is signed; the PDF stays PDF/A-2b.
#[test]
fn a_regulation_is_signed_in_its_approval_stamp() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let yaml = std::fs::read_to_string(root().join("tests/fixtures/local-act.yaml")).unwrap();
    let plain = render(d, &yaml, &[]);
    assert!(fields(&plain).is_empty(), "no field unless asked for");
    let pdf = render(d, &yaml, &["--signature-field"]);
    let seen = fields(&pdf);
    let names: Vec<(&str, usize)> = seen.iter().map(|f| (f.name.as_str(), f.page)).collect();
    assert_eq!(names, [("Подпись Н В Долгополова", 0)]);
    let f = &seen[0];
    let pages = bbox(&std::fs::read(&pdf).unwrap());
    let p = &pages[0];
    let blank = p
        .words
        .iter()
        .find(|w| w.text.starts_with("___"))
        .expect("the stamp's blank for the signature");
    let name = p.words.iter().find(|w| w.text == "Долгополова").unwrap();
    let (top, bottom) = (p.height - f.rect[3], p.height - f.rect[1]);
    assert!(
        (f.rect[0] - blank.x0).abs() < 0.5 && (f.rect[2] - blank.x1).abs() < 0.5,
        "the field covers the blank: {:?}, the blank {:.1}–{:.1}",
        f.rect,
        blank.x0,
        blank.x1
    );
    assert!(f.rect[2] <= name.x0, "the field ends left of the name");
    assert!(
        top <= blank.y0 + 1.0 && bottom >= blank.y1 - 1.0,
        "on the blank's line"
    );
    assert_eq!(
        common::pdf_text(&std::fs::read(&plain).unwrap()),
        common::pdf_text(&std::fs::read(&pdf).unwrap()),
        "the field adds no text"
    );
    let kept = d.join("local.pdf");
    std::fs::copy(&pdf, &kept).unwrap();
    let report = verapdf("2b", std::slice::from_ref(&kept));
    assert!(
        report
            .lines()
            .next()
            .is_some_and(|l| l.ends_with(": compliant")),
        "veraPDF, PDF/A-2b:\n{report}"
    );
}
