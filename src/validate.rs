//! Validation: semantic errors in a well-formed input (broken references, duplicate
//! ids, too deep nesting, files that are missing or outside the act's folder).
//! Each error points at its line. Lints (warnings) live in `lint`.

use crate::diag::{Diagnostic, Diagnostics, Pos, SourceFile};
use crate::errors;
use crate::facts::{Facts, refs};
use crate::read::input::{Act, Block, PointItem, Row, Table};
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

/// Deepest point numbering allowed by ГОСТ Р 7.0.97 §5.18 (1.1.1.1.).
pub const MAX_POINT_LEVEL: usize = 4;

/// Margins too narrow for what stands in them: the page number in the top
/// margin, the QR code in the bottom one. Each with its place, message, field
/// and hint.
fn crowded_margins(act: &Act) -> Vec<(Pos, String, &'static str, String)> {
    let m = &act.style.margins;
    if m.top.is_none() && m.bottom.is_none() {
        return vec![];
    }
    let l = crate::layout::Layout::default();
    let mut out = vec![];
    let room = l.page_number_from_top + l.page_number_box;
    if let Some(top) = m.top.filter(|t| t.value < room) {
        out.push((
            top.pos,
            format!(
                "верхнее поле {} мм: номер страницы стоит в {} мм от края бумаги и занимает до {room} мм",
                top.value, l.page_number_from_top
            ),
            "оформление.поля.сверху",
            format!("верхнее поле — не меньше {room} мм (по ГОСТ Р 7.0.97 — 20 мм)"),
        ));
    }
    let qr = act
        .qr
        .as_ref()
        .is_some_and(|q| q.value != crate::read::input::QrCode::Off);
    let room = l.qr_size + l.qr_from_bottom;
    if let Some(bottom) = m.bottom.filter(|b| qr && b.value < room) {
        out.push((
            bottom.pos,
            format!(
                "нижнее поле {} мм: QR-код ({} мм) стоит в нижнем поле и займёт до {room} мм от края",
                bottom.value, l.qr_size
            ),
            "оформление.поля.снизу",
            format!(
                "нижнее поле — не меньше {room} мм, пока в акте есть QR-код (по ГОСТ Р 7.0.97 — 20 мм)"
            ),
        ));
    }
    out
}

/// Check what decoding cannot: references, ids, depth, files.
pub fn validate(
    act: &Act,
    facts: &Facts,
    src: &Arc<SourceFile>,
    base_dir: &Path,
    limits: &crate::read::Limits,
) -> Diagnostics {
    let mut d = Diagnostics::default();
    let err = |code, pos: Pos, msg: String| Diagnostic::error(code, msg).at(src, pos);

    budgets(act, facts, src, &mut d);

    for (pos, message, field, hint) in crowded_margins(act) {
        d.push(
            err(errors::BAD_MARGIN, pos, message)
                .field(field)
                .hint(hint),
        );
    }

    // Duplicate appendix ids.
    let mut seen: HashMap<&str, Pos> = HashMap::new();
    for a in &act.appendices {
        if let Some(id) = &a.id
            && let Some(prev) = seen.insert(&id.value, id.pos)
        {
            {
                d.push(err(
                    errors::REPEATED_ID,
                    id.pos,
                    format!(
                        "id приложения «{}» уже занят (строка {})",
                        id.value, prev.line
                    ),
                ));
            }
        }
    }
    // Duplicate point ids and depth.
    let mut point_ids: HashMap<&str, Pos> = HashMap::new();
    fn walk<'a>(
        items: &'a [PointItem],
        level: usize,
        ids: &mut HashMap<&'a str, Pos>,
        d: &mut Vec<(Pos, String, &'static str)>,
    ) {
        for it in items {
            if let PointItem::Point(p) = it {
                if level > MAX_POINT_LEVEL {
                    d.push((p.text.pos, format!("пункт {level}-го уровня: ГОСТ допускает не больше {MAX_POINT_LEVEL} уровней (1.1.1.1.)"), errors::TOO_DEEP));
                }
                for id in
                    p.id.iter()
                        .chain(p.items.iter().filter_map(|i| i.id.as_ref()))
                {
                    if let Some(prev) = ids.insert(&id.value, id.pos) {
                        d.push((
                            id.pos,
                            format!("id пункта «{}» уже занят (строка {})", id.value, prev.line),
                            errors::REPEATED_ID,
                        ));
                    }
                }
                walk(&p.subpoints, level + 1, ids, d);
            }
        }
    }
    let mut found = vec![];
    walk(&act.points, 1, &mut point_ids, &mut found);
    for (pos, msg, code) in found {
        d.push(err(code, pos, msg));
    }

    // References in text.
    let numbering = &facts.numbering;
    // One locator: a text with thousands of references is placed in one walk.
    let locator = crate::read::place::Locator::new(&facts.lines);
    let known = |label: &str| {
        numbering.appendix(label).is_some() || numbering.point_ids.contains_key(label)
    };
    for t in &facts.texts {
        for u in refs::unfinished(t.value, known) {
            let pos = if t.pos.file == src.id {
                locator.locate(t.value, t.pos, u.range.start)
            } else {
                t.pos
            };
            d.push(
                err(errors::REFERENCE_UNFINISHED, pos, {
                    let typed = &t.value[u.range.clone()];
                    let how = if typed.starts_with('{') || typed.ends_with('}') {
                        "записана с ошибкой (нет одной из скобок или внутри пробел)"
                    } else {
                        "написана без фигурных скобок"
                    };
                    format!("ссылка «{typed}» {how}: она напечаталась бы как есть, без номера")
                })
                .hint(format!(
                    "напишите ссылку так: {} — целиком в фигурных скобках, без пробелов",
                    u.fixed
                )),
            );
        }
        for r in refs::find(t.value) {
            let pos = if t.pos.file == src.id {
                locator.locate(t.value, t.pos, r.range.start)
            } else {
                t.pos
            };
            match r.target {
                None => d.push(
                    err(
                        errors::UNKNOWN_REFERENCE,
                        pos,
                        format!("неизвестный вид ссылки «{{{}:{}}}»", r.word, r.id),
                    )
                    .hint("ссылки пишутся так: {приложении:id} или {пункта:id}"),
                ),
                Some(refs::Target::Appendix) => {
                    for id in r.ids().filter(|id| numbering.appendix(id).is_none()) {
                        d.push(no_such_appendix(
                            act,
                            err(
                                errors::NO_SUCH_APPENDIX,
                                pos,
                                format!("ссылка на несуществующее приложение «{id}»"),
                            ),
                            id,
                            r.word,
                        ));
                    }
                }
                Some(refs::Target::Point) => {
                    for id in r.ids().filter(|id| !numbering.point_ids.contains_key(*id)) {
                        let e = err(
                            errors::NO_SUCH_POINT,
                            pos,
                            format!("ссылка на несуществующий пункт «{id}»"),
                        );
                        d.push(
                            match crate::diag::maybe_meant(
                                id,
                                numbering.point_ids.keys().map(String::as_str),
                            ) {
                                Some(s) => e.hint(s),
                                None => {
                                    e.hint("у пункта, на который ссылаются, должно быть поле «id»")
                                }
                            },
                        );
                    }
                }
            }
        }
    }

    // The coat of arms.
    if let Some(e) = &act.authority.emblem
        && let Err(msg) = crate::read::local::check_local_file(
            base_dir,
            limits.root.as_deref(),
            &e.value,
            &["png", "svg", "jpg", "jpeg"],
        )
    {
        {
            d.push(err(errors::BAD_EMBLEM, e.pos, msg));
        }
    }

    // Rows per table.
    for a in &act.appendices {
        for b in &a.body {
            if let Block::Table(t) = b {
                fn count(rows: &[Row]) -> usize {
                    rows.iter()
                        .map(|r| match r {
                            Row::Section(_) => 1,
                            Row::Cells(c) => 1 + count(&c.children),
                        })
                        .sum()
                }
                if t.columns.is_empty() {
                    d.push(
                        err(
                            errors::NO_COLUMNS,
                            t.pos,
                            "в таблице нет ни одной колонки".into(),
                        )
                        .hint("перечислите колонки: колонки: [\"№ п/п\", Мероприятие, Срок]"),
                    );
                }
                cells_fit_columns(t, &t.rows, src, &mut d);
                shifted_cells(t, src, &mut d);
                let n = count(&t.rows);
                if n > limits.max_rows {
                    d.push(
                        err(
                            errors::TOO_MANY_ROWS,
                            t.pos,
                            format!("в таблице {n} строк, а предел — {}", limits.max_rows),
                        )
                        .hint(
                            "разбейте таблицу на несколько или поднимите предел флагом --max-rows",
                        ),
                    );
                }
            }
        }
    }
    d
}

/// «ссылка на несуществующее приложение» with the hint that fits: a close
/// id, the ids there are, or how to name an appendix that has none.
fn no_such_appendix(act: &Act, e: Diagnostic, id: &str, word: &str) -> Diagnostic {
    // Ids the clerk wrote; an appendix without one is named by its place,
    // which the hint must not pass off as an id.
    let known: Vec<&str> = act
        .appendices
        .iter()
        .filter_map(|a| a.id.as_ref().map(|i| i.value.as_str()))
        .collect();
    match crate::diag::maybe_meant(id, known.iter().copied()) {
        Some(s) => e.hint(s),
        None if act.appendices.is_empty() => {
            e.hint("в акте нет ни одного приложения (поле «приложения»)")
        }
        None if known.is_empty() => e.hint(format!(
            "у приложений акта нет поля «id»: добавьте приложению строку «id: {id}» или сошлитесь по номеру: {{{word}:1}}"
        )),
        None => e.hint(format!(
            "id приложений акта: {}",
            crate::diag::some_of(&known, 10)
        )),
    }
}

/// A number column prikaz did not recognise by its title («#», «Номер
/// мероприятия»): rows written cell by cell fill it with their first value,
/// every cell lands one column to the left, the last column stays empty.
/// Said when every such row is exactly one cell short.
fn shifted_cells(t: &Table, src: &Arc<SourceFile>, d: &mut Diagnostics) {
    let data: Vec<&crate::read::input::Column> =
        t.columns.iter().filter(|c| !c.numbering).collect();
    let [first, .., last] = data[..] else { return };
    let title = first.title.value.trim().to_lowercase();
    let numberish = title.contains('№')
        || title.contains('#')
        || title.starts_with('n')
        || title.starts_with("номер")
        || title.contains("п/п");
    if !numberish {
        return;
    }
    fn positional(rows: &[Row], out: &mut Vec<usize>) {
        for r in rows {
            if let Row::Cells(c) = r {
                if c.cells.iter().all(|(k, _)| k.is_none()) {
                    out.push(c.cells.len());
                }
                positional(&c.children, out);
            }
        }
    }
    let mut counts = vec![];
    positional(&t.rows, &mut counts);
    if counts.is_empty() || counts.iter().any(|&n| n + 1 != data.len()) {
        return;
    }
    d.push(
        Diagnostic::error(
            errors::CELLS_SHIFTED,
            format!(
                "в каждой строке таблицы на одну ячейку меньше, чем колонок ({}): первая ячейка встала бы под «{}», остальные — на колонку левее, а колонка «{}» осталась бы пустой",
                data.len(),
                first.title.value,
                last.title.value
            ),
        )
        .at(src, first.title.pos)
        .hint(format!(
            "если «{}» — номер строки, напишите колонку так: {{заголовок: \"{}\", нумерация: да}}",
            first.title.value, first.title.value
        )),
    );
}

/// The budgets of what costs layout time and memory
/// ([`crate::read::limits`]): appendices, columns, words in one text,
/// letters in one word. Checked here so that `check` refuses what `render`
/// could not do, before any layout.
fn budgets(act: &Act, facts: &Facts, src: &Arc<SourceFile>, d: &mut Diagnostics) {
    use crate::read::limits::{
        MAX_ACT_WORDS, MAX_APPENDICES, MAX_COLUMNS, MAX_WORD_LETTERS, MAX_WORDS,
    };
    if let Some(a) = act.appendices.get(MAX_APPENDICES) {
        d.push(
            Diagnostic::error(
                errors::TOO_LARGE,
                format!(
                    "в акте {} приложений, а предел — {MAX_APPENDICES}",
                    act.appendices.len()
                ),
            )
            .at(src, a.pos)
            .field(format!("приложения[{}]", MAX_APPENDICES + 1))
            .hint("объедините приложения или оформите часть из них отдельным актом"),
        );
    }
    for (ai, a) in act.appendices.iter().enumerate().take(MAX_APPENDICES) {
        for (bi, b) in a.body.iter().enumerate() {
            if let Block::Table(t) = b
                && t.columns.len() > MAX_COLUMNS
            {
                d.push(
                    Diagnostic::error(
                        errors::TOO_LARGE,
                        format!(
                            "в таблице {} колонок, а предел — {MAX_COLUMNS}: на странице они не уместятся",
                            t.columns.len()
                        ),
                    )
                    .at(src, t.columns[MAX_COLUMNS].title.pos)
                    .field(format!("приложения[{}].содержание[{}].таблица.колонки", ai + 1, bi + 1))
                    .hint("разбейте таблицу на несколько"),
                );
            }
        }
    }
    // A word ends where a line may break: a non-breaking space joins.
    let breaks = |c: char| c.is_whitespace() && !matches!(c, '\u{a0}' | '\u{2007}' | '\u{202f}');
    let locator = crate::read::place::Locator::new(&facts.lines);
    let mut reported = 0;
    let mut total = 0usize;
    for t in &facts.texts {
        if reported >= 20 {
            break;
        }
        let at = |byte: usize| {
            if t.pos.file == src.id {
                locator.locate(t.value, t.pos, byte)
            } else {
                t.pos
            }
        };
        let mut words = 0usize;
        let mut long: Option<(usize, usize)> = None;
        let mut start: Option<(usize, usize)> = None;
        for (i, c) in t.value.char_indices() {
            if breaks(c) {
                start = None;
                continue;
            }
            let (s, n) = match start {
                None => {
                    words += 1;
                    (i, 1)
                }
                Some((s, n)) => (s, n + 1),
            };
            start = Some((s, n));
            if n > MAX_WORD_LETTERS && long.is_none() {
                long = Some((s, n));
            }
        }
        if total <= MAX_ACT_WORDS && total + words > MAX_ACT_WORDS {
            reported += 1;
            d.push(
                Diagnostic::error(
                    errors::TOO_LARGE,
                    format!(
                        "в акте больше {MAX_ACT_WORDS} слов (с приложениями и таблицами): предел превышен на этом тексте"
                    ),
                )
                .at(src, at(0))
                .field(t.field.clone())
                .hint("это сотни страниц: разделите акт на несколько"),
            );
        }
        total += words;
        if words > MAX_WORDS {
            reported += 1;
            d.push(
                Diagnostic::error(
                    errors::TOO_LARGE,
                    format!("в одном тексте {words} слов, а предел — {MAX_WORDS}"),
                )
                .at(src, at(0))
                .field(t.field.clone())
                .hint("разбейте текст на несколько пунктов, абзацев или строк таблицы"),
            );
        }
        if let Some((s, _)) = long {
            reported += 1;
            let n = t.value[s..].chars().take_while(|c| !breaks(*c)).count();
            let head: String = t.value[s..].chars().take(20).collect();
            d.push(
                Diagnostic::error(
                    errors::TOO_LARGE,
                    format!(
                        "слово из {n} знаков («{head}…») — длиннее предела в {MAX_WORD_LETTERS} знаков"
                    ),
                )
                .at(src, at(s))
                .field(t.field.clone())
                .hint("разделите его пробелами; такое слово не уместится и в строку, и в ячейку"),
            );
        }
    }
}

/// Every cell of a row lands in a column: a key that names no column, or more
/// cells than the table has columns, would silently lose text.
fn cells_fit_columns(t: &Table, rows: &[Row], src: &Arc<SourceFile>, d: &mut Diagnostics) {
    let data: Vec<&crate::read::input::Column> =
        t.columns.iter().filter(|c| !c.numbering).collect();
    for r in rows {
        let Row::Cells(row) = r else { continue };
        let mut positional = 0;
        for (key, cell) in &row.cells {
            match key {
                Some(k) => {
                    if !data.iter().any(|c| c.key == *k || c.title.value == *k) {
                        let names = data.iter().map(|c| c.key.as_str());
                        let hint = match crate::diag::maybe_meant(k, names.clone()) {
                            Some(s) => s,
                            None => format!(
                                "колонки таблицы (ключ или заголовок): {}",
                                names.collect::<Vec<_>>().join(", ")
                            ),
                        };
                        d.push(
                            Diagnostic::error(
                                errors::NO_SUCH_COLUMN,
                                format!("в таблице нет колонки «{k}»: текст ячейки потерялся бы"),
                            )
                            .at(src, cell.pos)
                            .hint(hint),
                        );
                    }
                }
                None => {
                    positional += 1;
                    if positional == data.len() + 1 {
                        d.push(
                            Diagnostic::error(
                                errors::EXTRA_CELLS,
                                format!(
                                    "в строке больше ячеек, чем колонок для текста ({}): лишние потерялись бы",
                                    data.len()
                                ),
                            )
                            .at(src, cell.pos)
                            .hint("уберите лишнюю ячейку или добавьте колонку в «колонки»"),
                        );
                    }
                }
            }
        }
        cells_fit_columns(t, &row.children, src, d);
    }
}
