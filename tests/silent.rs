//! Nothing a clerk types is lost, moved or invented without a word (issue
//! «ничего не теряется молча»): each class of slip that `check` once passed in
//! silence is now either done right — and then its words reach the PDF and
//! the DOCX in order — or refused at the line where the clerk must look.
//! Each class has the example and a second one of ours.

mod common;
use common::{cli, pdf_text, require};
use std::path::Path;

/// An act around `points` (YAML lines of `пункты:`) and `appendix` (an
/// appendix's YAML, or empty).
fn act(points: &str, appendix: &str) -> String {
    format!(
        "вид: приказ
орган: Управление образования
дата: 01.02.2024
номер: 15-од
заголовок: О проведении олимпиады
пункты:
{points}
подписант:
  должность: Начальник управления
  имя: И.И. Иванов
{appendix}"
    )
}

const PLAN_HEAD: &str = "приложения:
  - id: план
    вид: План
    утверждается: да
    заголовок: План мероприятий
    содержание:
";

/// `check` on `yaml` written as `a.yaml`: (exit code, stderr).
fn check(dir: &Path, yaml: &str) -> (i32, String) {
    std::fs::write(dir.join("a.yaml"), yaml).unwrap();
    let (code, _, err) = cli(&["check", "a.yaml"], dir);
    (code, err)
}

/// The text of the act's PDF and of its DOCX (the words of `<w:t>`), both
/// rendered by the program; the act must pass `check --strict` first.
fn rendered(dir: &Path, yaml: &str, extra: &[&str]) -> (String, String) {
    require("pdftotext", "poppler-utils");
    std::fs::write(dir.join("a.yaml"), yaml).unwrap();
    let (code, _, err) = cli(&["check", "a.yaml"], dir);
    assert_eq!(code, 0, "{err}");
    let mut args = vec!["render", "a.yaml", "-o", "out", "--format", "pdf,docx"];
    args.extend_from_slice(extra);
    let (code, _, err) = cli(&args, dir);
    assert_eq!(code, 0, "{err}");
    let find = |ext: &str| {
        std::fs::read_dir(dir.join("out"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| p.extension().is_some_and(|e| e == ext))
            .unwrap()
    };
    let pdf = pdf_text(&std::fs::read(find("pdf")).unwrap());
    let docx = common::docx_text(&std::fs::read(find("docx")).unwrap());
    std::fs::remove_dir_all(dir.join("out")).unwrap();
    (pdf, docx)
}

/// `needles` appear in `text` in this order (whitespace squeezed).
fn in_order(text: &str, needles: &[&str]) {
    // A word hyphenated at a line's end («директо\u{ad}» «ров») is one word.
    let t = text
        .replace("\u{ad}\n", "")
        .replace("\u{ad} ", "")
        .replace('\u{ad}', "");
    let t: String = t.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut from = 0;
    for n in needles {
        match t[from..].find(n) {
            Some(i) => from += i + n.len(),
            None => panic!("«{n}» not found in order in:\n{t}"),
        }
    }
}

#[test]
fn references_without_braces_are_refused_at_their_place() {
    let dir = tempfile::tempdir().unwrap();
    let plan = format!("{PLAN_HEAD}      - Провести олимпиаду.\n");
    // The example: «(приложение:план)».
    let (code, err) = check(
        dir.path(),
        &act("  - Утвердить план (приложение:план).", &plan),
    );
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("ошибка[E024]"), "{err}");
    assert!(err.contains("a.yaml:7:21"), "{err}");
    assert!(
        err.contains("ссылка «приложение:план» написана без фигурных скобок"),
        "{err}"
    );
    assert!(
        err.contains("напишите ссылку так: {приложение:план}"),
        "{err}"
    );
    // Ours: a space after the colon, and a brace left open.
    let points = "  - id: контроль\n    текст: Ход работы.\n  - \"Проверить по {пункту: контроль} и {приложению:план.\"";
    let (code, err) = check(dir.path(), &act(points, &plan));
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("a.yaml:9:19"), "{err}");
    assert!(err.contains("записана с ошибкой"), "{err}");
    assert!(err.contains("«{пункту: контроль}»"), "{err}");
    assert!(err.contains("«{приложению:план»"), "{err}");
    assert!(
        err.contains("напишите ссылку так: {приложению:план}"),
        "{err}"
    );
    // Prose with a colon is not a reference.
    let (code, err) = check(
        dir.path(),
        &act("  - Утвердить приложение: план работы.", &plan),
    );
    assert!(!err.contains("E024"), "{code} {err}");
}

#[test]
fn usual_number_column_titles_are_recognised() {
    let dir = tempfile::tempdir().unwrap();
    for title in ["№п/п", "N п/п", "п/п", "№ пп", "№ п.п.", "No"] {
        let plan = format!(
            "{PLAN_HEAD}      - таблица:
          колонки: [\"{title}\", Мероприятие, Срок, Ответственный]
          строки:
            - [Совещание директоров, январь, Иванов И.И.]
            - [Олимпиада школьников, февраль, Петров П.П.]
"
        );
        let (pdf, docx) = rendered(
            dir.path(),
            &act("  - Утвердить план ({приложение:план}).", &plan),
            &[],
        );
        for text in [&pdf, &docx] {
            in_order(
                text,
                &[
                    "Мероприятие",
                    "Срок",
                    "Ответственный",
                    "1",
                    "Совещание директоров",
                    "январь",
                    "Иванов И.И.",
                    "2",
                    "Олимпиада школьников",
                    "февраль",
                    "Петров П.П.",
                ],
            );
        }
    }
    // Ours: a title prikaz cannot know is a number column is refused, not shifted.
    let plan = format!(
        "{PLAN_HEAD}      - таблица:
          колонки: [\"#\", Мероприятие, Срок]
          строки:
            - [Совещание директоров, январь]
            - [Олимпиада школьников, февраль]
"
    );
    let (code, err) = check(
        dir.path(),
        &act("  - Утвердить план ({приложение:план}).", &plan),
    );
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("ошибка[E025]"), "{err}");
    assert!(err.contains("a.yaml:18:21"), "{err}");
    assert!(err.contains("колонка «Срок» осталась бы пустой"), "{err}");
    assert!(err.contains("нумерация: да"), "{err}");
}

#[test]
fn a_block_is_known_by_any_of_its_keys() {
    let dir = tempfile::tempdir().unwrap();
    let plan = format!(
        "{PLAN_HEAD}      - нумерация: \"а)\"
        список: [Первое дело, Второе дело]
      - метка: \"Участники:\"
        нумерация: \"1)\"
        список: [Школы, Гимназии]
"
    );
    let (pdf, docx) = rendered(
        dir.path(),
        &act("  - Утвердить план ({приложение:план}).", &plan),
        &[],
    );
    for text in [&pdf, &docx] {
        in_order(
            text,
            &[
                "а) Первое дело",
                "б) Второе дело",
                "Участники:",
                "1) Школы",
                "2) Гимназии",
            ],
        );
    }
    // Ours: two kinds in one block are refused at the second.
    let plan = format!("{PLAN_HEAD}      - абзац: Текст.\n        список: [Одно]\n");
    let (code, err) = check(
        dir.path(),
        &act("  - Утвердить план ({приложение:план}).", &plan),
    );
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("в одном блоке два вида: «абзац» и «список»"),
        "{err}"
    );
    assert!(err.contains("a.yaml:18:9"), "{err}");
}

#[test]
fn list_markers_count_on_as_written() {
    let dir = tempfile::tempdir().unwrap();
    let mut plan = PLAN_HEAD.to_string();
    for m in ["1.1.", "2.", "(1)", "01.", "1.1.1.", "I."] {
        plan.push_str(&format!(
            "      - нумерация: \"{m}\"\n        список: [Альфа {m}, Бета {m}, Гамма {m}]\n"
        ));
    }
    let (pdf, docx) = rendered(
        dir.path(),
        &act("  - Утвердить план ({приложение:план}).", &plan),
        &[],
    );
    for text in [&pdf, &docx] {
        in_order(
            text,
            &[
                "1.1. Альфа 1.1.",
                "1.2. Бета",
                "1.3. Гамма",
                "2. Альфа 2.",
                "3. Бета",
                "4. Гамма",
                "(1) Альфа",
                "(2) Бета",
                "(3) Гамма",
                "01. Альфа",
                "02. Бета",
                "03. Гамма",
                "1.1.1. Альфа",
                "1.1.2. Бета",
                "1.1.3. Гамма",
                "I. Альфа",
                "II. Бета",
                "III. Гамма",
            ],
        );
    }
}

#[test]
fn rows_under_roman_sections_are_numbered_through() {
    let dir = tempfile::tempdir().unwrap();
    let plan = format!(
        "{PLAN_HEAD}      - таблица:
          колонки: [\"№ п/п\", Мероприятие, Срок]
          строки:
            - {{раздел: Организационная работа, №: \"I.\"}}
            - [Совещание, январь]
            - [Семинар, февраль]
            - {{раздел: Контроль, №: \"II.\"}}
            - [Проверка, март]
            - {{раздел: Итоги, №: \"III\"}}
            - [Отчёт, май]
"
    );
    let (pdf, docx) = rendered(
        dir.path(),
        &act("  - Утвердить план ({приложение:план}).", &plan),
        &[],
    );
    for text in [&pdf, &docx] {
        in_order(
            text,
            &[
                "I.",
                "Организационная работа",
                "1.",
                "Совещание",
                "2.",
                "Семинар",
                "II.",
                "Контроль",
                "3.",
                "Проверка",
                "III",
                "Итоги",
                "4.",
                "Отчёт",
            ],
        );
        assert!(
            !text.contains("1.1"),
            "no level two under Roman sections:\n{text}"
        );
    }
}

#[test]
fn the_number_stays_on_a_blank_with_the_kind() {
    let dir = tempfile::tempdir().unwrap();
    let yaml = act("  - Провести олимпиаду.", "").replace(
        "подписант:",
        "оформление:\n  шапка: вид_с_номером\nподписант:",
    );
    let (pdf, docx) = rendered(dir.path(), &yaml, &["--blank"]);
    for text in [&pdf, &docx] {
        assert!(
            text.contains("№ 15-од") || text.contains("№\u{a0}15-од"),
            "{text}"
        );
        assert!(
            !text.split_whitespace().any(|w| w == "ПРИКАЗ"),
            "the kind is on the blank's paper:\n{text}"
        );
        in_order(text, &["15-од", "О проведении олимпиады"]);
    }
    // Ours: without --blank the whole line is printed.
    let (pdf, docx) = rendered(dir.path(), &yaml, &[]);
    for text in [&pdf, &docx] {
        in_order(text, &["ПРИКАЗ", "15-од", "О проведении олимпиады"]);
    }
}

/// The README's «Пять правил YAML» quotes, for each rule, the message the
/// program gives when it is broken: each quoted line is what `check` says
/// today for that slip.
#[test]
fn the_readmes_five_rules_quote_the_real_messages() {
    let readme = std::fs::read_to_string(common::root().join("README.md")).unwrap();
    let from = readme.find("### Пять правил YAML").expect("the section");
    let section = &readme[from..];
    let section = &section[..section[4..].find("\n### ").map_or(section.len(), |i| i + 4)];
    let quoted: Vec<&str> = section
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with("ошибка[") || l.starts_with("предупреждение["))
        .collect();
    let base = "вид: приказ\nорган: Управление образования\nдата: 01.02.2024\nномер: 7\nзаголовок: О проверке\nконтроль: оставляю\nподписант:\n  должность: Начальник управления\n  имя: И.И. Иванов\nпункты:\n";
    let slips = [
        "  - Провести проверку.\n\t- Подвести итоги.\n",
        "  - текст: Провести проверку.\n    срок: 01.03.2024\n    текст: Подвести итоги.\n    срок: 01.04.2024\n",
        "  - Провести: муниципальный этап олимпиады.\n",
        "  - Провести смотр на базе МБОУ СОШ #1 и МБОУ СОШ № 3.\n",
        "  - Провести проверку школ # до конца месяца\n",
        "  - Провести проверку школ района.\n    Подвести итоги проверки.\n",
    ];
    assert_eq!(quoted.len(), slips.len(), "{quoted:#?}");
    let dir = tempfile::tempdir().unwrap();
    for (line, slip) in quoted.iter().zip(slips) {
        let (_, err) = check(dir.path(), &format!("{base}{slip}"));
        assert!(
            err.contains(line),
            "README quotes «{line}», check says:\n{err}"
        );
    }
}
