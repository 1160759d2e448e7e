//! Files an act names (its profile, spreadsheets, coat of arms): taken
//! relative to the act's folder, and read only when they lie inside the
//! allowed folder (`--root`, else the act's own) after every link is followed.

use std::path::{Path, PathBuf};

/// A file named in the YAML is taken relative to the YAML's folder and must lie
/// inside `root` (by default that same folder) after every link is followed.
pub fn check_local_file(
    base_dir: &Path,
    root: Option<&Path>,
    rel: &str,
    exts: &[&str],
) -> Result<PathBuf, String> {
    let p = Path::new(rel);
    let outside = || match root {
        Some(r) => format!(
            "путь «{rel}» ведёт за пределы разрешённой папки {} (--root)",
            r.display()
        ),
        None => format!(
            "путь «{rel}» ведёт за пределы папки акта: укажите файл внутри папки, где лежит YAML"
        ),
    };
    if p.is_absolute() || p.has_root() {
        return Err(outside());
    }
    if root.is_none()
        && p.components()
            .any(|c| matches!(c, std::path::Component::ParentDir))
    {
        return Err(outside());
    }
    let ext = p
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_lowercase)
        .unwrap_or_default();
    if !exts.contains(&ext.as_str()) {
        return Err(format!(
            "у файла «{rel}» неподходящий тип: нужен {}",
            exts.join(", ")
        ));
    }
    // Lexically first (the file may not exist), then with links followed.
    let allowed = root
        .unwrap_or(base_dir)
        .canonicalize()
        .map_err(|e| crate::diag::io_reason(&e))?;
    let mut lexical = base_dir
        .canonicalize()
        .map_err(|e| crate::diag::io_reason(&e))?;
    for c in p.components() {
        match c {
            std::path::Component::ParentDir => {
                lexical.pop();
            }
            std::path::Component::Normal(x) => lexical.push(x),
            _ => {}
        }
    }
    if !lexical.starts_with(&allowed) {
        return Err(outside());
    }
    let canon = base_dir.join(p).canonicalize().map_err(|e| {
        format!(
            "файл «{rel}» не найден рядом с актом: {}",
            crate::diag::io_reason(&e)
        )
    })?;
    if !canon.starts_with(&allowed) {
        return Err(if root.is_some() {
            outside()
        } else {
            format!("файл «{rel}» — ссылка за пределы папки акта; такие файлы не читаются")
        });
    }
    if !canon.is_file() {
        return Err(format!(
            "«{rel}» — не обычный файл (папка, устройство или канал): укажите файл с диска"
        ));
    }
    Ok(canon)
}
