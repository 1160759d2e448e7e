//! `prikaz serve` over plain HTTP: what a foreign page or a path outside the
//! folder gets (refused), the size limit, saving with its conflict check,
//! pages and problems for the page, and the downloads.

mod common;
use common::http::{Served, request};
use common::*;
use serde_json::json;

fn folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(data("ochyor-60.yaml"), dir.path().join("ochyor-60.yaml")).unwrap();
    copy_profiles(dir.path());
    dir
}

#[test]
fn foreign_host_or_origin_is_refused() {
    let dir = folder();
    let s = Served::start(&["ochyor-60.yaml"], dir.path());
    // Its own page, by either name of the loopback address.
    let own = s.get("/api/acts");
    assert_eq!(own.status, 200, "{}", own.text());
    assert_eq!(own.json()["acts"], serde_json::json!(["ochyor-60.yaml"]));
    let port = s.addr.rsplit(':').next().unwrap();
    let by_name = request(
        &s.addr,
        "GET",
        "/",
        &[("Host", &format!("localhost:{port}"))],
        b"",
    );
    assert_eq!(by_name.status, 200);
    assert!(by_name.text().contains("<html lang=\"ru\">"));

    // DNS rebinding: a foreign name that resolves to 127.0.0.1.
    for host in [
        "evil.example".to_string(),
        format!("evil.example:{port}"),
        "127.0.0.1".to_string(),
        format!("127.0.0.1:{}", port.parse::<u16>().unwrap() ^ 1),
    ] {
        let a = request(
            &s.addr,
            "GET",
            "/api/file?path=ochyor-60.yaml",
            &[("Host", &host)],
            b"",
        );
        assert_eq!(a.status, 403, "Host {host}: {}", a.text());
        assert!(a.json()["error"].as_str().unwrap().contains("отклонён"));
        assert!(!a.text().contains("заголовок"), "the act must not leak");
    }
    // A foreign page posting to it: refused, and the file is not touched.
    let before = std::fs::read(dir.path().join("ochyor-60.yaml")).unwrap();
    let hash = s.get("/api/file?path=ochyor-60.yaml").json()["hash"].clone();
    let body = serde_json::json!({"text": "вид: приказ\n", "hash": hash}).to_string();
    for origin in [
        "http://evil.example",
        "null",
        &format!("http://evil.example:{port}"),
    ] {
        let a = request(
            &s.addr,
            "PUT",
            "/api/file?path=ochyor-60.yaml",
            &[("Origin", origin)],
            body.as_bytes(),
        );
        assert_eq!(a.status, 403, "Origin {origin}: {}", a.text());
        assert!(
            a.json()["error"]
                .as_str()
                .unwrap()
                .contains("другого сайта")
        );
    }
    assert_eq!(
        std::fs::read(dir.path().join("ochyor-60.yaml")).unwrap(),
        before
    );
    // A request without any Host (HTTP/1.1 requires one) is refused too.
    let mut raw = std::net::TcpStream::connect(&s.addr).unwrap();
    use std::io::{Read, Write};
    raw.write_all(b"GET /api/acts HTTP/1.0\r\n\r\n").unwrap();
    let mut got = String::new();
    let _ = raw.read_to_string(&mut got);
    assert!(
        got.starts_with("HTTP/1.1 403") || got.starts_with("HTTP/1.0 403"),
        "{got}"
    );
}

#[test]
fn paths_outside_the_folder_are_refused() {
    let parent = tempfile::tempdir().unwrap();
    let dir = parent.path().join("акты");
    std::fs::create_dir(&dir).unwrap();
    std::fs::copy(data("ochyor-60.yaml"), dir.join("ochyor-60.yaml")).unwrap();
    copy_profiles(&dir);
    // A secret beside the folder, and a link to it from inside.
    std::fs::write(parent.path().join("secret.yaml"), "пароль: 12345\n").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(parent.path().join("secret.yaml"), dir.join("link.yaml")).unwrap();
    let s = Served::start(&[dir.to_str().unwrap()], parent.path());
    let secret = parent.path().join("secret.yaml");
    let outside = [
        "../secret.yaml".to_string(),
        "..%2Fsecret.yaml".to_string(),
        "%2E%2E/secret.yaml".to_string(),
        "профили/../../secret.yaml".to_string(),
        secret.display().to_string(),
        "link.yaml".to_string(),
        "/etc/passwd".to_string(),
    ];
    for p in &outside {
        // As a browser sends it: letters other than ASCII percent-encoded.
        let p = &p
            .bytes()
            .map(|b| {
                if b.is_ascii() {
                    (b as char).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect::<String>();
        let get = s.get(&format!("/api/file?path={p}"));
        assert!(
            matches!(get.status, 403),
            "GET {p}: {} {}",
            get.status,
            get.text()
        );
        assert!(!get.text().contains("12345"), "{p} leaked the secret");
        let put = s.send(
            "PUT",
            &format!("/api/file?path={p}"),
            serde_json::json!({"text": "x: 1\n", "hash": ""})
                .to_string()
                .as_bytes(),
        );
        assert_eq!(put.status, 403, "PUT {p}: {}", put.text());
        let render = s.send("POST", &format!("/api/render?path={p}"), b"x: 1\n");
        assert_eq!(render.status, 403, "render {p}: {}", render.text());
    }
    assert_eq!(std::fs::read_to_string(&secret).unwrap(), "пароль: 12345\n");
    // Only acts: not the program's own files, not other kinds.
    assert_eq!(
        s.get("/api/file?path=%D0%BF%D1%80%D0%BE%D1%84%D0%B8%D0%BB%D0%B8")
            .status,
        403
    );
    // A missing act inside: not found; a missing one outside: refused all
    // the same, before anything is looked up.
    let missing = s.get("/api/file?path=%D0%BD%D0%B5%D1%82.yaml");
    assert_eq!(missing.status, 404, "{}", missing.text());
    assert_eq!(s.get("/api/file?path=../missing.yaml").status, 403);
    let a = s.get("/api/acts").json();
    assert_eq!(
        a["acts"],
        serde_json::json!(["ochyor-60.yaml"]),
        "neither profiles nor links are listed as acts"
    );
    // An act may read a file outside only if it could under --root: the
    // coat of arms of an act in the folder cannot be the secret beside it.
    let text = std::fs::read_to_string(dir.join("ochyor-60.yaml"))
        .unwrap()
        .replacen(
            "вид: приказ",
            "орган:\n  герб: ../secret.png\nвид: приказ",
            1,
        );
    std::fs::write(parent.path().join("secret.png"), b"\x89PNG").unwrap();
    let r = s
        .send("POST", "/api/render?path=ochyor-60.yaml", text.as_bytes())
        .json();
    assert_eq!(r["ok"], false, "{r}");
    assert!(r["diagnostics"].to_string().contains("за пределы"), "{r}");
}

#[test]
fn posts_are_limited_in_size() {
    let dir = folder();
    let s = Served::start(&["ochyor-60.yaml", "--max-input", "64КБ"], dir.path());
    let big = vec![b'#'; 65 * 1024];
    let a = s.send("POST", "/api/render?path=ochyor-60.yaml", &big);
    assert_eq!(a.status, 413, "{}", a.text());
    assert!(
        a.json()["error"]
            .as_str()
            .unwrap()
            .contains("слишком большой")
    );
    let small = std::fs::read(dir.path().join("ochyor-60.yaml")).unwrap();
    assert_eq!(
        s.send("POST", "/api/render?path=ochyor-60.yaml", &small)
            .status,
        200
    );
}

#[test]
fn save_is_refused_when_the_file_changed_on_disk() {
    let dir = folder();
    let file = dir.path().join("ochyor-60.yaml");
    let s = Served::start(&["ochyor-60.yaml"], dir.path());
    let loaded = s.get("/api/file?path=ochyor-60.yaml").json();
    let text = loaded["text"].as_str().unwrap().to_string();
    assert_eq!(text, std::fs::read_to_string(&file).unwrap());
    let mine = text.replacen("номер: 60", "номер: 61", 1);
    // Someone else saves the file meanwhile.
    let theirs = text.replacen("номер: 60", "номер: 62", 1);
    std::fs::write(&file, &theirs).unwrap();
    let body = serde_json::json!({"text": mine, "hash": loaded["hash"]}).to_string();
    let a = s.send("PUT", "/api/file?path=ochyor-60.yaml", body.as_bytes());
    assert_eq!(a.status, 409, "{}", a.text());
    assert!(
        a.json()["error"]
            .as_str()
            .unwrap()
            .contains("изменён на диске")
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), theirs);
    // Loaded again, it saves, atomically, leaving no temporary file.
    let fresh = s.get("/api/file?path=ochyor-60.yaml").json();
    let body = serde_json::json!({"text": mine, "hash": fresh["hash"]}).to_string();
    let a = s.send("PUT", "/api/file?path=ochyor-60.yaml", body.as_bytes());
    assert_eq!(a.status, 200, "{}", a.text());
    assert_eq!(std::fs::read_to_string(&file).unwrap(), mine);
    let saved = a.json()["hash"].clone();
    assert_eq!(s.get("/api/file?path=ochyor-60.yaml").json()["hash"], saved);
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(".prikaz-"))
        .collect();
    assert!(left.is_empty());
}

#[test]
fn render_gives_pages_with_their_text_and_problems_at_their_place() {
    let dir = folder();
    let s = Served::start(&["ochyor-60.yaml"], dir.path());
    let text = std::fs::read_to_string(dir.path().join("ochyor-60.yaml")).unwrap();
    let edited = text.replacen("Об утверждении плана мероприятий", "О плане работы", 1);
    let r = s
        .send("POST", "/api/render?path=ochyor-60.yaml", edited.as_bytes())
        .json();
    assert_eq!(r["ok"], true, "{r}");
    let pages = r["pages"].as_array().unwrap();
    assert!(pages.len() >= 2);
    for p in pages {
        assert!(p["svg"].as_str().unwrap().starts_with("<svg"));
        assert!(
            (p["width"].as_f64().unwrap() - 595.28).abs() < 0.5,
            "A4 width"
        );
    }
    let words: String = pages[0]["text"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["text"].as_str().unwrap())
        .collect::<Vec<_>>()
        .join(" ");
    assert!(words.contains("О плане работы"), "{words}");
    assert!(!words.contains("Об утверждении плана"), "{words}");
    // Pages the browser shows come back without their pictures: an edit
    // of the title changes the first page only.
    let keys: Vec<&str> = pages.iter().map(|p| p["key"].as_str().unwrap()).collect();
    let again = edited.replacen("О плане работы", "О плане работ", 1);
    let r2 = s
        .send(
            "POST",
            &format!("/api/render?path=ochyor-60.yaml&have={}", keys.join(",")),
            again.as_bytes(),
        )
        .json();
    let pages2 = r2["pages"].as_array().unwrap();
    assert_eq!(pages2.len(), pages.len());
    assert_ne!(pages2[0]["key"], pages[0]["key"]);
    assert!(pages2[0]["svg"].as_str().unwrap().starts_with("<svg"));
    for (new, old) in pages2.iter().zip(pages).skip(1) {
        assert_eq!(new["key"], old["key"]);
        assert!(new["svg"].is_null(), "an unchanged page is not sent again");
        assert_eq!(new["text"], old["text"]);
    }
    // The warning about the profile names the profile's own place.
    let w = &r["diagnostics"][0];
    assert_eq!(w["file"], "профили/уо-очёр.yaml", "{r}");
    assert_eq!(w["here"], false);

    // An impossible date: no pages, the Russian message at line and column.
    let bad = edited.replacen("дата: 2023-05-03", "дата: 2023-02-30", 1);
    let r = s
        .send("POST", "/api/render?path=ochyor-60.yaml", bad.as_bytes())
        .json();
    assert_eq!(r["ok"], false);
    assert!(r["pages"].is_null());
    let d = &r["diagnostics"][0];
    assert_eq!(d["severity"], "error");
    assert_eq!(d["here"], true);
    assert_eq!(
        (d["pos"]["line"].as_u64(), d["pos"]["col"].as_u64()),
        (Some(date_line()), Some(7)),
        "{d}"
    );
    assert!(
        d["message"]
            .as_str()
            .unwrap()
            .contains("такой даты нет: 30.02.2023")
    );
    // Broken YAML is a problem at its place too, never a failed request.
    let r = s
        .send(
            "POST",
            "/api/render?path=ochyor-60.yaml",
            b"\x22unclosed: [1, 2\n",
        )
        .json();
    assert_eq!(r["ok"], false);
    assert!(r["diagnostics"][0]["pos"]["line"].as_u64().is_some(), "{r}");
}

#[test]
fn downloads_are_the_files_render_makes() {
    let dir = folder();
    let s = Served::start(&["ochyor-60.yaml"], dir.path());
    let text = std::fs::read_to_string(dir.path().join("ochyor-60.yaml")).unwrap();
    let edited = text.replacen("Об утверждении плана мероприятий", "О плане работы", 1);
    let pdf = s.send(
        "POST",
        "/api/download?path=ochyor-60.yaml&format=pdf",
        edited.as_bytes(),
    );
    assert_eq!(pdf.status, 200, "{}", pdf.text());
    assert_eq!(pdf.header("Content-Type"), Some("application/pdf"));
    let cd = pdf.header("Content-Disposition").unwrap();
    assert!(
        cd.contains("filename*=UTF-8''%D0%9F%D1%80%D0%B8%D0%BA%D0%B0%D0%B7_60_2023-05-03.pdf"),
        "{cd}"
    );
    let words = pdf_text(&pdf.body)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(words.contains("О плане работы"), "{words}");
    // The same bytes as `prikaz render` of the same text.
    std::fs::write(dir.path().join("ochyor-60.yaml"), &edited).unwrap();
    let (code, _, err) = cli(
        &["render", "ochyor-60.yaml", "--format", "pdf,docx"],
        dir.path(),
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        std::fs::read(dir.path().join("Приказ_60_2023-05-03.pdf")).unwrap(),
        pdf.body
    );
    let docx = s.send(
        "POST",
        "/api/download?path=ochyor-60.yaml&format=docx",
        edited.as_bytes(),
    );
    assert_eq!(docx.status, 200);
    assert_eq!(
        std::fs::read(dir.path().join("Приказ_60_2023-05-03.docx")).unwrap(),
        docx.body
    );
    // An act with errors gives no file, and says why.
    let bad = edited.replacen("дата: 2023-05-03", "дата: 2023-02-30", 1);
    let a = s.send(
        "POST",
        "/api/download?path=ochyor-60.yaml&format=pdf",
        bad.as_bytes(),
    );
    assert_eq!(a.status, 422);
    assert!(
        a.json()["error"]
            .as_str()
            .unwrap()
            .contains("такой даты нет")
    );
}

/// The line of the act's date in data/ochyor-60.yaml.
fn date_line() -> u64 {
    let text = std::fs::read_to_string(data("ochyor-60.yaml")).unwrap();
    text.lines().position(|l| l.starts_with("дата:")).unwrap() as u64 + 1
}

/// Two clerks save the same loaded text at the same moment, 100 times over:
/// each time exactly one save wins, the other is told of the conflict, and
/// the file holds the winner's text.
#[test]
fn of_two_saves_of_one_loaded_text_exactly_one_wins() {
    let dir = folder();
    let file = dir.path().join("ochyor-60.yaml");
    let s = std::sync::Arc::new(Served::start(&["ochyor-60.yaml"], dir.path()));
    let original = std::fs::read_to_string(&file).unwrap();
    for round in 0..100 {
        let hash = s.get("/api/file?path=ochyor-60.yaml").json()["hash"]
            .as_str()
            .unwrap()
            .to_string();
        let start = std::sync::Arc::new(std::sync::Barrier::new(2));
        let clerks: Vec<_> = ["61", "62"]
            .into_iter()
            .map(|n| {
                let (s, start, hash) = (s.clone(), start.clone(), hash.clone());
                let text = original.replacen("номер: 60", &format!("номер: {n}-{round}"), 1);
                std::thread::spawn(move || {
                    let body = serde_json::json!({"text": text, "hash": hash}).to_string();
                    start.wait();
                    let a = s.send("PUT", "/api/file?path=ochyor-60.yaml", body.as_bytes());
                    (a.status, text)
                })
            })
            .collect();
        let answers: Vec<(u16, String)> = clerks.into_iter().map(|c| c.join().unwrap()).collect();
        let mut statuses: Vec<u16> = answers.iter().map(|a| a.0).collect();
        statuses.sort_unstable();
        assert_eq!(statuses, [200, 409], "round {round}");
        let winner = answers.iter().find(|a| a.0 == 200).unwrap();
        assert_eq!(std::fs::read_to_string(&file).unwrap(), winner.1);
    }
}

/// An act saved by old Notepad (Windows-1251) or by PowerShell 5's `>`
/// (UTF-16) opens in the editor as `check` reads it, with a note; a save
/// compares the hash of the bytes on disk and writes UTF-8.
#[test]
fn acts_in_windows_encodings_open_and_save_as_utf8() {
    let dir = tempfile::tempdir().unwrap();
    let text = MINIMAL;
    let (cp1251, _, _) = encoding_rs::WINDOWS_1251.encode(text);
    std::fs::write(dir.path().join("ansi.yaml"), &cp1251).unwrap();
    let mut utf16 = vec![0xff, 0xfe];
    utf16.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    std::fs::write(dir.path().join("ps.yaml"), &utf16).unwrap();
    let s = Served::start(&["ansi.yaml"], dir.path());
    for (file, note) in [("ansi.yaml", true), ("ps.yaml", false)] {
        let got = s.get(&format!("/api/file?path={file}"));
        assert_eq!(got.status, 200, "{}", got.text());
        let body = got.json();
        assert_eq!(body["text"], text, "{file}");
        assert_eq!(body["note"].is_string(), note, "{file}: {body}");
        let edited = text.replace("Провести проверку.", "Провести проверку школ.");
        let put = request(
            &s.addr,
            "PUT",
            &format!("/api/file?path={file}"),
            &[],
            serde_json::json!({"text": edited, "hash": body["hash"]})
                .to_string()
                .as_bytes(),
        );
        assert_eq!(put.status, 200, "{file}: {}", put.text());
        assert_eq!(
            std::fs::read_to_string(dir.path().join(file)).unwrap(),
            edited
        );
    }
}

/// `POST /api/new`: the starter of `prikaz new` with the folder's profile,
/// in a year folder too, listed first, never over a file that is there, and
/// never outside the folder; the messages are Russian.
#[test]
fn new_acts_from_the_page() {
    let dir = tempfile::tempdir().unwrap();
    copy_profiles(dir.path());
    std::fs::write(dir.path().join("старый.yaml"), "вид: приказ\n").unwrap();
    let s = Served::start(&[], dir.path());
    let new = |body: serde_json::Value| s.send("POST", "/api/new", body.to_string().as_bytes());

    let a = new(json!({"вид": "приказ", "с": ["план"], "имя": "приказ-1", "папка": "2026"}));
    assert_eq!(a.status, 200, "{}", a.text());
    assert_eq!(a.json()["path"], "2026/приказ-1.yaml");
    let text = std::fs::read_to_string(dir.path().join("2026/приказ-1.yaml")).unwrap();
    // The folder's first profile, named from the act's folder.
    assert!(
        text.contains("профиль: ../профили/уо-оренбург.yaml"),
        "{text}"
    );
    assert!(
        text.contains("- id: план") && !text.contains("- id: график"),
        "{text}"
    );
    assert_eq!(text, {
        let (code, out, _) = cli(
            &[
                "new",
                "приказ",
                "--with",
                "план",
                "--profile",
                "../профили/уо-оренбург.yaml",
            ],
            &dir.path().join("2026"),
        );
        assert_eq!(code, 0);
        out
    });
    // It renders there: the served folder is the root of its profile.
    let r = s.send(
        "POST",
        "/api/render?path=2026/приказ-1.yaml",
        text.as_bytes(),
    );
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["ok"], json!(true), "{}", r.text());
    // Listed, the one changed last first.
    let acts = s.get("/api/acts").json();
    assert_eq!(acts["acts"][0], "2026/приказ-1.yaml", "{acts}");
    assert_eq!(acts["start"], "2026/приказ-1.yaml");
    assert_eq!(acts["items"][0]["folder"], "2026");
    assert_eq!(
        acts["profiles"],
        json!(["профили/уо-оренбург.yaml", "профили/уо-очёр.yaml"])
    );
    // The signatories of its profile come with it.
    let f = s
        .get(&format!("/api/file?path={}", enc("2026/приказ-1.yaml")))
        .json();
    assert_eq!(
        f["signatories"],
        json!([{"ключ": "ио", "должность": "И.о. начальника управления образования", "имя": "Е.А. Глуховская"}])
    );

    // Another of the folder's profiles, when named.
    let a = new(json!({"вид": "постановление", "имя": "п", "профиль": "профили/уо-очёр.yaml"}));
    assert_eq!(a.status, 200, "{}", a.text());
    let p = std::fs::read_to_string(dir.path().join("п.yaml")).unwrap();
    assert!(p.contains("профиль: профили/уо-очёр.yaml"), "{p}");

    // Refused: a name that is there, outside the folder, unknown kinds.
    let before = std::fs::read(dir.path().join("старый.yaml")).unwrap();
    for (body, status, says) in [
        (
            json!({"вид": "приказ", "имя": "старый.yaml"}),
            409,
            "уже есть",
        ),
        (
            json!({"вид": "приказ", "имя": "../вне.yaml"}),
            400,
            "за пределы папки",
        ),
        (
            json!({"вид": "приказ", "имя": "вне", "папка": "../x"}),
            400,
            "за пределы открытой папки",
        ),
        (
            json!({"вид": "приказ", "имя": "вне", "папка": "/tmp"}),
            400,
            "за пределы открытой папки",
        ),
        (
            json!({"вид": "приказ", "имя": "акт.txt"}),
            400,
            "неподходящий тип",
        ),
        (
            json!({"вид": "указ", "имя": "акт"}),
            400,
            "неизвестный вид акта «указ»",
        ),
        (
            json!({"вид": "приказ", "с": ["смета"], "имя": "акт"}),
            400,
            "неизвестное приложение «смета»",
        ),
        (json!({"вид": "приказ"}), 400, "ожидалось"),
        (
            json!({"вид": "приказ", "имя": "акт", "профиль": "../секрет.yaml"}),
            400,
            "нет профиля «../секрет.yaml»",
        ),
    ] {
        let a = new(body.clone());
        assert_eq!(a.status, status, "{body}: {}", a.text());
        let m = a.json()["error"].as_str().unwrap().to_string();
        assert!(m.contains(says), "{body}: {m}");
    }
    assert_eq!(
        std::fs::read(dir.path().join("старый.yaml")).unwrap(),
        before
    );
    assert!(!dir.path().parent().unwrap().join("вне.yaml").exists());
    assert!(temporaries(dir.path()).is_empty());
    // A link in place of the sub-folder is not followed.
    #[cfg(unix)]
    {
        let other = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(other.path(), dir.path().join("ссылка")).unwrap();
        let a = new(json!({"вид": "приказ", "имя": "акт", "папка": "ссылка"}));
        assert_eq!(a.status, 403, "{}", a.text());
        assert_eq!(std::fs::read_dir(other.path()).unwrap().count(), 0);
    }
    // A foreign page cannot make files.
    let a = request(
        &s.addr,
        "POST",
        "/api/new",
        &[("Origin", "http://evil.example")],
        json!({"вид": "приказ", "имя": "чужой"})
            .to_string()
            .as_bytes(),
    );
    assert_eq!(a.status, 403);
    assert!(!dir.path().join("чужой.yaml").exists());
}

/// `POST /api/profile`: the first profile of an empty folder, which `check`
/// accepts for an act the page then makes; refusals in Russian.
#[test]
fn first_profile_from_the_page() {
    let dir = tempfile::tempdir().unwrap();
    let s = Served::start(&[], dir.path());
    let acts = s.get("/api/acts").json();
    assert_eq!(acts["acts"], json!([]));
    assert_eq!(acts["profiles"], json!([]));
    assert_eq!(acts["version"], env!("CARGO_PKG_VERSION"));
    let values = json!({
        "имя": "уо",
        "организация": ["Администрация города", "Управление образования"],
        "в_родительном": "управления образования администрации города",
        "должность": ["Начальник управления"],
        "руководитель": "А.Б. Васильева",
        "исполнитель": "Петрова Анна Сергеевна",
        "телефон": "8 (800) 000-00-00",
    });
    let post = |v: &serde_json::Value| s.send("POST", "/api/profile", v.to_string().as_bytes());
    // Missing fields are named.
    let mut partial = values.clone();
    partial["руководитель"] = json!(" ");
    partial["телефон"] = json!("");
    let a = post(&partial);
    assert_eq!(a.status, 400);
    assert_eq!(
        a.json()["error"],
        "не заполнено: имя руководителя, телефон исполнителя"
    );
    let mut outside = values.clone();
    outside["имя"] = json!("../уо");
    let a = post(&outside);
    assert_eq!(a.status, 400);
    assert!(
        a.json()["error"].as_str().unwrap().contains("за пределы"),
        "{}",
        a.text()
    );
    assert!(
        !dir.path().join("профили").exists()
            || std::fs::read_dir(dir.path().join("профили"))
                .unwrap()
                .count()
                == 0
    );

    let a = post(&values);
    assert_eq!(a.status, 200, "{}", a.text());
    assert_eq!(a.json()["path"], "профили/уо.yaml");
    let profile = std::fs::read_to_string(dir.path().join("профили/уо.yaml")).unwrap();
    let (code, printed, _) = cli(
        &[
            "new",
            "профиль",
            "--организация",
            "Администрация города",
            "--организация",
            "Управление образования",
            "--в-родительном",
            "управления образования администрации города",
            "--должность",
            "Начальник управления",
            "--руководитель",
            "А.Б. Васильева",
            "--исполнитель",
            "Петрова Анна Сергеевна",
            "--телефон",
            "8 (800) 000-00-00",
        ],
        dir.path(),
    );
    assert_eq!(code, 0);
    assert_eq!(
        profile, printed,
        "the page and prikaz new профиль write the same profile"
    );
    // Written once: a second time is refused and the first stays.
    let mut other = values.clone();
    other["руководитель"] = json!("В.Г. Сидоров");
    let a = post(&other);
    assert_eq!(a.status, 409);
    assert!(a.json()["error"].as_str().unwrap().contains("уже есть"));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("профили/уо.yaml")).unwrap(),
        profile
    );
    // Listed, and used by the next act, which check accepts.
    assert_eq!(
        s.get("/api/acts").json()["profiles"],
        json!(["профили/уо.yaml"])
    );
    let a = s.send(
        "POST",
        "/api/new",
        json!({"вид": "распоряжение", "с": ["список"], "имя": "р"})
            .to_string()
            .as_bytes(),
    );
    assert_eq!(a.status, 200, "{}", a.text());
    let (code, out, err) = cli(&["check", "--strict", "р.yaml"], dir.path());
    assert_eq!(code, 0, "{out}{err}");
    let f = s.get("/api/file?path=%D1%80.yaml").json();
    assert_eq!(f["signatories"][0]["ключ"], "руководитель");
    assert_eq!(f["signatories"][0]["имя"], "А.Б. Васильева");
}

/// The help panel's rules are the README's, and the version is the program's.
#[test]
fn help_is_the_readmes_rules() {
    let dir = tempfile::tempdir().unwrap();
    let s = Served::start(&[], dir.path());
    let h = s.get("/api/help").json();
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let rules = h["rules"].as_str().unwrap();
    assert!(
        rules.contains("1. **Отступы — только пробелами.**"),
        "{rules}"
    );
    assert!(rules.contains("5. **Длинный текст"), "{rules}");
    assert!(readme.contains(rules));
    assert!(h["parts"].as_str().unwrap().contains("**Подписант**"));
    let (_, version, _) = cli(&["--version"], dir.path());
    assert!(
        version.contains(h["version"].as_str().unwrap()),
        "{version}"
    );
}

/// `serve --root`: the acts of a year folder take their profile from the top,
/// and the page opens and saves in the whole root; an act outside the root is
/// refused. `watch --root` renders such an act as well.
#[test]
fn root_for_serve_and_watch() {
    let dir = tempfile::tempdir().unwrap();
    copy_profiles(dir.path());
    std::fs::create_dir(dir.path().join("2026")).unwrap();
    let (code, _, err) = cli(
        &[
            "new",
            "приказ",
            "--profile",
            "../профили/уо-оренбург.yaml",
            "-o",
            "2026/приказ.yaml",
        ],
        dir.path(),
    );
    assert_eq!(code, 0, "{err}");
    let text = std::fs::read_to_string(dir.path().join("2026/приказ.yaml")).unwrap();
    // The act alone, as before: its folder is the root and the profile is outside.
    let alone = Served::start(&["2026/приказ.yaml"], dir.path());
    let r = alone.send(
        "POST",
        "/api/render?path=%D0%BF%D1%80%D0%B8%D0%BA%D0%B0%D0%B7.yaml",
        text.as_bytes(),
    );
    assert_eq!(r.json()["ok"], json!(false));
    drop(alone);
    // With --root: opened first by its path from the root, rendered with the profile.
    let s = Served::start(&["2026/приказ.yaml", "--root", "."], dir.path());
    let acts = s.get("/api/acts").json();
    assert_eq!(acts["start"], "2026/приказ.yaml");
    let path = format!("/api/render?path={}", enc("2026/приказ.yaml"));
    let r = s.send("POST", &path, text.as_bytes());
    assert_eq!(r.json()["ok"], json!(true), "{}", r.text());
    assert!(r.text().contains("Глуховская"));
    drop(s);
    // A folder served: it is the root by default.
    let s = Served::start(&[], dir.path());
    let r = s.send("POST", &path, text.as_bytes());
    assert_eq!(r.json()["ok"], json!(true), "{}", r.text());
    drop(s);
    // Outside the root: refused at once.
    let other = tempfile::tempdir().unwrap();
    let (code, _, err) = cli(
        &[
            "serve",
            "2026/приказ.yaml",
            "--root",
            other.path().to_str().unwrap(),
            "--no-open",
            "--port",
            "0",
        ],
        dir.path(),
    );
    assert_eq!(code, 1);
    assert!(err.contains("вне папки") && err.contains("--root"), "{err}");

    // watch --root: the first round writes the PDF (then it is stopped).
    let mut w = std::process::Command::new(env!("CARGO_BIN_EXE_prikaz"))
        .args(["watch", "2026/приказ.yaml", "--root", ".", "-o", "out"])
        .current_dir(dir.path())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let start = std::time::Instant::now();
    let out = dir.path().join("out");
    let pdfs = |out: &std::path::Path| -> Vec<std::path::PathBuf> {
        std::fs::read_dir(out)
            .map(|d| {
                d.flatten()
                    .map(|e| e.path())
                    .filter(|p| p.extension().is_some_and(|x| x == "pdf"))
                    .collect()
            })
            .unwrap_or_default()
    };
    while pdfs(&out).is_empty() {
        assert!(
            start.elapsed() < std::time::Duration::from_secs(120),
            "watch wrote nothing"
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let _ = w.kill();
    let _ = w.wait();
    let pdf = pdfs(&out).remove(0);
    assert!(pdf_text(&std::fs::read(pdf).unwrap()).contains("Глуховская"));
}

/// A path as the browser sends it in a query: every byte other than ASCII
/// letters and digits percent-encoded.
fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._/".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}
