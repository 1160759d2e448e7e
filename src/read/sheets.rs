//! One sheet of an .xlsx or .ods workbook as text cells, read within the
//! budgets of [`super::limits`], whatever the file claims about itself.
//!
//! Both formats are zip archives of XML, and both can ask for far more than
//! their size: a zip entry can unpack to more than its header says, an .ods
//! cell or row can be repeated a million times (`number-columns-repeated`,
//! `number-rows-repeated`, even on empty cells and in single quotes), a
//! run of spaces can be one element (`<text:s text:c="…"/>`), and one long
//! shared string of an .xlsx can be named by thousands of cells. So:
//!
//! - every byte is unpacked through a counter that stops at
//!   [`Limits::max_unpacked`] (the headers are not believed);
//! - an .ods is read here, as it streams, with each repeat counted before it
//!   is made (calamine would fill in every repeat, empty ones included);
//! - an .xlsx is unpacked (counted) into a plain archive calamine then reads,
//!   and every cell's text is counted before it is copied: its own bytes
//!   (at most [`MAX_CELL_BYTES`]) and the bytes of all cells together (at
//!   most `--max-input`, as a CSV);
//! - filled cells, repeats included, are at most [`MAX_SHEET_CELLS`].
//!
//! With no sheet named, the first visible sheet is read; hidden sheets
//! before it are reported back, so the clerk is told.

use super::limits::{Limits, MAX_CELL_BYTES, MAX_SHEET_CELLS, MAX_SHEET_COLUMNS, MAX_SHEET_ROWS};
use std::collections::BTreeMap;
use std::io::{Cursor, Read};

/// Cells as text by (row, column), 0-based; `Err` is a cell's own problem
/// (a formula error, a date outside the calendar), reported with its place.
pub type Cells = BTreeMap<u32, BTreeMap<u32, Result<String, String>>>;

/// The sheet read.
pub struct Sheet {
    pub name: String,
    pub cells: Cells,
    /// Hidden sheets passed over to reach the first visible one.
    pub hidden_skipped: Vec<String>,
}

/// Why a workbook could not be read: the message, and the cell (sheet,
/// 0-based row and column) when the problem has one.
#[derive(Debug)]
pub struct SheetError {
    pub msg: String,
    pub at: Option<(String, u32, u32)>,
    pub hint: Option<String>,
}

impl SheetError {
    fn new(msg: impl Into<String>) -> Self {
        Self {
            msg: msg.into(),
            at: None,
            hint: None,
        }
    }
    fn at(mut self, sheet: &str, row: u64, col: u64) -> Self {
        self.at = Some((
            sheet.to_string(),
            row.min(u32::MAX as u64) as u32,
            col.min(u32::MAX as u64) as u32,
        ));
        self
    }
    fn hint(mut self, h: impl Into<String>) -> Self {
        self.hint = Some(h.into());
        self
    }
}

fn broken() -> SheetError {
    SheetError::new("книга не читается: файл повреждён или это не книга Excel/LibreOffice")
}

/// Read the workbook's bytes (at most `--max-input`) and its sheet `wanted`
/// (or the first visible one).
pub fn read(
    bytes: Vec<u8>,
    ods: bool,
    wanted: Option<&str>,
    limits: &Limits,
) -> Result<Sheet, SheetError> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| broken())?;
    let mut budget = Unpacked {
        left: limits.max_unpacked(),
        limit: limits.max_unpacked(),
        over: false,
    };
    let mut counter = Counter::new(limits.max_input);
    if ods {
        let entry = zip.by_name("content.xml").map_err(|_| broken())?;
        let reader = std::io::BufReader::new(Counted {
            inner: entry,
            budget: &mut budget,
        });
        let r = ods_sheet(reader, wanted, &mut counter);
        budget.check()?;
        r
    } else {
        let plain = unpack_plain(&mut zip, &mut budget)?;
        xlsx_sheet(plain, wanted, &mut counter)
    }
}

/// What is left of the unpacking budget.
struct Unpacked {
    left: u64,
    limit: u64,
    /// More came than the budget allowed.
    over: bool,
}

impl Unpacked {
    fn check(&self) -> Result<(), SheetError> {
        if self.over {
            Err(SheetError::new(format!(
                "книга распаковывается больше чем в {} МБ — больше допустимого",
                self.limit >> 20
            ))
            .hint(
                "предел — 16 размеров --max-input; в настоящем плане на сотни строк — около 100 КБ",
            ))
        } else {
            Ok(())
        }
    }
}

/// A reader that fails once more than the budget has come through it.
struct Counted<'a, R> {
    inner: R,
    budget: &'a mut Unpacked,
}

impl<R: Read> Read for Counted<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        if n as u64 > self.budget.left {
            self.budget.over = true;
            return Err(std::io::Error::other("unpacked size over the budget"));
        }
        self.budget.left -= n as u64;
        Ok(n)
    }
}

/// The archive unpacked (counted) into one with stored entries: what
/// calamine reads then is exactly what was counted.
fn unpack_plain(
    zip: &mut zip::ZipArchive<Cursor<Vec<u8>>>,
    budget: &mut Unpacked,
) -> Result<Vec<u8>, SheetError> {
    use std::io::Write;
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored)
        .large_file(false);
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).map_err(|_| broken())?;
        if entry.is_dir() {
            continue;
        }
        let name = entry.name().to_string();
        let mut data = Vec::new();
        let read = Counted {
            inner: &mut entry,
            budget: &mut *budget,
        }
        .read_to_end(&mut data);
        budget.check()?;
        read.map_err(|_| broken())?;
        out.start_file(name, options).map_err(|_| broken())?;
        out.write_all(&data).map_err(|_| broken())?;
    }
    out.finish().map(|c| c.into_inner()).map_err(|_| broken())
}

/// The cells and bytes taken so far, checked before each copy is made.
struct Counter {
    cells: u64,
    bytes: u64,
    max_bytes: u64,
}

impl Counter {
    fn new(max_bytes: u64) -> Self {
        Self {
            cells: 0,
            bytes: 0,
            max_bytes,
        }
    }

    /// Take `copies` cells of `len` bytes each at (`row`, `col`) — the first
    /// of them; repeats go right or down from there, `span_rows` ×
    /// `span_cols`.
    fn take(
        &mut self,
        sheet: &str,
        row: u64,
        col: u64,
        span_rows: u64,
        span_cols: u64,
        len: usize,
    ) -> Result<(), SheetError> {
        if len > MAX_CELL_BYTES {
            return Err(SheetError::new(format!(
                "в ячейке {} КБ текста — больше предела ({} КБ на ячейку)",
                len / 1024,
                MAX_CELL_BYTES / 1024
            ))
            .at(sheet, row, col)
            .hint("в ячейке плана бывает несколько абзацев; длинный текст вынесите в приложение"));
        }
        let last_row = row.saturating_add(span_rows.saturating_sub(1));
        let last_col = col.saturating_add(span_cols.saturating_sub(1));
        if last_row > (MAX_SHEET_ROWS + 1000) as u64 || last_col > MAX_SHEET_COLUMNS as u64 {
            let (r, c) = if last_row > (MAX_SHEET_ROWS + 1000) as u64 {
                (last_row.max(row), col)
            } else {
                (row, last_col)
            };
            return Err(SheetError::new(format!(
                "на листе «{sheet}» заполнена ячейка {}{}: так далеко таблица плана не бывает",
                letters(c as usize),
                r.saturating_add(1)
            ))
            .at(sheet, row, col)
            .hint(format!(
                "в плане не больше {MAX_SHEET_ROWS} строк и {MAX_SHEET_COLUMNS} столбцов; \
                 очистите лишние ячейки (в том числе размноженные копированием)"
            )));
        }
        let copies = span_rows.saturating_mul(span_cols);
        self.cells = self.cells.saturating_add(copies);
        if self.cells > MAX_SHEET_CELLS {
            return Err(SheetError::new(format!(
                "на листе больше {MAX_SHEET_CELLS} заполненных ячеек (с повторами) — больше, \
                 чем бывает в плане"
            ))
            .at(sheet, row, col)
            .hint(
                "в плане не больше 20 000 строк по 10 столбцов; удалите лишние строки и столбцы",
            ));
        }
        self.bytes = self.bytes.saturating_add(copies.saturating_mul(len as u64));
        if self.bytes > self.max_bytes {
            return Err(SheetError::new(format!(
                "текст ячеек листа (с повторами) больше {} КБ",
                self.max_bytes / 1024
            ))
            .at(sheet, row, col)
            .hint("разбейте таблицу на несколько или поднимите предел флагом --max-input"));
        }
        Ok(())
    }
}

/// Spreadsheet column letters: 0 → A, 25 → Z, 26 → AA.
pub fn letters(mut c: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (c % 26) as u8);
        if c < 26 {
            break;
        }
        c = c / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

/// An Excel serial date as the table's text; `None` outside the years
/// 1900–9999 (a value such as -1e308 is a number no calendar holds).
fn excel_date(serial: f64) -> Option<String> {
    // 1 = 01.01.1900, 2 958 465 = 31.12.9999.
    if !serial.is_finite() || !(0.0..2_958_466.0).contains(&serial) {
        return None;
    }
    let t = calamine::ExcelDateTime::new(serial, calamine::ExcelDateTimeType::DateTime, false)
        .as_datetime()?;
    Some(date_text(t))
}

fn date_text(t: chrono::NaiveDateTime) -> String {
    if t.time() == chrono::NaiveTime::MIN {
        t.format("%d.%m.%Y").to_string()
    } else {
        t.format("%d.%m.%Y %H:%M").to_string()
    }
}

fn number_text(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{f:.0}")
    } else {
        // A Russian spreadsheet shows a decimal comma.
        f.to_string().replace('.', ",")
    }
}

/// A cell's value as the table's text.
fn text_of(d: calamine::DataRef<'_>) -> Result<String, String> {
    use calamine::DataRef as D;
    match d {
        D::Empty => Ok(String::new()),
        D::String(s) => Ok(s),
        D::SharedString(s) => Ok(s.to_string()),
        D::Int(n) => Ok(n.to_string()),
        D::Float(f) => Ok(number_text(f)),
        D::Bool(b) => Ok(if b { "да" } else { "нет" }.to_string()),
        D::DateTime(d) if d.is_duration() => Ok(number_text(d.as_f64())),
        D::DateTime(d) => excel_date(d.as_f64()).ok_or_else(|| "дата вне календаря".to_string()),
        D::DateTimeIso(s) => Ok(iso_date(&s)),
        D::DurationIso(s) => Ok(s),
        D::Error(e) => Err(format!("в ячейке ошибка формулы ({e})")),
    }
}

/// An ISO date (`2024-01-15`, `2024-01-15T10:30:00`) as the table shows a
/// date; anything else as it is.
fn iso_date(s: &str) -> String {
    let t = s.trim();
    if let Ok(d) = chrono::NaiveDate::parse_from_str(t, "%Y-%m-%d") {
        return d.format("%d.%m.%Y").to_string();
    }
    for f in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M",
    ] {
        if let Ok(d) = chrono::NaiveDateTime::parse_from_str(t, f) {
            return date_text(d);
        }
    }
    s.to_string()
}

/// The sheet to read: `wanted` (matched without outer spaces), else the
/// first visible one. `names` are all sheets with their visibility.
fn choose(names: &[(String, bool)], wanted: Option<&str>) -> Result<usize, SheetError> {
    match wanted {
        Some(w) => names
            .iter()
            .position(|(n, _)| n.trim() == w.trim())
            .ok_or_else(|| {
                let list: Vec<&str> = names.iter().map(|(n, _)| n.as_str()).collect();
                SheetError::new(format!(
                    "в книге нет листа «{w}»; есть: {}",
                    crate::diag::some_of(&list, 10)
                ))
            }),
        None => {
            if names.is_empty() {
                return Err(SheetError::new("в книге нет ни одного листа"));
            }
            names.iter().position(|(_, visible)| *visible).ok_or_else(|| {
                SheetError::new("в книге все листы скрыты")
                    .hint("покажите нужный лист или назовите его: строки_из: {файл: план.xlsx, лист: План}")
            })
        }
    }
}

fn xlsx_sheet(
    plain: Vec<u8>,
    wanted: Option<&str>,
    counter: &mut Counter,
) -> Result<Sheet, SheetError> {
    use calamine::{Reader, SheetVisible};
    let mut book: calamine::Xlsx<_> =
        calamine::Xlsx::new(Cursor::new(plain)).map_err(|_| broken())?;
    let names: Vec<(String, bool)> = book
        .sheets_metadata()
        .iter()
        .map(|s| (s.name.clone(), s.visible == SheetVisible::Visible))
        .collect();
    let i = choose(&names, wanted)?;
    let name = names[i].0.clone();
    let hidden_skipped = if wanted.is_none() {
        names[..i].iter().map(|(n, _)| n.clone()).collect()
    } else {
        vec![]
    };
    let unreadable = || SheetError::new(format!("лист «{name}» не читается: файл повреждён"));
    let mut cells = Cells::new();
    let mut reader = book
        .worksheet_cells_reader(&name)
        .map_err(|_| unreadable())?;
    while let Some(c) = reader.next_cell().map_err(|_| unreadable())? {
        let (r, col) = c.get_position();
        let value = c.get_value();
        // Counted before it is copied: a shared string is one in the file
        // and one more in every cell that names it.
        let len = match value {
            calamine::DataRef::SharedString(s) => s.len(),
            calamine::DataRef::String(s) => s.len(),
            _ => 32,
        };
        if matches!(value, calamine::DataRef::Empty) {
            continue;
        }
        counter.take(&name, r as u64, col as u64, 1, 1, len)?;
        let v = text_of(value.clone());
        if !matches!(&v, Ok(t) if t.is_empty()) {
            cells.entry(r).or_default().insert(col, v);
        }
    }
    Ok(Sheet {
        name,
        cells,
        hidden_skipped,
    })
}

/// Where the .ods reader is (past the sheet to read, it stops).
#[derive(PartialEq)]
enum OdsState {
    /// Before the sheet to read (in styles, or in other sheets).
    Outside,
    /// In the sheet to read.
    InSheet,
}

/// An attribute of an .ods element, unescaped (quick-xml accepts either
/// quote, so `table:number-rows-repeated='5'` is read as `"5"` is).
fn attr(e: &quick_xml::events::BytesStart<'_>, name: &[u8]) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == name)
        .and_then(|a| {
            let raw = String::from_utf8_lossy(&a.value);
            quick_xml::escape::unescape(&raw)
                .ok()
                .map(|v| v.into_owned())
        })
}

/// A repeat count; a broken one is refused (it would not be 1 in LibreOffice).
fn repeat(e: &quick_xml::events::BytesStart<'_>, name: &[u8]) -> Result<u64, SheetError> {
    match attr(e, name) {
        None => Ok(1),
        Some(v) => v
            .trim()
            .parse::<u64>()
            .ok()
            .filter(|n| *n >= 1)
            .ok_or_else(broken),
    }
}

fn ods_sheet<R: std::io::BufRead>(
    reader: R,
    wanted: Option<&str>,
    counter: &mut Counter,
) -> Result<Sheet, SheetError> {
    use quick_xml::events::Event;
    let mut xml = quick_xml::Reader::from_reader(reader);
    let mut buf = Vec::new();
    // Table styles that hide a sheet (`table:display="false"`).
    let mut hidden_styles: Vec<String> = vec![];
    let mut style: Option<String> = None;
    let mut names: Vec<(String, bool)> = vec![];
    let mut state = OdsState::Outside;
    let mut name = String::new();
    let mut cells = Cells::new();
    // The next row's index; the current row's cells (column, repeat, text)
    // and its own repeat count; the next cell's column.
    let mut row: u64 = 0;
    let mut row_cells: Vec<(u64, u64, Result<String, String>)> = vec![];
    let mut row_repeat: u64 = 1;
    let mut col: u64 = 0;
    let mut in_row = false;
    loop {
        buf.clear();
        let (e, start) = match xml.read_event_into(&mut buf).map_err(|_| broken())? {
            Event::Eof => break,
            Event::Start(e) => (e, true),
            Event::Empty(e) => (e, false),
            Event::End(e) if state == OdsState::InSheet => {
                match e.name().as_ref() {
                    b"table:table-row" if in_row => {
                        in_row = false;
                        if !row_cells.is_empty() {
                            // The row's cells were counted once; its
                            // repeats are counted before they are made.
                            if row_repeat > 1 {
                                for (c, n, v) in &row_cells {
                                    let len = v.as_ref().map_or(0, String::len);
                                    counter.take(&name, row + 1, *c, row_repeat - 1, *n, len)?;
                                }
                            }
                            for r in row..row.saturating_add(row_repeat) {
                                let line = cells.entry(r as u32).or_default();
                                for (c, n, v) in &row_cells {
                                    for k in *c..c.saturating_add(*n) {
                                        line.insert(k as u32, v.clone());
                                    }
                                }
                            }
                        }
                        row = row.saturating_add(row_repeat);
                    }
                    b"table:table" => break,
                    _ => {}
                }
                continue;
            }
            _ => continue,
        };
        let tag = e.name().as_ref().to_vec();
        if state == OdsState::Outside {
            match tag.as_slice() {
                b"style:style" => {
                    style = (attr(&e, b"style:family").as_deref() == Some("table"))
                        .then(|| attr(&e, b"style:name"))
                        .flatten();
                }
                b"style:table-properties" => {
                    if let Some(s) = &style
                        && attr(&e, b"table:display").as_deref() == Some("false")
                    {
                        hidden_styles.push(s.clone());
                    }
                }
                b"table:table" => {
                    let n = attr(&e, b"table:name").unwrap_or_default();
                    let visible =
                        attr(&e, b"table:style-name").is_none_or(|s| !hidden_styles.contains(&s));
                    names.push((n.clone(), visible));
                    let take = match wanted {
                        Some(w) => n.trim() == w.trim(),
                        None => visible,
                    };
                    if take {
                        name = n;
                        if !start {
                            // A self-closing table: an empty sheet.
                            break;
                        }
                        state = OdsState::InSheet;
                    } else if start {
                        // Another sheet: passed over unread.
                        let end = e.to_end().into_owned();
                        xml.read_to_end_into(end.name(), &mut Vec::new())
                            .map_err(|_| broken())?;
                    }
                }
                _ => {}
            }
            continue;
        }
        match tag.as_slice() {
            b"table:table-row" => {
                row_repeat = repeat(&e, b"table:number-rows-repeated")?;
                row_cells.clear();
                col = 0;
                in_row = start;
                if !start {
                    row = row.saturating_add(row_repeat);
                }
            }
            b"table:table-cell" | b"table:covered-table-cell" if in_row => {
                let cols = repeat(&e, b"table:number-columns-repeated")?;
                let e = e.into_owned();
                let value = cell_value(&e, &mut xml, start, &name, row, col)?;
                if let Some(v) = value {
                    let len = v.as_ref().map_or(0, String::len);
                    counter.take(&name, row, col, 1, cols, len)?;
                    row_cells.push((col, cols, v));
                }
                col = col.saturating_add(cols);
            }
            _ => {}
        }
    }
    if state == OdsState::Outside && name.is_empty() {
        choose(&names, wanted)?;
    }
    let pos = names.len().saturating_sub(1);
    let hidden_skipped = if wanted.is_none() {
        names[..pos].iter().map(|(n, _)| n.clone()).collect()
    } else {
        vec![]
    };
    Ok(Sheet {
        name,
        cells,
        hidden_skipped,
    })
}

/// The value of an .ods cell (`None`: empty), reading its content when
/// `start` (the cell is not self-closing) up to its end.
fn cell_value<R: std::io::BufRead>(
    e: &quick_xml::events::BytesStart<'static>,
    xml: &mut quick_xml::Reader<R>,
    start: bool,
    sheet: &str,
    row: u64,
    col: u64,
) -> Result<Option<Result<String, String>>, SheetError> {
    use quick_xml::events::Event;
    let kind = attr(e, b"office:value-type").or_else(|| attr(e, b"calcext:value-type"));
    let value = match kind.as_deref() {
        None | Some("void") => None,
        Some("boolean") => attr(e, b"office:boolean-value").map(|b| {
            Ok(if b == "true" || b == "TRUE" {
                "да"
            } else {
                "нет"
            }
            .to_string())
        }),
        Some("date") => attr(e, b"office:date-value").map(|d| Ok(iso_date(&d))),
        Some("time") => attr(e, b"office:time-value").map(Ok),
        Some("string") => attr(e, b"office:string-value").map(Ok),
        Some(_) => attr(e, b"office:value")
            .map(|v| Ok(v.trim().parse::<f64>().map(number_text).unwrap_or(v))),
    };
    if !start {
        return Ok(value.filter(|v| !matches!(v, Ok(t) if t.is_empty())));
    }
    let from_text = value.is_none() && kind.as_deref() == Some("string");
    let too_long = || {
        SheetError::new(format!(
            "в ячейке больше {} КБ текста",
            MAX_CELL_BYTES / 1024
        ))
        .at(sheet, row, col)
        .hint("в ячейке плана бывает несколько абзацев; длинный текст вынесите в приложение")
    };
    let mut text = String::new();
    let mut paragraphs = 0;
    let mut depth = 0usize;
    let mut buf = Vec::new();
    loop {
        buf.clear();
        match xml.read_event_into(&mut buf).map_err(|_| broken())? {
            Event::Eof => return Err(broken()),
            Event::End(_) if depth == 0 => break,
            Event::End(_) => depth -= 1,
            Event::Start(t) if t.name().as_ref() == b"office:annotation" => {
                let end = t.to_end().into_owned();
                xml.read_to_end_into(end.name(), &mut Vec::new())
                    .map_err(|_| broken())?;
            }
            ev @ (Event::Start(_) | Event::Empty(_)) => {
                let (t, opened) = match ev {
                    Event::Start(t) => (t, true),
                    Event::Empty(t) => (t, false),
                    _ => unreachable!("matched above"),
                };
                if opened {
                    depth += 1;
                }
                if !from_text {
                    continue;
                }
                match t.name().as_ref() {
                    b"text:p" | b"text:h" if depth == 1 || !opened => {
                        if paragraphs > 0 {
                            text.push('\n');
                        }
                        paragraphs += 1;
                    }
                    b"text:s" => {
                        let n = repeat(&t, b"text:c")?;
                        if text.len() as u64 + n > MAX_CELL_BYTES as u64 {
                            return Err(too_long());
                        }
                        text.extend(std::iter::repeat_n(' ', n as usize));
                    }
                    b"text:tab" => text.push('\t'),
                    b"text:line-break" => text.push('\n'),
                    _ => {}
                }
            }
            Event::Text(t) if from_text => {
                text.push_str(&t.xml10_content().map_err(|_| broken())?);
            }
            Event::CData(t) if from_text => {
                text.push_str(&String::from_utf8_lossy(&t));
            }
            Event::GeneralRef(r) if from_text => {
                let name = r.decode().map_err(|_| broken())?;
                if let Some(s) = quick_xml::escape::resolve_xml_entity(&name) {
                    text.push_str(s);
                } else if let Ok(Some(c)) = r.resolve_char_ref() {
                    text.push(c);
                } else {
                    return Err(broken());
                }
            }
            _ => {}
        }
        if text.len() > MAX_CELL_BYTES {
            return Err(too_long());
        }
    }
    let value = if from_text { Some(Ok(text)) } else { value };
    Ok(value.filter(|v| !matches!(v, Ok(t) if t.is_empty())))
}
