//! `prikaz serve`: the local editor page.

use prikaz::output;
use prikaz::read::Limits;
use prikaz::templates::Templates;
use std::path::Path;
use std::process::ExitCode;

/// `prikaz serve`: the local editor page for an act or a folder of acts.
/// The served folder is the root of every file an act names (profiles,
/// spreadsheets): `root` when given (the act or folder must lie inside it),
/// else the folder served.
pub fn serve(
    path: Option<&Path>,
    root: Option<&Path>,
    port: u16,
    no_open: bool,
    max_input: u64,
) -> ExitCode {
    let path = path.unwrap_or(Path::new("."));
    let (dir, start) = if path.is_dir() {
        (path.to_path_buf(), None)
    } else if path.is_file() {
        let dir = prikaz::read::folder_of(path).to_path_buf();
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
        (dir, name)
    } else {
        tell!("ошибка: {}: файл или папка не найдены", path.display());
        return ExitCode::from(1);
    };
    let (dir, start) = match root {
        None => (dir, start),
        Some(r) => {
            let (Ok(r_abs), Ok(d_abs)) = (r.canonicalize(), dir.canonicalize()) else {
                tell!("ошибка: папка {} (--root) не найдена", r.display());
                return ExitCode::from(1);
            };
            let Ok(inside) = d_abs.strip_prefix(&r_abs) else {
                tell!(
                    "ошибка: {} лежит вне папки {} (--root): укажите папку, в которой лежат акты",
                    path.display(),
                    r.display()
                );
                return ExitCode::from(1);
            };
            let inside: Vec<String> = inside
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            let start = start.map(|name| {
                let mut p = inside.clone();
                p.push(name);
                p.join("/")
            });
            (r.to_path_buf(), start)
        }
    };
    let templates = Templates::builtin();
    let limits = Limits {
        max_input,
        ..Limits::default()
    };
    let server = match prikaz::serve::Server::bind(prikaz::serve::Config {
        dir,
        start,
        port,
        limits,
        templates,
    }) {
        Ok(s) => s,
        Err(m) => {
            tell!("ошибка: {m}");
            return ExitCode::from(1);
        }
    };
    let url = server.url();
    tell!("редактор открыт по адресу {url} (выход — Ctrl-C)");
    if !no_open && !open_browser(&url) {
        tell!("браузер не открылся сам: откройте адрес {url} вручную");
    }
    output::clean_up_on_interrupt();
    server.run();
    ExitCode::SUCCESS
}

/// Open `url` in the default browser; false when no way to do it was found.
fn open_browser(url: &str) -> bool {
    use std::process::{Command, Stdio};
    let mut cmd = if cfg!(windows) {
        let mut c = Command::new("cmd");
        c.args(["/C", "start", "", url]);
        c
    } else if cfg!(target_os = "macos") {
        let mut c = Command::new("open");
        c.arg(url);
        c
    } else {
        let mut c = Command::new("xdg-open");
        c.arg(url);
        c
    };
    match cmd
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
    {
        Ok(mut child) => {
            // Reaped when it is done, so that it does not linger as a zombie.
            std::thread::spawn(move || child.wait());
            true
        }
        Err(_) => false,
    }
}
