//! Table rows kept in a spreadsheet: `строки_из: план.csv` (or `.xlsx`, `.ods`)
//! in a table.
//!
//! A CSV is UTF-8 (a BOM is allowed), comma- or semicolon-separated (Excel in
//! Russian locales writes semicolons). An Excel or LibreOffice workbook is read
//! with calamine: `строки_из: {файл: план.xlsx, лист: План, строка_заголовка: 3}`
//! (by default the first sheet, and its first non-empty row as the header).
//! Either way a header row names the columns by their `ключ` or `заголовок`.
//! Two extra columns are understood: `№` (explicit
//! number) and `раздел` (a section row spanning the table; with a `№` it is a
//! numbered section, and the rows under it are numbered beneath it). Inside a cell each
//! line is a paragraph; lines starting with «- », «– », «• » or «✓ » are list items.
//! Problems are reported with the file's own place: `план.csv:14`, or
//! `план.xlsx, лист «План», строка 14, столбец C`.

use super::decode::Spanned;
use super::input::{
    Act, Block, Cell, CellBlock, CellRow, List, ListItem, Row, RowsFrom, Section, Table,
};
use crate::diag::{Diagnostic, Diagnostics, FileId, Pos, SourceFile};
use crate::errors;
use std::path::Path;
use std::sync::Arc;

use super::limits::{Limits, MAX_SHEET_ROWS as MAX_ROWS};

/// Load the rows of every table that names a CSV file, appending them to the table.
/// A CSV file may be at most `--max-input` long, as the YAML; a workbook
/// is read within the budgets of [`super::sheets`].
pub fn load(act: &mut Act, src: &Arc<SourceFile>, base: &Path, limits: &Limits) -> Diagnostics {
    let root = limits.root.as_deref();
    let max_bytes = limits.max_input;
    let mut d = Diagnostics::default();
    for a in &mut act.appendices {
        for b in &mut a.body {
            if let Block::Table(t) = b
                && let Some(from) = t.rows_from.clone()
            {
                let csv = &from.file;
                match crate::read::local::check_local_file(base, root, &csv.value, EXTENSIONS) {
                    Ok(path) => {
                        let shown = base.join(&csv.value);
                        let grid = if is_workbook(&csv.value) {
                            workbook_grid(&from, &path, &shown, limits).map(|(g, hidden)| {
                                if let Some(f) = &mut t.rows_from {
                                    f.hidden_skipped = hidden;
                                }
                                g
                            })
                        } else {
                            csv_grid(&path, &shown, max_bytes, &mut d)
                        };
                        if let Err(e) = grid.and_then(|g| fill(t, g)) {
                            d.extend(e);
                        }
                    }
                    Err(msg) => d.push(
                        Diagnostic::error(errors::ROWS_FILE_OUTSIDE, msg)
                            .at(src, csv.pos)
                            .field("строки_из"),
                    ),
                }
                if (from.sheet.is_some() || from.header_row.is_some()) && !is_workbook(&csv.value) {
                    d.push(
                        Diagnostic::error(
                            errors::ROWS_FILE_UNREADABLE,
                            "«лист» и «строка_заголовка» бывают только у книги .xlsx или .ods",
                        )
                        .at(src, csv.pos)
                        .field("строки_из"),
                    );
                }
            }
        }
    }
    d
}

/// Files rows may come from.
pub const EXTENSIONS: &[&str] = &["csv", "txt", "xlsx", "xlsm", "ods"];

fn is_workbook(name: &str) -> bool {
    let lower = name.to_lowercase();
    [".xlsx", ".xlsm", ".ods"]
        .iter()
        .any(|e| lower.ends_with(e))
}

/// Where a cell is, for messages and for the positions of the rows.
#[derive(Clone)]
enum Place {
    /// A CSV: its line, and the header line (for columns of the header).
    Csv {
        line: u64,
        header: String,
        delim: u8,
    },
    /// A workbook: sheet, 1-based row.
    Sheet { sheet: String, row: u32 },
}

/// A spreadsheet read into text: the header, and each row with its place.
struct Grid {
    file: FileId,
    shown: String,
    header: Vec<String>,
    header_place: Place,
    rows: Vec<(Place, Result<Vec<String>, String>)>,
}

impl Grid {
    /// An error at `place`, column `col` (0-based) when one is meant.
    fn err(&self, place: &Place, col: Option<usize>, msg: String) -> Diagnostic {
        let shown = &self.shown;
        let at = match (place, col) {
            (
                Place::Csv {
                    line,
                    header,
                    delim,
                },
                Some(c),
            ) if *line == 1 => {
                format!("{shown}:1:{}", col_of(header, c, *delim))
            }
            (Place::Csv { line, .. }, _) => format!("{shown}:{line}"),
            (Place::Sheet { sheet, row }, Some(c)) => {
                format!(
                    "{shown}, лист «{sheet}», строка {row}, столбец {}",
                    letters(c)
                )
            }
            (Place::Sheet { sheet, row }, None) => format!("{shown}, лист «{sheet}», строка {row}"),
        };
        Diagnostic::error(errors::ROWS_FILE_UNREADABLE, msg).in_file(at)
    }

    fn pos(&self, place: &Place) -> Pos {
        let line = match place {
            Place::Csv { line, .. } => *line as u32,
            Place::Sheet { row, .. } => *row,
        };
        Pos::in_file(self.file, line, 1)
    }
}

use super::sheets::letters;

/// A CSV file as a grid; `shown` is its path as messages name it (relative
/// to the YAML's folder).
fn csv_grid(
    path: &Path,
    shown: &Path,
    max_bytes: u64,
    notes: &mut Diagnostics,
) -> Result<Grid, Diagnostics> {
    let file = FileId::intern(shown);
    let shown = shown.display().to_string();
    let err = |line: u64, msg: String| {
        Diagnostic::error(errors::ROWS_FILE_UNREADABLE, msg).in_file(format!("{shown}:{line}"))
    };
    let bytes = super::read_capped(path, max_bytes).map_err(|e| {
        Diagnostics(vec![match e {
            super::ReadError::TooBig(_) => err(
                1,
                format!("файл слишком велик: больше {} КБ", max_bytes / 1024),
            )
            .hint("разбейте таблицу на несколько или поднимите предел флагом --max-input"),
            super::ReadError::Other(m) => err(1, m),
        }])
    })?;
    // Excel's «CSV (разделители — запятые)» in a Russian Windows is
    // Windows-1251: read it so, and say so.
    let text = match super::decode_text(bytes) {
        Ok((t, encoding)) => {
            if encoding == Some(super::Encoding::Cp1251) {
                notes.push(
                    Diagnostic::warning(
                        super::READ_AS_CP1251,
                        "файл сохранён не в UTF-8, а в кодировке Windows-1251 («ANSI»): prikaz прочитал его как Windows-1251",
                    )
                    .in_file(format!("{shown}:1"))
                    .hint("в Excel: «Сохранить как» → «CSV UTF-8 (разделитель — запятая)»"),
                );
            }
            t
        }
        Err(at) => {
            return Err(Diagnostics(vec![
                err(at.line as u64, "файл не в кодировке UTF-8".into())
                    .hint("в Excel: «Сохранить как» → «CSV UTF-8 (разделитель — запятая)»"),
            ]));
        }
    };
    let text = text.as_str();
    let first_line = text.lines().next().unwrap_or("").to_string();
    let (mut rdr, delim) = reader(text);
    let header = rdr
        .headers()
        .map_err(|e| Diagnostics(vec![err(1, format!("не удалось прочитать заголовок: {e}"))]))?
        .iter()
        .map(str::to_string)
        .collect();
    let place = |line: u64| Place::Csv {
        line,
        header: first_line.clone(),
        delim,
    };
    let mut rows = vec![];
    for (n, rec) in rdr.records().enumerate() {
        let (line, cells) = match rec {
            Ok(r) => (
                r.position().map(|p| p.line()).unwrap_or(n as u64 + 2),
                Ok(r.iter().map(str::to_string).collect()),
            ),
            Err(e) => (
                e.position().map(|p| p.line()).unwrap_or(n as u64 + 2),
                Err(format!("строка не разобрана: {e}")),
            ),
        };
        rows.push((place(line), cells));
    }
    Ok(Grid {
        file,
        shown,
        header,
        header_place: place(1),
        rows,
    })
}

/// A sheet of an .xlsx or .ods workbook as a grid.
fn workbook_grid(
    from: &RowsFrom,
    path: &Path,
    shown: &Path,
    limits: &Limits,
) -> Result<(Grid, Vec<String>), Diagnostics> {
    let file = FileId::intern(shown);
    let shown_s = shown.display().to_string();
    let fail = |msg: String| {
        Diagnostics(vec![
            Diagnostic::error(errors::ROWS_FILE_UNREADABLE, msg).in_file(&shown_s),
        ])
    };
    let bytes = super::read_capped(path, limits.max_input).map_err(|e| match e {
        super::ReadError::TooBig(_) => Diagnostics(vec![
            Diagnostic::error(
                errors::ROWS_FILE_UNREADABLE,
                format!("файл слишком велик: больше {} КБ", limits.max_input / 1024),
            )
            .in_file(&shown_s)
            .hint("разбейте таблицу на несколько или поднимите предел флагом --max-input"),
        ]),
        super::ReadError::Other(m) => fail(m),
    })?;
    let ods = shown_s.to_lowercase().ends_with(".ods");
    let wanted = from.sheet.as_ref().map(|s| s.value.as_str());
    let sheet = super::sheets::read(bytes, ods, wanted, limits).map_err(|e| {
        let at = match &e.at {
            Some((sheet, row, col)) => format!(
                "{shown_s}, лист «{sheet}», строка {}, столбец {}",
                *row as u64 + 1,
                letters(*col as usize)
            ),
            None => shown_s.clone(),
        };
        let mut d = Diagnostic::error(errors::ROWS_FILE_UNREADABLE, e.msg).in_file(at);
        if let Some(h) = e.hint {
            d = d.hint(h);
        }
        Diagnostics(vec![d])
    })?;
    let super::sheets::Sheet {
        name: sheet,
        mut cells,
        hidden_skipped,
    } = sheet;
    let (Some(top), Some(bottom)) = (
        cells.keys().next().copied(),
        cells.keys().next_back().copied(),
    ) else {
        return Err(fail(format!("лист «{sheet}» пуст")));
    };
    let place = |row: u32| Place::Sheet {
        sheet: sheet.clone(),
        row,
    };
    // Rows and columns as the spreadsheet numbers them (1-based, from A).
    let mut rows: Vec<(u32, Vec<Result<String, String>>)> = vec![];
    // The grid is as wide as each row's last filled cell: a few far cells
    // must not make it a rectangle of millions.
    let mut area = 0usize;
    for r in top..=bottom {
        let row = cells.remove(&r).unwrap_or_default();
        let width = row.keys().next_back().map_or(0, |c| *c as usize + 1);
        area += width.max(1);
        if area as u64 > 2 * super::limits::MAX_SHEET_CELLS {
            return Err(fail(format!(
                "на листе «{sheet}» заполнены ячейки далеко справа и внизу (до строки {}): \
                 таблица плана так широко не бывает",
                bottom + 1
            )));
        }
        let mut line = vec![Ok(String::new()); width];
        for (c, v) in row {
            line[c as usize] = v;
        }
        rows.push((r + 1, line));
    }
    let header_at = match &from.header_row {
        Some(h) => h.value,
        None => rows
            .iter()
            .find(|(_, c)| {
                c.iter()
                    .any(|c| c.as_ref().is_ok_and(|t| !t.trim().is_empty()))
            })
            .map_or(top + 1, |(r, _)| *r),
    };
    let Some(hi) = rows.iter().position(|(r, _)| *r == header_at) else {
        return Err(fail(format!(
            "на листе «{sheet}» нет строки {header_at}: данные занимают строки {}–{}",
            top + 1,
            top as usize + rows.len()
        )));
    };
    let mut header = vec![];
    let mut problems = Diagnostics::default();
    let grid_err = |row: u32, col: usize, msg: String| {
        Diagnostic::error(errors::ROWS_FILE_UNREADABLE, msg).in_file(format!(
            "{shown_s}, лист «{sheet}», строка {row}, столбец {}",
            letters(col)
        ))
    };
    for (c, cell) in rows[hi].1.iter().enumerate() {
        match cell {
            Ok(t) => header.push(t.clone()),
            Err(m) => problems.push(grid_err(header_at, c, m.clone())),
        }
    }
    // Trailing empty header cells are not columns.
    while header.last().is_some_and(|h| h.trim().is_empty()) {
        header.pop();
    }
    let mut out = vec![];
    for (row, cells) in rows.into_iter().skip(hi + 1) {
        let mut texts = vec![];
        for (c, cell) in cells.into_iter().enumerate() {
            match cell {
                Ok(t) if c < header.len() => texts.push(t),
                Ok(t) if t.trim().is_empty() => {}
                Ok(_) => problems.push(grid_err(
                    row,
                    c,
                    "текст правее последнего столбца заголовка".into(),
                )),
                Err(m) => problems.push(grid_err(row, c, m)),
            }
        }
        texts.resize(header.len(), String::new());
        out.push((place(row), Ok(texts)));
    }
    if problems.has_errors() {
        return Err(problems);
    }
    Ok((
        Grid {
            file,
            shown: shown_s.clone(),
            header,
            header_place: place(header_at),
            rows: out,
        },
        hidden_skipped,
    ))
}

/// Append the rows of `g` to table `t`.
fn fill(t: &mut Table, g: Grid) -> Result<(), Diagnostics> {
    let mut diags = Diagnostics::default();
    // Header name → what it is.
    enum Col {
        Data(usize),
        Number,
        Section,
        /// A column with no heading: it must stay empty.
        Blank,
    }
    let mut cols = Vec::new();
    // Table column → the CSV column that fills it: a second one would be lost.
    let mut filled: Vec<Option<usize>> = vec![None; t.columns.len()];
    let head = &g.header_place;
    for (i, h) in g.header.iter().enumerate() {
        let h = h.trim();
        let hl = h.to_lowercase();
        if h.is_empty() {
            cols.push(Col::Blank);
        } else if hl == "№" || hl == "номер" {
            cols.push(Col::Number);
        } else if hl == "раздел" {
            cols.push(Col::Section);
        } else if let Some(ci) = t
            .columns
            .iter()
            .position(|c| !c.numbering && (c.key == h || c.title.value == h))
        {
            if let Some(first) = filled[ci] {
                let mut e = g.err(
                    head,
                    Some(i),
                    format!(
                        "колонка «{h}» повторяется: столбцы {} и {} — текст одного из них потерялся бы",
                        first + 1,
                        i + 1
                    ),
                );
                e.code = errors::ROWS_FILE_COLUMN;
                diags.push(e.hint("оставьте один столбец с этим заголовком"));
            }
            filled[ci] = Some(i);
            cols.push(Col::Data(ci));
        } else {
            let known: Vec<&str> = t
                .columns
                .iter()
                .filter(|c| !c.numbering)
                .map(|c| c.key.as_str())
                .collect();
            let mut e = g.err(
                head,
                Some(i),
                format!("неизвестная колонка «{h}» (столбец {})", i + 1),
            );
            e.code = errors::ROWS_FILE_COLUMN;
            e = match crate::diag::maybe_meant(h, known.iter().copied()) {
                Some(s) => e.hint(s),
                None => e.hint(format!(
                    "колонки таблицы: {}, а также «№» и «раздел»",
                    crate::diag::some_of(&known, 10)
                )),
            };
            diags.push(e);
        }
    }
    if diags.has_errors() {
        return Err(diags);
    }
    let width = g.header.len();
    for (place, rec) in &g.rows {
        let rec = match rec {
            Ok(r) => r,
            Err(m) => {
                diags.push(g.err(place, None, m.clone()));
                continue;
            }
        };
        if rec.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        if rec.len() != width {
            diags.push(
                g.err(place, None, format!("в строке {} ячеек, а в заголовке {width}", rec.len()))
                    .hint("проверьте лишние или недостающие разделители; текст с разделителем возьмите в кавычки"),
            );
            continue;
        }
        if t.rows.len() >= MAX_ROWS {
            diags.push(g.err(
                place,
                None,
                format!("слишком много строк: больше {MAX_ROWS}"),
            ));
            break;
        }
        let pos = g.pos(place);
        let mut row = CellRow {
            cells: vec![],
            number: None,
            children: vec![],
            pos,
        };
        let mut section = None;
        let mut any_data = false;
        for (i, c) in rec.iter().enumerate() {
            let c = c.trim();
            match cols[i] {
                Col::Number if !c.is_empty() => row.number = Some(Spanned::new(c.to_string(), pos)),
                Col::Section if !c.is_empty() => section = Some(c.to_string()),
                Col::Data(ci) => {
                    any_data |= !c.is_empty();
                    row.cells
                        .push((Some(t.columns[ci].key.clone()), cell(c, pos)));
                }
                Col::Blank if !c.is_empty() => diags.push(g.err(
                    place,
                    Some(i),
                    "текст в столбце без заголовка: он не попал бы в таблицу".into(),
                )),
                _ => {}
            }
        }
        match section {
            Some(s) if !any_data => t.rows.push(Row::Section(Section {
                text: Spanned::new(s, pos),
                number: row.number.take(),
            })),
            Some(_) => diags.push(g.err(
                place,
                None,
                "в строке-разделе заполнены и другие ячейки".into(),
            )),
            None => t.rows.push(Row::Cells(row)),
        }
    }
    if diags.has_errors() {
        Err(diags)
    } else {
        Ok(())
    }
}

/// A CSV reader for text as spreadsheets save it: a BOM is skipped, and the
/// separator is a semicolon (Russian Excel) when the header has more of them than
/// commas. Rows may be ragged: the caller reports them with their line.
pub fn reader(text: &str) -> (csv::Reader<&[u8]>, u8) {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first = text.lines().next().unwrap_or("");
    let delim = if first.matches(';').count() > first.matches(',').count() {
        b';'
    } else {
        b','
    };
    let rdr = csv::ReaderBuilder::new()
        .delimiter(delim)
        .has_headers(true)
        .flexible(true)
        .from_reader(text.as_bytes());
    (rdr, delim)
}

/// Column (1-based, in characters) where header field `i` starts.
fn col_of(header: &str, i: usize, delim: u8) -> usize {
    let mut col = 1;
    for (k, part) in header.split(delim as char).enumerate() {
        if k == i {
            break;
        }
        col += part.chars().count() + 1;
    }
    col
}

fn cell(text: &str, pos: Pos) -> Cell {
    let mut blocks: Vec<CellBlock> = vec![];
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let marker = ["- ", "– ", "• ", "✓ "]
            .iter()
            .find(|m| line.starts_with(**m));
        match marker {
            Some(m) => {
                // A typed hyphen is the usual bullet: print it as the en dash.
                let marker = if m.trim() == "-" { "–" } else { m.trim() };
                let item = ListItem {
                    text: Spanned::new(line[m.len()..].trim().to_string(), pos),
                    sublist: None,
                };
                match blocks.last_mut() {
                    Some(CellBlock::List(l)) if l.marker == marker => l.items.push(item),
                    _ => blocks.push(CellBlock::List(List {
                        marker: marker.to_string(),
                        items: vec![item],
                    })),
                }
            }
            None => blocks.push(CellBlock::Paragraph(Spanned::new(line.to_string(), pos))),
        }
    }
    Cell { blocks, pos }
}
