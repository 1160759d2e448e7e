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
