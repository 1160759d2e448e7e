//! Table rows kept in a spreadsheet: `строки_из: план.csv` in a table.
//!
//! The CSV is UTF-8 (a BOM is allowed), comma- or semicolon-separated (Excel in
//! Russian locales writes semicolons), with a header row naming the columns by
//! their `ключ` or `заголовок`. Two extra columns are understood: `№` (explicit
//! number) and `раздел` (a section row spanning the table; with a `№` it is a
//! numbered section, and the rows under it are numbered beneath it). Inside a cell each
//! line is a paragraph; lines starting with «- », «– », «• » or «✓ » are list items.
//! Problems are reported with the CSV's own file:line.

use super::decode::Spanned;
use super::input::{Act, Block, Cell, CellBlock, CellRow, List, ListItem, Row, Section, Table};
use crate::diag::{Diagnostic, Diagnostics, FileId, Pos, SourceFile};
use std::path::Path;
use std::sync::Arc;

/// Most rows a CSV file may add to one table.
pub const MAX_ROWS: usize = 20_000;

/// Load the rows of every table that names a CSV file, appending them to the table.
/// A CSV file may be at most `max_bytes` long (`--max-input`, as the YAML).
pub fn load(
    act: &mut Act,
    src: &Arc<SourceFile>,
    base: &Path,
    root: Option<&Path>,
    max_bytes: u64,
) -> Diagnostics {
    let mut d = Diagnostics::default();
    for a in &mut act.appendices {
        for b in &mut a.body {
            if let Block::Table(t) = b
                && let Some(csv) = t.csv.clone()
            {
                match crate::validate::check_local_file(base, root, &csv.value, &["csv", "txt"]) {
                    Ok(path) => {
                        let shown = base.join(&csv.value);
                        if let Err(e) = load_one(t, &path, &shown, max_bytes) {
                            d.extend(e);
                        }
                    }
                    Err(msg) => d.push(
                        Diagnostic::error("E040", msg)
                            .at(src, csv.pos)
                            .field("строки_из"),
                    ),
                }
            }
        }
    }
    d
}

/// `shown` is the CSV's path as messages name it (relative to the YAML's folder);
/// every row's position is in that file.
fn load_one(t: &mut Table, path: &Path, shown: &Path, max_bytes: u64) -> Result<(), Diagnostics> {
    let file = FileId::intern(shown);
    let shown = shown.display().to_string();
    let err =
        |line: u64, msg: String| Diagnostic::error("E041", msg).in_file(format!("{shown}:{line}"));
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
    let text = match std::str::from_utf8(&bytes) {
        Ok(t) => t,
        Err(e) => {
            let line = bytes[..e.valid_up_to()]
                .iter()
                .filter(|b| **b == b'\n')
                .count() as u64
                + 1;
            return Err(Diagnostics(vec![
                err(line, "файл не в кодировке UTF-8".into())
                    .hint("в Excel: «Сохранить как» → «CSV UTF-8 (разделитель — запятая)»"),
            ]));
        }
    };
    let first_line = text.lines().next().unwrap_or("");
    let (mut rdr, delim) = reader(text);
    let headers = rdr
        .headers()
        .map_err(|e| Diagnostics(vec![err(1, format!("не удалось прочитать заголовок: {e}"))]))?
        .clone();
    let mut diags = Diagnostics::default();
    // Header name → what it is.
    enum Col {
        Data(usize),
        Number,
        Section,
    }
    let mut cols = Vec::new();
    // Table column → the CSV column that fills it: a second one would be lost.
    let mut filled: Vec<Option<usize>> = vec![None; t.columns.len()];
    for (i, h) in headers.iter().enumerate() {
        let h = h.trim();
        let hl = h.to_lowercase();
        if hl == "№" || hl == "номер" {
            cols.push(Col::Number);
        } else if hl == "раздел" {
            cols.push(Col::Section);
        } else if let Some(ci) = t
            .columns
            .iter()
            .position(|c| !c.numbering && (c.key == h || c.title.value == h))
        {
            if let Some(first) = filled[ci] {
                diags.push(
                    Diagnostic::error(
                        "E042",
                        format!(
                            "колонка «{h}» повторяется: столбцы {} и {} — текст одного из них потерялся бы",
                            first + 1,
                            i + 1
                        ),
                    )
                    .in_file(format!("{shown}:1:{}", col_of(first_line, i, delim)))
                    .hint("оставьте один столбец с этим заголовком"),
                );
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
            let mut e = Diagnostic::error(
                "E042",
                format!("неизвестная колонка «{h}» (столбец {})", i + 1),
            )
            .in_file(format!("{shown}:1:{}", col_of(first_line, i, delim)));
            e = match crate::diag::suggest(h, known.iter().copied()) {
                Some(s) => e.hint(format!("возможно, вы имели в виду «{s}»")),
                None => e.hint(format!(
                    "колонки таблицы: {}, а также «№» и «раздел»",
                    known.join(", ")
                )),
            };
            diags.push(e);
        }
    }
    if diags.has_errors() {
        return Err(diags);
    }
    let width = headers.len();
    for (n, rec) in rdr.records().enumerate() {
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map(|p| p.line()).unwrap_or(n as u64 + 2);
                diags.push(err(line, format!("строка не разобрана: {e}")));
                continue;
            }
        };
        let line = rec.position().map(|p| p.line()).unwrap_or(n as u64 + 2);
        if rec.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        if rec.len() != width {
            diags.push(
                err(line, format!("в строке {} ячеек, а в заголовке {width}", rec.len()))
                    .hint("проверьте лишние или недостающие разделители; текст с разделителем возьмите в кавычки"),
            );
            continue;
        }
        if t.rows.len() >= MAX_ROWS {
            diags.push(err(line, format!("слишком много строк: больше {MAX_ROWS}")));
            break;
        }
        let pos = Pos::in_file(file, line as u32, 1);
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
                _ => {}
            }
        }
        match section {
            Some(s) if !any_data => t.rows.push(Row::Section(Section {
                text: Spanned::new(s, pos),
                number: row.number.take(),
            })),
            Some(_) => diags.push(err(
                line,
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
