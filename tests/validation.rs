//! Bad input: a Russian message naming the place, exit code 1, no panic, no output.

mod common;
use common::*;
use std::path::Path;

struct Case {
    name: &'static str,
    content: Vec<u8>,
    /// Text the message must contain (Russian).
    expect: &'static [&'static str],
    /// Expected `file:line:col` (line, col), or None when the place is the file.
    at: Option<(u32, u32)>,
}

fn case(
    name: &'static str,
    content: impl Into<Vec<u8>>,
    expect: &'static [&'static str],
    at: Option<(u32, u32)>,
) -> Case {
    Case {
        name,
        content: content.into(),
        expect,
        at,
    }
}

fn with(from: &str, to: &str) -> String {
    assert!(MINIMAL.contains(from), "{from}");
    MINIMAL.replacen(from, to, 1)
}

fn cases() -> Vec<Case> {
    let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
    for (i, c) in "bcdefghij".chars().enumerate() {
        let p = if i == 0 {
            'a'
        } else {
            "bcdefghij".chars().nth(i - 1).unwrap()
        };
        bomb.push_str(&format!(
            "{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
        ));
    }
    let huge = format!(
        "{}заголовок_длинный: '{}'\n",
        MINIMAL,
        "ж".repeat(5 * 1024 * 1024)
    );
    let deep = "вид: приказ\nорган: А\nдата: 01.02.2024\nномер: 1\nзаголовок: О б\nпункты:\n  - текст: a\n    пункты:\n      - текст: b\n        пункты:\n          - текст: c\n            пункты:\n              - текст: d\n                пункты:\n                  - e\nподписант: {должность: Н, имя: И.И. Иванов}\n";
    vec![
        case(
            "syntax",
            with("номер: 7", "номер: [7"),
            &["скобк", "не закрыта скобка «[» из строки 4"],
            Some((5, 10)),
        ),
        case(
            "wrong-type",
            with("номер: 7", "номер: {a: 1}"),
            &["ожидалось: строка текста", "набор полей"],
            Some((4, 8)),
        ),
        case(
            "unknown-key",
            with("подписант:", "подписан:"),
            &[
                "неизвестное поле «подписан»",
                "возможно, вы имели в виду «подписант»",
            ],
            Some((8, 1)),
        ),
        case(
            "impossible-date",
            with("дата: 01.02.2024", "дата: 31.11.2023"),
            &["такой даты нет", "30 дней"],
            Some((3, 7)),
        ),
        case(
            "bad-date",
            with("дата: 01.02.2024", "дата: вчера"),
            &["не дата", "ДД.ММ.ГГГГ"],
            Some((3, 7)),
        ),
        case(
            "missing-field",
            MINIMAL.split("подписант:").next().unwrap().to_string(),
            &["нет обязательного поля «подписант»"],
            Some((1, 1)),
        ),
        case(
            "empty-title",
            with("заголовок: О проверке", "заголовок: ''"),
            &["пустой текст"],
            Some((5, 12)),
        ),
        case(
            "broken-ref",
            with("Провести проверку.", "Провести по {приложению:план}."),
            &["несуществующее приложение «план»"],
            Some((7, 17)),
        ),
        // The control clause is text too: its references are checked like the points'.
        case(
            "broken-ref-control",
            format!(
                "{MINIMAL}контроль: {{текст: \"Контроль по {{пункту:нет}} оставляю за собой.\"}}\n"
            ),
            &["несуществующий пункт «нет»"],
            Some((11, 32)),
        ),
        case(
            "unknown-kind",
            with("вид: приказ", "вид: приказз"),
            &["неизвестное значение «приказз»", "«приказ»"],
            Some((1, 6)),
        ),
        case("empty-file", "", &["файл пуст"], Some((1, 1))),
        case(
            "binary-junk",
            vec![0xff, 0xfe, 0x00, 0x13, 0x88, 0xc3, 0x28, 0xa0],
            &["не в кодировке UTF-8"],
            Some((1, 1)),
        ),
        case(
            "nul-byte",
            format!("{MINIMAL}\0"),
            &["нулевой байт"],
            Some((11, 1)),
        ),
        case("alias-bomb", bomb, &["слишком велик", "якор"], None),
        case("huge-string", huge, &["слишком велик"], None),
        case(
            "tab-indent",
            with("  - Провести проверку.", "\t- Провести проверку."),
            &["табуляци"],
            None,
        ),
        case(
            "duplicate-key",
            format!("{MINIMAL}номер: 8\n"),
            &["поле «номер» повторяется", "строке 4"],
            Some((11, 1)),
        ),
        case(
            "duplicate-appendix-id",
            format!(
                "{MINIMAL}приложения:\n  - {{id: a, заголовок: X}}\n  - {{id: a, заголовок: Y}}\n"
            ),
            &["id приложения «a» уже занят"],
            Some((13, 10)),
        ),
        case(
            "too-deep",
            deep,
            &["5-го уровня", "не больше 4"],
            Some((15, 21)),
        ),
        case(
            "emblem-outside",
            with(
                "орган: Управление образования",
                "орган: {наименование: [У], герб: ../../etc/passwd.png}",
            ),
            &["за пределы папки"],
            Some((2, 34)),
        ),
        case(
            "bad-bool",
            format!("{MINIMAL}приложения:\n  - {{утверждается: может}}\n"),
            &["«да» или «нет»"],
            Some((12, 20)),
        ),
        case(
            "top-level-list",
            "- вид: приказ\n",
            &["ожидался набор полей (акт)"],
            Some((1, 1)),
        ),
        // A bare number where words are meant is surely a slip, not a text.
        case(
            "number-as-recipients",
            format!("{MINIMAL}рассылка: {{адресаты: 3}}\n"),
            &["ожидался текст, а найдено число: 3", "в кавычки"],
            Some((11, 22)),
        ),
        case(
            "number-as-points",
            with("пункты:\n  - Провести проверку.", "пункты: 3"),
            &["ожидался текст, а найдено число: 3"],
            Some((6, 9)),
        ),
        case(
            "number-as-position",
            with("должность: Начальник управления", "должность: 5"),
            &["ожидался текст, а найдено число: 5", "подписант.должность"],
            Some((9, 14)),
        ),
        case(
            "number-in-a-list-of-recipients",
            format!("{MINIMAL}рассылка: [школы, 12]\n"),
            &["ожидался текст, а найдено число: 12", "рассылка[2]"],
            Some((11, 19)),
        ),
        // Nothing dropped without a word: a cell that lands in no column.
        case(
            "row-key-names-no-column",
            format!(
                "{MINIMAL}приложения:\n  - содержание:\n      - таблица:\n          колонки: [\"№\", {{заголовок: Мероприятие, ключ: мероприятие}}]\n          строки:\n            - {{мероприятя: Совещание}}\n"
            ),
            &["в таблице нет колонки «мероприятя»", "«мероприятие»"],
            Some((16, 28)),
        ),
        case(
            "more-cells-than-columns",
            format!(
                "{MINIMAL}приложения:\n  - содержание:\n      - таблица:\n          колонки: [Мероприятие, Срок]\n          строки:\n            - [Совещание, май, лишнее]\n"
            ),
            &["больше ячеек, чем колонок для текста (2)"],
            Some((16, 32)),
        ),
        case(
            "table-without-columns",
            format!(
                "{MINIMAL}приложения:\n  - содержание:\n      - таблица:\n          колонки: []\n          строки: [[x]]\n"
            ),
            &["в таблице нет ни одной колонки"],
            Some((14, 11)),
        ),
        // «01.01.-999» printed as «01.01.-0999» before.
        case(
            "negative-year",
            with("дата: 01.02.2024", "дата: 01.01.-999"),
            &["не дата", "ДД.ММ.ГГГГ"],
            Some((3, 7)),
        ),
        case(
            "signed-iso-date",
            with("дата: 01.02.2024", "дата: \"+202-01-01\""),
            &["не дата"],
            Some((3, 7)),
        ),
        case(
            "bad-control",
            format!("{MINIMAL}контроль: себе\n"),
            &["неизвестное значение контроля", "оставляю"],
            Some((11, 11)),
        ),
    ]
}

fn check(c: &Case, dir: &Path) {
    let file = format!("{}.yaml", c.name);
    std::fs::write(dir.join(&file), &c.content).unwrap();
    let out = dir.join(format!("out-{}", c.name));
    let (code, _o, err) = cli(
        &[
            "render",
            &file,
            "-o",
            out.to_str().unwrap(),
            "--format",
            "pdf",
        ],
        dir,
    );
    assert_eq!(code, 1, "{}: exit code {code}, stderr:\n{err}", c.name);
    assert!(!err.contains("panicked"), "{}: panic:\n{err}", c.name);
    assert!(
        err.contains("ошибка["),
        "{}: no Russian error:\n{err}",
        c.name
    );
    for e in c.expect {
        assert!(err.contains(e), "{}: message lacks «{e}»:\n{err}", c.name);
    }
    match c.at {
        Some((l, col)) => assert!(
            err.contains(&format!("{file}:{l}:{col}")),
            "{}: place {file}:{l}:{col} not named:\n{err}",
            c.name
        ),
        None => assert!(err.contains(&file), "{}: file not named:\n{err}", c.name),
    }
    let written = std::fs::read_dir(&out).map(|d| d.count()).unwrap_or(0);
    assert_eq!(written, 0, "{}: output written for invalid input", c.name);
}

#[test]
fn malformed_inputs_get_russian_messages_with_places() {
    let dir = tempfile::tempdir().unwrap();
    let all = cases();
    assert!(all.len() >= 15);
    for c in &all {
        check(c, dir.path());
    }
}

#[test]
fn all_problems_are_reported_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let yaml = with("дата: 01.02.2024", "дата: 30.02.2024")
        .replace("номер: 7", "номерр: 7")
        .replace("подписант:", "подписант:\n  стаж: 5");
    std::fs::write(dir.path().join("many.yaml"), yaml).unwrap();
    let (code, _, err) = cli(&["check", "many.yaml"], dir.path());
    assert_eq!(code, 1);
    for want in [
        "many.yaml:3:7",
        "many.yaml:4:1",
        "many.yaml:9:3",
        "нет обязательного поля «номер»",
        "неизвестное поле «стаж»",
    ] {
        assert!(err.contains(want), "«{want}» missing:\n{err}");
    }
    assert!(err.matches("ошибка[").count() >= 4, "{err}");
}

#[test]
fn alias_bomb_is_refused_quickly() {
    let dir = tempfile::tempdir().unwrap();
    let c = cases()
        .into_iter()
        .find(|c| c.name == "alias-bomb")
        .unwrap();
    std::fs::write(dir.path().join("b.yaml"), &c.content).unwrap();
    let t = std::time::Instant::now();
    let (code, _, _) = cli(&["check", "b.yaml"], dir.path());
    assert_eq!(code, 1);
    // Generous bound against a hang, not a benchmark: expansion is refused at 200 000 nodes.
    assert!(t.elapsed().as_secs() < 10);
}

/// A number in quotes is the clerk saying «this really is the text»: accepted.
#[test]
fn a_quoted_number_is_text() {
    let dir = tempfile::tempdir().unwrap();
    let yaml = MINIMAL.replace("должность: Начальник управления", "должность: \"5\"")
        + "рассылка: {адресаты: [\"12\"]}\n";
    std::fs::write(dir.path().join("a.yaml"), yaml).unwrap();
    let (code, _, err) = cli(&["check", "a.yaml"], dir.path());
    assert_eq!(code, 0, "{err}");
}
