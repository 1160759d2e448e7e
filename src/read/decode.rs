//! Turning [`Node`]s into typed input values while collecting every problem.
//!
//! Each input struct has a `decode` function that walks its mapping with
//! [`Fields`]: the Russian keys appear there once, unknown keys are reported with a
//! suggestion, and a wrong value never stops the rest of the file from being checked.

use super::schema::{Schema, Value};
use super::yaml::{Node, NodeKind};
use crate::diag::{Diagnostic, Diagnostics, Pos, SourceFile, maybe_meant};
use crate::errors;
use chrono::NaiveDate;
use std::fmt::Display;
use std::sync::Arc;

/// A value with the place it was written.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Spanned<T> {
    pub value: T,
    pub pos: Pos,
}

impl<T> Spanned<T> {
    pub fn new(value: T, pos: Pos) -> Self {
        Self { value, pos }
    }
}

impl<T> std::ops::Deref for Spanned<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.value
    }
}

/// Decoding context: the source, the diagnostics so far and the current field path.
pub struct Cx {
    pub src: Arc<SourceFile>,
    pub diags: Diagnostics,
    path: Vec<String>,
    /// Describe mode (see [`Decode::describe`]): the fields a decoder asks
    /// for are written down here instead of being decoded.
    recording: Option<Vec<Asked>>,
}

/// A field a decoder asked for, as written down in describe mode.
pub struct Asked {
    /// What the mapping is, as the decoder names it in messages («пункт»).
    pub what: &'static str,
    pub key: &'static str,
    pub required: bool,
    /// Words only: a bare number or yes/no is refused (see [`prose`]).
    pub prose: bool,
    /// The schema of the field's value.
    pub describe: fn(&mut Schema) -> Value,
}

impl Cx {
    pub fn new(src: Arc<SourceFile>) -> Self {
        Self {
            src,
            diags: Diagnostics::default(),
            path: Vec::new(),
            recording: None,
        }
    }

    /// A context in describe mode: decoders write down the fields they ask
    /// for, and decode nothing.
    pub fn recording(src: Arc<SourceFile>) -> Self {
        Self {
            recording: Some(Vec::new()),
            ..Self::new(src)
        }
    }

    /// The fields asked for in describe mode, in the order asked.
    pub fn asked(self) -> Vec<Asked> {
        self.recording.unwrap_or_default()
    }

    /// In describe mode, write the field down and say so.
    fn ask<T: Decode>(
        &mut self,
        what: &'static str,
        key: &'static str,
        required: bool,
        prose: bool,
    ) -> bool {
        match &mut self.recording {
            Some(r) => {
                r.push(Asked {
                    what,
                    key,
                    required,
                    prose,
                    describe: T::describe,
                });
                true
            }
            None => false,
        }
    }

    /// The current field path, e.g. `пункты[3].срок`.
    pub fn path(&self) -> String {
        let mut s = String::new();
        for seg in self.path.iter().filter(|s| !s.is_empty()) {
            if !seg.starts_with('[') && !s.is_empty() {
                s.push('.');
            }
            s.push_str(seg);
        }
        s
    }

    pub fn error(
        &mut self,
        code: &'static str,
        pos: Pos,
        msg: impl Into<String>,
    ) -> &mut Diagnostic {
        let d = Diagnostic::error(code, msg)
            .at(&self.src, pos)
            .field(self.path());
        self.diags.push(d);
        self.diags.0.last_mut().expect("just pushed")
    }

    /// Run `f` with `seg` appended to the field path.
    pub fn within<T>(&mut self, seg: impl Display, f: impl FnOnce(&mut Self) -> T) -> T {
        self.path.push(seg.to_string());
        let r = f(self);
        self.path.pop();
        r
    }

    pub fn wrong_type(&mut self, node: &Node, expected: &str) {
        if let NodeKind::Map(m) = &node.kind
            && m.len() == 1
            && self.colon_text(&m[0].0, &m[0].1)
        {
            return;
        }
        let got = node.what();
        let d = self.error(
            errors::WRONG_KIND,
            node.pos,
            format!("ожидалось: {expected}, а найдено: {got}"),
        );
        if let NodeKind::Map(m) = &node.kind
            && m.len() == 1
        {
            d.hint = Some("в тексте есть двоеточие с пробелом («: »), и YAML принял его за поле: возьмите весь текст в кавычки".into());
        }
    }

    /// A text with «: » in it, where a text may stand, that YAML read as a
    /// field `key: value` («- Провести: муниципальный этап …» → a field
    /// «Провести»): report it as what it is, with the text as the clerk
    /// typed it in quotes. One message serves every place a text is expected
    /// (points, sub-points, list items, table cells, requisites). Only a key
    /// that reads as words (see [`prose_key`]) is taken for a text: `{a: 1}`
    /// is a mapping. True when reported.
    pub fn colon_text(&mut self, key: &Node, value: &Node) -> bool {
        let Some(k) = key.as_str() else {
            return false;
        };
        if !prose_key(k) {
            return false;
        }
        let rest = match &value.kind {
            NodeKind::Scalar { .. } if value.is_null() => String::new(),
            NodeKind::Scalar { text, .. } => format!(" {}", text.trim()),
            NodeKind::Seq(_) => {
                // «- Руководителям ОО:» with its sub-points below.
                let k = k.trim();
                self.error(
                    errors::WRONG_KIND,
                    key.pos,
                    format!("текст «{k}:» с двоеточием на конце YAML принял за имя поля, а список под ним — за его значение"),
                )
                .hint = Some(format!(
                    "текст с подпунктами пишется так: «текст: \"{k}:\"», а ниже, под словом «текст», — «пункты:» (в списке — «список:») и подпункты"
                ));
                return true;
            }
            _ => return false,
        };
        let whole = format!("{}:{rest}", k.trim());
        let shown: String = whole.chars().take(70).collect();
        let shown = if shown.len() < whole.len() {
            format!("\"{}…\"", shown.replace('"', "\\\""))
        } else {
            format!("\"{}\"", shown.replace('"', "\\\""))
        };
        self.error(
            errors::WRONG_KIND,
            key.pos,
            format!(
                "в тексте есть двоеточие с пробелом («: »), и YAML принял слова «{}» за имя поля: так текст не прочитать",
                k.trim()
            ),
        )
        .hint = Some(format!("возьмите весь текст в кавычки: {shown}"));
        true
    }
}

/// A value of the input, read from its YAML node.
///
/// `describe` gives the JSON Schema of what `decode` accepts, for editors
/// (`prikaz schema`). The fields of a mapping are not listed twice: a
/// mapping's schema is made by running its `decode` in describe mode, where
/// [`Fields`] writes down each key it is asked for instead of decoding it.
pub trait Decode: Sized {
    fn decode(node: &Node, cx: &mut Cx) -> Option<Self>;
    fn describe(g: &mut Schema) -> Value;
}

impl Decode for String {
    fn decode(node: &Node, cx: &mut Cx) -> Option<Self> {
        match &node.kind {
            NodeKind::Scalar { .. } if node.is_null() => {
                cx.error(
                    errors::EMPTY_VALUE,
                    node.pos,
                    "пустое значение: здесь нужен текст",
                );
                None
            }
            NodeKind::Scalar { text, .. } => {
                let t = text.trim_end_matches(['\n', '\r']).to_string();
                if t.trim().is_empty() {
                    cx.error(errors::EMPTY_VALUE, node.pos, "пустой текст");
                    return None;
                }
                Some(t)
            }
            _ => {
                cx.wrong_type(node, "строка текста");
                None
            }
        }
    }
    fn describe(g: &mut Schema) -> Value {
        g.text()
    }
}

impl<T: Decode> Decode for Spanned<T> {
    fn decode(node: &Node, cx: &mut Cx) -> Option<Self> {
        T::decode(node, cx).map(|v| Spanned::new(v, node.pos))
    }
    fn describe(g: &mut Schema) -> Value {
        T::describe(g)
    }
}

impl<T: Decode> Decode for Vec<T> {
    /// A list; a single value is taken as a list of one.
    fn decode(node: &Node, cx: &mut Cx) -> Option<Self> {
        match &node.kind {
            NodeKind::Seq(items) => {
                let mut out = Vec::with_capacity(items.len());
                let mut ok = true;
                for (i, item) in items.iter().enumerate() {
                    match cx.within(format!("[{}]", i + 1), |cx| T::decode(item, cx)) {
                        Some(v) => out.push(v),
                        None => ok = false,
                    }
                }
                ok.then_some(out)
            }
            _ => T::decode(node, cx).map(|v| vec![v]),
        }
    }
    fn describe(g: &mut Schema) -> Value {
        let one = T::describe(g);
        serde_json::json!({ "anyOf": [one.clone(), { "type": "array", "items": one }] })
    }
}

/// Yes and no as a clerk may write them (any case).
const YES: &[&str] = &["да", "true", "yes", "истина", "вкл"];
const NO: &[&str] = &["нет", "false", "no", "ложь", "выкл"];

impl Decode for bool {
    fn decode(node: &Node, cx: &mut Cx) -> Option<Self> {
        let t = node.as_str().map(|s| s.trim().to_lowercase());
        match t.as_deref() {
            Some(w) if YES.contains(&w) => Some(true),
            Some(w) if NO.contains(&w) => Some(false),
            _ => {
                let d = cx.error(
                    errors::WRONG_KIND,
                    node.pos,
                    format!("ожидалось «да» или «нет», а найдено: {}", show(node)),
                );
                if let Some(w) = t.as_deref() {
                    d.hint = maybe_meant(w, YES.iter().chain(NO).copied());
                }
                None
            }
        }
    }
    fn describe(_: &mut Schema) -> Value {
        let mut words: Vec<String> = YES.iter().chain(NO).map(|w| w.to_string()).collect();
        words.extend(["Да", "Нет"].map(String::from));
        serde_json::json!({ "anyOf": [{ "type": "boolean" }, { "enum": words }] })
    }
}

impl Decode for u32 {
    fn decode(node: &Node, cx: &mut Cx) -> Option<Self> {
        match node.as_str().and_then(|s| s.trim().parse::<u32>().ok()) {
            Some(n) => Some(n),
            None => {
                cx.error(
                    errors::WRONG_KIND,
                    node.pos,
                    format!("ожидалось целое число, а найдено: {}", show(node)),
                );
                None
            }
        }
    }
    fn describe(_: &mut Schema) -> Value {
        serde_json::json!({ "anyOf": [
            { "type": "integer", "minimum": 0 },
            { "type": "string", "pattern": "^\\s*[0-9]+\\s*$" },
        ] })
    }
}

impl Decode for f32 {
    fn decode(node: &Node, cx: &mut Cx) -> Option<Self> {
        match node
            .as_str()
            .and_then(|s| s.trim().replace(',', ".").parse::<f32>().ok())
            .filter(|v| v.is_finite() && *v > 0.0)
        {
            Some(n) => Some(n),
            None => {
                cx.error(
                    errors::WRONG_KIND,
                    node.pos,
                    format!("ожидалось положительное число, а найдено: {}", show(node)),
                );
                None
            }
        }
    }
    fn describe(_: &mut Schema) -> Value {
        serde_json::json!({ "anyOf": [
            { "type": "number", "exclusiveMinimum": 0 },
            { "type": "string", "pattern": "^\\s*[0-9]+([.,][0-9]+)?\\s*$" },
        ] })
    }
}

/// A plain (unquoted) scalar that YAML itself would read as a number or a
/// yes/no value: «3», «-2», «4.5», «true».
fn bare_non_text(node: &Node) -> Option<&'static str> {
    let NodeKind::Scalar { text, plain: true } = &node.kind else {
        return None;
    };
    let t = text.trim();
    if t.is_empty() {
        None
    } else if t.parse::<f64>().is_ok() || t.replace(',', ".").parse::<f64>().is_ok() {
        Some("число")
    } else if matches!(t.to_lowercase().as_str(), "true" | "false") {
        Some("логическое значение")
    } else {
        None
    }
}

/// Decode a field where a bare number is surely a slip: a position, a name, a
/// recipient, the text of a point. «должность: 5» or «пункты: 3» is refused with
/// its place; a number that really is the text is written in quotes («"5"»).
/// Lists are checked item by item.
pub fn prose<T: Decode>(node: &Node, cx: &mut Cx) -> Option<T> {
    let items: Vec<&Node> = match &node.kind {
        NodeKind::Seq(items) => items.iter().collect(),
        _ => vec![node],
    };
    let mut ok = true;
    for (i, item) in items.iter().enumerate() {
        if let Some(what) = bare_non_text(item) {
            let seg = match &node.kind {
                NodeKind::Seq(_) => format!("[{}]", i + 1),
                _ => String::new(),
            };
            let quoted = item.as_str().unwrap_or("").trim().to_string();
            cx.within(seg, |cx| {
                cx.error(
                    errors::WRONG_KIND,
                    item.pos,
                    format!("ожидался текст, а найдено {what}: {quoted}"),
                )
                .hint = Some(format!(
                    "здесь пишут слова; если это и правда текст, возьмите его в кавычки: \"{quoted}\""
                ));
            });
            ok = false;
        }
    }
    if !ok {
        return None;
    }
    T::decode(node, cx)
}

/// Short quote of a node for messages.
pub fn show(node: &Node) -> String {
    match node.as_str() {
        Some(s) if !node.is_null() => {
            let short: String = s.chars().take(40).collect();
            if short.len() < s.len() {
                format!("«{short}…»")
            } else {
                format!("«{short}»")
            }
        }
        _ => node.what().to_string(),
    }
}

/// A date as a clerk writes it: `2023-09-20` or `20.09.2023`.
pub fn parse_date(s: &str) -> Result<NaiveDate, String> {
    let s = s.trim();
    // Digits only: «01.01.-999» or «+2023-01-01» is no date.
    let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    let parts: Option<(i32, u32, u32)> = if let Some((d, rest)) = s.split_once('.') {
        rest.split_once('.').and_then(|(m, y)| {
            (y.len() == 4 && d.len() <= 2 && m.len() <= 2 && digits(y) && digits(d) && digits(m))
                .then(|| Some((y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)))
                .flatten()
        })
    } else if s.len() == 10
        && s.as_bytes()[4] == b'-'
        && s.as_bytes()[7] == b'-'
        && digits(&s[..4])
        && digits(&s[5..7])
        && digits(&s[8..])
    {
        (|| {
            Some((
                s[..4].parse().ok()?,
                s[5..7].parse().ok()?,
                s[8..].parse().ok()?,
            ))
        })()
    } else {
        None
    };
    let Some((y, m, d)) = parts else {
        return Err(format!(
            "«{s}» — не дата: пишите ДД.ММ.ГГГГ (20.09.2023) или ГГГГ-ММ-ДД (2023-09-20)"
        ));
    };
    let years = super::limits::YEARS;
    if !years.contains(&y) {
        return Err(format!(
            "год {y} вне допустимого: пишите год от {} до {} ({s})",
            years.start(),
            years.end()
        ));
    }
    NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| {
        if (1..=12).contains(&m) {
            let last = (28..=31)
                .rev()
                .find(|day| NaiveDate::from_ymd_opt(y, m, *day).is_some())
                .unwrap_or(28);
            format!("такой даты нет: {d:02}.{m:02}.{y} (в этом месяце {last} дней)")
        } else {
            format!("такой даты нет: месяц {m} (месяцев всего 12)")
        }
    })
}

impl Decode for NaiveDate {
    fn decode(node: &Node, cx: &mut Cx) -> Option<Self> {
        let Some(s) = node.as_str().filter(|_| !node.is_null()) else {
            cx.wrong_type(node, "дата (ДД.ММ.ГГГГ)");
            return None;
        };
        match parse_date(s) {
            Ok(d) => Some(d),
            Err(msg) => {
                cx.error(errors::BAD_DATE, node.pos, msg);
                None
            }
        }
    }
    fn describe(_: &mut Schema) -> Value {
        serde_json::json!({
            "type": "string",
            "pattern": "^\\s*([0-9]{1,2}\\.[0-9]{1,2}\\.[0-9]{4}|[0-9]{4}-[0-9]{2}-[0-9]{2})\\s*$",
        })
    }
}

/// Pick one of a fixed set of words; unknown words get a suggestion.
/// A setting whose values a clerk writes as words: the enum, the words with
/// what each means (the editor shows it beside the completion), and its
/// decoder ([`choice`]) and schema, all from one list.
macro_rules! keywords {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $($(#[$vmeta:meta])* $variant:ident = $word:literal : $about:literal,)*
        }
    ) => {
        $(#[$meta])*
        pub enum $name {
            $($(#[$vmeta])* $variant,)*
        }

        impl $name {
            /// The words a clerk writes for each value.
            pub const WORDS: &[(&str, Self)] = &[$(($word, $name::$variant),)*];
            /// What each word means, in the order of [`Self::WORDS`].
            pub const ABOUT: &[&str] = &[$($about,)*];
        }

        impl Decode for $name {
            fn decode(node: &Node, cx: &mut Cx) -> Option<Self> {
                choice(node, cx, Self::WORDS)
            }
            fn describe(g: &mut Schema) -> Value {
                g.words_about(Self::WORDS, Self::ABOUT)
            }
        }
    };
}
pub(crate) use keywords;

pub fn choice<T: Copy>(node: &Node, cx: &mut Cx, options: &[(&'static str, T)]) -> Option<T> {
    let Some(s) = node.as_str().filter(|_| !node.is_null()) else {
        cx.wrong_type(node, "одно из слов");
        return None;
    };
    let norm = s
        .trim()
        .to_lowercase()
        .replace('ё', "е")
        .replace([' ', '-'], "_");
    if let Some((_, v)) = options
        .iter()
        .find(|(k, _)| k.to_lowercase().replace('ё', "е") == norm)
    {
        return Some(*v);
    }
    let words: Vec<&str> = options.iter().map(|(k, _)| *k).collect();
    let list = words.join(", ");
    let d = cx.error(
        errors::UNKNOWN_VALUE,
        node.pos,
        format!("неизвестное значение «{}»; допустимо: {list}", s.trim()),
    );
    if let Some(h) = maybe_meant(s.trim(), words.iter().copied()) {
        d.hint = Some(h);
    }
    None
}

/// A key that reads as words of a text rather than a field's name: fields
/// are lowercase words joined by «_», while a text's words start with a
/// capital, have spaces between them, or begin with a verb («провести»).
pub fn prose_key(k: &str) -> bool {
    let k = k.trim();
    let lower = k.to_lowercase();
    k.chars().next().is_some_and(char::is_uppercase)
        || k.contains(char::is_whitespace)
        || k.chars().any(|c| !(c.is_alphanumeric() || c == '_'))
        || ["ть", "ться", "ти", "чь"]
            .iter()
            .any(|e| lower.ends_with(e))
}

/// A key as typed, for comparison: case, «ё», spaces and dashes do not matter.
fn normalize_key(s: &str) -> String {
    s.to_lowercase().replace('ё', "е").replace([' ', '-'], "_")
}

/// Walks one YAML mapping: each key is asked for once by name; what is left
/// over when [`Fields::finish`] is called is reported as unknown.
pub struct Fields<'n> {
    pos: Pos,
    entries: Vec<(String, &'n Node, &'n Node)>,
    /// Each entry's key as [`Fields::take`] compares it, computed once.
    normalized: Vec<String>,
    used: Vec<bool>,
    known: Vec<&'static str>,
    what: &'static str,
    /// A text may stand here instead of the mapping (a point, a list item):
    /// a mapping that is really a text with «: » is told as such.
    text_place: bool,
    /// How many diagnostics there were when the mapping was opened.
    mark: usize,
}

impl<'n> Fields<'n> {
    /// `what` names the thing in Russian for messages («подписант», «пункт» …).
    pub fn new(node: &'n Node, cx: &mut Cx, what: &'static str) -> Option<Self> {
        let NodeKind::Map(items) = &node.kind else {
            cx.error(
                errors::WRONG_KIND,
                node.pos,
                format!("ожидался набор полей ({what}), а найдено: {}", node.what()),
            );
            return None;
        };
        // A repeated key is reported (and dropped) by the YAML reader.
        let entries: Vec<(String, &Node, &Node)> = items
            .iter()
            .map(|(k, v)| (k.as_str().unwrap_or("").trim().to_string(), k, v))
            .collect();
        let n = entries.len();
        let normalized = entries.iter().map(|(k, ..)| normalize_key(k)).collect();
        Some(Self {
            pos: node.pos,
            entries,
            normalized,
            used: vec![false; n],
            known: Vec::new(),
            what,
            text_place: false,
            mark: cx.diags.0.len(),
        })
    }

    /// [`Fields::new`] for a place where a text may stand instead of the
    /// fields: a key that reads as words is taken for a text with «: »
    /// ([`Cx::colon_text`]), instead of an unknown field and a missing one.
    pub fn text_or(node: &'n Node, cx: &mut Cx, what: &'static str) -> Option<Self> {
        let mut f = Self::new(node, cx, what)?;
        f.text_place = true;
        Some(f)
    }

    pub fn pos(&self) -> Pos {
        self.pos
    }

    /// Where `key` is written in this mapping, if it is.
    pub fn key_pos(&self, key: &str) -> Option<Pos> {
        let want = normalize_key(key);
        let i = self.normalized.iter().position(|k| *k == want)?;
        Some(self.entries[i].1.pos)
    }

    /// Where `path` is written: a key of this mapping («номер»), or a key
    /// of the mapping one of its keys holds («оформление.шапка»).
    pub fn path_pos(&self, path: &str) -> Option<Pos> {
        let Some((outer, inner)) = path.split_once('.') else {
            return self.key_pos(path);
        };
        let want = normalize_key(outer);
        let i = self.normalized.iter().position(|k| *k == want)?;
        let NodeKind::Map(items) = &self.entries[i].2.kind else {
            return None;
        };
        let want = normalize_key(inner);
        items
            .iter()
            .find(|(k, _)| normalize_key(k.as_str().unwrap_or("").trim()) == want)
            .map(|(k, _)| k.pos)
    }

    fn take(&mut self, key: &'static str) -> Option<&'n Node> {
        self.known.push(key);
        let want = normalize_key(key);
        let i = self.normalized.iter().position(|k| *k == want)?;
        self.used[i] = true;
        Some(self.entries[i].2)
    }

    pub fn opt<T: Decode>(&mut self, key: &'static str, cx: &mut Cx) -> Option<T> {
        self.opt_with(key, cx, T::decode)
    }

    /// An optional field of words, where a bare number is refused ([`prose`]).
    pub fn opt_prose<T: Decode>(&mut self, key: &'static str, cx: &mut Cx) -> Option<T> {
        if cx.ask::<T>(self.what, key, false, true) {
            return None;
        }
        let node = self.take(key)?;
        cx.within(key, |cx| prose(node, cx))
    }

    /// An optional field read by `f`; `T`'s schema describes it.
    pub fn opt_with<T: Decode>(
        &mut self,
        key: &'static str,
        cx: &mut Cx,
        f: impl FnOnce(&Node, &mut Cx) -> Option<T>,
    ) -> Option<T> {
        if cx.ask::<T>(self.what, key, false, false) {
            return None;
        }
        let node = self.take(key)?;
        cx.within(key, |cx| f(node, cx))
    }

    pub fn req<T: Decode>(&mut self, key: &'static str, cx: &mut Cx) -> Option<T> {
        self.req_with(key, cx, T::decode)
    }

    /// A required field of words, where a bare number is refused ([`prose`]).
    pub fn req_prose<T: Decode>(&mut self, key: &'static str, cx: &mut Cx) -> Option<T> {
        if cx.ask::<T>(self.what, key, true, true) {
            return None;
        }
        self.req_inner(key, cx, prose)
    }

    /// A required field read by `f`; `T`'s schema describes it.
    pub fn req_with<T: Decode>(
        &mut self,
        key: &'static str,
        cx: &mut Cx,
        f: impl FnOnce(&Node, &mut Cx) -> Option<T>,
    ) -> Option<T> {
        if cx.ask::<T>(self.what, key, true, false) {
            return None;
        }
        self.req_inner(key, cx, f)
    }

    fn req_inner<T>(
        &mut self,
        key: &'static str,
        cx: &mut Cx,
        f: impl FnOnce(&Node, &mut Cx) -> Option<T>,
    ) -> Option<T> {
        match self.take(key) {
            Some(node) => cx.within(key, |cx| f(node, cx)),
            None => {
                let what = self.what;
                cx.error(
                    errors::MISSING_FIELD,
                    self.pos,
                    format!("нет обязательного поля «{key}» ({what})"),
                );
                None
            }
        }
    }

    /// Report keys nobody asked for.
    pub fn finish(mut self, cx: &mut Cx) {
        if cx.recording.is_some() {
            return;
        }
        if self.text_place {
            let mut told = false;
            for (i, (key, knode, value)) in self.entries.iter().enumerate() {
                // A field's name mistyped («Cрок», «Cроки») is no text.
                let like_field = maybe_meant(key, self.known.iter().copied()).is_some();
                if !self.used[i] && !like_field && prose_key(key) && cx.colon_text(knode, value) {
                    self.used[i] = true;
                    told = true;
                }
            }
            if told {
                // The fields it lacks are no news: the clerk wrote a text.
                let pos = Some(self.pos);
                let later = cx.diags.0.split_off(self.mark.min(cx.diags.0.len()));
                let (kept, _): (Vec<_>, Vec<_>) = later
                    .into_iter()
                    .partition(|d| !(d.code == errors::MISSING_FIELD && d.pos == pos));
                // The text's message stands where the missing field's stood.
                cx.diags.0.extend(kept);
            }
        }
        for (i, (key, knode, _)) in self.entries.iter().enumerate() {
            if self.used[i] {
                continue;
            }
            let what = self.what;
            let sug = maybe_meant(key, self.known.iter().copied());
            let d = cx.error(
                errors::UNKNOWN_FIELD,
                knode.pos,
                format!("неизвестное поле «{key}» ({what})"),
            );
            d.hint = Some(match sug {
                Some(s) => s,
                None => format!("здесь допустимы поля: {}", self.known.join(", ")),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(
            parse_date("20.09.2023").unwrap(),
            NaiveDate::from_ymd_opt(2023, 9, 20).unwrap()
        );
        assert_eq!(
            parse_date("2023-09-20").unwrap(),
            NaiveDate::from_ymd_opt(2023, 9, 20).unwrap()
        );
        assert_eq!(
            parse_date("5.6.2016").unwrap(),
            NaiveDate::from_ymd_opt(2016, 6, 5).unwrap()
        );
        assert!(parse_date("31.11.2023").unwrap_err().contains("30 дней"));
        assert!(parse_date("29.02.2023").unwrap_err().contains("28 дней"));
        assert!(parse_date("01.13.2023").unwrap_err().contains("месяц 13"));
        assert!(parse_date("вчера").is_err());
        assert!(parse_date("2023-9-2").is_err());
    }
}
