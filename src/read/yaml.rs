//! YAML text → a tree of [`Node`]s that remember where they stand.
//!
//! We build our own small tree from the parser's events (rather than deserialising
//! with serde directly) so that later stages can report *every* problem at once,
//! each with its line and column, in Russian. Aliases are expanded here under a
//! budget, so an alias bomb is refused before any work is done.

use crate::diag::{Diagnostic, Diagnostics, Pos, SourceFile};
use crate::errors;
use serde_saphyr::granit_parser::{ErrorKind, Event, Parser, ScalarStyle};
use std::collections::HashMap;
use std::sync::Arc;

/// Most nodes a document may expand to (aliases counted each time they are used).
pub const MAX_NODES: usize = 200_000;
/// Deepest nesting of lists and mappings.
pub const MAX_DEPTH: usize = 64;
/// Most text a document may expand to, bytes (aliases counted each time they
/// are used): one long string aliased thousands of times is refused before it
/// takes gigabytes.
pub const MAX_EXPANDED_BYTES: usize = 32 * 1024 * 1024;

#[derive(Debug, Clone, PartialEq)]
pub enum NodeKind {
    /// A scalar with its text; `plain` is false for quoted and block scalars.
    Scalar {
        text: String,
        plain: bool,
    },
    Seq(Vec<Node>),
    Map(Vec<(Node, Node)>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub kind: NodeKind,
    pub pos: Pos,
}

impl Node {
    pub fn is_null(&self) -> bool {
        matches!(&self.kind, NodeKind::Scalar { text, plain: true } if text.is_empty() || text == "~" || text == "null")
    }

    /// A Russian word for what this node is, for "ожидалось …, а найдено …".
    pub fn what(&self) -> &'static str {
        match &self.kind {
            NodeKind::Scalar { .. } if self.is_null() => "пустое значение",
            NodeKind::Scalar { .. } => "строка",
            NodeKind::Seq(_) => "список",
            NodeKind::Map(_) => "набор полей",
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            NodeKind::Scalar { text, .. } => Some(text),
            _ => None,
        }
    }

    /// Nodes and text bytes this node expands to.
    fn weight(&self) -> (usize, usize) {
        let add = |a: (usize, usize), b: (usize, usize)| (a.0 + b.0, a.1 + b.1);
        match &self.kind {
            NodeKind::Scalar { text, .. } => (1, text.len()),
            NodeKind::Seq(v) => v.iter().map(Node::weight).fold((1, 0), add),
            NodeKind::Map(v) => v
                .iter()
                .map(|(k, v)| add(k.weight(), v.weight()))
                .fold((1, 0), add),
        }
    }
}

/// A mapping's key seen a second time: the second one is dropped with its
/// value, and reported when the mapping is complete (the hint depends on the
/// whole run of repeats).
struct Repeat {
    key: String,
    pos: Pos,
    /// Index of the first such key among the mapping's entries.
    first: usize,
    first_line: u32,
}

enum Frame {
    Seq {
        items: Vec<Node>,
        pos: Pos,
        anchor: usize,
        /// The key this list is the value of (`пункты`, `строки` …).
        name: Option<String>,
    },
    Map {
        items: Vec<(Node, Node)>,
        key: Option<Node>,
        /// The pending key repeats an earlier one: its value is dropped.
        drop_value: bool,
        pos: Pos,
        anchor: usize,
        /// Normalized key → index in `items`.
        seen: HashMap<String, usize>,
        repeats: Vec<Repeat>,
        /// `Some(name)` when the mapping is an item of the list `name`.
        item_of: Option<Option<String>>,
    },
}

fn pos_of(src: &SourceFile, m: &serde_saphyr::granit_parser::Marker) -> Pos {
    src.pos(m.line() as u32, m.col() as u32 + 1)
}

/// A key as the decoder compares it: case, «ё», spaces and dashes do not matter.
pub fn normalize_key(s: &str) -> String {
    s.trim()
        .to_lowercase()
        .replace('ё', "е")
        .replace([' ', '-'], "_")
}

/// Parse YAML text into a node tree. An empty document is an error: an act
/// needs fields. Only the first problem is returned; [`parse_all`] gives
/// every one, and the warnings.
pub fn parse(src: &Arc<SourceFile>) -> Result<Node, Diagnostic> {
    let (root, notes) = parse_all(src)?;
    match notes.0.into_iter().find(Diagnostic::is_error) {
        Some(e) => Err(e),
        None => Ok(root),
    }
}

/// Parse YAML text into a node tree, with what reading it found besides a
/// syntax error (which stops it: `Err`): errors that leave the rest of the
/// file readable (a repeated key, a tag, a text cut short by «#») and
/// warnings (a comment that may have cut a text, a line glued to the list
/// item above). Nothing the clerk typed is dropped without one of these.
pub fn parse_all(src: &Arc<SourceFile>) -> Result<(Node, Diagnostics), Diagnostic> {
    let mut parser = Parser::new_from_str(&src.text);
    let mut stack: Vec<Frame> = Vec::new();
    let mut anchors: Vec<Option<(Node, (usize, usize))>> = Vec::new();
    let mut root: Option<Node> = None;
    let mut total = 0usize;
    let mut bytes = 0usize;
    let mut docs = 0;
    let mut notes = Diagnostics::default();
    // Anchors on texts (`&Срочно провести`): each with where its text
    // starts, its place and its text; and the anchors some alias used.
    let mut text_anchors: Vec<(usize, Option<usize>, Pos, String)> = Vec::new();
    let mut aliased: std::collections::HashSet<usize> = std::collections::HashSet::new();
    if src.read_as == Some(crate::diag::Encoding::Cp1251) {
        notes.push(
            Diagnostic::warning(
                super::READ_AS_CP1251,
                "файл сохранён не в UTF-8, а в кодировке Windows-1251 («ANSI»): prikaz прочитал его как Windows-1251",
            )
            .at(src, src.pos(1, 1))
            .hint("сохраните файл в UTF-8 (в Блокноте: «Сохранить как» → Кодировка: UTF-8), чтобы его одинаково читали все программы"),
        );
    }

    let too_big = |pos: Pos| {
        Diagnostic::error(
            errors::TOO_LARGE,
            format!("документ слишком велик: больше {MAX_NODES} элементов (полей, значений, элементов списков), считая раскрытые якоря (&) и ссылки (*)"),
        )
        .at(src, pos)
        .hint("обычному приказу хватает нескольких сотен элементов: уберите повторные ссылки на якоря или разделите документ")
    };

    let too_long = |pos: Pos| {
        Diagnostic::error(
            errors::TOO_LARGE,
            format!(
                "документ слишком велик: больше {} МБ текста после раскрытия якорей (&) и ссылок (*)",
                MAX_EXPANDED_BYTES / 1024 / 1024
            ),
        )
        .at(src, pos)
        .hint("уберите повторные ссылки на якоря с длинным текстом")
    };

    while let Some(ev) = parser.next_event() {
        let (event, span) = ev.map_err(|e| syntax_error(src, &e))?;
        let pos = pos_of(src, &span.start);
        let start_byte = span.start.byte_offset();
        let (node, anchor) = match event {
            Event::DocumentStart(..) => {
                docs += 1;
                if docs > 1 {
                    return Err(Diagnostic::error(
                        errors::YAML_SYNTAX,
                        "в файле больше одного документа (строки «---» или «...» делят его на части): опишите один акт в одном файле",
                    )
                    .at(src, pos));
                }
                continue;
            }
            Event::StreamStart | Event::StreamEnd | Event::DocumentEnd => continue,
            Event::Scalar(text, style, anchor, tag) => {
                let plain = matches!(style, ScalarStyle::Plain);
                bytes += text.len();
                if bytes > MAX_EXPANDED_BYTES {
                    return Err(too_long(pos));
                }
                if let Some(tag) = &tag {
                    tag_dropped(src, tag, start_byte, pos, &text, &mut notes);
                }
                if anchor != 0 {
                    text_anchors.push((anchor, start_byte, pos, text.to_string()));
                }
                if plain && span.end.line() > span.start.line() {
                    continued_list_item(src, span.start.line(), span.end.line())?;
                    match stack.last() {
                        Some(Frame::Seq { name, .. }) => {
                            glued_item(src, &span, name.as_deref(), &mut notes)
                        }
                        // `- текст: …` of a list item.
                        Some(Frame::Map {
                            key: Some(k),
                            item_of: Some(name),
                            ..
                        }) if k.as_str().map(normalize_key).as_deref() == Some("текст") => {
                            glued_item(src, &span, name.as_deref(), &mut notes)
                        }
                        _ => {}
                    }
                }
                // An empty value (`поле:`) has an empty span and no text of its own.
                if plain && !text.is_empty() && span.end.index() > span.start.index() {
                    comment_cut(src, &span, &text, &mut notes);
                }
                let text = match plain && text.contains('\t') {
                    true => pasted_cells(src, &span).unwrap_or_else(|| text.into_owned()),
                    false => text.into_owned(),
                };
                (
                    Node {
                        kind: NodeKind::Scalar { text, plain },
                        pos,
                    },
                    anchor,
                )
            }
            Event::SequenceStart(_, anchor, tag) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(depth_error(src, pos));
                }
                if let Some(tag) = &tag {
                    tag_dropped(src, tag, start_byte, pos, "", &mut notes);
                }
                let name = match stack.last() {
                    Some(Frame::Map { key: Some(k), .. }) => k.as_str().map(normalize_key),
                    _ => None,
                };
                stack.push(Frame::Seq {
                    items: Vec::new(),
                    pos,
                    anchor,
                    name,
                });
                continue;
            }
            Event::MappingStart(_, anchor, tag) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(depth_error(src, pos));
                }
                if let Some(tag) = &tag {
                    tag_dropped(src, tag, start_byte, pos, "", &mut notes);
                }
                let item_of = match stack.last() {
                    Some(Frame::Seq { name, .. }) => Some(name.clone()),
                    _ => None,
                };
                stack.push(Frame::Map {
                    items: Vec::new(),
                    key: None,
                    drop_value: false,
                    pos,
                    anchor,
                    seen: HashMap::new(),
                    repeats: Vec::new(),
                    item_of,
                });
                continue;
            }
            Event::SequenceEnd => match stack.pop() {
                Some(Frame::Seq {
                    items, pos, anchor, ..
                }) => (
                    Node {
                        kind: NodeKind::Seq(items),
                        pos,
                    },
                    anchor,
                ),
                _ => unreachable_event(src, pos)?,
            },
            Event::MappingEnd => match stack.pop() {
                Some(Frame::Map {
                    mut items,
                    pos,
                    anchor,
                    repeats,
                    item_of,
                    ..
                }) => {
                    report_repeats(src, &items, repeats, item_of, &mut notes);
                    merge_keys(&mut items);
                    (
                        Node {
                            kind: NodeKind::Map(items),
                            pos,
                        },
                        anchor,
                    )
                }
                _ => unreachable_event(src, pos)?,
            },
            Event::Alias(id) => {
                aliased.insert(id);
                let Some(Some((node, weight))) = anchors.get(id) else {
                    return Err(Diagnostic::error(
                        errors::YAML_SYNTAX,
                        "ссылка (*) на неизвестный якорь",
                    )
                    .at(src, pos));
                };
                total += weight.0;
                bytes += weight.1;
                if total > MAX_NODES {
                    return Err(too_big(pos));
                }
                if bytes > MAX_EXPANDED_BYTES {
                    return Err(too_long(pos));
                }
                let mut n = node.clone();
                n.pos = pos;
                (n, 0)
            }
            _ => continue,
        };
        total += 1;
        if total > MAX_NODES {
            return Err(too_big(pos));
        }
        if anchor != 0 {
            if anchors.len() <= anchor {
                anchors.resize(anchor + 1, None);
            }
            let w = node.weight();
            anchors[anchor] = Some((node.clone(), w));
        }
        match stack.last_mut() {
            Some(Frame::Seq { items, .. }) => items.push(node),
            Some(Frame::Map {
                items,
                key,
                drop_value,
                seen,
                repeats,
                ..
            }) => match key.take() {
                None => {
                    if let Some(k) = node.as_str() {
                        let norm = normalize_key(k);
                        match seen.get(&norm) {
                            Some(&first) => {
                                repeats.push(Repeat {
                                    key: k.trim().to_string(),
                                    pos: node.pos,
                                    first,
                                    first_line: items[first].0.pos.line,
                                });
                                *drop_value = true;
                            }
                            None => {
                                seen.insert(norm, items.len());
                            }
                        }
                    }
                    *key = Some(node);
                }
                Some(k) => {
                    if std::mem::take(drop_value) {
                        continue;
                    }
                    items.push((k, node));
                }
            },
            None => root = Some(node),
        }
    }
    for (id, start, pos, text) in text_anchors {
        if !aliased.contains(&id) {
            anchor_dropped(src, start, pos, &text, &mut notes);
        }
    }
    match root {
        Some(r) if !r.is_null() => Ok((r, notes)),
        _ => Err(
            Diagnostic::error(errors::YAML_SYNTAX, "файл пуст: в нём нет ни одного поля")
                .at(src, src.pos(1, 1))
                .hint("начните с образца: prikaz new приказ > акт.yaml"),
        ),
    }
}

/// Lines `first..=last` (from 1) of the source as written, without their `\r`.
fn span_lines(src: &SourceFile, first: usize, last: usize) -> Vec<&str> {
    src.text
        .lines()
        .skip(first.saturating_sub(1))
        .take(last.saturating_sub(first) + 1)
        .map(|l| l.trim_end_matches('\r'))
        .collect()
}

/// A plain text whose every line holds a tab: rows pasted from a
/// spreadsheet (cells with tabs between them). YAML would fold the lines into
/// one and drop the tabs at their ends (empty last cells); the lines are kept
/// as written, a row a line, for the table to split.
fn pasted_cells(src: &SourceFile, span: &serde_saphyr::granit_parser::Span) -> Option<String> {
    let (first, last) = (span.start.line(), span.end.line());
    let lines = span_lines(src, first, last);
    let mut out = Vec::with_capacity(lines.len());
    for (i, line) in lines.iter().enumerate() {
        let mut l: String = if i == 0 {
            line.chars().skip(span.start.col()).collect()
        } else {
            line.trim_start_matches(' ').to_string()
        };
        if i + 1 == lines.len() {
            // Up to the text's end, and the tabs after it when nothing else follows.
            let upto = if i == 0 {
                span.end.col().saturating_sub(span.start.col())
            } else {
                span.end
                    .col()
                    .saturating_sub(line.chars().count() - l.chars().count())
            };
            let rest: String = l.chars().skip(upto).collect();
            if !rest.trim().is_empty() {
                l = l.chars().take(upto).collect();
            }
        }
        out.push(l);
    }
    out.iter()
        .filter(|l| !l.trim().is_empty())
        .all(|l| l.contains('\t'))
        .then(|| out.join("\n"))
}

/// The list names whose items are points (for the wording of hints).
fn is_points(list: Option<&str>) -> bool {
    matches!(list, Some("пункты" | "подпункты"))
}

/// Report the keys a mapping repeats. YAML allows a key once per mapping; the
/// second is dropped with its value, so the clerk must hear of it. When the
/// repeats start again from the mapping's first key (or run over several
/// keys in order) in an item of a list, the clerk wrote a new item without
/// its «- »: the item's fields became repeats of the item above, and the
/// item itself vanished.
fn report_repeats(
    src: &Arc<SourceFile>,
    items: &[(Node, Node)],
    repeats: Vec<Repeat>,
    item_of: Option<Option<String>>,
    notes: &mut Diagnostics,
) {
    if repeats.is_empty() {
        return;
    }
    let in_order = repeats.windows(2).all(|w| w[0].first < w[1].first);
    let new_item = item_of.is_some()
        && (repeats[0].first == 0 || (repeats.len() >= 2 && in_order))
        && !items.is_empty();
    let list = item_of.flatten();
    let hint = if new_item {
        match list.as_deref() {
            Some("строки" | "подстроки") => "похоже, здесь начинается новая строка без дефиса: каждая строка плана начинается с «- », иначе её поля повторяют поля строки выше, а сама строка пропадает".to_string(),
            l if is_points(l) => "похоже, здесь начинается новый пункт без дефиса: каждый пункт начинается с «- », иначе его поля повторяют поля пункта выше, а сам пункт пропадает".to_string(),
            _ => "похоже, здесь начинается новый элемент списка без дефиса: каждый элемент списка начинается с «- », иначе его поля повторяют поля элемента выше, а сам элемент пропадает".to_string(),
        }
    } else {
        "поле пишется в одном наборе полей один раз: оставьте одно из двух (второе сейчас не учитывается)".to_string()
    };
    for r in repeats {
        notes.push(
            Diagnostic::error(
                errors::REPEATED_KEY,
                format!(
                    "поле «{}» повторяется (уже было в строке {})",
                    r.key, r.first_line
                ),
            )
            .at(src, r.pos)
            .hint(hint.clone()),
        );
    }
}

/// YAML's merge key: `<<: *общее` brings the fields of an anchored mapping
/// (or of each of a list of them) into this one, those written here winning.
fn merge_keys(items: &mut Vec<(Node, Node)>) {
    while let Some(i) = items.iter().position(
        |(k, _)| matches!(&k.kind, NodeKind::Scalar { text, plain: true } if text == "<<"),
    ) {
        let (_, v) = items.remove(i);
        let sources: Vec<Node> = match v.kind {
            NodeKind::Map(_) => vec![v],
            NodeKind::Seq(list) => list,
            // Not a mapping: kept as a field, so the decoder reports it.
            _ => {
                items.insert(
                    i,
                    (
                        Node {
                            kind: NodeKind::Scalar {
                                text: "<<".into(),
                                plain: false,
                            },
                            pos: v.pos,
                        },
                        v,
                    ),
                );
                return;
            }
        };
        let mut at = i;
        for s in sources {
            if let NodeKind::Map(entries) = s.kind {
                for (k, v) in entries {
                    let name = k.as_str().map(normalize_key);
                    let present = items
                        .iter()
                        .any(|(ik, _)| ik.as_str().map(normalize_key) == name);
                    if !present {
                        items.insert(at, (k, v));
                        at += 1;
                    }
                }
            }
        }
    }
}

/// A tag before a value (`- !Срочно провести`): YAML keeps the tag apart
/// and the text loses the word. `!!str` and its kin are YAML on purpose.
fn tag_dropped(
    src: &Arc<SourceFile>,
    tag: &serde_saphyr::granit_parser::Tag,
    start_byte: Option<usize>,
    pos: Pos,
    text: &str,
    notes: &mut Diagnostics,
) {
    if tag.handle() == "tag:yaml.org,2002:" && matches!(tag.suffix(), "str" | "map" | "seq") {
        return;
    }
    mark_dropped(
        src,
        start_byte,
        pos,
        text,
        '!',
        "считает служебной меткой и отбрасывает: в документ она не попадёт",
        notes,
    );
}

/// An anchor on a text that no alias uses (`- &Срочно провести`): the clerk
/// meant the «&» word as part of the text, and YAML dropped it.
fn anchor_dropped(
    src: &Arc<SourceFile>,
    start_byte: Option<usize>,
    pos: Pos,
    text: &str,
    notes: &mut Diagnostics,
) {
    mark_dropped(
        src,
        start_byte,
        pos,
        text,
        '&',
        "считает якорем (меткой для ссылок «*») и отбрасывает: в документ это слово не попадёт",
        notes,
    );
}

/// The word that starts with `mark` before a value's content (the last one
/// before `start_byte`, a run of marks included: «!!x»), reported at its
/// place with the whole text quoted as the fix.
fn mark_dropped(
    src: &Arc<SourceFile>,
    start_byte: Option<usize>,
    pos: Pos,
    text: &str,
    mark: char,
    what_yaml_does: &str,
    notes: &mut Diagnostics,
) {
    let found = start_byte
        .and_then(|b| src.text.get(..b))
        .and_then(|before| {
            let mut i = before.rfind(mark)?;
            while i > 0 && before[..i].ends_with(mark) {
                i -= mark.len_utf8();
            }
            Some(i)
        });
    let (at, written) = match found {
        Some(i) => {
            let end = src.text[i..]
                .find(char::is_whitespace)
                .map_or(src.text.len(), |e| i + e);
            let p = Pos::at_offset(&src.text, i);
            (src.pos(p.line, p.col), src.text[i..end].to_string())
        }
        None => (pos, mark.to_string()),
    };
    let whole = format!("{written} {text}").trim().to_string();
    notes.push(
        Diagnostic::error(
            errors::YAML_SYNTAX,
            format!("«{written}» в начале значения YAML {what_yaml_does}"),
        )
        .at(src, at)
        .hint(format!(
            "текст, начинающийся с «{mark}», берётся в кавычки: \"{}\"",
            whole.replace('"', "\\\"")
        )),
    );
}

/// A plain text followed on its line by « #…»: YAML takes the rest of the
/// line for a comment, and the text ends before it («СОШ #1 и СОШ № 3» →
/// «СОШ»). `#1` (no space after «#») was surely not meant as a comment: an
/// error. `# …` after a single space may be either: a warning, which the
/// clerk answers by quoting the text or by setting the comment apart with
/// two spaces (as the starters do).
fn comment_cut(
    src: &Arc<SourceFile>,
    span: &serde_saphyr::granit_parser::Span,
    text: &str,
    notes: &mut Diagnostics,
) {
    let Some(end) = span.end.byte_offset() else {
        return;
    };
    let Some(rest) = src.text.get(end..) else {
        return;
    };
    let rest = rest.split('\n').next().unwrap_or("").trim_end_matches('\r');
    let gap = rest.len() - rest.trim_start_matches([' ', '\t']).len();
    if gap == 0 {
        return;
    }
    let Some(comment) = rest[gap..].strip_prefix('#') else {
        return;
    };
    if comment.trim().is_empty() {
        return;
    }
    let hash = Pos::at_offset(&src.text, end + gap);
    let at = src.pos(hash.line, hash.col);
    let dropped = format!("#{comment}").trim_end().to_string();
    let whole = format!("{text}{}", &rest[..gap]) + &dropped;
    let quote = if whole.contains('"') && !whole.contains('\'') {
        format!("'{whole}'")
    } else {
        format!("\"{}\"", whole.replace('"', "\\\""))
    };
    let one_line = span.start.line() == span.end.line();
    let fix = if one_line {
        format!("возьмите весь текст в кавычки: {quote}")
    } else {
        "возьмите весь текст в кавычки".to_string()
    };
    if !comment.starts_with([' ', '\t']) {
        notes.push(
            Diagnostic::error(
                errors::YAML_SYNTAX,
                format!("текст оборван знаком «#»: слова «{dropped}» YAML считает комментарием, и в документ они не попадут (текст кончается на «{}»)", last_words(text)),
            )
            .at(src, at)
            .hint(fix),
        );
    } else if gap == 1 && text.chars().any(char::is_alphabetic) {
        notes.push(
            Diagnostic::warning(
                super::COMMENT_CUT,
                format!("слова после «#» — «{}» — YAML считает комментарием: в документ они не попадут", dropped.trim_start_matches('#').trim()),
            )
            .at(src, at)
            .hint(format!("если это часть текста, {fix}; если это ваш комментарий, отделите «#» двумя пробелами")),
        );
    }
}

/// The last few words of a text, for «текст кончается на …».
fn last_words(text: &str) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    let tail = &words[words.len().saturating_sub(3)..];
    let s = tail.join(" ");
    if words.len() > 3 {
        format!("…{s}")
    } else {
        s
    }
}

/// A plain text that runs over several lines, where a following line begins
/// with «- »: YAML joins it to the text above («Первый - Второй»), but the clerk
/// meant a new list item and indented it one space off.
fn continued_list_item(src: &Arc<SourceFile>, first: usize, last: usize) -> Result<(), Diagnostic> {
    for (i, line) in src.text.lines().enumerate().take(last).skip(first) {
        let t = line.trim_start();
        if t.starts_with("- ") || t == "-" {
            let col = (line.len() - t.len()) as u32 + 1;
            return Err(Diagnostic::error(
                errors::YAML_SYNTAX,
                "неверный отступ у элемента списка: строка стала продолжением текста выше",
            )
            .at(src, src.pos(i as u32 + 1, col))
            .hint("все элементы одного списка («- …») должны начинаться с одной и той же колонки; если дефис — часть текста, возьмите весь текст в кавычки"));
        }
    }
    Ok(())
}

/// Abbreviations a line may end with mid-sentence («г.», «ул.», «И.И.»).
fn ends_with_abbreviation(line: &str) -> bool {
    let last = line.split_whitespace().last().unwrap_or("");
    let word = last.trim_end_matches('.');
    let letters = word.chars().filter(|c| c.is_alphabetic()).count();
    letters > 0
        && (letters <= 2
            || matches!(
                word.to_lowercase().as_str(),
                "ул" | "им"
                    | "др"
                    | "пр"
                    | "см"
                    | "стр"
                    | "руб"
                    | "тел"
                    | "каб"
                    | "корп"
                    | "обл"
                    | "пос"
                    | "т.д"
                    | "т.п"
                    | "т.е"
                    | "т.ч"
                    | "т.к"
            ))
}

/// «3.2.», «3.», «2)» at the start of a line: the number of a point.
fn starts_with_point_number(line: &str) -> bool {
    let token: String = line
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.' || *c == ')')
        .collect();
    let digits = token.chars().filter(char::is_ascii_digit).count();
    let after = line[token.len()..].chars().next();
    digits > 0
        && digits <= 4
        && (token.ends_with('.') || token.ends_with(')'))
        && after.is_none_or(char::is_whitespace)
        && !token.contains("..")
        // «01.10.2023.» is a date, not a point.
        && token.split('.').all(|p| p.trim_end_matches(')').len() <= 2)
}

/// A line ending in a word that a number goes on with: «пунктом», «раздела».
fn refers_on(line: &str) -> bool {
    let last = line.split_whitespace().last().unwrap_or("").to_lowercase();
    [
        "пункт",
        "подпункт",
        "раздел",
        "стать",
        "приложени",
        "част",
        "№",
    ]
    .iter()
    .any(|w| last.starts_with(w))
}

/// A word in the infinitive or the imperative, as points begin: «Провести»,
/// «Обеспечить», «Возложить».
fn is_verb_start(line: &str) -> bool {
    let word: String = line.chars().take_while(|c| c.is_alphabetic()).collect();
    let lower = word.to_lowercase();
    word.chars().next().is_some_and(char::is_uppercase)
        && word.chars().count() >= 4
        && ["ть", "ться", "ти", "чь", "чься"]
            .iter()
            .any(|e| lower.ends_with(e))
}

/// A list item's text that runs over several lines, where a following line
/// reads as a new item: YAML folds a line written without «- » into the
/// text of the item above, and the item silently holds two. A line is taken
/// for a new item when the line before ends a sentence («.», «;», «:», or is
/// blank) and it starts with a capital letter or a point number («3.2.»), or
/// when it starts with a point number or a verb in the infinitive whatever
/// the line before. A long text wrapped mid-sentence does not look so.
fn glued_item(
    src: &Arc<SourceFile>,
    span: &serde_saphyr::granit_parser::Span,
    list: Option<&str>,
    notes: &mut Diagnostics,
) {
    let first = span.start.line();
    let last = span.end.line();
    let lines = span_lines(src, first, last);
    // The first line's text starts at the item's content.
    let mut prev: String = lines
        .first()
        .map(|l| l.chars().skip(span.start.col()).collect())
        .unwrap_or_default();
    let what = if is_points(list) {
        "пункта"
    } else {
        "элемента списка"
    };
    for (i, line) in lines.iter().enumerate().skip(1) {
        let t = line.trim();
        if t.is_empty() {
            prev.clear();
            continue;
        }
        let p = prev.trim_end();
        let sentence_end =
            p.is_empty() || (p.ends_with(['.', ';', ':', '!', '?']) && !ends_with_abbreviation(p));
        let capital = t.chars().next().is_some_and(char::is_uppercase)
            // An abbreviation in capitals (МБОУ, СОШ) goes on a sentence.
            && t.chars().nth(1).is_some_and(|c| !c.is_uppercase());
        let new_item = (sentence_end && (capital || starts_with_point_number(t)))
            || (!p.ends_with([',', '-', '–', '—', '('])
                && !ends_with_abbreviation(p)
                && !refers_on(p)
                && (starts_with_point_number(t) || is_verb_start(t)));
        if new_item {
            let line_no = (first + i) as u32;
            let col = line.chars().take_while(|c| c.is_whitespace()).count() as u32 + 1;
            notes.push(
                Diagnostic::warning(
                    super::GLUED_ITEM,
                    format!("строка {line_no} приклеена к тексту {what} выше; если это отдельный {}, начните её с «- »", if is_points(list) { "пункт" } else { "элемент" }),
                )
                .at(src, src.pos(line_no, col))
                .hint("строка без «- » в начале продолжает текст предыдущего элемента списка: YAML склеивает их в один; если это продолжение того же текста, начните его со строчной буквы или возьмите весь текст в кавычки"),
            );
        }
        prev = t.to_string();
    }
}

fn unreachable_event<T>(src: &Arc<SourceFile>, pos: Pos) -> Result<T, Diagnostic> {
    Err(Diagnostic::error(errors::YAML_SYNTAX, "нарушена структура YAML").at(src, pos))
}

fn depth_error(src: &Arc<SourceFile>, pos: Pos) -> Diagnostic {
    Diagnostic::error(
        errors::TOO_LARGE,
        format!("слишком глубокая вложенность: больше {MAX_DEPTH} уровней списков и полей"),
    )
    .at(src, pos)
}

/// What a parser error means to a clerk: a Russian message and a hint, by the
/// parser's error kind. No parser text (English) reaches the clerk.
fn explain(kind: &ErrorKind) -> (String, &'static str) {
    use ErrorKind as K;
    let (msg, hint): (&str, &str) = match kind {
        K::TabNotAllowed
        | K::TabInBlockIndentation
        | K::TabInIndentation
        | K::TabAtBlockScalarStart
        | K::TabInPlainScalar => (
            "символ табуляции в отступе",
            "отступы делаются только пробелами: замените табуляцию пробелами",
        ),
        K::InvalidIndentation | K::ExpectedBlockMappingKey | K::InvalidFlowScalarIndent => (
            "неверный отступ: поле сдвинуто не туда",
            "поля одного уровня должны начинаться с одной и той же колонки; вложенное поле — на 2 пробела правее своего родителя",
        ),
        K::ExpectedBlockSequenceEntry | K::BlockSequenceEntryNotAllowed => (
            "неверный отступ у элемента списка",
            "все элементы одного списка («- …») должны начинаться с одной и той же колонки",
        ),
        K::MappingValueNotAllowed | K::InvalidColonPlacement | K::MappingKeyNotAllowed => (
            "здесь не может начинаться поле «имя: значение»",
            "если в тексте есть двоеточие с пробелом («: »), возьмите весь текст в кавычки; иначе проверьте отступ этой строки",
        ),
        K::InvalidSimpleKey | K::SimpleKeyExpected => (
            "не удалось разобрать строку «поле: значение»",
            "после имени поля нужно двоеточие и пробел; если двоеточие есть в самом значении, возьмите значение в кавычки",
        ),
        K::UnexpectedEofFlowSequence | K::UnclosedFlowCollection { open: '[' } => (
            "не закрыта квадратная скобка «[»",
            "список в скобках пишется так: [первое, второе]",
        ),
        K::UnexpectedEofFlowMapping
        | K::UnexpectedEofImplicitFlowMapping
        | K::UnclosedFlowCollection { .. } => (
            "не закрыта фигурная скобка «{»",
            "набор полей в скобках пишется так: {имя: …, телефон: …}",
        ),
        K::UnexpectedEofBlockSequence | K::UnexpectedEofBlockMapping | K::UnexpectedEof => (
            "файл оборвался посреди записи",
            "проверьте, что каждая скобка и кавычка закрыта",
        ),
        K::UnclosedQuotedScalar | K::DocumentIndicatorInQuotedScalar => (
            "не закрыта кавычка",
            "текст в кавычках должен заканчиваться такой же кавычкой, какой начался",
        ),
        K::InvalidTrailingSingleQuotedScalar | K::InvalidTrailingDoubleQuotedScalar => (
            "после закрывающей кавычки идёт ещё текст",
            "возьмите в кавычки весь текст значения, а кавычки внутри текста пишите «ёлочками»",
        ),
        K::ExpectedFlowSequenceSeparator => (
            "в списке в скобках [ … ] не хватает запятой или закрывающей скобки «]»",
            "элементы пишутся через запятую: [первое, второе]",
        ),
        K::ExpectedFlowMappingSeparator => (
            "в наборе полей { … } не хватает запятой или закрывающей скобки «}»",
            "поля пишутся через запятую: {имя: …, телефон: …}",
        ),
        K::MismatchedFlowCollectionEnd { .. } | K::MisplacedFlowCollectionEnd => (
            "скобка закрыта не той скобкой или лишняя",
            "«[» закрывается «]», а «{» — «}»",
        ),
        K::BlockEntryInFlowCollection => (
            "элемент «- …» внутри скобок [ … ] или { … }",
            "внутри скобок элементы пишутся через запятую, без дефиса",
        ),
        K::PlainScalarStartsWithDashFlowIndicator | K::InvalidBlockEntryWhitespace => (
            "после дефиса элемента списка нужен пробел",
            "пишите «- текст»; если текст сам начинается с дефиса, возьмите его в кавычки",
        ),
        K::InvalidMappingValueWhitespace
        | K::FlowMappingValueAdjacentCollection
        | K::ExpectedWhitespace => (
            "после двоеточия нужен пробел",
            "пишите «поле: значение»; если двоеточие — часть текста, возьмите текст в кавычки",
        ),
        K::CommentInterceptedScalar => (
            "знак «#» после пробела посреди многострочного текста начал комментарий: текст оборван на нём",
            "если «#» — часть текста, возьмите весь текст (все его строки) в кавычки; комментарий пишут после текста или на отдельной строке",
        ),
        K::CommentNotSeparated => (
            "знак # без пробела перед ним или посреди многострочного текста",
            "комментарий отделяется пробелом: «значение  # комментарий»; если # — часть текста, возьмите текст в кавычки",
        ),
        K::UnknownQuotedScalarEscape
        | K::InvalidQuotedScalarHexEscape
        | K::InvalidLowSurrogateHexEscape
        | K::InvalidLowSurrogate
        | K::MissingLowSurrogate
        | K::UnpairedLowSurrogate
        | K::InvalidUnicodeEscape => (
            "неверная последовательность с обратной косой чертой «\\» в кавычках \"…\"",
            "в двойных кавычках «\\» начинает особый знак; возьмите текст в одинарные кавычки '…' или удвойте черту: \\\\",
        ),
        K::ZeroBlockScalarIndent
        | K::InvalidBlockScalarHeader
        | K::InvalidBlockScalarIndent
        | K::InvalidQuotedScalarIndent => (
            "неверный отступ в многострочном тексте",
            "после «|» или «>» строки текста пишутся с одинаковым отступом, правее имени поля",
        ),
        K::UnknownAnchor => (
            "ссылка (*) на неизвестный якорь",
            "объявите якорь &имя выше, или, если звёздочка — часть текста, возьмите текст в кавычки",
        ),
        K::MissingAnchorOrAliasName => (
            "после «&» или «*» нет имени",
            "если & или * — часть текста, возьмите текст в кавычки",
        ),
        K::UnexpectedCharacter { .. } => (
            "значение не может начинаться с этого знака",
            "если значение начинается с @, `, %, & или *, возьмите его в кавычки",
        ),
        K::InputDecoding { .. } => (
            "файл не в кодировке UTF-8",
            "сохраните файл в UTF-8 (в Блокноте: «Сохранить как» → UTF-8)",
        ),
        K::BomInsideDocument => (
            "невидимый знак BOM посреди файла",
            "так бывает, когда склеивают два файла; удалите знак или пересохраните файл в UTF-8",
        ),
        K::ExpectedDocumentStart | K::MissingDocumentEndBeforeDirective => (
            "строка, начинающаяся с «%», принята за служебное указание",
            "если «%» — часть текста, возьмите текст в кавычки или начните строку с имени поля",
        ),
        K::InvalidDocumentEnd | K::MultipleDocumentsUnsupported => (
            "лишний текст после конца документа (...) или между документами",
            "опишите один акт в одном файле, без строк «---» и «...»",
        ),
        K::ExpectedNodeContent => (
            "здесь ожидалось значение",
            "проверьте, что после двоеточия или дефиса стоит значение, а скобки и кавычки закрыты",
        ),
        K::ExpectedTagBang
        | K::ExpectedTagDirectiveBang
        | K::InvalidGlobalTagCharacter
        | K::UndeclaredTagHandle
        | K::InvalidTagTerminator
        | K::MissingTagUri
        | K::UnclosedVerbatimTag
        | K::InvalidTagEscape
        | K::InvalidTagUtf8LeadingByte
        | K::InvalidTagUtf8TrailingByte
        | K::InvalidTagUtf8 => (
            "значение начинается с «!», а так пишут служебные метки",
            "если «!» — часть текста, возьмите текст в кавычки",
        ),
        K::DuplicateVersionDirective
        | K::UnsupportedYamlMajorVersion
        | K::DuplicateTagDirective
        | K::InvalidDirectiveTerminator
        | K::DirectiveDisallowed
        | K::MissingYamlVersionSeparator
        | K::MissingDirectiveName
        | K::InvalidDirectiveName
        | K::YamlVersionTooLong
        | K::MissingYamlVersion
        | K::InvalidTagDirectiveTerminator => (
            "строка, начинающаяся с «%», принята за служебное указание",
            "если «%» — часть текста, сдвиньте строку или возьмите текст в кавычки",
        ),
        K::RecursionLimitExceeded | K::AnchorCountOverflow => (
            "слишком глубокая вложенность скобок или слишком много якорей",
            "обычному акту хватает нескольких уровней вложенности",
        ),
        _ => (
            "ошибка в записи YAML",
            "проверьте отступы, двоеточия, скобки и кавычки в этой строке",
        ),
    };
    (msg.to_string(), hint)
}

fn syntax_error(src: &Arc<SourceFile>, e: &serde_saphyr::granit_parser::ScanError) -> Diagnostic {
    let m = e.marker();
    let mut pos = src.pos(m.line().max(1) as u32, m.col() as u32 + 1);
    let (mut msg, hint) = explain(e.kind());
    let mut hint = hint.to_string();
    // The indentation family says «field» or «list item» by what the line holds.
    if matches!(
        e.kind(),
        ErrorKind::InvalidIndentation
            | ErrorKind::ExpectedBlockMappingKey
            | ErrorKind::ExpectedBlockSequenceEntry
            | ErrorKind::BlockSequenceEntryNotAllowed
    ) {
        let line = src.text.lines().nth(pos.line as usize - 1).unwrap_or("");
        let t = line.trim_start();
        if t.starts_with("- ") || t == "-" {
            msg = "неверный отступ у элемента списка".into();
            hint = "все элементы одного списка («- …») должны начинаться с одной и той же колонки"
                .into();
        } else {
            msg = "неверный отступ у поля".into();
            hint = "поля одного уровня должны начинаться с одной и той же колонки; вложенное поле — правее своего родителя".into();
            // A field at the column of the list's dashes above: a new item
            // (a plan row, a point) written without its «- ».
            let indent = line.len() - t.len();
            let above: Vec<&str> = src.text.lines().take(pos.line as usize - 1).collect();
            let nearest = above
                .iter()
                .rev()
                .filter(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
                .find(|l| l.len() - l.trim_start().len() <= indent);
            if let Some(l) = nearest
                && l.len() - l.trim_start().len() == indent
                && l.trim_start().starts_with("- ")
            {
                hint = "если здесь начинается новый элемент списка (строка плана, пункт), начните его с «- », как элемент выше; иначе сдвиньте поле под поля своего элемента".into();
            }
        }
    }
    if matches!(
        e.kind(),
        ErrorKind::ExpectedDocumentStart | ErrorKind::MissingDocumentEndBeforeDirective
    ) && let Some(i) = src
        .text
        .lines()
        .take(pos.line as usize)
        .collect::<Vec<_>>()
        .iter()
        .rposition(|l| l.starts_with('%'))
    {
        // The parser stops after the directives; the clerk's line is the «%» one.
        pos = src.pos(i as u32 + 1, 1);
    }
    // The scanner stops at the end of the text before a tab: the tab is on
    // its own line, where the clerk must look.
    if matches!(
        e.kind(),
        ErrorKind::TabNotAllowed
            | ErrorKind::TabInBlockIndentation
            | ErrorKind::TabInIndentation
            | ErrorKind::TabAtBlockScalarStart
            | ErrorKind::TabInPlainScalar
    ) && let Some(at) = tab_at_or_after(&src.text, pos.line, pos.col)
    {
        pos = src.pos(at.line, at.col);
    }
    // A «#» after a space inside brackets began a comment, and the bracket
    // was never closed: the «#» was meant as text.
    let open_at = unclosed_bracket(&src.text, m.index())
        .map(|(line, _)| line)
        .or_else(|| {
            // The parser names the bracket itself when the file ends.
            matches!(
                e.kind(),
                ErrorKind::UnclosedFlowCollection { .. }
                    | ErrorKind::UnexpectedEofFlowSequence
                    | ErrorKind::UnexpectedEofFlowMapping
            )
            .then_some(pos.line as usize)
        });
    if let Some(line) = open_at
        && src
            .text
            .lines()
            .nth(line - 1)
            .is_some_and(|l| l.contains(" #"))
    {
        hint = format!(
            "в строке {line} знак «#» после пробела начал комментарий, и скобка осталась незакрытой: если «#» — часть текста, возьмите этот элемент в кавычки"
        );
        return Diagnostic::error(errors::YAML_SYNTAX, msg)
            .at(src, pos)
            .hint(hint);
    }
    // Rows pasted from a spreadsheet: cells with tabs between them, one with «: ».
    if let Some(line) = src.text.lines().nth(pos.line as usize - 1)
        && line.trim().contains('\t')
        && !matches!(
            e.kind(),
            ErrorKind::TabNotAllowed
                | ErrorKind::TabInIndentation
                | ErrorKind::TabInBlockIndentation
        )
    {
        hint = "похоже, это строки, скопированные из Excel (ячейки разделены табуляцией): напишите «строки: |» и вставьте их ниже с отступом — каждая строка станет строкой таблицы, ячейки — по колонкам".into();
    }
    if let Some((line, c)) = unclosed_bracket(&src.text, m.index()) {
        hint = format!("не закрыта скобка «{c}» из строки {line}");
    }
    Diagnostic::error(errors::YAML_SYNTAX, msg)
        .at(src, pos)
        .hint(hint)
}

/// The first tab at line `line`, column `col` or after, within a few lines.
fn tab_at_or_after(text: &str, line: u32, col: u32) -> Option<Pos> {
    for (i, l) in text.lines().enumerate().skip(line as usize - 1).take(4) {
        let from = if i + 1 == line as usize {
            col as usize - 1
        } else {
            0
        };
        if let Some(c) = l.chars().enumerate().skip(from).find(|(_, c)| *c == '\t') {
            return Some(Pos::new(i as u32 + 1, c.0 as u32 + 1));
        }
    }
    None
}

/// The last bracket `[` or `{` still open before character `upto` (quotes and
/// comments skipped): a frequent cause of confusing YAML errors.
fn unclosed_bracket(text: &str, upto: usize) -> Option<(usize, char)> {
    let mut stack: Vec<(usize, char)> = Vec::new();
    let mut line = 1;
    let mut quote: Option<char> = None;
    let mut comment = false;
    let mut prev = ' ';
    for c in text.chars().take(upto) {
        match c {
            '\n' => {
                line += 1;
                comment = false;
                if quote == Some('\'') {
                    // single-quoted scalars may span lines; keep going
                }
            }
            _ if comment => {}
            '#' if quote.is_none() && (prev == ' ' || prev == '\t') => comment = true,
            '"' | '\'' if quote == Some(c) => quote = None,
            '"' | '\'' if quote.is_none() && matches!(prev, ' ' | '[' | '{' | ',' | ':') => {
                quote = Some(c)
            }
            '[' | '{' if quote.is_none() => stack.push((line, c)),
            ']' | '}' if quote.is_none() => {
                stack.pop();
            }
            _ => {}
        }
        prev = c;
    }
    stack.pop()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Result<Node, Diagnostic> {
        parse(&SourceFile::new("t.yaml", s))
    }

    #[test]
    fn positions_are_one_based() {
        let n = p("a: 1\nb:\n  - x\n").unwrap();
        let NodeKind::Map(m) = n.kind else { panic!() };
        assert_eq!((m[1].0.pos.line, m[1].0.pos.col), (2, 1));
        let NodeKind::Seq(s) = &m[1].1.kind else {
            panic!()
        };
        assert_eq!((s[0].pos.line, s[0].pos.col), (3, 5));
    }

    #[test]
    fn alias_bomb_is_refused() {
        let mut s = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        let mut prev = 'a';
        for c in 'b'..='k' {
            s.push_str(&format!("{c}: &{c} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"));
            prev = c;
        }
        let e = p(&s).unwrap_err();
        assert_eq!(e.code, errors::TOO_LARGE);
    }

    /// One case per kind of syntax mistake a clerk makes: the message and hint
    /// are Russian (no Latin letter of the parser's text), and the line is the
    /// one the clerk must fix, marked `# <-` in the case.
    const SYNTAX_CASES: &[(&str, &str)] = &[
        (
            "field indented one space too far",
            "вид: приказ\nподписант:\n  должность: Начальник\n   имя: И.И. Иванов # <-\nномер: 5\n",
        ),
        (
            "nested mapping field indented too far",
            "подписант:\n  должность:\n    - Начальник\n   имя: Иванов # <-\n",
        ),
        (
            "list item dedented",
            "вид: приказ\nпункты:\n  - Первый.\n - Второй. # <-\n  - Третий.\nномер: 5\n",
        ),
        (
            "field dedented inside a mapping",
            "подписант:\n    должность: Начальник\n  имя: Иванов # <-\nномер: 5\n",
        ),
        (
            "list item indented one space too far",
            "пункты:\n  - Первый.\n   - Второй. # <-\n",
        ),
        ("tab in indentation", "подписант:\n\tимя: Иванов # <-\n"),
        (
            "colon in an unquoted value",
            "заголовок: О мерах: срочных # <-\nномер: 5\n",
        ),
        (
            "unclosed double quote",
            "номер: 5\nзаголовок: \"О мерах # <-\n",
        ),
        (
            "unclosed bracket",
            "номер: 5\nрассылка: [школы, сады # <-\n",
        ),
        (
            "unclosed brace",
            "номер: 5\nисполнитель: {имя: Иванов # <-\n",
        ),
        (
            "wrong closing bracket",
            "номер: 5\nрассылка: [школы, сады} # <-\n",
        ),
        (
            "text after a closing quote",
            "номер: 5\nзаголовок: \"О мерах\" по улучшению # <-\n",
        ),
        ("unknown anchor", "номер: 5\nзаголовок: *план # <-\n"),
        (
            "value starts with a backtick",
            "номер: 5\nзаголовок: `О мерах` # <-\n",
        ),
        ("value starts with @", "номер: 5\nпочта: @school # <-\n"),
        (
            "bad escape in double quotes",
            "номер: 5\nзаголовок: \"C:\\школа\\приказ\" # <-\n",
        ),
        (
            "dash without a space",
            "пункты:\n  - Первый.\n  -[Второй] # <-\n",
        ),
        (
            "dash list inside brackets",
            "рассылка: [школы, - сады] # <-\n",
        ),
        ("tag-like value", "номер: 5\nзаголовок: !важно # <-\n"),
        ("directive-like line", "%ПРИКАЗ # <-\nномер: 5\n"),
        (
            "block text dedented",
            "преамбула: |\n    Первая строка.\n  Вторая строка. # <-\nномер: 5\n",
        ),
        (
            "comment without a space",
            "номер: \"5\"# комментарий # <-\n",
        ),
        (
            "text after the document end",
            "номер: 5\n...\nзаголовок: О мерах # <-\n",
        ),
    ];

    #[test]
    fn syntax_errors_are_russian_and_point_at_the_mistake() {
        let mut failures = vec![];
        for (name, text) in SYNTAX_CASES {
            let want = text
                .lines()
                .position(|l| l.ends_with("# <-"))
                .expect("case marks its line") as u32
                + 1;
            // The marker itself is a comment; a case where the comment would
            // change the meaning keeps it anyway (it only ends the line).
            let e = match p(text) {
                Err(e) => e,
                Ok(_) => {
                    failures.push(format!("{name}: parsed without error"));
                    continue;
                }
            };
            let words = format!("{} {}", e.message, e.hint.clone().unwrap_or_default());
            if words.chars().any(|c| c.is_ascii_alphabetic()) {
                failures.push(format!("{name}: Latin letters in «{words}»"));
            }
            let got = e.pos.map(|p| p.line).unwrap_or(0);
            if got != want {
                failures.push(format!("{name}: line {got}, want {want} («{words}»)"));
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    #[test]
    fn empty_is_error() {
        assert!(p("").is_err());
        assert!(p("# только комментарий\n").is_err());
    }
}
