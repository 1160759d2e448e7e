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

/// The batch base as `base.yaml` in `dir`, with the profile it names.
fn copy_base(dir: &std::path::Path) {
    std::fs::copy(
        root().join("data/batch/plan-base.yaml"),
        dir.join("base.yaml"),
    )
    .unwrap();
    copy_batch_profiles(dir);
}

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
    copy_base(dir.path());
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

/// The districts file repeated `times` times, in a fresh folder with the base.
fn many_districts(times: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let one = std::fs::read_to_string(root().join("data/batch/districts.yaml")).unwrap();
    let mut all = String::new();
    for t in 0..times {
        // Each copy gets its own names, so its own folders.
        all.push_str(&one.replace("- имя: ", &format!("- имя: {t} ")));
        all.push('\n');
    }
    std::fs::write(dir.path().join("v.yaml"), all).unwrap();
    copy_base(dir.path());
    dir
}

/// Every file under `dir`, with its bytes, by path relative to `dir`.
fn files_under(dir: &std::path::Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut out = std::collections::BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(dir).unwrap().display().to_string();
                out.insert(rel, std::fs::read(&p).unwrap());
            }
        }
    }
    out
}

/// One thread and two worker processes make the same files, byte for byte.
#[test]
fn worker_processes_make_the_same_bytes_as_one_thread() {
    let dir = many_districts(2);
    for (j, out) in [("1", "one"), ("2", "two")] {
        let (code, _, err) = cli(
            &[
                "batch",
                "base.yaml",
                "v.yaml",
                "-o",
                out,
                "--format",
                "pdf,docx",
                "-j",
                j,
            ],
            dir.path(),
        );
        assert_eq!(code, 0, "-j {j}: {err}");
        assert!(err.contains("вариантов: 12, успешно: 12"), "{err}");
    }
    let one = files_under(&dir.path().join("one"));
    let two = files_under(&dir.path().join("two"));
    assert_eq!(one.len(), 24);
    assert_eq!(
        one.keys().collect::<Vec<_>>(),
        two.keys().collect::<Vec<_>>()
    );
    for (name, bytes) in &one {
        assert!(two[name] == *bytes, "{name} differs between -j 1 and -j 2");
    }
}

/// A worker process that dies (here: killed) costs only the variant it held:
/// that one is reported, a new worker takes over, and every other variant is
/// written.
#[cfg(target_os = "linux")]
#[test]
fn a_dead_worker_costs_only_its_variant() {
    let dir = many_districts(5);
    let parent = std::process::Command::new(env!("CARGO_BIN_EXE_prikaz"))
        .args([
            "batch",
            "base.yaml",
            "v.yaml",
            "-o",
            "out",
            "--json",
            "-j",
            "2",
        ])
        .current_dir(dir.path())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Kill the first worker process seen (workers are started by the
    // parent's threads: each thread lists its own children).
    let tasks = std::path::PathBuf::from(format!("/proc/{}/task", parent.id()));
    let mut killed = false;
    for _ in 0..2000 {
        let pids: String = std::fs::read_dir(&tasks)
            .into_iter()
            .flatten()
            .flatten()
            .map(|t| std::fs::read_to_string(t.path().join("children")).unwrap_or_default())
            .collect();
        if let Some(pid) = pids.split_whitespace().next() {
            killed = std::process::Command::new("kill")
                .args(["-KILL", pid])
                .status()
                .unwrap()
                .success();
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
    assert!(killed, "no worker process was seen");
    let out = parent.wait_with_output().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON summary");
    let vars = v["variants"].as_array().unwrap();
    assert_eq!(vars.len(), 30);
    let dead: Vec<_> = vars
        .iter()
        .filter(|o| !o["errors"].as_array().unwrap().is_empty())
        .collect();
    assert_eq!(dead.len(), 1, "{v}");
    let e = dead[0]["errors"].to_string();
    assert!(
        e.contains("T005") && e.contains("аварийно завершился") && e.contains("сигнал 9"),
        "{e}"
    );
    assert_eq!(out.status.code(), Some(1));
    for o in vars
        .iter()
        .filter(|o| o["errors"].as_array().unwrap().is_empty())
    {
        let files = o["files"].as_array().unwrap();
        assert_eq!(files.len(), 1, "{o}");
        let pdf = std::fs::read(dir.path().join(files[0].as_str().unwrap())).unwrap();
        assert!(pdf.starts_with(b"%PDF"), "{o}");
    }
}
