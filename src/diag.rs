//! Diagnostics: one type for every problem prikaz reports, rendered in one place.
//!
//! Every reader, validator and lint produces [`Diagnostic`]s; nothing else prints
//! problems. A diagnostic carries a stable code, a severity, a Russian message, the
//! place (file, line, column and the field path) and an optional hint.

use crate::errors;
use serde::Serialize;
use std::fmt::Write as _;
use std::path::PathBuf;
use std::sync::Arc;

/// Which file a position is in: the act's YAML, a CSV of plan rows … Like
/// Typst's `FileId`, it is interned from the path when the file is read, so a
/// [`Pos`] knows its file and nobody has to work it out afterwards.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct FileId(u32);

/// Interned paths: `FileId(n)` is `paths[n - 1]`; 0 stands for «not known».
static FILES: std::sync::Mutex<Vec<PathBuf>> = std::sync::Mutex::new(Vec::new());

impl FileId {
    /// The id of `path` (the same path always gets the same id).
    pub fn intern(path: &std::path::Path) -> Self {
        let mut files = FILES.lock().unwrap_or_else(|e| e.into_inner());
        match files.iter().position(|p| p == path) {
            Some(i) => FileId(i as u32 + 1),
            None => {
                files.push(path.to_path_buf());
                FileId(files.len() as u32)
            }
        }
    }

    /// The path as it was read.
    pub fn path(self) -> Option<PathBuf> {
        let files = FILES.lock().unwrap_or_else(|e| e.into_inner());
        (self.0 as usize)
            .checked_sub(1)
            .and_then(|i| files.get(i).cloned())
    }
}

/// A position in a source file: the file, 1-based line and column (in characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize)]
pub struct Pos {
    #[serde(skip)]
    pub file: FileId,
    pub line: u32,
    pub col: u32,
}

impl Pos {
    /// A position in a file not named (tests, messages about the whole run).
    pub const fn new(line: u32, col: u32) -> Self {
        Self {
            file: FileId(0),
            line,
            col,
        }
    }

    pub const fn in_file(file: FileId, line: u32, col: u32) -> Self {
        Self { file, line, col }
    }

    /// The place of byte `offset` in `text`.
    pub fn at_offset(text: &str, offset: usize) -> Self {
        let before = &text[..offset.min(text.len())];
        let line = before.matches('\n').count() as u32 + 1;
        let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) as u32 + 1;
        Self::new(line, col)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

impl Severity {
    pub fn word(self) -> &'static str {
        match self {
            Severity::Error => "ошибка",
            Severity::Warning => "предупреждение",
        }
    }
}

/// An encoding a text file was read in, other than UTF-8.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// Windows-1251 («ANSI» in a Russian Windows).
    Cp1251,
}

/// The source text of a file, kept so that a diagnostic can quote its line.
#[derive(Debug)]
pub struct SourceFile {
    pub id: FileId,
    pub path: PathBuf,
    pub text: String,
    /// The encoding the file was read in, when it was not UTF-8 (a warning
    /// names it).
    pub read_as: Option<Encoding>,
    line_starts: std::sync::OnceLock<Vec<usize>>,
}

/// The sources read, by id (the latest text of each path), so that a message
/// about a position in another file than the one at hand (a field an act took
/// from its profile) quotes the right file. Weak: a source lives as long as
/// whoever read it keeps it.
static SOURCES: std::sync::Mutex<Vec<std::sync::Weak<SourceFile>>> =
    std::sync::Mutex::new(Vec::new());

impl SourceFile {
    pub fn new(path: impl Into<PathBuf>, text: impl Into<String>) -> Arc<Self> {
        Self::read_as(path, text, None)
    }

    /// A source read from a file in `encoding` (`None`: UTF-8).
    pub fn read_as(
        path: impl Into<PathBuf>,
        text: impl Into<String>,
        encoding: Option<Encoding>,
    ) -> Arc<Self> {
        let path = path.into();
        let src = Arc::new(Self {
            id: FileId::intern(&path),
            path,
            text: text.into(),
            read_as: encoding,
            line_starts: std::sync::OnceLock::new(),
        });
        let mut all = SOURCES.lock().unwrap_or_else(|e| e.into_inner());
        let i = src.id.0 as usize;
        if all.len() < i {
            all.resize_with(i, std::sync::Weak::new);
        }
        all[i - 1] = Arc::downgrade(&src);
        src
    }

    /// The source a position `id` is in, while someone keeps it.
    pub fn of(id: FileId) -> Option<Arc<SourceFile>> {
        let all = SOURCES.lock().unwrap_or_else(|e| e.into_inner());
        (id.0 as usize)
            .checked_sub(1)
            .and_then(|i| all.get(i))
            .and_then(std::sync::Weak::upgrade)
    }

    /// A position in this file.
    pub fn pos(&self, line: u32, col: u32) -> Pos {
        Pos::in_file(self.id, line, col)
    }

    pub fn display_name(&self) -> String {
        self.path.display().to_string()
    }

    /// Line `line` (1-based), found through an index of line starts built
    /// once: thousands of messages about one file cost no more than one each.
    fn line(&self, line: u32) -> Option<&str> {
        let starts = self.line_starts.get_or_init(|| {
            std::iter::once(0)
                .chain(self.text.match_indices('\n').map(|(i, _)| i + 1))
                .collect()
        });
        let i = line.checked_sub(1)? as usize;
        let start = *starts.get(i)?;
        let end = starts.get(i + 1).map_or(self.text.len(), |e| e - 1);
        Some(self.text.get(start..end)?.trim_end_matches('\r'))
    }
}

/// One problem, ready to print.
#[derive(Debug, Clone, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Stable code: `E…` for errors of input, `P…` for lints, `T…` for rendering.
    pub code: &'static str,
    pub message: String,
    /// File name as given by the user.
    pub file: Option<String>,
    pub pos: Option<Pos>,
    /// The field path in the YAML, e.g. `пункты[3].срок`.
    pub field: Option<String>,
    pub hint: Option<String>,
    #[serde(skip)]
    pub source: Option<Arc<SourceFile>>,
}

impl Diagnostic {
    pub fn error(code: &'static str, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Error,
            code,
            message: as_typed(message.into()),
            file: None,
            pos: None,
            field: None,
            hint: None,
            source: None,
        }
    }

    pub fn warning(code: &'static str, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Warning,
            ..Self::error(code, message)
        }
    }

    /// At `pos` of `source`, or of the file `pos` names when that is
    /// another one (a field taken from a profile).
    pub fn at(mut self, source: &Arc<SourceFile>, pos: Pos) -> Self {
        let source = match pos.file {
            f if f == source.id || f == FileId::default() => source.clone(),
            f => SourceFile::of(f).unwrap_or_else(|| source.clone()),
        };
        self.file = Some(source.display_name());
        self.source = Some(source);
        self.pos = Some(pos);
        self
    }

    pub fn in_file(mut self, file: impl Into<String>) -> Self {
        self.file = Some(file.into());
        self
    }

    pub fn field(mut self, field: impl Into<String>) -> Self {
        let f = field.into();
        if !f.is_empty() {
            self.field = Some(f);
        }
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(as_typed(hint.into()));
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `file:line:col` (or as much of it as is known).
    pub fn place(&self) -> String {
        match (&self.file, self.pos) {
            (Some(f), Some(p)) => format!("{f}:{}:{}", p.line, p.col),
            (Some(f), None) => f.clone(),
            (None, Some(p)) => format!("{}:{}", p.line, p.col),
            (None, None) => String::new(),
        }
    }

    /// Human-readable form, rustc-like, in Russian.
    pub fn render(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{}[{}]: {}",
            self.severity.word(),
            self.code,
            visible(&self.message)
        );
        let place = visible(&self.place());
        if !place.is_empty() {
            match &self.field {
                Some(f) => {
                    let _ = writeln!(out, "  --> {place} (поле {})", visible(f));
                }
                None => {
                    let _ = writeln!(out, "  --> {place}");
                }
            }
        } else if let Some(f) = &self.field {
            let _ = writeln!(out, "  --> поле {}", visible(f));
        }
        if let (Some(src), Some(pos)) = (&self.source, self.pos)
            && let Some(line) = src.line(pos.line)
        {
            let caret_at = (pos.col.max(1) - 1) as usize;
            let mut shown = String::new();
            let mut caret_pad = String::new();
            for (i, c) in line.chars().take(160).enumerate() {
                let v = visible_char(c);
                if i < caret_at {
                    caret_pad.extend(v.chars().map(|c| if c == '\t' { '\t' } else { ' ' }));
                }
                shown.push_str(&v);
            }
            let num = pos.line.to_string();
            let pad = " ".repeat(num.len());
            let _ = writeln!(out, "{pad} |");
            let _ = writeln!(out, "{num} | {shown}");
            let _ = writeln!(out, "{pad} | {caret_pad}^");
        }
        if let Some(h) = &self.hint {
            let _ = writeln!(out, "  = подсказка: {}", visible(h));
        }
        out
    }
}

/// At most `max` items of a list, joined with commas, and how many more:
/// a hint that lists ten thousand ids helps nobody.
pub fn some_of<T: AsRef<str>>(items: &[T], max: usize) -> String {
    let mut s = items
        .iter()
        .take(max)
        .map(AsRef::as_ref)
        .collect::<Vec<_>>()
        .join(", ");
    if items.len() > max {
        s.push_str(&format!(" … и ещё {}", items.len() - max));
    }
    s
}

/// A message as the clerk's own text reads: the inert brace of a batch value
/// ([`crate::letters::INERT_BRACE`]) is the «{» that was typed.
fn as_typed(s: String) -> String {
    if s.contains(crate::letters::INERT_BRACE) {
        s.replace(crate::letters::INERT_BRACE, "{")
    } else {
        s
    }
}

/// `s` safe to print on a terminal: control characters (ESC starts sequences
/// that retitle or clear a terminal), and marks that reorder text, are shown
/// as `\u{1b}` instead of being sent.
pub fn visible(s: &str) -> String {
    s.chars().map(visible_char).collect()
}

/// [`visible`] for whole messages: their own line breaks stay.
pub fn terminal_safe(s: &str) -> String {
    s.split('\n').map(visible).collect::<Vec<_>>().join("\n")
}

fn visible_char(c: char) -> String {
    let hidden = (c.is_control() && c != '\t')
        || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
    if hidden {
        c.escape_unicode().to_string()
    } else {
        c.to_string()
    }
}

/// A list of diagnostics with helpers used by every stage.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }
    pub fn has_errors(&self) -> bool {
        self.0.iter().any(Diagnostic::is_error)
    }
    pub fn errors(&self) -> usize {
        self.0.iter().filter(|d| d.is_error()).count()
    }
    pub fn warnings(&self) -> usize {
        self.0.len() - self.errors()
    }
    pub fn extend(&mut self, other: Diagnostics) {
        self.0.extend(other.0);
    }
    /// Sort by place so the output reads top to bottom.
    pub fn sort(&mut self) {
        self.0
            .sort_by(|a, b| (&a.file, a.pos).cmp(&(&b.file, b.pos)));
    }
}

/// Suggest the closest of `known` to `got` ("возможно, вы имели в виду …").
pub fn suggest<'a>(got: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let got_l = got.to_lowercase();
    known
        .into_iter()
        .map(|k| (strsim::damerau_levenshtein(&got_l, &k.to_lowercase()), k))
        .filter(|(d, k)| *d <= (k.chars().count() / 3).max(2))
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

/// The hint for a word not among `known`: which Latin letters in it only
/// look Russian (on screen «cрок» with a Latin «c» and «срок» are the same
/// word), else the closest known word. Every «unknown field / value» message
/// takes its hint from here.
pub fn maybe_meant<'a>(
    got: &str,
    known: impl IntoIterator<Item = &'a str> + Clone,
) -> Option<String> {
    let got = got.trim();
    let fixed = to_cyrillic(got);
    // The known word is the one with Latin letters (an id typed so).
    if let Some(k) = known
        .clone()
        .into_iter()
        .find(|k| *k != got && to_cyrillic(k) == fixed)
        && let Some(note) = latin_note(k)
    {
        return Some(note);
    }
    if let Some(note) = latin_note(got).filter(|_| {
        fixed != got
            && (got.chars().any(is_cyrillic) || known.clone().into_iter().any(|k| k == fixed))
    }) {
        return Some(match suggest(&fixed, known) {
            Some(s) if s.to_lowercase() == fixed.to_lowercase() => note,
            Some(s) => format!("{note}; возможно, вы имели в виду «{s}»"),
            None => note,
        });
    }
    suggest(got, known).map(|s| format!("возможно, вы имели в виду «{s}»"))
}

/// Latin letters that look like Russian ones, and the Russian letter each
/// stands for.
const LOOKALIKES: &[(char, char)] = &[
    ('a', 'а'),
    ('c', 'с'),
    ('e', 'е'),
    ('o', 'о'),
    ('p', 'р'),
    ('x', 'х'),
    ('y', 'у'),
    ('k', 'к'),
    ('A', 'А'),
    ('B', 'В'),
    ('C', 'С'),
    ('E', 'Е'),
    ('H', 'Н'),
    ('K', 'К'),
    ('M', 'М'),
    ('O', 'О'),
    ('P', 'Р'),
    ('T', 'Т'),
    ('X', 'Х'),
    ('Y', 'У'),
];

pub fn is_cyrillic(c: char) -> bool {
    matches!(c, 'А'..='я' | 'Ё' | 'ё')
}

/// `s` with Latin look-alike letters put in Russian.
pub fn to_cyrillic(s: &str) -> String {
    s.chars()
        .map(|c| {
            LOOKALIKES
                .iter()
                .find(|(l, _)| *l == c)
                .map_or(c, |(_, r)| *r)
        })
        .collect()
}

/// «в «cрок» первая буква «c» — латинская; наберите её по-русски», when a
/// word has Latin letters that look Russian (and no other Latin letters).
pub fn latin_note(word: &str) -> Option<String> {
    const ORDINALS: [&str; 10] = [
        "первая",
        "вторая",
        "третья",
        "четвёртая",
        "пятая",
        "шестая",
        "седьмая",
        "восьмая",
        "девятая",
        "десятая",
    ];
    let ordinal = |i: usize| {
        ORDINALS
            .get(i)
            .map_or_else(|| format!("{}-я", i + 1), |s| s.to_string())
    };
    let latin: Vec<(usize, char)> = word
        .chars()
        .enumerate()
        .filter(|(_, c)| LOOKALIKES.iter().any(|(l, _)| l == c))
        .collect();
    // A Latin word («plan») is Latin on purpose.
    let latin_word = word
        .chars()
        .any(|c| c.is_ascii_alphabetic() && !LOOKALIKES.iter().any(|(l, _)| *l == c));
    if latin.is_empty() || latin_word {
        return None;
    }
    Some(match latin.as_slice() {
        [(i, c)] => format!(
            "в «{word}» {} буква «{c}» — латинская; наберите её по-русски",
            ordinal(*i)
        ),
        many => {
            let list: Vec<String> = many
                .iter()
                .map(|(i, c)| format!("«{c}» ({})", ordinal(*i)))
                .collect();
            let (last, rest) = list.split_last().expect("two or more");
            format!(
                "в «{word}» буквы {} и {last} — латинские; наберите их по-русски",
                rest.join(", ")
            )
        }
    })
}

thread_local! {
    static GUARDED: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
}

/// Is this thread inside [`guard`]? (A panic hook stays quiet there: the panic
/// becomes an ordinary error.)
pub fn in_guard() -> bool {
    GUARDED.with(|g| g.get() > 0)
}

/// Run `f`, turning a panic inside a library we call (Typst, docx-rs) into an
/// error the user can act on, instead of a crash. `what` names the stage.
pub fn guard<T>(what: &str, f: impl FnOnce() -> Result<T, Diagnostic>) -> Result<T, Diagnostic> {
    GUARDED.with(|g| g.set(g.get() + 1));
    let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    GUARDED.with(|g| g.set(g.get() - 1));
    match caught {
        Ok(r) => r,
        Err(payload) => {
            let detail = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            Err(Diagnostic::error(
                errors::INTERNAL,
                format!("внутренняя ошибка при {what}: {detail}"),
            )
            .hint("это ошибка программы, а не ваша: сообщите разработчикам и приложите YAML-файл"))
        }
    }
}

/// The reason of an I/O error, in Russian.
pub fn io_reason(e: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    match e.kind() {
        K::NotFound => "файл или папка не найдены".into(),
        K::PermissionDenied => "нет прав доступа".into(),
        K::AlreadyExists => "файл уже существует".into(),
        K::StorageFull => "на диске нет места".into(),
        K::ReadOnlyFilesystem => "диск доступен только для чтения".into(),
        K::IsADirectory => "это папка, а не файл".into(),
        K::InvalidData => "файл повреждён или не в той кодировке".into(),
        K::NotADirectory => "часть пути — файл, а не папка".into(),
        K::DirectoryNotEmpty => "папка не пуста".into(),
        K::InvalidFilename => "слишком длинное или недопустимое имя файла".into(),
        K::FileTooLarge => "файл слишком велик для этой файловой системы".into(),
        K::QuotaExceeded => "превышена квота на диске".into(),
        K::ResourceBusy | K::ExecutableFileBusy => "файл занят другой программой".into(),
        K::CrossesDevices => "нельзя переместить файл на другой диск".into(),
        K::TooManyLinks => "слишком много ссылок".into(),
        K::Interrupted => "операция прервана".into(),
        K::UnexpectedEof => "файл оборвался".into(),
        K::OutOfMemory => "не хватило памяти".into(),
        K::TimedOut => "истекло время ожидания".into(),
        // The system's own text would be English: the code says enough to look up.
        _ => match e.raw_os_error() {
            Some(code) => format!("ошибка ввода-вывода (код системы {code})"),
            None => "ошибка ввода-вывода".into(),
        },
    }
}
