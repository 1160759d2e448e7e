//! User text is data, never Typst markup: whatever a clerk types prints as typed.

mod common;
use common::*;

const NASTY: &[&str] = &[
    r#"#read("/etc/passwd")"#,
    "*x*",
    "_x_",
    "$x$",
    "<a>",
    "@b",
    r"\",
    "//",
    "[x]",
    "#set page(width: 1cm)",
    "{{ district }}",
    r"\u{41} ``` = - + /* */",
    "& < > \" '",
];

fn squash(s: &str) -> String {
    s.replace("\u{ad}\n", "")
        .replace('\u{ad}', "")
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

fn yaml_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

#[test]
fn markup_in_every_field_prints_literally() {
    let dir = tempfile::tempdir().unwrap();
    let n = NASTY.len();
    let q = |i: usize| yaml_quote(&format!("поле{i} {}", NASTY[i % n]));
    let yaml = format!(
        "вид: приказ
оформление: {{типографика: нет}}
орган: [{a0}, {a1}]
дата: 01.02.2024
номер: {num}
место: {place}
заголовок: {title}
преамбула: [{p0}, {p1}]
пункты:
  - {pt0}
  - текст: {pt1}
    срок: {dl}
    ответственные: [{r0}]
    пункты: [{pt2}]
    подпункты: [{pt3}]
    список: [{li}]
  - абзац: {para}
контроль:
  возложить_на: {ctl}
подписант:
  должность: [{pos}]
  имя: {name}
исполнитель:
  имя: {ex}
  телефон: {tel}
рассылка: [{to}]
приложения:
  - вид: Положение
    утверждается: да
    заголовок: [{at}]
    содержание:
      - {ap}
      - подзаголовок: {h}
      - термины: [{{термин: {tm}, определение: {df}}}]
      - таблица:
          колонки: [{c0}, {c1}]
          строки:
            - раздел: {sec}
            - [{cell0}, {cell1}]
",
        a0 = q(0),
        a1 = q(1),
        num = q(2),
        place = q(3),
        title = q(4),
        p0 = q(5),
        p1 = q(6),
        pt0 = q(7),
        pt1 = q(8),
        dl = q(9),
        r0 = q(10),
        pt2 = q(11),
        pt3 = q(12),
        li = q(13),
        para = q(14),
        ctl = q(15),
        pos = q(16),
        name = q(17),
        ex = q(18),
        tel = q(19),
        to = q(20),
        at = q(21),
        ap = q(22),
        h = q(23),
        tm = q(24),
        df = q(25),
        c0 = q(26),
        c1 = q(27),
        sec = q(28),
        cell0 = q(29),
        cell1 = q(30),
    );
    let path = dir.path().join("nasty.yaml");
    std::fs::write(&path, &yaml).unwrap();
    let pdf = pdf_of(&path);
    let text = squash(&pdf_text(&pdf));
    for i in 0..31 {
        let mut want = format!("поле{i} {}", NASTY[i % n]);
        if i < 2 {
            want = want.to_uppercase(); // the authority is printed in capitals
        }
        assert!(
            text.contains(&squash(&want)),
            "field {i}: «{want}» not printed literally"
        );
    }
    assert!(!text.contains("root:"), "a file was read into the document");
}

#[test]
fn markup_survives_typography() {
    // With typography on, quotes change style but markup characters stay.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.yaml");
    let yaml = MINIMAL.replace(
        "Провести проверку.",
        "'Провести *x* _y_ $z$ <a> @b \\ // [x] #set text(red)'",
    );
    std::fs::write(&path, yaml).unwrap();
    let text = squash(&pdf_text(&pdf_of(&path)));
    assert!(
        text.contains(&squash(
            r"Провести *x* _y_ $z$ <a> @b \ // [x] #set text(red)"
        )),
        "{text}"
    );
}

mod property {
    //! Property: any text in any field comes out unchanged in the PDF's text and the
    //! DOCX's XML (for characters the fonts have; invisible bidi and zero-width marks
    //! are checked in the DOCX only, since a PDF has no glyph for them).
    use super::common::*;
    use proptest::prelude::*;
    use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
    use std::io::Read;

    const INVISIBLE: &[char] = &[
        '\u{200b}', '\u{200c}', '\u{200d}', '\u{2060}', '\u{200e}', '\u{200f}', '\u{202a}',
        '\u{202b}', '\u{202c}', '\u{202d}', '\u{202e}',
    ];

    fn piece() -> impl Strategy<Value = String> {
        prop_oneof![
            4 => "[а-яА-ЯёЁa-zA-Z0-9 ,.;«»\"'#*_$<>@\\\\/\\[\\]{}()&%№=+~^`|!?-]{1,30}",
            1 => prop::sample::select(INVISIBLE.to_vec()).prop_map(String::from),
            1 => "[жЖqQ]{300}",
            1 => prop::sample::select(vec!["{{ district }}", "{% for x in y %}", "#read(\"/etc/passwd\")", "&amp;", "<w:t>", "]]>", "$x$", "//", "\\"]).prop_map(String::from),
        ]
    }

    fn field_text() -> impl Strategy<Value = String> {
        prop::collection::vec(piece(), 1..5)
            .prop_map(|v| v.join(" "))
            // `{приложении:x}` would be a reference, by design.
            .prop_filter("not blank", |s| !s.trim().is_empty())
            .prop_filter("no reference syntax", |s| {
                !regex::Regex::new(r"\{\p{Cyrillic}+:").unwrap().is_match(s)
            })
    }

    fn squash(s: &str) -> String {
        s.replace("\u{ad}\n", "")
            .replace('\u{ad}', "")
            .chars()
            .filter(|c| !c.is_whitespace() && !INVISIBLE.contains(c))
            .collect()
    }

    fn docx_text(bytes: &[u8]) -> String {
        let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut xml = String::new();
        z.by_name("word/document.xml")
            .unwrap()
            .read_to_string(&mut xml)
            .unwrap();
        // The text of <w:t> elements, unescaped, joined.
        let re = regex::Regex::new(r"<w:t(?: [^>]*)?>([^<]*)</w:t>").unwrap();
        let text: String = re
            .captures_iter(&xml)
            .map(|c| c[1].to_string())
            .collect::<Vec<_>>()
            .join("");
        text.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&apos;", "'")
            .replace("&#39;", "'")
            .replace("&amp;", "&")
    }

    #[test]
    fn any_text_prints_as_typed() {
        let n = std::env::var("PRIKAZ_FUZZ_CASES")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(24);
        let config = Config {
            cases: n,
            failure_persistence: None,
            ..Config::default()
        };
        let mut r =
            TestRunner::new_with_rng(config, TestRng::from_seed(RngAlgorithm::ChaCha, &[11; 32]));
        r.run(&(field_text(), field_text(), field_text(), field_text()), |(title, point, cell, name)| {
            let q = |s: &str| serde_json::to_string(s).unwrap();
            let yaml = format!(
                "вид: приказ\nоформление: {{типографика: нет}}\nорган: [У]\nдата: 01.02.2024\nномер: 1\nзаголовок: {}\nпункты: [{}]\nподписант: {{должность: [Н], имя: {}}}\n\
                 приложения:\n  - содержание:\n      - таблица:\n          колонки: [А]\n          строки: [[{}]]\n",
                q(&title), q(&point), q(&name), q(&cell)
            );
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("p.yaml");
            std::fs::write(&path, yaml).unwrap();
            let p = prepare(&path);
            let pdf = squash(&pdf_text(&engine().pdf(&p.doc, None).unwrap()));
            let docx = docx_text(&prikaz::render::docx::write(&p.doc, None).unwrap());
            let collapse = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
            let docx_c = collapse(&docx);
            for s in [&title, &point, &cell, &name] {
                if s.chars().any(|c| ('\u{202a}'..='\u{202e}').contains(&c)) {
                    // An explicit embedding or override reorders the text for display,
                    // and a PDF stores display order: every character is there, the
                    // order may be visual.
                    prop_assert!(squash(s).chars().all(|c| pdf.contains(c)), "PDF lacks characters of {s:?}");
                } else {
                    prop_assert!(pdf.contains(&squash(s)), "PDF lacks {s:?}");
                }
                // The DOCX keeps even the invisible marks.
                prop_assert!(docx_c.contains(&collapse(s)) || docx.replace(' ', "").contains(&s.replace(' ', "")), "DOCX lacks {s:?}");
            }
            Ok(())
        })
        .unwrap();
    }
}
