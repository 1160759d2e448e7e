//! The family of acts: forms other organisations use (issue «семья актов»).

mod common;
use common::{cli, pdf_text, require};

/// «(приложения № 1, № 2 и № 3)»: one reference to several appendices,
/// written with commas; each id is checked, and a wrong one is named.
#[test]
fn one_reference_names_several_appendices() {
    require("pdftotext", "poppler-utils");
    let dir = tempfile::tempdir().unwrap();
    let appendix = |id: &str, title: &str| {
        format!(
            "  - id: {id}\n    вид: План\n    утверждается: да\n    заголовок: {title}\n    содержание:\n      - Текст.\n"
        )
    };
    let act = |points: &str| {
        format!(
            "вид: приказ\nорган: Управление образования\nдата: 01.02.2024\nномер: 7\nзаголовок: О планах\nпункты:\n{points}контроль: оставляю\nподписант:\n  должность: Начальник управления\n  имя: И.И. Иванов\nприложения:\n{}{}{}",
            appendix("план", "План работы"),
            appendix("смета", "Смета расходов"),
            appendix("список", "Список школ"),
        )
    };
    let yaml = act(
        "  - id: первый\n    текст: Утвердить планы (приложения:план,смета,список).\n  - Исполнить {приложения:план,смета} в срок.\n  - Контроль по {пунктам:первый,второй}.\n  - id: второй\n    текст: Отчитаться.\n",
    )
    .replace("(приложения:план,смета,список)", "({приложения:план,смета,список})");
    std::fs::write(dir.path().join("a.yaml"), &yaml).unwrap();
    let (code, _, err) = cli(
        &["render", "a.yaml", "-o", "out", "--format", "pdf,docx"],
        dir.path(),
    );
    assert_eq!(code, 0, "{err}");
    let pdf = std::fs::read_dir(dir.path().join("out"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "pdf"))
        .unwrap();
    let text = pdf_text(&std::fs::read(&pdf).unwrap()).replace('\u{a0}', " ");
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for want in [
        "Утвердить планы (приложения № 1, № 2 и № 3).",
        "Исполнить приложения № 1 и № 2 в срок.",
        "Контроль по пунктам 1 и 4.",
    ] {
        assert!(text.contains(want), "«{want}» not in:\n{text}");
    }
    let docx = std::fs::read(pdf.with_extension("docx")).unwrap();
    let docx = common::docx_text(&docx).replace('\u{a0}', " ");
    assert!(
        docx.contains("Утвердить планы (приложения № 1, № 2 и № 3)."),
        "{docx}"
    );

    // A wrong id among them is named; one without braces is caught whole.
    let bad = yaml.replace("{приложения:план,смета}", "{приложения:план,сметы}");
    std::fs::write(dir.path().join("a.yaml"), &bad).unwrap();
    let (code, _, err) = cli(&["check", "a.yaml"], dir.path());
    assert_eq!(code, 1);
    assert!(
        err.contains("ссылка на несуществующее приложение «сметы»"),
        "{err}"
    );
    assert!(err.contains("возможно, вы имели в виду «смета»"), "{err}");
    let bare = yaml.replace("{приложения:план,смета}", "приложения:план,смета");
    std::fs::write(dir.path().join("a.yaml"), &bare).unwrap();
    let (code, _, err) = cli(&["check", "a.yaml"], dir.path());
    assert_eq!(code, 1);
    assert!(
        err.contains("напишите ссылку так: {приложения:план,смета}"),
        "{err}"
    );
}
