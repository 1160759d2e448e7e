//! YAML text → a tree of [`Node`]s that remember where they stand.
//!
//! We build our own small tree from the parser's events (rather than deserialising
//! with serde directly) so that later stages can report *every* problem at once,
//! each with its line and column, in Russian. Aliases are expanded here under a
//! budget, so an alias bomb is refused before any work is done.

use crate::diag::{Diagnostic, Pos, SourceFile};
use serde_saphyr::granit_parser::{Event, Parser, ScalarStyle};
use std::sync::Arc;

/// Most nodes a document may expand to (aliases counted each time they are used).
pub const MAX_NODES: usize = 200_000;
/// Deepest nesting of lists and mappings.
pub const MAX_DEPTH: usize = 64;

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

    fn weight(&self) -> usize {
        match &self.kind {
            NodeKind::Scalar { .. } => 1,
            NodeKind::Seq(v) => 1 + v.iter().map(Node::weight).sum::<usize>(),
            NodeKind::Map(v) => {
                1 + v
                    .iter()
                    .map(|(k, v)| k.weight() + v.weight())
                    .sum::<usize>()
            }
        }
    }
}

enum Frame {
    Seq(Vec<Node>, Pos, usize),
    Map(Vec<(Node, Node)>, Option<Node>, Pos, usize),
}

fn pos_of(m: &serde_saphyr::granit_parser::Marker) -> Pos {
    Pos::new(m.line() as u32, m.col() as u32 + 1)
}

/// Parse YAML text into a node tree. An empty document is an error: an act needs fields.
pub fn parse(src: &Arc<SourceFile>) -> Result<Node, Diagnostic> {
    let mut parser = Parser::new_from_str(&src.text);
    let mut stack: Vec<Frame> = Vec::new();
    let mut anchors: Vec<Option<(Node, usize)>> = Vec::new();
    let mut root: Option<Node> = None;
    let mut total = 0usize;
    let mut docs = 0;

    let too_big = |pos: Pos| {
        Diagnostic::error(
            "E002",
            format!("документ слишком велик: больше {MAX_NODES} элементов после раскрытия якорей (&) и ссылок (*)"),
        )
        .at(src, pos)
        .hint("уберите повторные ссылки на якоря; обычному приказу хватает нескольких сотен элементов")
    };

    while let Some(ev) = parser.next_event() {
        let (event, span) = ev.map_err(|e| syntax_error(src, &e))?;
        let pos = pos_of(&span.start);
        let (node, anchor) = match event {
            Event::DocumentStart(..) => {
                docs += 1;
                if docs > 1 {
                    return Err(Diagnostic::error(
                        "E001",
                        "в файле больше одного YAML-документа (---): опишите один акт в одном файле",
                    )
                    .at(src, pos));
                }
                continue;
            }
            Event::StreamStart | Event::StreamEnd | Event::DocumentEnd => continue,
            Event::Scalar(text, style, anchor, _) => {
                let plain = matches!(style, ScalarStyle::Plain);
                (
                    Node {
                        kind: NodeKind::Scalar {
                            text: text.into_owned(),
                            plain,
                        },
                        pos,
                    },
                    anchor,
                )
            }
            Event::SequenceStart(_, anchor, _) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(depth_error(src, pos));
                }
                stack.push(Frame::Seq(Vec::new(), pos, anchor));
                continue;
            }
            Event::MappingStart(_, anchor, _) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(depth_error(src, pos));
                }
                stack.push(Frame::Map(Vec::new(), None, pos, anchor));
                continue;
            }
            Event::SequenceEnd => match stack.pop() {
                Some(Frame::Seq(items, p, anchor)) => (
                    Node {
                        kind: NodeKind::Seq(items),
                        pos: p,
                    },
                    anchor,
                ),
                _ => unreachable_event(src, pos)?,
            },
            Event::MappingEnd => match stack.pop() {
                Some(Frame::Map(items, _, p, anchor)) => (
                    Node {
                        kind: NodeKind::Map(items),
                        pos: p,
                    },
                    anchor,
                ),
                _ => unreachable_event(src, pos)?,
            },
            Event::Alias(id) => {
                let Some(Some((node, weight))) = anchors.get(id) else {
                    return Err(
                        Diagnostic::error("E001", "ссылка (*) на неизвестный якорь").at(src, pos)
                    );
                };
                total += weight;
                if total > MAX_NODES {
                    return Err(too_big(pos));
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
            Some(Frame::Seq(items, ..)) => items.push(node),
            Some(Frame::Map(items, key, ..)) => match key.take() {
                None => *key = Some(node),
                Some(k) => items.push((k, node)),
            },
            None => root = Some(node),
        }
    }
    match root {
        Some(r) if !r.is_null() => Ok(r),
        _ => Err(
            Diagnostic::error("E001", "файл пуст: в нём нет ни одного поля")
                .at(src, Pos::new(1, 1))
                .hint("начните с образца: prikaz new приказ > акт.yaml"),
        ),
    }
}

fn unreachable_event(src: &Arc<SourceFile>, pos: Pos) -> Result<(Node, usize), Diagnostic> {
    Err(Diagnostic::error("E001", "нарушена структура YAML").at(src, pos))
}

fn depth_error(src: &Arc<SourceFile>, pos: Pos) -> Diagnostic {
    Diagnostic::error(
        "E002",
        format!("слишком глубокая вложенность: больше {MAX_DEPTH} уровней списков и полей"),
    )
    .at(src, pos)
}

fn syntax_error(src: &Arc<SourceFile>, e: &serde_saphyr::granit_parser::ScanError) -> Diagnostic {
    let m = e.marker();
    let pos = Pos::new(m.line().max(1) as u32, m.col() as u32 + 1);
    let kind = format!("{:?}", e.kind());
    let name = kind.split(['(', ' ', '{']).next().unwrap_or("");
    let (msg, hint) = match name {
        "TabNotAllowed" | "TabInBlockIndentation" => (
            "символ табуляции в отступе",
            "в YAML отступы делаются только пробелами",
        ),
        "InvalidIndentation" | "ExpectedBlockMappingKey" | "ExpectedBlockSequenceEntry" => (
            "неверный отступ",
            "поля одного уровня должны начинаться с одной и той же колонки",
        ),
        "InvalidSimpleKey" | "SimpleKeyExpected" => (
            "не удалось разобрать строку «поле: значение»",
            "если в значении есть двоеточие, возьмите значение в кавычки",
        ),
        n if n.starts_with("UnexpectedEof") => (
            "файл оборвался: не закрыта скобка или кавычка",
            "проверьте, что каждая [ { \" ' закрыта",
        ),
        "UnexpectedCharacter" => (
            "недопустимый символ",
            "если значение начинается с @, `, % или *, возьмите его в кавычки",
        ),
        "InputDecoding" => (
            "файл не в кодировке UTF-8",
            "сохраните файл в UTF-8 (в Блокноте: «Сохранить как» → UTF-8)",
        ),
        "UnknownAnchor" => (
            "ссылка (*) на неизвестный якорь",
            "объявите якорь &имя выше",
        ),
        _ => (
            "синтаксическая ошибка YAML",
            "проверьте отступы, двоеточия и кавычки в этой строке",
        ),
    };
    let mut d = Diagnostic::error("E001", format!("{msg} ({})", e.info())).at(src, pos);
    d = match unclosed_bracket(&src.text, m.index()) {
        Some((line, c)) => d.hint(format!("не закрыта скобка «{c}» из строки {line}")),
        None => d.hint(hint),
    };
    d
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
        assert_eq!(m[1].0.pos, Pos::new(2, 1));
        let NodeKind::Seq(s) = &m[1].1.kind else {
            panic!()
        };
        assert_eq!(s[0].pos, Pos::new(3, 5));
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
        assert_eq!(e.code, "E002");
    }

    #[test]
    fn empty_is_error() {
        assert!(p("").is_err());
        assert!(p("# только комментарий\n").is_err());
    }
}
