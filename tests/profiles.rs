//! Organisation profiles: an act names its profile and holds only what is new;
//! the act's fields win; problems in the profile are reported at its own lines.

mod common;
use common::*;
use std::path::Path;

const PROFILE: &str = "# Профиль управления
орган:
  наименование:
    - Управление образования
    - администрации города Н-ска
  в_родительном: управления образования администрации города Н-ска
подписанты:
  начальник:
    должность: Начальник управления
    имя: А.Б. Соколова
  ио:
    должность: И.о. начальника управления
    имя: В.Г. Петров
исполнитель:
  имя: Андреева Марина Олеговна
  телефон: 11-22-33
";

const ACT: &str = "профиль: уо.yaml
вид: приказ
дата: 01.02.2024
номер: 7
заголовок: О проверке
пункты:
  - Провести проверку.
подписант: ио
исполнитель:
  телефон: 44-55-66
";

fn folder(profile_at: &str, profile: &str, act: &str) -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    let p = d.path().join(profile_at);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, profile).unwrap();
    std::fs::write(d.path().join("акт.yaml"), act).unwrap();
    d
}

fn pdf_of(dir: &Path) -> String {
    let (code, _, err) = cli(&["render", "акт.yaml", "-o", "out"], dir);
    assert_eq!(code, 0, "{err}");
    let pdf = std::fs::read(dir.join("out/Приказ_7_2024-02-01.pdf")).unwrap();
    pdf_text(&pdf)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The profile fills in what the act leaves out; the act's own fields win,
/// field by field; the profile is found beside the act or in «профили».
#[test]
fn the_profile_fills_the_act_and_the_act_wins() {
    for at in ["уо.yaml", "профили/уо.yaml"] {
        let d = folder(at, PROFILE, ACT);
        let text = pdf_of(d.path());
        assert!(text.contains("АДМИНИСТРАЦИИ ГОРОДА Н-СКА"), "{at}: {text}");
        // The acting head was picked by name.
        assert!(
            text.contains("В.Г. Петров") && !text.contains("Соколова"),
            "{at}: {text}"
        );
        assert!(text.contains("И.о. начальника управления"), "{at}");
        // Executor: the profile's name with the act's own phone.
        assert!(text.contains("Андреева Марина Олеговна"), "{at}");
        assert!(
            text.contains("44-55-66") && !text.contains("11-22-33"),
            "{at}: {text}"
        );
    }
    // The act's whole field replaces a scalar of the profile's.
    let act = ACT.replace(
        "подписант: ио",
        "подписант:\n  должность: Заместитель начальника\n  имя: Д.Е. Иванова",
    );
    let d = folder("уо.yaml", PROFILE, &act);
    let text = pdf_of(d.path());
    assert!(
        text.contains("Д.Е. Иванова") && text.contains("Заместитель начальника"),
        "{text}"
    );
}

/// A wrong value in the profile is reported at the profile's line and column,
/// with the profile's own line quoted.
#[test]
fn a_problem_in_the_profile_points_into_the_profile() {
    let bad = PROFILE.replace("телефон: 11-22-33", "телефон: 11-22-33\n  отдел: кадры");
    let d = folder("профили/уо.yaml", &bad, ACT);
    let (code, _, err) = cli(&["check", "акт.yaml"], d.path());
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("неизвестное поле «отдел»"), "{err}");
    let line = bad.lines().position(|l| l.contains("отдел")).unwrap() + 1;
    assert!(
        err.contains(&format!("профили/уо.yaml:{line}:3")),
        "the place is in the profile: {err}"
    );
    assert!(
        err.contains("отдел: кадры"),
        "the profile's line is quoted: {err}"
    );
    assert!(!err.contains("--> акт.yaml"), "{err}");

    // A bare number where a position goes (a slip the act reader refuses too).
    let bad = PROFILE.replace("должность: Начальник управления", "должность: 5");
    let d = folder(
        "уо.yaml",
        &bad,
        &ACT.replace("подписант: ио", "подписант: начальник"),
    );
    let (code, _, err) = cli(&["check", "акт.yaml"], d.path());
    assert_eq!(code, 1, "{err}");
    let line = bad
        .lines()
        .position(|l| l.contains("должность: 5"))
        .unwrap()
        + 1;
    assert!(
        err.contains("E004") && err.contains(&format!("уо.yaml:{line}:")),
        "{err}"
    );
}

/// What a profile cannot hold, and what an act cannot ask of it, is said in
/// Russian at the right place.
#[test]
fn wrong_profiles_are_refused_with_the_reason() {
    // An act's own field in a profile.
    let d = folder("уо.yaml", &format!("{PROFILE}пункты: [Провести.]\n"), ACT);
    let (code, _, err) = cli(&["check", "акт.yaml"], d.path());
    assert_eq!(code, 1);
    assert!(
        err.contains("E053") && err.contains("«пункты» — поле самого акта"),
        "{err}"
    );
    // A misspelt field, with the right one suggested.
    let d = folder(
        "уо.yaml",
        &PROFILE.replace("исполнитель:", "исполнител:"),
        ACT,
    );
    let (_, _, err) = cli(&["check", "акт.yaml"], d.path());
    assert!(
        err.contains("возможно, вы имели в виду «исполнитель»"),
        "{err}"
    );
    // A signatory the profile does not have: the act's line, and the names.
    let d = folder(
        "уо.yaml",
        PROFILE,
        &ACT.replace("подписант: ио", "подписант: врио"),
    );
    let (code, _, err) = cli(&["check", "акт.yaml"], d.path());
    assert_eq!(code, 1);
    assert!(err.contains("в профиле нет подписанта «врио»"), "{err}");
    assert!(
        err.contains("акт.yaml:8:") && err.contains("начальник, ио"),
        "{err}"
    );
    // No such profile.
    let d = folder("уо.yaml", PROFILE, &ACT.replace("уо.yaml", "гороно.yaml"));
    let (code, _, err) = cli(&["check", "акт.yaml"], d.path());
    assert_eq!(code, 1);
    assert!(
        err.contains("E053") && err.contains("гороно.yaml") && err.contains("акт.yaml:1:"),
        "{err}"
    );
    // A profile outside the act's folder is not read.
    let d = folder("уо.yaml", PROFILE, &ACT.replace("уо.yaml", "../уо.yaml"));
    let (code, _, err) = cli(&["check", "акт.yaml"], d.path());
    assert_eq!(code, 1);
    assert!(err.contains("за пределы папки акта"), "{err}");
}

/// Every example names its organisation's profile and leaves the authority to it.
#[test]
fn the_examples_use_profiles() {
    for (act, profile) in [
        ("data/orenburg-596.yaml", "data/профили/уо-оренбург.yaml"),
        ("data/ochyor-60.yaml", "data/профили/уо-очёр.yaml"),
        (
            "data/batch/plan-base.yaml",
            "data/batch/профили/районы.yaml",
        ),
    ] {
        let text = std::fs::read_to_string(root().join(act)).unwrap();
        let name = profile.rsplit('/').next().unwrap();
        assert!(text.contains(&format!("профиль: {name}")), "{act}");
        assert!(root().join(profile).is_file(), "{profile}");
        assert!(
            !text.contains("\nорган:"),
            "{act} repeats its profile's authority"
        );
    }
}

/// `prikaz check` of a profile checks it as a profile: its slips at its
/// own lines (a repeated field, an unknown one, a wrong value, a named
/// signatory without a name, a two-language header without the second
/// language), not «нет поля «вид»» as if it were an act; a good profile has
/// no errors, and an act beside it is still checked as an act.
#[test]
fn check_of_a_profile_checks_it_as_a_profile() {
    let dir = tempfile::tempdir().unwrap();
    let (code, _, err) = cli(&["new", "профиль", "-o", "профили/уо.yaml"], dir.path());
    assert_eq!(code, 0, "{err}");
    let (code, out, err) = cli(&["check", "--strict", "профили/уо.yaml"], dir.path());
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        err.contains("профили/уо.yaml (профиль): ошибок нет"),
        "{err}"
    );
    // Files are made from an act, not from its profile.
    let (code, _, err) = cli(&["render", "профили/уо.yaml", "-o", "out"], dir.path());
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("профили/уо.yaml:") && err.contains("это профиль организации, а не акт"),
        "{err}"
    );
    assert!(!dir.path().join("out").exists());
    // An act begun with its organisation and signatory only is an act that
    // lacks its kind.
    std::fs::write(
        dir.path().join("начато.yaml"),
        "орган: [Школа]\nподписант: {должность: [Директор], имя: А.Б. Иванова}\n",
    )
    .unwrap();
    let (code, _, err) = cli(&["check", "начато.yaml"], dir.path());
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("нет обязательного поля «вид»"), "{err}");
    // The same profile beside the act, not in «профили»: still a profile.
    std::fs::write(dir.path().join("уо.yaml"), PROFILE).unwrap();
    let (code, _, err) = cli(&["check", "уо.yaml"], dir.path());
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("уо.yaml (профиль): ошибок нет"), "{err}");
    let slips = PROFILE
        .replace("    имя: В.Г. Петров\n", "")
        .replace(
            "  в_родительном:",
            "  второй_язык_: х\n  в_родительном:",
        )
        .replace(
            "исполнитель:\n",
            "оформление:\n  шапка: двуязычная\n  дата: прописью\nисполнитель:\n  имя: Андреева Марина Олеговна\n",
        );
    std::fs::write(dir.path().join("плохой.yaml"), &slips).unwrap();
    let line = |s: &str| slips.lines().position(|l| l.contains(s)).unwrap() + 1;
    let lines: Vec<&str> = slips.lines().collect();
    let repeated = lines
        .iter()
        .rposition(|l| l.contains("имя: Андреева"))
        .unwrap()
        + 1;
    let (code, _, err) = cli(&["check", "плохой.yaml"], dir.path());
    assert_eq!(code, 1, "{err}");
    for (what, at) in [
        ("неизвестное поле «второй_язык_»", line("второй_язык_")),
        ("нет обязательного поля «имя»", line("  ио:") + 1),
        ("неизвестное значение «прописью»", line("прописью")),
        ("для двуязычной шапки нужны строки", line("шапка")),
        ("поле «имя» повторяется", repeated),
    ] {
        assert!(
            err.lines()
                .any(|l| l.contains(&format!("плохой.yaml:{at}:"))),
            "{what} not at line {at}: {err}"
        );
        assert!(err.contains(what), "{what}: {err}");
    }
    assert!(!err.contains("«вид»"), "checked as an act: {err}");
    assert!(!err.contains("образец акта"), "{err}");
    // A starter with that profile is not written; the reason is at its line.
    let (code, _, err) = cli(
        &[
            "new",
            "приказ",
            "--profile",
            "плохой.yaml",
            "-o",
            "новый.yaml",
        ],
        dir.path(),
    );
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains(&format!("плохой.yaml:{repeated}:"))
            && err.contains("prikaz check плохой.yaml"),
        "{err}"
    );
    assert!(!dir.path().join("новый.yaml").exists());
    assert!(!err.contains("./плохой.yaml"), "named as typed: {err}");
    // An act is still an act.
    std::fs::write(dir.path().join("акт.yaml"), ACT).unwrap();
    let (code, _, err) = cli(&["check", "акт.yaml"], dir.path());
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("акт.yaml: ошибок нет"), "{err}");
}
