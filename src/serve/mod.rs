//! `prikaz serve`: a local web page to edit an act and see its pages.
//!
//! The page (`assets/`, embedded in the program: no CDN, no network) shows the
//! YAML in a code editor and the pages beside it. It talks to this server:
//!
//! - `GET /api/acts` — the acts in the folder, the one changed last first,
//!   the one to open first, the folder's profiles and the program's version;
//! - `GET /api/schema` — the act's schema (`prikaz schema`), for completion;
//! - `GET /api/help` — the help panel's text (the README's «Пять правил YAML»
//!   and `assets/help.md`), as Markdown;
//! - `POST /api/new` `{вид, с, имя, папка, профиль}` — a new act from the
//!   starter of `prikaz new`, with one of the folder's profiles (by default
//!   its first), never over an existing file;
//! - `POST /api/profile` `{имя, организация, …}` — the first profile of the
//!   folder, `профили/ИМЯ.yaml`, as `prikaz new профиль` writes it;
//! - `GET /api/file?path=P` — an act's text, its content hash and the
//!   signatories of its profile;
//! - `PUT /api/file?path=P` `{text, hash}` — save atomically, refused (409)
//!   when the file on disk is no longer the one loaded (`hash`);
//! - `POST /api/render?path=P&have=K,…` (the YAML) — pages as SVG with their
//!   text runs (without the SVG of the pages the page already shows, by
//!   their keys), and the problems with line and column, as JSON;
//! - `POST /api/download?path=P&format=pdf|docx` (the YAML) — the file.
//!
//! Rendering runs in this process with one [`Engine`] for the whole session,
//! so Typst's memoised layouts of the last edit serve the next one, and pages
//! whose layout did not change are not drawn again ([`SvgCache`]).
//!
//! Safety: it listens on 127.0.0.1 only; a request whose `Host` or `Origin`
//! is not this server's own is refused (a foreign web page cannot reach it,
//! not even through DNS rebinding); every path from the page is checked by
//! [`crate::read::local::check_local_file`] with the served folder as the root,
//! as `--root` does, then opened through the folder's own handle with no
//! link followed ([`folder`]); a save compares the hash and writes under one
//! lock, so of two saves of the same loaded text exactly one wins. The HTTP
//! server ([`http`]) bounds what a request can take: head size, body size
//! (checked against `--max-input` before it is read), time, connections.

mod folder;
pub mod http;

use crate::diag::{Diagnostic, Diagnostics, Severity};
use crate::read::Limits;
use crate::render::{Engine, Format, SvgCache};
use crate::resolve::Selection;
use crate::templates::Templates;
use folder::{Failure, Folder, Rel};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Instant;

const INDEX: &str = include_str!("assets/index.html");
const APP_JS: &str = include_str!("assets/app.js");
const APP_CSS: &str = include_str!("assets/app.css");
const EDITOR_JS: &str = include_str!("assets/editor.js");
const EDITOR_LICENSE: &str = include_str!("assets/editor.LICENSE.txt");
/// The README: the help panel shows its «Пять правил YAML», so the rules
/// have one text.
const README: &str = include_str!("../../README.md");
/// The rest of the help panel: what each part of an act is.
const HELP: &str = include_str!("assets/help.md");

/// Kinds of files the page may open and save.
const ACT_EXTENSIONS: &[&str] = &["yaml", "yml"];
/// How deep the act picker looks into sub-folders.
const MAX_DEPTH: usize = 3;
/// Most acts listed in the picker.
const MAX_LISTED: usize = 2000;
/// Requests handled at once (rendering takes one core each).
const THREADS: usize = 4;
/// Stack of a thread that renders (Typst recurses deeply).
const WORKER_STACK: usize = 64 * 1024 * 1024;

/// What the server serves.
pub struct Config {
    /// The folder: the page reads and writes only inside it.
    pub dir: PathBuf,
    /// The act to open first (relative to `dir`).
    pub start: Option<String>,
    pub port: u16,
    pub limits: Limits,
    pub templates: Templates,
}

/// A bound server, ready to [`Server::run`].
pub struct Server {
    listener: std::net::TcpListener,
    state: Arc<State>,
}

struct State {
    dir: PathBuf,
    start: Option<String>,
    port: u16,
    limits: Limits,
    templates: Templates,
    engine: Engine,
    svg: Mutex<SvgCache>,
    /// The folder, opened once: acts are read and saved through it.
    folder: Folder,
    /// Held from reading an act's hash to renaming the new text over it.
    saving: Mutex<()>,
}

impl Server {
    /// Listen on 127.0.0.1 at `config.port` (0: any free port). The message
    /// is Russian.
    pub fn bind(config: Config) -> Result<Server, String> {
        let dir = config.dir.canonicalize().map_err(|e| {
            format!(
                "папка {} недоступна: {}",
                config.dir.display(),
                crate::diag::io_reason(&e)
            )
        })?;
        let folder = Folder::open(&dir).map_err(|e| {
            format!(
                "папка {} недоступна: {}",
                config.dir.display(),
                crate::diag::io_reason(&e)
            )
        })?;
        let listener =
            std::net::TcpListener::bind(("127.0.0.1", config.port)).map_err(|e| {
                match e.kind() {
                    std::io::ErrorKind::AddrInUse => format!(
                        "порт {} уже занят другой программой: укажите другой, например --port {}",
                        config.port,
                        config.port.wrapping_add(1).max(1024)
                    ),
                    _ => format!(
                        "не удалось открыть порт {}: {}",
                        config.port,
                        crate::diag::io_reason(&e)
                    ),
                }
            })?;
        let port = listener
            .local_addr()
            .map(|a| a.port())
            .unwrap_or(config.port);
        let mut limits = config.limits;
        limits.root = Some(dir.clone());
        Ok(Server {
            listener,
            state: Arc::new(State {
                folder,
                saving: Mutex::new(()),
                engine: Engine::new(&config.templates.page),
                dir,
                start: config.start,
                port,
                limits,
                templates: config.templates,
                svg: Mutex::new(SvgCache::default()),
            }),
        })
    }

    /// The page's address, `http://127.0.0.1:PORT/`.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}/", self.state.port)
    }

    /// Answer requests until the process ends.
    pub fn run(self) {
        let state = self.state;
        let setup = http::Setup {
            max_body: state.limits.max_input,
            workers: THREADS,
            worker_stack: WORKER_STACK,
        };
        http::run(self.listener, setup, Arc::new(move |req| state.handle(req)));
    }
}

/// An answer: status, content type, body, and extra headers.
struct Reply {
    status: u16,
    kind: &'static str,
    body: Vec<u8>,
    headers: Vec<(String, String)>,
}

impl Reply {
    fn json(status: u16, v: &Value) -> Reply {
        Reply {
            status,
            kind: "application/json; charset=utf-8",
            body: serde_json::to_vec(v).unwrap_or_default(),
            headers: vec![],
        }
    }

    /// A refusal with its reason in Russian (`{"error": …}`).
    fn error(status: u16, message: impl Into<String>) -> Reply {
        Reply::json(status, &json!({ "error": message.into() }))
    }

    fn asset(kind: &'static str, text: &str) -> Reply {
        Reply {
            status: 200,
            kind,
            body: text.as_bytes().to_vec(),
            headers: vec![],
        }
    }
}

impl State {
    fn handle(&self, req: http::Request) -> http::Response {
        let reply = match self.foreign(&req) {
            Some(why) => Reply::error(403, why),
            None => self.route(req),
        };
        let mut headers = vec![
            ("Content-Type".to_string(), reply.kind.to_string()),
            ("Cache-Control".into(), "no-store".into()),
            ("X-Content-Type-Options".into(), "nosniff".into()),
            ("X-Frame-Options".into(), "DENY".into()),
            ("Referrer-Policy".into(), "no-referrer".into()),
            (
                "Content-Security-Policy".into(),
                "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; connect-src 'self'; frame-src blob:; object-src blob:; frame-ancestors 'none'".into(),
            ),
        ];
        headers.extend(reply.headers);
        http::Response {
            status: reply.status,
            headers,
            body: reply.body,
        }
    }

    /// Why a request does not come from this server's own page, if it does
    /// not: a `Host` other than this server's address (DNS rebinding: a
    /// foreign name resolved to 127.0.0.1), or an `Origin` of another site.
    fn foreign(&self, req: &http::Request) -> Option<String> {
        let header = |name: &'static str| req.header(name);
        let own_hosts = [
            format!("127.0.0.1:{}", self.port),
            format!("localhost:{}", self.port),
        ];
        match header("Host") {
            Some(h) if own_hosts.iter().any(|o| o.eq_ignore_ascii_case(h.trim())) => {}
            Some(h) => {
                return Some(format!(
                    "запрос к чужому адресу «{h}» отклонён: страница prikaz открывается только по адресу http://127.0.0.1:{}/",
                    self.port
                ));
            }
            None => return Some("запрос без заголовка Host отклонён".into()),
        }
        if let Some(o) = header("Origin")
            && !own_hosts
                .iter()
                .any(|h| o.trim().eq_ignore_ascii_case(&format!("http://{h}")))
        {
            return Some(format!(
                "запрос со страницы другого сайта ({o}) отклонён: prikaz принимает запросы только от своей страницы"
            ));
        }
        None
    }

    fn route(&self, req: http::Request) -> Reply {
        let url = req.target;
        let (path, query) = url.split_once('?').unwrap_or((&url, ""));
        let method = req.method.to_ascii_uppercase();
        let body = req.body;
        let arg = |name: &str| {
            query
                .split('&')
                .filter_map(|kv| kv.split_once('='))
                .find(|(k, _)| *k == name)
                .map(|(_, v)| percent_decode(v))
        };
        match (method.as_str(), path) {
            ("GET", "/") => Reply::asset("text/html; charset=utf-8", INDEX),
            ("GET", "/app.js") => Reply::asset("text/javascript; charset=utf-8", APP_JS),
            ("GET", "/app.css") => Reply::asset("text/css; charset=utf-8", APP_CSS),
            ("GET", "/editor.js") => Reply::asset("text/javascript; charset=utf-8", EDITOR_JS),
            ("GET", "/editor.LICENSE.txt") => {
                Reply::asset("text/plain; charset=utf-8", EDITOR_LICENSE)
            }
            ("GET", "/api/acts") => self.acts(),
            // The act's schema: the editor completes field names and values
            // from it, with their Russian descriptions.
            ("GET", "/api/schema") => Reply::json(200, &crate::read::schema::act()),
            ("GET", "/api/help") => Reply::json(
                200,
                &json!({ "rules": yaml_rules(), "parts": HELP, "version": env!("CARGO_PKG_VERSION") }),
            ),
            ("POST", "/api/new") => self.new_act(&body),
            ("POST", "/api/profile") => self.new_profile(&body),
            (_, p) if p.starts_with("/api/") => {
                let Some(rel) = arg("path") else {
                    return Reply::error(400, "не указан файл (path)");
                };
                let file = match self.act_path(&rel) {
                    Ok(f) => f,
                    // Outside the folder is told apart before existence.
                    Err(m) if m.contains("не найден") => return Reply::error(404, m),
                    Err(m) => return Reply::error(403, m),
                };
                match (method.as_str(), p) {
                    ("GET", "/api/file") => self.load(&file, &rel),
                    ("PUT", "/api/file") => self.save(&file, &rel, &body),
                    ("POST", "/api/render") => {
                        let have = arg("have").unwrap_or_default();
                        let have: Vec<&str> = have.split(',').filter(|k| !k.is_empty()).collect();
                        self.render(&file, body, &have)
                    }
                    ("POST", "/api/download") => {
                        let format = match arg("format").as_deref() {
                            Some("pdf") => Format::Pdf,
                            Some("docx") => Format::Docx,
                            _ => return Reply::error(400, "формат: pdf или docx"),
                        };
                        self.download(&file, body, format)
                    }
                    _ => Reply::error(404, "нет такого действия"),
                }
            }
            _ => Reply::error(404, "нет такой страницы"),
        }
    }

    /// `rel` from the page, checked: an act (.yaml) inside the served folder
    /// with every link followed, as `--root` checks a file an act names.
    fn act_path(&self, rel: &str) -> Result<PathBuf, String> {
        crate::read::local::check_local_file(&self.dir, Some(&self.dir), rel, ACT_EXTENSIONS).map_err(
            |m| {
                if m.contains("за пределы") {
                    format!(
                        "путь «{rel}» ведёт за пределы папки {}: prikaz serve открывает только её файлы",
                        self.dir.display()
                    )
                } else {
                    m
                }
            },
        )
    }

    /// `file` as the page names it: relative to the folder, with `/`.
    fn relative(&self, file: &Path) -> String {
        file.strip_prefix(&self.dir)
            .unwrap_or(file)
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/")
    }

    fn acts(&self) -> Reply {
        fn walk(dir: &Path, depth: usize, out: &mut Vec<(PathBuf, u64)>) {
            let Ok(entries) = std::fs::read_dir(dir) else {
                return;
            };
            let mut entries: Vec<_> = entries.flatten().collect();
            entries.sort_by_key(|e| e.file_name());
            for e in entries {
                let name = e.file_name().to_string_lossy().into_owned();
                // Hidden files, and profiles (they are not acts).
                if name.starts_with('.') || name == crate::read::profile::FOLDER {
                    continue;
                }
                let Ok(kind) = e.file_type() else { continue };
                if kind.is_dir() && depth < MAX_DEPTH {
                    walk(&e.path(), depth + 1, out);
                } else if kind.is_file()
                    && ACT_EXTENSIONS
                        .iter()
                        .any(|x| name.ends_with(&format!(".{x}")))
                    && out.len() < MAX_LISTED
                {
                    let changed = e
                        .metadata()
                        .ok()
                        .and_then(|m| m.modified().ok())
                        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                        .map_or(0, |d| d.as_secs());
                    out.push((e.path(), changed));
                }
            }
        }
        let mut found = vec![];
        walk(&self.dir, 1, &mut found);
        // The act changed last first; of acts changed in the same second, by name.
        found.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        let acts: Vec<String> = found.iter().map(|p| self.relative(&p.0)).collect();
        let items: Vec<Value> = found
            .iter()
            .zip(&acts)
            .map(|((_, changed), rel)| {
                let folder = rel.rsplit_once('/').map_or("", |(f, _)| f);
                json!({ "path": rel, "folder": folder, "changed": changed })
            })
            .collect();
        let start = self
            .start
            .clone()
            .or_else(|| acts.first().cloned())
            .unwrap_or_default();
        Reply::json(
            200,
            &json!({
                "folder": self.dir.display().to_string(),
                "acts": acts,
                "items": items,
                "start": start,
                "explicit": self.start.is_some(),
                "profiles": self.profiles(),
                "version": env!("CARGO_PKG_VERSION"),
            }),
        )
    }

    /// The profiles of the folder (`профили/*.yaml` at its top), by name.
    fn profiles(&self) -> Vec<String> {
        let folder = self.dir.join(crate::read::profile::FOLDER);
        let mut names: Vec<String> = std::fs::read_dir(&folder)
            .into_iter()
            .flatten()
            .flatten()
            .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| {
                !n.starts_with('.') && ACT_EXTENSIONS.iter().any(|x| n.ends_with(&format!(".{x}")))
            })
            .map(|n| format!("{}/{n}", crate::read::profile::FOLDER))
            .collect();
        names.sort();
        names
    }

    /// `POST /api/new`: a new act from the starter of `prikaz new`, with the
    /// folder's first profile (as `--profile` names it from the act's folder),
    /// written where no file is.
    fn new_act(&self, body: &[u8]) -> Reply {
        #[derive(serde::Deserialize)]
        struct New {
            #[serde(rename = "вид")]
            kind: String,
            #[serde(default, rename = "с")]
            with: Vec<String>,
            #[serde(rename = "имя")]
            name: String,
            #[serde(default, rename = "папка")]
            folder: String,
            /// One of the folder's profiles; else its first.
            #[serde(default, rename = "профиль")]
            profile: Option<String>,
        }
        let Ok(n) = serde_json::from_slice::<New>(body) else {
            return Reply::error(400, "ожидалось {вид, с, имя, папка}");
        };
        let profiles = self.profiles();
        let profile = match n.profile {
            Some(p) if profiles.contains(&p) => Some(p),
            Some(p) => {
                return Reply::error(
                    400,
                    format!(
                        "в папке «профили» нет профиля «{p}»; есть: {}",
                        profiles.join(", ")
                    ),
                );
            }
            None => profiles.into_iter().next(),
        };
        let rel = match new_path(&n.folder, &n.name, ACT_EXTENSIONS) {
            Ok(r) => r,
            Err(m) => return Reply::error(400, m),
        };
        let depth = rel.matches('/').count();
        let read = match &profile {
            Some(p) => {
                let file = match crate::read::local::check_local_file(
                    &self.dir,
                    Some(&self.dir),
                    p,
                    ACT_EXTENSIONS,
                ) {
                    Ok(f) => f,
                    Err(m) => return Reply::error(403, m),
                };
                match crate::starter::profile_fields(&file) {
                    Ok(f) => Some(("../".repeat(depth) + p, f)),
                    Err(d) => {
                        let why = d.0.first().map_or_else(String::new, |d| {
                            format!(": {} — {}", d.place(), d.message)
                        });
                        return Reply::error(422, format!("профиль {p} не читается{why}"));
                    }
                }
            }
            None => None,
        };
        let used = read
            .as_ref()
            .map(|(p, (fields, signatories))| crate::starter::ProfileUse {
                path: p,
                fields,
                signatories,
            });
        let text = match crate::starter::starter(&n.kind, &n.with, used) {
            Ok(t) => t,
            Err(m) => return Reply::error(400, m),
        };
        self.create(&rel, text.as_bytes())
    }

    /// `POST /api/profile`: the folder's profile `профили/ИМЯ.yaml`, as
    /// `prikaz new профиль` writes it.
    fn new_profile(&self, body: &[u8]) -> Reply {
        #[derive(serde::Deserialize)]
        struct New {
            #[serde(default, rename = "имя")]
            name: String,
            #[serde(flatten)]
            values: crate::starter::ProfileValues,
        }
        let Ok(mut n) = serde_json::from_slice::<New>(body) else {
            return Reply::error(
                400,
                "ожидалось {имя, организация, в_родительном, должность, руководитель, исполнитель, телефон}",
            );
        };
        let mut missing = vec![];
        if n.name.trim().is_empty() {
            missing.push("краткое имя профиля");
        }
        if let Err(m) = n.values.tidy() {
            missing.extend(m);
        }
        if !missing.is_empty() {
            return Reply::error(400, format!("не заполнено: {}", missing.join(", ")));
        }
        let rel = match new_path(crate::read::profile::FOLDER, n.name.trim(), ACT_EXTENSIONS) {
            Ok(r) => r,
            Err(m) => return Reply::error(400, m),
        };
        self.create(&rel, crate::starter::profile(&n.values).as_bytes())
    }

    /// Write the new file `rel` (checked by [`new_path`]) where no file is.
    fn create(&self, rel: &str, bytes: &[u8]) -> Reply {
        if bytes.len() as u64 > self.limits.max_input {
            return Reply::error(413, "текст больше предела --max-input");
        }
        let Some(r) = Rel::new(rel, rel) else {
            return Reply::error(400, format!("«{rel}» не годится для имени файла"));
        };
        let _one = self.saving.lock().unwrap_or_else(|e| e.into_inner());
        match self.folder.create(&r, bytes) {
            Ok(()) => Reply::json(200, &json!({ "path": rel })),
            Err(None) => Reply::error(
                409,
                format!(
                    "файл «{rel}» уже есть: выберите другое имя — prikaz не перезаписывает файлы"
                ),
            ),
            Err(Some(f)) => self.failure(f),
        }
    }

    /// The act `file` (`shown`: as the page named it), read through the
    /// folder's handle.
    fn load(&self, file: &Path, shown: &str) -> Reply {
        let name = self.relative(file);
        let Some(rel) = Rel::new(&name, shown) else {
            return Reply::error(403, format!("путь «{shown}» не годится для файла"));
        };
        match self.folder.read(&rel, self.limits.max_input) {
            // Read as `check` reads it (UTF-16, Windows-1251); the hash is of
            // the bytes on disk, which a save compares, and a save writes UTF-8.
            Ok(bytes) => {
                let hash = content_hash(&bytes);
                match crate::read::decode_text(bytes) {
                    Ok((text, encoding)) => {
                        let signatories = self.signatories(file, &text);
                        Reply::json(
                            200,
                            &json!({ "path": name, "text": text, "hash": hash,
                                     "signatories": signatories,
                                     "note": encoding.map(|_| "файл был в кодировке Windows-1251; при сохранении он будет записан в UTF-8") }),
                        )
                    }
                    Err(_) => Reply::error(422, "файл не в кодировке UTF-8"),
                }
            }
            Err(f) => self.failure(f),
        }
    }

    /// The named signatories of the profile the act `text` (as if it were
    /// `file`) names: `[{ключ, должность, имя}]`, none when it names none or
    /// the profile cannot be read.
    fn signatories(&self, file: &Path, text: &str) -> Vec<Value> {
        use crate::read::yaml::{self, Node, NodeKind};
        let scalar = |n: &Node| match &n.kind {
            NodeKind::Scalar { text, .. } => Some(text.clone()),
            _ => None,
        };
        let field = |n: &Node, name: &str| -> Option<Node> {
            match &n.kind {
                NodeKind::Map(m) => m
                    .iter()
                    .find(|(k, _)| scalar(k).as_deref() == Some(name))
                    .map(|(_, v)| v.clone()),
                _ => None,
            }
        };
        let src = crate::diag::SourceFile::new(file, text);
        let Some(rel) = yaml::parse(&src)
            .ok()
            .and_then(|root| field(&root, crate::read::profile::KEY))
            .and_then(|n| scalar(&n))
        else {
            return vec![];
        };
        let base = crate::read::folder_of(file);
        let exts = ["yaml", "yml"];
        let found = [
            rel.trim().to_string(),
            format!("{}/{}", crate::read::profile::FOLDER, rel.trim()),
        ]
        .into_iter()
        .find_map(|r| crate::read::local::check_local_file(base, Some(&self.dir), &r, &exts).ok());
        let Some(path) = found else { return vec![] };
        let Ok(psrc) = crate::read::load_source(&path, &self.limits) else {
            return vec![];
        };
        let Some(named) = yaml::parse(&psrc)
            .ok()
            .and_then(|root| field(&root, crate::read::profile::SIGNATORIES))
        else {
            return vec![];
        };
        let NodeKind::Map(m) = &named.kind else {
            return vec![];
        };
        m.iter()
            .filter_map(|(k, v)| {
                let position = field(v, "должность").map(|d| match &d.kind {
                    NodeKind::Seq(lines) => lines
                        .iter()
                        .filter_map(&scalar)
                        .collect::<Vec<_>>()
                        .join(" "),
                    _ => scalar(&d).unwrap_or_default(),
                });
                Some(json!({
                    "ключ": scalar(k)?,
                    "должность": position.unwrap_or_default(),
                    "имя": field(v, "имя").and_then(|n| scalar(&n)).unwrap_or_default(),
                }))
            })
            .collect()
    }

    fn failure(&self, f: Failure) -> Reply {
        let status = f.status();
        match f {
            Failure::TooBig => Reply::error(
                status,
                format!(
                    "файл больше {} КБ (флаг --max-input)",
                    self.limits.max_input / 1024
                ),
            ),
            Failure::Missing(m) | Failure::Refused(m) | Failure::Io(m) => Reply::error(status, m),
        }
    }

    /// Save `{text, hash}` over `file` if the file is still the one whose
    /// content hash the page loaded: the hash is compared and the new text
    /// renamed over the file under one lock, so of two saves of the same
    /// loaded text one wins and the other is told. A file the server would
    /// not read (too big, not UTF-8, not a regular file) is never replaced.
    fn save(&self, file: &Path, shown: &str, body: &[u8]) -> Reply {
        #[derive(serde::Deserialize)]
        struct Save {
            text: String,
            hash: String,
        }
        let Ok(s) = serde_json::from_slice::<Save>(body) else {
            return Reply::error(400, "ожидалось {text, hash}");
        };
        let limit = self.limits.max_input;
        if s.text.len() as u64 > limit {
            return Reply::error(
                413,
                format!(
                    "текст больше {} КБ (флаг --max-input): не сохранён",
                    limit / 1024
                ),
            );
        }
        let name = self.relative(file);
        let Some(rel) = Rel::new(&name, shown) else {
            return Reply::error(403, format!("путь «{shown}» не годится для файла"));
        };
        let mut conflict = None;
        let saved = {
            let _one = self.saving.lock().unwrap_or_else(|e| e.into_inner());
            self.folder.replace(&rel, s.text.as_bytes(), limit, |now| {
                if crate::read::decode_text(now.to_vec()).is_err() {
                    return Err(Failure::Refused(format!(
                        "файл «{shown}» не в кодировке UTF-8: prikaz serve его не открывает и не перезаписывает"
                    )));
                }
                let on_disk = content_hash(now);
                if on_disk != s.hash {
                    conflict = Some(on_disk);
                    return Err(Failure::Refused(String::new()));
                }
                Ok(())
            })
        };
        match saved {
            Ok(()) => Reply::json(200, &json!({ "hash": content_hash(s.text.as_bytes()) })),
            Err(_) if conflict.is_some() => Reply::json(
                409,
                &json!({
                    "error": format!("файл {name} изменён на диске после того, как был открыт здесь: сохранение отменено, чтобы не потерять чужие правки. Скопируйте свой текст, откройте файл заново и перенесите правки."),
                    "hash": conflict,
                }),
            ),
            Err(Failure::TooBig) => Reply::error(
                413,
                format!(
                    "файл «{shown}» больше {} КБ (флаг --max-input): prikaz serve его не открывает и не перезаписывает",
                    limit / 1024
                ),
            ),
            Err(f) => self.failure(f),
        }
    }

    /// Read, check and resolve the YAML `text` as if it were `file`.
    fn prepare(&self, file: &Path, text: Vec<u8>) -> Result<crate::job::Prepared, Diagnostics> {
        let name = file.display().to_string();
        let parsed = crate::read::read_bytes(&name, text, &self.limits)?;
        let base = crate::read::folder_of(file);
        crate::job::prepare_parsed(parsed, base, &self.templates, &self.limits, &Selection::All)
    }

    /// Pages and problems of `text`. The page names the pages it shows
    /// (`have`: their keys): those come back without their SVG.
    fn render(&self, file: &Path, text: Vec<u8>, have: &[&str]) -> Reply {
        let ms = |t: Instant| (t.elapsed().as_secs_f64() * 10_000.0).round() / 10.0;
        let started = Instant::now();
        let prepared = self.prepare(file, text);
        let checked = ms(started);
        let mut times = json!({ "check": checked });
        let (pages, diags) = match prepared {
            Ok(p) => match self.pages(&p, &mut times) {
                Ok(pages) => (Some(pages), p.warnings),
                Err(d) => (None, Diagnostics(vec![d])),
            },
            Err(d) => (None, d),
        };
        let total = ms(started);
        let problems: Vec<Value> = diags.0.iter().map(|d| self.problem(file, d)).collect();
        let pages = pages.map(|v| {
            v.iter()
                .map(|p| {
                    let mut page = json!(&**p);
                    if have.contains(&p.key.as_str()) {
                        page["svg"] = Value::Null;
                    }
                    page
                })
                .collect::<Vec<_>>()
        });
        Reply::json(
            200,
            &json!({
                "ok": pages.is_some(),
                "pages": pages,
                "diagnostics": problems,
                "ms": total,
                "times": times,
            }),
        )
    }

    fn pages(
        &self,
        p: &crate::job::Prepared,
        times: &mut Value,
    ) -> Result<Vec<Arc<crate::render::SvgPage>>, Diagnostic> {
        // The layouts of the last few renders stay memoised for the next edit.
        crate::render::forget_layouts(4);
        let started = Instant::now();
        let laid = self.engine.compile(&p.doc, p.emblem.as_ref())?;
        times["layout"] = json!((started.elapsed().as_secs_f64() * 10_000.0).round() / 10.0);
        let started = Instant::now();
        let mut cache = self.svg.lock().unwrap_or_else(|e| e.into_inner());
        let svg = self.engine.svg(&laid, &mut cache);
        times["svg"] = json!((started.elapsed().as_secs_f64() * 10_000.0).round() / 10.0);
        svg
    }

    /// A problem as the page shows it: the shape `check --format json` and
    /// `batch --json` print, with `here` (in this act, at `pos`) and the file
    /// named relative to the served folder when it is another one (a profile,
    /// a spreadsheet).
    fn problem(&self, file: &Path, d: &Diagnostic) -> Value {
        let here = d.file.as_deref() == Some(&file.display().to_string());
        let mut shown = d.clone();
        shown.file = d.file.as_deref().map(|f| self.relative(Path::new(f)));
        let mut v = serde_json::to_value(&shown).unwrap_or_default();
        v["here"] = json!(here);
        v
    }

    /// The act's PDF or DOCX, made on the one path of an act ([`crate::job`]).
    fn download(&self, file: &Path, text: Vec<u8>, format: Format) -> Reply {
        let name = file.display().to_string();
        let made = crate::read::read_bytes(&name, text, &self.limits).and_then(|parsed| {
            let base = crate::read::folder_of(file);
            let tools = crate::job::Tools {
                templates: &self.templates,
                limits: &self.limits,
                engine: &self.engine,
            };
            let input = crate::job::Input::Parsed {
                parsed: Box::new(parsed),
                base,
            };
            crate::job::make(input, &crate::job::Settings::new(vec![format]), &tools)
        });
        let made = match made {
            Ok(m) => m,
            Err(d) => {
                let first = d.0.iter().find(|x| x.severity == Severity::Error);
                return match first {
                    // A writer's failure is the program's, not the act's.
                    Some(x) if crate::errors::internal(x.code) => {
                        Reply::error(500, x.message.clone())
                    }
                    _ => Reply::error(
                        422,
                        format!(
                            "в акте есть ошибки, файл не сформирован: {}",
                            first.map(|d| d.message.as_str()).unwrap_or("")
                        ),
                    ),
                };
            }
        };
        match made.files.into_iter().next() {
            Some((name, bytes)) => Reply {
                status: 200,
                kind: match format {
                    Format::Docx => {
                        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
                    }
                    _ => "application/pdf",
                },
                body: bytes,
                headers: vec![(
                    "Content-Disposition".into(),
                    format!(
                        "attachment; filename=\"{}\"; filename*=UTF-8''{}",
                        ascii_name(&name),
                        percent_encode(&name)
                    ),
                )],
            },
            None => Reply::error(500, "файл не сформирован"),
        }
    }
}

/// The README's «Пять правил YAML», from its heading to the next one.
fn yaml_rules() -> &'static str {
    const HEADING: &str = "### Пять правил YAML\n";
    let Some(start) = README.find(HEADING) else {
        return "";
    };
    let body = &README[start + HEADING.len()..];
    let end = body
        .find("\n### ")
        .or_else(|| body.find("\n## "))
        .unwrap_or(body.len());
    body[..end].trim()
}

/// The place of a new file the page names: `folder` (plain names separated by
/// `/`, maybe empty) and `name` (a plain name; `.yaml` added when it has no
/// kind), relative to the served folder. Refused, in Russian: a name that
/// leaves the folder, a hidden one, another kind of file.
fn new_path(folder: &str, name: &str, exts: &[&str]) -> Result<String, String> {
    let plain = |part: &str| {
        !part.is_empty()
            && part != "."
            && part != ".."
            && !part.starts_with('.')
            && !part.contains(['\\', ':', '*', '?', '"', '<', '>', '|', '\0'])
            && !part.ends_with([' ', '.'])
    };
    let name = name.trim();
    if name.is_empty() {
        return Err("не указано имя файла".into());
    }
    if name.contains('/') || name.contains('\\') || name == ".." || name.starts_with("..") {
        return Err(format!(
            "имя «{name}» ведёт за пределы папки: укажите только имя файла, а папку — в поле «Папка»"
        ));
    }
    let name = if name.contains('.') {
        name.to_string()
    } else {
        format!("{name}.yaml")
    };
    let ext = name.rsplit('.').next().unwrap_or_default().to_lowercase();
    if !exts.contains(&ext.as_str()) {
        return Err(format!(
            "у файла «{name}» неподходящий тип: нужен {}",
            exts.join(", ")
        ));
    }
    if !plain(&name) {
        return Err(format!("«{name}» не годится для имени файла"));
    }
    let parts: Vec<&str> = folder
        .split(['/', '\\'])
        .map(str::trim)
        .filter(|p| !p.is_empty() && *p != ".")
        .collect();
    if folder.trim().starts_with('/') || parts.iter().any(|p| *p == ".." || p.contains(':')) {
        return Err(format!(
            "папка «{}» ведёт за пределы открытой папки: prikaz serve создаёт файлы только внутри неё",
            folder.trim()
        ));
    }
    if let Some(bad) = parts.iter().find(|p| !plain(p)) {
        return Err(format!("«{bad}» не годится для имени папки"));
    }
    if parts.len() + 1 > MAX_DEPTH {
        return Err(format!(
            "папка «{}» слишком глубоко: акты ищутся не глубже {} уровней",
            folder.trim(),
            MAX_DEPTH - 1
        ));
    }
    let mut all: Vec<&str> = parts;
    all.push(&name);
    Ok(all.join("/"))
}

/// A content hash of a file's bytes (FNV-1a, 64 bits, with the length): the
/// same bytes give the same hash in every run and on every platform.
pub fn content_hash(bytes: &[u8]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}-{}", bytes.len())
}

fn percent_decode(s: &str) -> String {
    let hex = |c: u8| (c as char).to_digit(16).map(|d| d as u8);
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match (
            b[i],
            b.get(i + 1).and_then(|c| hex(*c)),
            b.get(i + 2).and_then(|c| hex(*c)),
        ) {
            (b'%', Some(h), Some(l)) => {
                out.push(h * 16 + l);
                i += 3;
                continue;
            }
            (b'+', _, _) => out.push(b' '),
            (c, _, _) => out.push(c),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn percent_encode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// The name in ASCII for old clients (`filename=`): other letters become `_`.
fn ascii_name(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "-._".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_decoding_and_hashes() {
        assert_eq!(percent_decode("%D0%B0%2F..%2Fb+c"), "а/../b c");
        assert_eq!(percent_decode("50%"), "50%");
        assert_eq!(percent_decode("%zz"), "%zz");
        assert_eq!(content_hash(b"abc"), content_hash(b"abc"));
        assert_ne!(content_hash(b"abc"), content_hash(b"abd"));
        assert_eq!(percent_encode("Приказ 1.pdf").matches('%').count(), 13);
    }

    #[test]
    fn new_files_stay_inside_the_folder() {
        let e = ["yaml", "yml"];
        assert_eq!(new_path("", "приказ-1", &e).unwrap(), "приказ-1.yaml");
        assert_eq!(new_path("2026", "а.yml", &e).unwrap(), "2026/а.yml");
        assert_eq!(new_path(" 2026/ ", "а.yaml", &e).unwrap(), "2026/а.yaml");
        for (folder, name) in [
            ("", "../а.yaml"),
            ("..", "а.yaml"),
            ("2026/..", "а.yaml"),
            ("/etc", "а.yaml"),
            ("", "/etc/а.yaml"),
            ("C:", "а.yaml"),
            ("", ".скрытый.yaml"),
            ("", "а.txt"),
            ("", ""),
            ("a/b/c", "а.yaml"),
        ] {
            assert!(new_path(folder, name, &e).is_err(), "{folder} {name}");
        }
        assert!(
            new_path("", "../а.yaml", &e)
                .unwrap_err()
                .contains("за пределы")
        );
        assert!(yaml_rules().starts_with("Файл акта"), "{}", yaml_rules());
        assert!(yaml_rules().contains("5. **Длинный текст"));
        assert!(!yaml_rules().contains("### "));
    }
}
