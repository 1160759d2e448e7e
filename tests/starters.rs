//! The starters of `prikaz new` add exactly what was asked: for every kind
//! and every combination of `--with`, the act has the asked appendices in the
//! asked order and no other, each approved by exactly one point, and the act
//! passes `prikaz check --strict`, with and without a profile. And `prikaz new
//! профиль` writes a profile that `check` accepts for an act that names it.

mod common;
use common::*;

const APPENDICES: [&str; 5] = ["план", "положение", "список", "график", "состав"];

/// The `id`s of the act's appendices, and for each id the number of points
/// (at any depth) whose text refers to it.
fn appendices_and_references(yaml: &str) -> (Vec<String>, Vec<(String, usize)>) {
    let v: serde_json::Value =
        serde_saphyr::from_str(yaml).unwrap_or_else(|e| panic!("{e}\n{yaml}"));
    let ids: Vec<String> = v["приложения"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|x| x["id"].as_str().unwrap().to_string())
                .collect()
        })
        .unwrap_or_default();
    fn texts(v: &serde_json::Value, out: &mut Vec<String>) {
        for p in v.as_array().into_iter().flatten() {
            match p {
                serde_json::Value::String(s) => out.push(s.clone()),
                other => {
                    if let Some(s) = other["текст"].as_str() {
                        out.push(s.to_string());
                    }
                    texts(&other["пункты"], out);
                    texts(&other["подпункты"], out);
                }
            }
        }
    }
    let mut points = vec![];
    texts(&v["пункты"], &mut points);
    let refs = APPENDICES
        .iter()
        .map(|id| {
            let n = points
                .iter()
                .filter(|t| {
                    t.contains(&format!("{{приложение:{id}}}"))
                        || t.contains(&format!("{{приложении:{id}}}"))
                })
                .count();
            (id.to_string(), n)
        })
        .collect();
    (ids, refs)
}

#[test]
fn each_with_combination_gives_exactly_the_asked_appendices() {
    let dir = tempfile::tempdir().unwrap();
    copy_profiles(dir.path());
    let mut files = vec![];
    for kind in ["приказ", "распоряжение", "постановление"] {
        for mask in 0..(1 << APPENDICES.len()) {
            let asked: Vec<&str> = APPENDICES
                .iter()
                .enumerate()
                .filter(|(i, _)| mask & (1 << i) != 0)
                .map(|(_, a)| *a)
                .collect();
            for profile in [None, Some("профили/уо-оренбург.yaml")] {
                let mut args = vec!["new", kind];
                if !asked.is_empty() {
                    args.push("--with");
                }
                let with = asked.join(",");
                if !asked.is_empty() {
                    args.push(&with);
                }
                if let Some(p) = profile {
                    args.extend(["--profile", p]);
                }
                let (code, out, err) = cli(&args, dir.path());
                assert_eq!(code, 0, "{args:?}: {err}");
                let (ids, refs) = appendices_and_references(&out);
                assert_eq!(ids, asked, "{args:?}: the appendices\n{out}");
                for (id, n) in refs {
                    let want = usize::from(asked.contains(&id.as_str()));
                    assert_eq!(n, want, "{args:?}: points referring to «{id}»\n{out}");
                }
                // Every comment stays true: a comment names no point by the
                // number it has in the sample («у пункта 2»), which moves
                // when an approving point is added before it.
                for line in out.lines() {
                    let Some((_, comment)) = line.split_once(" # ") else {
                        continue;
                    };
                    assert!(
                        !comment.contains("у пункта ") || comment.contains("например"),
                        "{args:?}: a comment names a point's number: {line}"
                    );
                }
                let name = format!("{kind}-{mask}-{}.yaml", profile.is_some());
                std::fs::write(dir.path().join(&name), &out).unwrap();
                files.push(name);
            }
        }
    }
    let mut args = vec!["check", "--strict"];
    args.extend(files.iter().map(String::as_str));
    let (code, out, err) = cli(&args, dir.path());
    assert_eq!(code, 0, "{out}\n{err}");
    assert!(!err.contains("предупреждение"), "{err}");
    assert_eq!(
        err.matches("ошибок нет").count() + out.matches("ошибок нет").count(),
        files.len(),
        "{out}\n{err}"
    );
}

#[test]
fn new_profile_is_accepted_by_check() {
    let dir = tempfile::tempdir().unwrap();
    // With placeholders.
    let (code, _, err) = cli(&["new", "профиль", "-o", "профили/пример.yaml"], dir.path());
    assert_eq!(code, 0, "{err}");
    // With the organisation's own values, one needing quotes.
    let (code, _, err) = cli(
        &[
            "new",
            "профиль",
            "--организация",
            "Администрация Энского района",
            "--организация",
            "Отдел образования",
            "--в-родительном",
            "отдела образования администрации Энского района",
            "--должность",
            "Начальник отдела: образования",
            "--руководитель",
            "В.В. Кузнецова",
            "--исполнитель",
            "Орлова Мария Ивановна",
            "--телефон",
            "8 (3532) 11-22-33",
            "-o",
            "профили/оо.yaml",
        ],
        dir.path(),
    );
    assert_eq!(code, 0, "{err}");
    let profile = std::fs::read_to_string(dir.path().join("профили/оо.yaml")).unwrap();
    assert!(profile.contains("    - Отдел образования\n"), "{profile}");
    assert!(
        profile.contains("\"Начальник отдела: образования\""),
        "{profile}"
    );
    assert!(profile.starts_with("# yaml-language-server"), "{profile}");
    for p in ["пример", "оо"] {
        std::fs::create_dir_all(dir.path().join("2026")).unwrap();
        let (code, _, err) = cli(
            &[
                "new",
                "приказ",
                "--with",
                "план",
                "--profile",
                &format!("профили/{p}.yaml"),
                "-o",
                &format!("{p}.yaml"),
            ],
            dir.path(),
        );
        assert_eq!(code, 0, "{err}");
        let (code, out, err) = cli(&["check", "--strict", &format!("{p}.yaml")], dir.path());
        assert_eq!(code, 0, "{p}: {out}{err}");
        let act = std::fs::read_to_string(dir.path().join(format!("{p}.yaml"))).unwrap();
        assert!(act.contains("подписант: руководитель"), "{act}");
    }
    let pdf = {
        let (code, _, err) = cli(&["render", "оо.yaml", "-o", "out"], dir.path());
        assert_eq!(code, 0, "{err}");
        std::fs::read_dir(dir.path().join("out"))
            .unwrap()
            .flatten()
            .next()
            .unwrap()
            .path()
    };
    let words = pdf_text(&std::fs::read(pdf).unwrap())
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase();
    for w in [
        "администрация энского района отдел образования",
        "начальник отдела: образования",
        "в.в. кузнецова",
        "орлова мария ивановна 8 (3532) 11-22-33",
        "приказом отдела образования администрации энского района",
    ] {
        assert!(words.contains(w), "{w}: {words}");
    }
    // Flags of a profile on an act, and a profile with nothing in a field.
    let (code, _, err) = cli(&["new", "приказ", "--руководитель", "А.А. Б"], dir.path());
    assert_eq!(code, 2);
    assert!(err.contains("для профиля"), "{err}");
    let (code, _, err) = cli(&["new", "профиль", "--телефон", " "], dir.path());
    assert_eq!(code, 2);
    assert!(err.contains("не хватает: телефон исполнителя"), "{err}");
    // An existing profile stays.
    let (code, _, err) = cli(&["new", "профиль", "-o", "профили/оо.yaml"], dir.path());
    assert_eq!(code, 1, "{err}");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("профили/оо.yaml")).unwrap(),
        profile
    );
}

/// The profile's commented second-language lines and the place, uncommented
/// as they stand, make every act of the organisation a two-language blank
/// with the place in both columns (`--strict`: no P507).
#[test]
fn the_profiles_second_language_lines_work_uncommented() {
    let dir = tempfile::tempdir().unwrap();
    let (code, _, err) = cli(&["new", "профиль", "-o", "профили/р.yaml"], dir.path());
    assert_eq!(code, 0, "{err}");
    let path = dir.path().join("профили/р.yaml");
    let profile = std::fs::read_to_string(&path).unwrap();
    let mut uncommented = 0;
    let profile: String = profile
        .lines()
        .map(|l| {
            let bare = l.strip_prefix('#').unwrap_or(l);
            if l.starts_with("#  второй_язык:")
                || (uncommented > 0 && uncommented < 4 && l.starts_with("#    "))
                || l.starts_with("#место:")
            {
                uncommented += 1;
                format!("{bare}\n")
            } else {
                format!("{l}\n")
            }
        })
        .collect();
    assert_eq!(uncommented, 5, "{profile}");
    std::fs::write(&path, profile).unwrap();
    let (code, _, err) = cli(
        &[
            "new",
            "приказ",
            "--profile",
            "профили/р.yaml",
            "-o",
            "а.yaml",
        ],
        dir.path(),
    );
    assert_eq!(code, 0, "{err}");
    let (code, out, err) = cli(&["render", "а.yaml", "--strict", "-o", "out"], dir.path());
    assert_eq!(code, 0, "{out}{err}");
    let pdf = std::fs::read_dir(dir.path().join("out"))
        .unwrap()
        .flatten()
        .next()
        .unwrap()
        .path();
    let text = pdf_text(&std::fs::read(pdf).unwrap());
    for w in ["ЧĂВАШ", "ХУШУ", "Шупашкар", "Чебоксары"] {
        assert!(text.contains(w), "«{w}» is not printed: {text}");
    }
}
