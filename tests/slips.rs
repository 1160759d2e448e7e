//! A clerk's slips in YAML that used to pass `prikaz check` silently while
//! the act lost or changed words (issue 26): each is now either done right
//! (and the words reach the PDF and the DOCX) or told at the line to look at,
//! in Russian, with how to write it. Two examples of each kind.

mod common;
use common::*;
use std::path::Path;

/// One message of `prikaz check --format json`.
#[derive(Debug, Clone)]
struct Said {
    severity: String,
    code: String,
    message: String,
    hint: String,
    line: u64,
    col: u64,
}

/// Check `bytes` as the act `a.yaml` in a fresh folder: the exit code and
/// every message.
fn check(bytes: impl AsRef<[u8]>) -> (i32, Vec<Said>) {
    let dir = tempfile::tempdir().unwrap();
    check_in(dir.path(), bytes)
}

fn check_in(dir: &Path, bytes: impl AsRef<[u8]>) -> (i32, Vec<Said>) {
    std::fs::write(dir.join("a.yaml"), bytes).unwrap();
    let (code, out, err) = cli(&["check", "--format", "json", "a.yaml"], dir);
    let v: serde_json::Value =
        serde_json::from_str(&out).unwrap_or_else(|_| panic!("JSON: {out}\n{err}"));
    let said = v[0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| Said {
            severity: d["severity"].as_str().unwrap_or("").to_string(),
            code: d["code"].as_str().unwrap_or("").to_string(),
            message: d["message"].as_str().unwrap_or("").to_string(),
            hint: d["hint"].as_str().unwrap_or("").to_string(),
            line: d["pos"]["line"].as_u64().unwrap_or(0),
            col: d["pos"]["col"].as_u64().unwrap_or(0),
        })
        .collect();
    (code, said)
}

/// The messages with `code`.
fn with_code(said: &[Said], code: &str) -> Vec<Said> {
    said.iter().filter(|s| s.code == code).cloned().collect()
}

/// Line and column (in letters, from 1) of the `nth` (from 0) `needle` in `text`.
fn place_of(text: &str, needle: &str, nth: usize) -> (u64, u64) {
    let at = text
        .match_indices(needle)
        .nth(nth)
        .unwrap_or_else(|| panic!("«{needle}» #{nth} in the text"))
        .0;
    let before = &text[..at];
    let line = before.matches('\n').count() as u64 + 1;
    let col = before.rsplit('\n').next().unwrap().chars().count() as u64 + 1;
    (line, col)
}

/// Render `bytes` as `a.yaml` to PDF and DOCX; the text of each.
fn render_texts(bytes: impl AsRef<[u8]>) -> (String, String) {
    require("pdftotext", "poppler-utils");
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.yaml"), bytes).unwrap();
    let (code, out, err) = cli(
        &["render", "a.yaml", "--format", "pdf,docx", "-o", "out"],
        dir.path(),
    );
    assert_eq!(code, 0, "render: {out}\n{err}");
    let mut pdf = None;
    let mut docx = None;
    for e in std::fs::read_dir(dir.path().join("out")).unwrap() {
        let p = e.unwrap().path();
        match p.extension().and_then(|e| e.to_str()) {
            Some("pdf") => pdf = Some(std::fs::read(&p).unwrap()),
            Some("docx") => docx = Some(std::fs::read(&p).unwrap()),
            _ => {}
        }
    }
    let pdf = pdf_text(&pdf.expect("a PDF"));
    let docx = strip_markup(&docx_part(&docx.expect("a DOCX"), "word/document.xml"));
    (squeeze(&pdf), squeeze(&docx))
}

/// Whitespace (and the typographer's no-break spaces) as single spaces,
/// words hyphenated at a line's end joined.
fn squeeze(s: &str) -> String {
    s.replace("\u{ad}\n", "")
        .replace('\u{ad}', "")
        .replace('\u{a0}', " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn assert_words(texts: &(String, String), words: &[&str]) {
    for w in words {
        assert!(texts.0.contains(w), "PDF lacks «{w}»:\n{}", texts.0);
        assert!(texts.1.contains(w), "DOCX lacks «{w}»:\n{}", texts.1);
    }
}

/// An act with a plan table; `rows` are the YAML under `строки:` (indented
/// by 12).
fn plan(rows: &str) -> String {
    format!(
        "вид: приказ
орган: Управление образования
дата: 01.09.2023
номер: 1
заголовок: Об утверждении плана мероприятий
пункты:
  - Утвердить план мероприятий ({{приложение:план}}).
подписант:
  должность: Начальник управления
  имя: И.И. Иванов
приложения:
  - id: план
    вид: План
    утверждается: да
    заголовок: План мероприятий
    содержание:
      - таблица:
          колонки:
            - \"№ п/п\"
            - {{заголовок: Мероприятие, ключ: мероприятие}}
            - {{заголовок: Срок, ключ: срок}}
          строки:
{rows}"
    )
}

// ---- 1. Repeated keys ----

#[test]
fn a_plan_row_without_its_dash_is_a_repeated_key_that_says_so() {
    let text = plan(
        "            - мероприятие: Совещание директоров
              срок: сентябрь 2023 года
              мероприятие: Семинар заместителей
              срок: октябрь 2023 года
",
    );
    let (code, said) = check(&text);
    assert_eq!(code, 1, "{said:?}");
    let rep = with_code(&said, "E008");
    assert_eq!(rep.len(), 2, "{said:?}");
    let first = place_of(&text, "мероприятие: Совещание", 0).0;
    assert_eq!(
        (rep[0].line, rep[0].col),
        place_of(&text, "мероприятие: Семинар", 0)
    );
    assert_eq!(
        rep[0].message,
        format!("поле «мероприятие» повторяется (уже было в строке {first})")
    );
    assert!(
        rep[0]
            .hint
            .contains("каждая строка плана начинается с «- »"),
        "{}",
        rep[0].hint
    );
    assert_eq!(
        (rep[1].line, rep[1].col),
        place_of(&text, "срок: октябрь", 0)
    );
    // Told once, by the reader, not again by the decoder.
    assert_eq!(
        said.iter()
            .filter(|s| s.message.contains("повторяется"))
            .count(),
        2
    );
}

#[test]
fn repeated_keys_are_errors_in_every_mapping() {
    // A point written without its dash: its fields repeat the point above.
    let text = MINIMAL.replace(
        "  - Провести проверку.\n",
        "  - текст: Провести проверку.\n    срок: 01.03.2024\n    текст: Подготовить справку.\n    срок: 15.03.2024\n",
    );
    let (code, said) = check(&text);
    assert_eq!(code, 1);
    let rep = with_code(&said, "E008");
    assert_eq!(rep.len(), 2, "{said:?}");
    assert_eq!(
        (rep[0].line, rep[0].col),
        place_of(&text, "текст: Подготовить", 0)
    );
    assert!(
        rep[0].hint.contains("каждый пункт начинается с «- »"),
        "{}",
        rep[0].hint
    );
    // A field of the act written twice: no talk of list items.
    let text = format!("{MINIMAL}номер: 8\n");
    let (code, said) = check(&text);
    assert_eq!(code, 1);
    let rep = with_code(&said, "E008");
    assert_eq!(rep.len(), 1, "{said:?}");
    assert_eq!((rep[0].line, rep[0].col), place_of(&text, "номер: 8", 0));
    assert_eq!(
        rep[0].message,
        "поле «номер» повторяется (уже было в строке 4)"
    );
    assert!(!rep[0].hint.contains("«- »"), "{}", rep[0].hint);
    // In a profile too.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("п.yaml"),
        "место: г. Оренбург\nместо: г. Орск\n",
    )
    .unwrap();
    let (code, said) = check_in(dir.path(), format!("профиль: п.yaml\n{MINIMAL}"));
    assert_eq!(code, 1);
    let rep = with_code(&said, "E008");
    assert_eq!(rep.len(), 1, "{said:?}");
    assert_eq!((rep[0].line, rep[0].col), (2, 1));
}

// ---- 2. A comment that cuts a text ----

#[test]
fn a_hash_glued_to_words_cuts_the_text_and_is_an_error() {
    let text = MINIMAL.replace(
        "номер: 7\n",
        "номер: 7\nместо: на базе МБОУ СОШ #1 и МБОУ «СОШ № 3»\n",
    );
    let (code, said) = check(&text);
    assert_eq!(code, 1, "{said:?}");
    let e = with_code(&said, "E001");
    assert_eq!(e.len(), 1, "{said:?}");
    assert_eq!((e[0].line, e[0].col), place_of(&text, "#1", 0));
    assert!(
        e[0].message.contains("«#1 и МБОУ «СОШ № 3»»"),
        "{}",
        e[0].message
    );
    assert!(
        e[0].hint
            .contains("возьмите весь текст в кавычки: \"на базе МБОУ СОШ #1 и МБОУ «СОШ № 3»\""),
        "{}",
        e[0].hint
    );
    // In a point's text.
    let text = MINIMAL.replace(
        "  - Провести проверку.",
        "  - Провести проверку в МБОУ Лицей #2а до конца месяца.",
    );
    let (code, said) = check(&text);
    assert_eq!(code, 1);
    let e = with_code(&said, "E001");
    assert_eq!((e[0].line, e[0].col), place_of(&text, "#2а", 0));
    assert!(
        e[0].message.contains("«#2а до конца месяца.»"),
        "{}",
        e[0].message
    );
}

#[test]
fn words_after_a_spaced_hash_are_a_warning_and_set_apart_comments_pass() {
    let text = MINIMAL.replace(
        "заголовок: О проверке",
        "заголовок: О проверке школы # 5 и гимназии",
    );
    let (code, said) = check(&text);
    assert_eq!(code, 0, "{said:?}");
    let w = with_code(&said, "P604");
    assert_eq!(w.len(), 1, "{said:?}");
    assert_eq!(w[0].severity, "warning");
    assert_eq!((w[0].line, w[0].col), place_of(&text, "# 5", 0));
    assert!(w[0].message.contains("«5 и гимназии»"), "{}", w[0].message);
    assert!(w[0].hint.contains("кавычки"), "{}", w[0].hint);
    // A lint like the others: the file may switch it off.
    let (_, said) = check(format!("{text}проверки: {{отключить: [P604]}}\n"));
    assert!(with_code(&said, "P604").is_empty(), "{said:?}");
    // A comment set apart by two spaces or more (as the starters write
    // them), after a quoted text, on a line of its own, or after a key with
    // no value: no warning.
    let text = MINIMAL
        .replace(
            "вид: приказ",
            "вид: приказ                 # приказ | распоряжение",
        )
        .replace(
            "номер: 7",
            "номер: \"7\" # журнал\n# целая строка\nместо:  # потом",
        )
        .replace("место:  # потом", "место: г. Оренбург  # потом");
    let (code, said) = check(&text);
    assert_eq!(code, 0, "{said:?}");
    assert!(with_code(&said, "P604").is_empty(), "{said:?}");
    // The quoted text reaches the documents whole.
    let text = MINIMAL.replace(
        "номер: 7\n",
        "номер: 7\nместо: \"на базе МБОУ СОШ #1 и МБОУ «СОШ № 3»\"\n",
    );
    let texts = render_texts(&text);
    assert_words(&texts, &["СОШ #1 и МБОУ"]);
}

// ---- 3. A point glued to the one above ----

#[test]
fn a_point_without_its_dash_glued_to_the_one_above_is_a_warning() {
    let text = MINIMAL.replace(
        "  - Провести проверку.\n",
        "  - текст: \"Руководителям:\"\n    пункты:\n      - Провести проверку.\n        Подготовить справку.\n      - Направить отчёт;\n        3.2. Представить план.\n",
    );
    let (code, said) = check(&text);
    assert_eq!(code, 0, "{said:?}");
    let w = with_code(&said, "P606");
    assert_eq!(w.len(), 2, "{said:?}");
    let (l1, c1) = place_of(&text, "Подготовить справку.", 0);
    assert_eq!((w[0].line, w[0].col), (l1, c1));
    assert_eq!(
        w[0].message,
        format!(
            "строка {l1} приклеена к тексту пункта выше; если это отдельный пункт, начните её с «- »"
        )
    );
    assert_eq!(
        (w[1].line, w[1].col),
        place_of(&text, "3.2. Представить", 0)
    );
    // A long text wrapped mid-sentence, or after an abbreviation, is not.
    let text = MINIMAL.replace(
        "  - Провести проверку.\n",
        "  - Провести проверку готовности образовательных организаций\n    к новому учебному году в МБОУ СОШ № 5 г.\n    Оренбурга и подготовить справку\n    по её итогам.\n",
    );
    let (code, said) = check(&text);
    assert_eq!(code, 0, "{said:?}");
    assert!(with_code(&said, "P606").is_empty(), "{said:?}");
}

// ---- 4. A tab is reported on its own line ----

#[test]
fn a_tab_is_reported_at_its_own_line_and_column() {
    let text = MINIMAL.replace(
        "  - Провести проверку.\n",
        "  - Провести проверку\n\tв школах.\n",
    );
    let (code, said) = check(&text);
    assert_eq!(code, 1);
    assert_eq!(said.len(), 1, "{said:?}");
    assert_eq!(
        (said[0].line, said[0].col),
        place_of(&text, "\tв школах", 0)
    );
    assert!(said[0].message.contains("табуляц"), "{}", said[0].message);
    let text = MINIMAL.replace("  имя: И.И. Иванов", "\tимя: И.И. Иванов");
    let (code, said) = check(&text);
    assert_eq!(code, 1);
    assert_eq!((said[0].line, said[0].col), place_of(&text, "\tимя", 0));
}

// ---- 5. A text with «: » taken for a field ----

#[test]
fn a_point_with_a_colon_is_told_to_take_quotes_instead_of_missing_fields() {
    let text = MINIMAL.replace(
        "  - Провести проверку.",
        "  - Провести: муниципальный этап всероссийской олимпиады школьников",
    );
    let (code, said) = check(&text);
    assert_eq!(code, 1);
    let errors: Vec<&Said> = said.iter().filter(|s| s.severity == "error").collect();
    assert_eq!(errors.len(), 1, "{said:?}");
    assert_eq!(
        (errors[0].line, errors[0].col),
        place_of(&text, "Провести:", 0)
    );
    assert!(errors[0].message.contains("«: »"), "{}", errors[0].message);
    assert!(
        errors[0]
            .hint
            .contains("\"Провести: муниципальный этап всероссийской олимпиады школьников\""),
        "{}",
        errors[0].hint
    );
    assert!(
        !said
            .iter()
            .any(|s| s.message.contains("нет обязательного поля")
                || s.message.contains("неизвестное поле")),
        "{said:?}"
    );
    // In a list of an appendix and in a table cell: the same message.
    let text = plan(
        "            - мероприятие:\n                Совещание: итоги года\n              срок: сентябрь 2023 года\n",
    )
    .replace(
        "      - таблица:",
        "      - список:\n          - Участники: директора школ\n      - таблица:",
    );
    let (code, said) = check(&text);
    assert_eq!(code, 1);
    let errors: Vec<&Said> = said.iter().filter(|s| s.severity == "error").collect();
    assert_eq!(errors.len(), 2, "{said:?}");
    for (e, at, quoted) in [
        (errors[0], "Участники:", "\"Участники: директора школ\""),
        (errors[1], "Совещание:", "\"Совещание: итоги года\""),
    ] {
        assert_eq!((e.line, e.col), place_of(&text, at, 0));
        assert!(e.message.contains("«: »"), "{}", e.message);
        assert!(e.hint.contains(quoted), "{}", e.hint);
    }
}

// ---- 6. Latin letters that look Russian ----

#[test]
fn latin_letters_that_look_russian_are_named() {
    let text = MINIMAL.replace(
        "  - Провести проверку.",
        "  - текст: Провести проверку.\n    cрок: 01.03.2024",
    );
    let (code, said) = check(&text);
    assert_eq!(code, 1);
    let e = with_code(&said, "E009");
    let e = if e.is_empty() {
        said.iter()
            .filter(|s| s.message.contains("неизвестное поле"))
            .cloned()
            .collect()
    } else {
        e
    };
    assert_eq!(e.len(), 1, "{said:?}");
    assert_eq!((e[0].line, e[0].col), place_of(&text, "cрок", 0));
    assert_eq!(
        e[0].hint,
        "в «cрок» первая буква «c» — латинская; наберите её по-русски"
    );
    // Capital and Latin: still a field's name, not a text with a colon.
    let (_, said) = check(text.replace("cрок", "Cрок"));
    assert!(
        said.iter()
            .any(|s| s.hint == "в «Cрок» первая буква «C» — латинская; наберите её по-русски"),
        "{said:?}"
    );
    // A value of a fixed set: two Latin letters.
    let text = MINIMAL.replace("вид: приказ", "вид: пpикaз");
    let (code, said) = check(&text);
    assert_eq!(code, 1);
    let e: Vec<&Said> = said.iter().filter(|s| s.severity == "error").collect();
    assert_eq!(e.len(), 1, "{said:?}");
    assert_eq!(
        e[0].hint,
        "в «пpикaз» буквы «p» (вторая) и «a» (пятая) — латинские; наберите их по-русски"
    );
}

#[test]
fn an_appendix_id_with_a_latin_letter_is_warned_at_the_id() {
    let text =
        plan("            - мероприятие: Совещание\n              срок: сентябрь 2023 года\n")
            .replace("  - id: план", "  - id: плaн");
    let (_, said) = check(&text);
    let w = with_code(&said, "P607");
    assert_eq!(w.len(), 1, "{said:?}");
    assert_eq!((w[0].line, w[0].col), place_of(&text, "плaн", 0));
    assert!(w[0].hint.contains("«a» — латинская"), "{}", w[0].hint);
    // A point id too; an id all in Latin is Latin on purpose.
    let text = MINIMAL.replace(
        "  - Провести проверку.",
        "  - {текст: Провести проверку., id: пpoверка}\n  - {текст: Подготовить справку., id: report}",
    );
    let (_, said) = check(&text);
    let w = with_code(&said, "P607");
    assert_eq!(w.len(), 1, "{said:?}");
    assert_eq!((w[0].line, w[0].col), place_of(&text, "пpoверка", 0));
}

// ---- 7. Encodings ----

fn utf16(text: &str, le: bool) -> Vec<u8> {
    let mut out = if le {
        vec![0xFF, 0xFE]
    } else {
        vec![0xFE, 0xFF]
    };
    for u in text.encode_utf16() {
        out.extend(if le { u.to_le_bytes() } else { u.to_be_bytes() });
    }
    out
}

#[test]
fn a_file_in_utf16_is_read() {
    let text = MINIMAL.replace("О проверке", "О проверке библиотечного фонда");
    for le in [true, false] {
        let (code, said) = check(utf16(&text.replace('\n', "\r\n"), le));
        assert_eq!(code, 0, "{said:?}");
        assert!(said.iter().all(|s| s.severity == "warning"), "{said:?}");
    }
    let texts = render_texts(utf16(&text, true));
    assert_words(
        &texts,
        &["О проверке библиотечного фонда", "Провести проверку."],
    );
}

#[test]
fn a_file_in_windows_1251_is_read_with_a_warning() {
    let text = MINIMAL.replace("О проверке", "О проверке столовых");
    let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode(&text);
    let (code, said) = check(&bytes);
    assert_eq!(code, 0, "{said:?}");
    let w = with_code(&said, "P605");
    assert_eq!(w.len(), 1, "{said:?}");
    assert_eq!((w[0].line, w[0].col), (1, 1));
    assert!(w[0].message.contains("Windows-1251"), "{}", w[0].message);
    assert!(w[0].hint.contains("UTF-8"), "{}", w[0].hint);
    let texts = render_texts(&bytes);
    assert_words(&texts, &["О проверке столовых", "И.И. Иванов"]);
    // Bytes that are no text stay refused.
    let (code, said) = check([0x80u8, 0x81, 0x00, 0xff, 0x10, 0x02].repeat(20));
    assert_eq!(code, 1, "{said:?}");
}

// ---- 8. Rows pasted from Excel ----

#[test]
fn rows_pasted_from_excel_become_rows() {
    let text = plan("").replace(
        "строки:\n",
        "строки: |
              1\tСовещание директоров: итоги года\tсентябрь 2023 года
              2\tСеминар заместителей\t
              3\tКонференция педагогов #1\tавгуст 2024 года
",
    );
    let (code, said) = check(&text);
    assert_eq!(code, 0, "{said:?}");
    let texts = render_texts(&text);
    assert_words(
        &texts,
        &[
            "Совещание директоров: итоги года",
            "Семинар заместителей",
            "Конференция педагогов #1",
            "август 2024 года",
        ],
    );
    // Pasted as list items, without the number column; one row with a cell
    // too many is told at its line.
    let text = plan(
        "            - Совещание директоров\tсентябрь 2023 года
            - Семинар\tзаместителей\tоктябрь 2023 года
",
    );
    let (code, said) = check(&text);
    assert_eq!(code, 1);
    let e: Vec<&Said> = said.iter().filter(|s| s.severity == "error").collect();
    assert_eq!(e.len(), 1, "{said:?}");
    assert_eq!(e[0].line, place_of(&text, "Семинар", 0).0);
    assert!(e[0].message.contains("ячеек 3"), "{}", e[0].message);
    let text = plan("            - Совещание директоров\tсентябрь 2023 года\n");
    let (code, said) = check(&text);
    assert_eq!(code, 0, "{said:?}");
}

// ---- 9. Tags ----

#[test]
fn a_tag_is_an_error_at_the_tag() {
    let text = MINIMAL.replace("  - Провести проверку.", "  - !urgent Провести проверку.");
    let (code, said) = check(&text);
    assert_eq!(code, 1);
    let e = with_code(&said, "E001");
    assert_eq!(e.len(), 1, "{said:?}");
    assert_eq!((e[0].line, e[0].col), place_of(&text, "!urgent", 0));
    assert!(e[0].message.contains("«!urgent»"), "{}", e[0].message);
    assert!(
        e[0].hint.contains("\"!urgent Провести проверку.\""),
        "{}",
        e[0].hint
    );
    let text = MINIMAL.replace("  - Провести проверку.", "  - !Срочно провести проверку.");
    let (code, said) = check(&text);
    assert_eq!(code, 1);
    assert_eq!((said[0].line, said[0].col), place_of(&text, "!Срочно", 0));
    assert!(said[0].hint.contains("кавычки"), "{}", said[0].hint);
    // YAML's own «this is text» loses nothing.
    let text = MINIMAL.replace("номер: 7", "номер: !!str 007");
    let (code, said) = check(&text);
    assert_eq!(code, 0, "{said:?}");
}

// ---- 10. Merge keys, anchors ----

#[test]
fn merge_keys_bring_their_fields() {
    let text = MINIMAL.replace(
        "подписант:\n  должность: Начальник управления\n  имя: И.И. Иванов\n",
        "общее: &общее\n  должность: Начальник управления\nподписант:\n  <<: *общее\n  имя: И.И. Иванов\n",
    );
    // «общее» is no field of an act: told, not dropped.
    let (code, said) = check(&text);
    assert_eq!(code, 1);
    assert!(
        said.iter()
            .any(|s| s.message.contains("неизвестное поле «общее»")),
        "{said:?}"
    );
    let text = MINIMAL.replace(
        "подписант:\n  должность: Начальник управления\n  имя: И.И. Иванов\n",
        "исполнитель: &и\n  имя: Петрова Анна Сергеевна\n  телефон: 20-30-40\nподписант:\n  <<: {должность: Начальник управления}\n  имя: И.И. Иванов\n",
    );
    let (code, said) = check(&text);
    assert_eq!(code, 0, "{said:?}");
    let texts = render_texts(&text);
    assert_words(&texts, &["Начальник управления", "И.И. Иванов"]);
}

#[test]
fn a_csv_in_windows_1251_is_read_with_a_warning() {
    // Excel's «CSV (разделители — запятые)» in a Russian Windows.
    let dir = tempfile::tempdir().unwrap();
    let src = root().join("tests/fixtures/csv");
    for f in ["latin1.yaml", "latin1.csv"] {
        std::fs::copy(src.join(f), dir.path().join(f)).unwrap();
    }
    let (code, out, err) = cli(&["render", "latin1.yaml", "-o", "out"], dir.path());
    assert_eq!(code, 0, "{out}\n{err}");
    assert!(
        err.contains("latin1.csv:1") && err.contains("P605"),
        "{err}"
    );
    assert!(err.contains("Windows-1251"), "{err}");
}

// ---- More of each kind ----

#[test]
fn a_word_taken_for_an_anchor_is_an_error_at_it() {
    let text = MINIMAL.replace("  - Провести проверку.", "  - &Срочно провести проверку.");
    let (code, said) = check(&text);
    assert_eq!(code, 1);
    let e = with_code(&said, "E001");
    assert_eq!(e.len(), 1, "{said:?}");
    assert_eq!((e[0].line, e[0].col), place_of(&text, "&Срочно", 0));
    assert!(e[0].message.contains("«&Срочно»"), "{}", e[0].message);
    assert!(
        e[0].hint.contains("\"&Срочно провести проверку.\""),
        "{}",
        e[0].hint
    );
    // An anchor some alias uses is YAML on purpose.
    let text = MINIMAL
        .replace("заголовок: О проверке", "заголовок: &з О проверке")
        .replace("  - Провести проверку.", "  - *з");
    let (code, said) = check(&text);
    assert_eq!(code, 0, "{said:?}");
}

#[test]
fn a_point_text_with_its_sub_points_below_says_how_to_write_it() {
    let text = MINIMAL.replace(
        "  - Провести проверку.\n",
        "  - Руководителям образовательных организаций:\n      - обеспечить явку;\n      - представить отчёты.\n",
    );
    let (code, said) = check(&text);
    assert_eq!(code, 1);
    let errors: Vec<&Said> = said.iter().filter(|s| s.severity == "error").collect();
    assert_eq!(errors.len(), 1, "{said:?}");
    assert_eq!(
        (errors[0].line, errors[0].col),
        place_of(&text, "Руководителям", 0)
    );
    assert!(
        errors[0]
            .hint
            .contains("«текст: \"Руководителям образовательных организаций:\"»"),
        "{}",
        errors[0].hint
    );
}

#[test]
fn a_line_glued_to_a_point_written_with_its_fields_is_a_warning() {
    let text = MINIMAL.replace(
        "  - Провести проверку.\n",
        "  - текст: Провести проверку.\n      Назначить ответственных.\n    срок: 01.03.2024\n",
    );
    let (code, said) = check(&text);
    assert_eq!(code, 0, "{said:?}");
    let w = with_code(&said, "P606");
    assert_eq!(w.len(), 1, "{said:?}");
    assert_eq!((w[0].line, w[0].col), place_of(&text, "Назначить", 0));
}

#[test]
fn a_yes_with_a_latin_letter_is_named() {
    let text = format!("{MINIMAL}лист_ознакомления: дa\n");
    let (code, said) = check(&text);
    assert_eq!(code, 1);
    let e: Vec<&Said> = said.iter().filter(|s| s.severity == "error").collect();
    assert_eq!(e.len(), 1, "{said:?}");
    assert_eq!(
        e[0].hint,
        "в «дa» вторая буква «a» — латинская; наберите её по-русски"
    );
}

#[test]
fn a_hash_in_brackets_says_it_began_a_comment() {
    let text = format!("{MINIMAL}рассылка: [МБОУ СОШ #1, МБОУ СОШ № 3]\n");
    let (code, said) = check(&text);
    assert_eq!(code, 1);
    assert_eq!(said.len(), 1, "{said:?}");
    assert!(
        said[0]
            .hint
            .contains("знак «#» после пробела начал комментарий"),
        "{}",
        said[0].hint
    );
}

#[test]
fn a_row_without_its_dash_at_the_dashes_column_says_so() {
    let text = plan(
        "            - мероприятие: Совещание директоров
              срок: сентябрь 2023 года
            мероприятие: Семинар заместителей
",
    );
    let (code, said) = check(&text);
    assert_eq!(code, 1);
    assert_eq!(said.len(), 1, "{said:?}");
    assert_eq!(
        (said[0].line, said[0].col),
        place_of(&text, "мероприятие: Семинар", 0)
    );
    assert!(
        said[0].hint.contains("начните его с «- »"),
        "{}",
        said[0].hint
    );
}

/// The reader keeps what was typed: YAML's numbers, dates and yes/no are
/// read as the clerk's text, so no digit is lost.
#[test]
fn numbers_keep_their_digits() {
    let text = plan(
        "            - №: \"1.\"\n              мероприятие: Совещание\n              срок: 01.10.2023\n            - №: 1.10\n              мероприятие: Семинар\n              срок: 2023-10-02\n",
    )
    .replace("номер: 1\n", "номер: 0596\n");
    let texts = render_texts(&text);
    assert_words(&texts, &["№ 0596", "01.10.2023", "1.10"]);
}

#[test]
fn a_hash_in_the_middle_of_a_long_text_says_it_cut_it() {
    let text = MINIMAL.replace(
        "  - Провести проверку.",
        "  - Провести совещание в МБОУ СОШ # 1\n    с директорами школ.",
    );
    let (code, said) = check(&text);
    assert_eq!(code, 1);
    assert_eq!(said.len(), 1, "{said:?}");
    assert_eq!((said[0].line, said[0].col), place_of(&text, "# 1", 0));
    assert!(
        said[0].message.contains("текст оборван"),
        "{}",
        said[0].message
    );
    assert!(said[0].hint.contains("в кавычки"), "{}", said[0].hint);
}
