//! YAML text → a tree of [`Node`]s that remember where they stand.
//!
//! We build our own small tree from the parser's events (rather than deserialising
//! with serde directly) so that later stages can report *every* problem at once,
//! each with its line and column, in Russian. Aliases are expanded here under a
//! budget, so an alias bomb is refused before any work is done.

use crate::diag::{Diagnostic, Pos, SourceFile};
use crate::errors;
use serde_saphyr::granit_parser::{ErrorKind, Event, Parser, ScalarStyle};
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

enum Frame {
    Seq(Vec<Node>, Pos, usize),
    Map(Vec<(Node, Node)>, Option<Node>, Pos, usize),
}

fn pos_of(src: &SourceFile, m: &serde_saphyr::granit_parser::Marker) -> Pos {
    src.pos(m.line() as u32, m.col() as u32 + 1)
}

/// Parse YAML text into a node tree. An empty document is an error: an act needs fields.
pub fn parse(src: &Arc<SourceFile>) -> Result<Node, Diagnostic> {
    let mut parser = Parser::new_from_str(&src.text);
    let mut stack: Vec<Frame> = Vec::new();
    let mut anchors: Vec<Option<(Node, (usize, usize))>> = Vec::new();
    let mut root: Option<Node> = None;
    let mut total = 0usize;
    let mut bytes = 0usize;
    let mut docs = 0;

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
            Event::Scalar(text, style, anchor, _) => {
                let plain = matches!(style, ScalarStyle::Plain);
                bytes += text.len();
                if bytes > MAX_EXPANDED_BYTES {
                    return Err(too_long(pos));
                }
                if plain && span.end.line() > span.start.line() {
                    continued_list_item(src, span.start.line(), span.end.line())?;
                }
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
            Diagnostic::error(errors::YAML_SYNTAX, "файл пуст: в нём нет ни одного поля")
                .at(src, src.pos(1, 1))
                .hint("начните с образца: prikaz new приказ > акт.yaml"),
        ),
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

fn unreachable_event(src: &Arc<SourceFile>, pos: Pos) -> Result<(Node, usize), Diagnostic> {
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
        K::CommentNotSeparated | K::CommentInterceptedScalar => (
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
    if let Some((line, c)) = unclosed_bracket(&src.text, m.index()) {
        hint = format!("не закрыта скобка «{c}» из строки {line}");
    }
    Diagnostic::error(errors::YAML_SYNTAX, msg)
        .at(src, pos)
        .hint(hint)
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
