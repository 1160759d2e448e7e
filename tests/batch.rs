//! Batch production: one base, many districts, in parallel; bad variants never stop good ones.

mod common;
use common::*;

/// Folder word, genitive in the text, number, coordinator (accusative).
const DISTRICTS: [(&str, &str, &str, &str); 6] = [
    (
        "Ленинский",
        "Ленинского района",
        "612",
        "Андрееву Марину Олеговну",
    ),
    (
        "Дзержинский",
        "Дзержинского района",
        "615",
        "Белову Ольгу Игоревну",
    ),
    (
        "Промышленный",
        "Промышленного района",
        "618",
        "Васильева Дениса Андреевича",
    ),
    (
        "Центральный",
        "Центрального района",
        "620",
        "Григорьеву Анну Павловну",
    ),
    (
        "Бердянский",
        "Бердянского сельсовета",
        "47",
        "Дмитриеву Елену Сергеевну",
    ),
    (
        "Северный",
        "Северного округа",
        "631",
        "Егорова Игоря Викторовича",
    ),
];

fn district_pdfs(out: &std::path::Path) -> Vec<(String, String)> {
    let mut dirs: Vec<_> = std::fs::read_dir(out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs.iter()
        .map(|d| {
            let pdf = std::fs::read_dir(d)
                .unwrap()
                .map(|e| e.unwrap().path())
                .find(|p| p.extension().is_some_and(|e| e == "pdf"))
                .expect("a PDF");
            (
                d.file_name().unwrap().to_string_lossy().into_owned(),
                squash(&pdf_text(&std::fs::read(pdf).unwrap())),
            )
        })
        .collect()
}

fn squash(s: &str) -> String {
    words(s).join(" ")
}

#[test]
fn each_district_gets_its_own_values_and_no_other() {
    let out = tempfile::tempdir().unwrap();
    let (code, _, err) = cli(
        &[
            "batch",
            "data/batch/plan-base.yaml",
            "data/batch/districts.yaml",
            "-o",
            out.path().to_str().unwrap(),
            "--merge",
        ],
        &root(),
    );
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("вариантов: 6, успешно: 6"), "{err}");
    let pdfs = district_pdfs(out.path());
    assert_eq!(pdfs.len(), 6);
    for (i, (dir, text)) in pdfs.iter().enumerate() {
        let (mine, genitive, num, coord) = DISTRICTS[i];
        assert!(dir.contains(mine), "{dir}");
        assert!(
            text.contains(&format!("АДМИНИСТРАЦИИ {}", genitive.to_uppercase())),
            "{dir}: authority"
        );
        assert!(text.contains(genitive), "{dir}: plan title");
        assert!(
            text.contains(&format!("№ {num} ")) || text.contains(&format!(" {num} Об")),
            "{dir}: number {num}"
        );
        assert!(text.contains(coord), "{dir}: coordinator");
        for (j, (_, other, _, other_coord)) in DISTRICTS.iter().enumerate() {
            if j != i {
                assert!(
                    !text.contains(other)
                        && !text.contains(&other.to_uppercase())
                        && !text.contains(other_coord),
                    "{dir} mentions {other}"
                );
            }
        }
    }
    // The merged PDF holds every variant, in order.
    let merged = squash(&pdf_text(
        &std::fs::read(out.path().join("plan-base_все_варианты.pdf")).unwrap(),
    ));
    let mut at = 0;
    for (_, _, _, coord) in DISTRICTS {
        let p = merged[at..]
            .find(coord)
            .unwrap_or_else(|| panic!("{coord} not in merged PDF after {at}"));
        at += p;
    }
}

#[test]
fn a_bad_variant_is_reported_and_the_good_ones_are_written() {
    let dir = tempfile::tempdir().unwrap();
    let good = std::fs::read_to_string(root().join("data/batch/districts.yaml")).unwrap();
    // Variant 7 lacks «номер»; variant 8 has an impossible date.
    let bad = format!(
        "{good}\n- имя: Без номера\n  район: {{родительный: района без номера}}\n  дата: 01.10.2023\n  руководитель: {{должность: Начальник, имя: А.А. Петров}}\n  координатор: {{винительный: Иванову, дательный: Ивановой, кратко: Иванова}}\n  школы: [Школа]\n  исполнитель: {{имя: Иванова, телефон: '1'}}\n  свои_строки: []\n\n- имя: Плохая дата\n  район: {{родительный: района}}\n  номер: 9\n  дата: 31.11.2023\n  руководитель: {{должность: Начальник, имя: А.А. Петров}}\n  координатор: {{винительный: Иванову, дательный: Ивановой, кратко: Иванова}}\n  школы: [Школа]\n  исполнитель: {{имя: Иванова, телефон: '1'}}\n  свои_строки: []\n"
    );
    std::fs::write(dir.path().join("v.yaml"), bad).unwrap();
    std::fs::copy(
        root().join("data/batch/plan-base.yaml"),
        dir.path().join("base.yaml"),
    )
    .unwrap();
    let (code, json, err) = cli(
        &["batch", "base.yaml", "v.yaml", "-o", "out", "--json"],
        dir.path(),
    );
    assert_eq!(code, 1, "{err}");
    let v: serde_json::Value = serde_json::from_str(&json).expect("JSON summary");
    assert_eq!(v["failed"], 2);
    let vars = v["variants"].as_array().unwrap();
    assert_eq!(vars.len(), 8);
    for good in &vars[..6] {
        assert_eq!(good["errors"].as_array().unwrap().len(), 0);
        assert_eq!(good["files"].as_array().unwrap().len(), 1);
    }
    let e7 = vars[6]["errors"].to_string();
    assert!(
        e7.contains("Без номера") && e7.contains("нет значения") && e7.contains("номер"),
        "{e7}"
    );
    assert!(
        vars[6]["errors"][0]["pos"]["line"].as_u64().is_some(),
        "the place in the base is named"
    );
    assert!(
        vars[7]["errors"].to_string().contains("такой даты нет"),
        "{}",
        vars[7]
    );
    // Nothing is left in the bad variants' folders.
    for name in ["07-Без_номера", "08-Плохая_дата"] {
        let n = std::fs::read_dir(dir.path().join("out").join(name))
            .map(|d| d.count())
            .unwrap_or(0);
        assert_eq!(n, 0, "{name}");
    }
}

#[test]
fn csv_variants_and_values_inserted_as_text() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("base.yaml"),
        "вид: приказ\nорган: [\"Управление образования {{ район }}\"]\nдата: \"{{ дата }}\"\nномер: \"{{ номер }}\"\nзаголовок: О плане\n\
         пункты: [\"Назначить ответственным {{ ответственный.имя }}.\"]\nподписант: {должность: Начальник, имя: \"{{ ответственный.имя }}\"}\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("v.csv"),
        "имя;район;дата;номер;ответственный.имя\nПервый;района № 1;01.02.2024;1;И.И. Иванов\nВторой;\"района: {{ район }} # *x*\";02.02.2024;2;П.П. Петров\n",
    )
    .unwrap();
    let (code, _, err) = cli(
        &["batch", "base.yaml", "v.csv", "-o", "o", "-j", "1"],
        dir.path(),
    );
    assert_eq!(code, 0, "{err}");
    let pdfs = district_pdfs(&dir.path().join("o"));
    assert_eq!(pdfs.len(), 2);
    assert!(pdfs[0].1.contains("Иванов"));
    // The value is printed as typed: not evaluated again, not YAML, not markup.
    assert!(
        pdfs[1].1.contains("РАЙОНА: {{ РАЙОН }} # *X*"),
        "{}",
        pdfs[1].1
    );
}

/// A value is text, never a reference: `{приложении:план}` in a district's
/// value prints as typed (not resolved against the base act), and
/// `{пункта:x}` is no error pointing into the base file — in a plain value and
/// in a list inserted whole. The base's own references still resolve.
#[test]
fn values_are_never_read_as_references() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("base.yaml"),
        "вид: приказ\nорган: [Управление образования]\nдата: 01.02.2024\nномер: \"{{ номер }}\"\nзаголовок: О плане\n\
         пункты:\n  - \"Утвердить план ({приложение:план}). {{ примечание }}\"\n  - текст: \"Школам:\"\n    список: \"{{ школы }}\"\n\
         подписант: {должность: Начальник, имя: И.И. Иванов}\n\
         приложения:\n  - id: план\n    вид: План\n    утверждается: да\n    содержание: [Текст плана.]\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("v.yaml"),
        "- имя: Первый\n  номер: \"1\"\n  примечание: \"См. {приложении:план} и {пункта:x}.\"\n  школы: [\"Школа {пункта:y}\", Школа № 2]\n",
    )
    .unwrap();
    let (code, _, err) = cli(
        &["batch", "base.yaml", "v.yaml", "-o", "o", "-j", "1"],
        dir.path(),
    );
    assert_eq!(code, 0, "{err}");
    let pdfs = district_pdfs(&dir.path().join("o"));
    let text = &pdfs[0].1;
    assert!(text.contains("план (приложение)"), "{text}");
    for literal in ["См. {приложении:план} и {пункта:x}.", "Школа {пункта:y}"]
    {
        assert!(
            text.contains(literal),
            "«{literal}» not printed as typed:\n{text}"
        );
    }
}
