//! DOCX tables: fixed column grid from the relative widths, a header row
//! repeated on every page, section rows across the table, rows that never
//! split, lists inside cells.

use super::*;

/// Horizontal alignment of a paragraph in a cell.
pub(super) fn cell_alignment(a: Align) -> AlignmentType {
    // As the template: «по ширине» is set from the left in cells.
    match a {
        Align::Center => AlignmentType::Center,
        Align::Right => AlignmentType::Right,
        Align::Left | Align::Justify => AlignmentType::Left,
    }
}

/// Split `total` twips into columns of relative `weights` (bad weights count as 1);
/// the last column takes the rounding rest.
pub(super) fn split_width(total: i32, weights: &[f32], n: usize) -> Vec<i32> {
    let ws: Vec<f64> = (0..n)
        .map(|i| match weights.get(i) {
            Some(w) if w.is_finite() && *w > 0.0 => *w as f64,
            _ => 1.0,
        })
        .collect();
    let sum: f64 = ws.iter().sum();
    let mut out: Vec<i32> = ws
        .iter()
        .map(|w| ((total as f64) * w / sum).floor() as i32)
        .collect();
    let used: i32 = out.iter().sum();
    if let Some(last) = out.last_mut() {
        *last += total - used;
    }
    out
}

impl Writer<'_> {
    pub(super) fn table(&mut self, t: &crate::model::Table) -> Table {
        let l = self.l;
        let size = hp(t.font_size);
        let n = t.columns.len().max(1);
        let grid = split_width(
            self.text_w,
            &t.columns.iter().map(|c| c.width).collect::<Vec<_>>(),
            n,
        );
        let mut rows = Vec::new();
        // Header row, repeated on each page.
        let head: Vec<TableCell> = (0..n)
            .map(|i| {
                let title = t.columns.get(i).map(|c| c.title.as_str()).unwrap_or("");
                // Unhyphenated, as in the template — unless a word is wider
                // than the column: Word would then break it anywhere.
                let room = (grid[i] - 2 * tw(l.cell_padding)) as f32 / 20.0;
                let fits = title
                    .split_whitespace()
                    .all(|w| text_width_pt(w, t.font_size, true) <= room);
                let mut p = self
                    .text_par(title, size, true)
                    .align(AlignmentType::Center);
                if fits {
                    p = p.style(NO_HYPHENS);
                }
                self.cell(grid[i], 1)
                    .vertical_align(VAlignType::Center)
                    .add_paragraph(p)
            })
            .collect();
        if t.rules {
            rows.push(self.row(head, true));
        }
        if t.column_numbers {
            let nums: Vec<TableCell> = (0..n)
                .map(|i| {
                    self.cell(grid[i], 1).add_paragraph(
                        self.text_par(&(i + 1).to_string(), size, false)
                            .align(AlignmentType::Center),
                    )
                })
                .collect();
            rows.push(self.row(nums, true));
        }
        for r in &t.rows {
            match r {
                Row::Section {
                    number,
                    text,
                    plain,
                } => {
                    let text = match number {
                        Some(n) => format!("{} {text}", n.label),
                        None => text.clone(),
                    };
                    let total: i32 = grid.iter().sum();
                    // Kept with the next row, as in the PDF: a section heading never
                    // stands alone at the foot of a page.
                    let p = if *plain {
                        self.text_par(&text, size, false).align(AlignmentType::Left)
                    } else {
                        self.text_par(&text, size, true)
                            .align(AlignmentType::Center)
                    };
                    let c = self.cell(total, n).add_paragraph(p.keep_next(true));
                    rows.push(self.row(vec![c], false));
                }
                Row::Cells { cells, .. } => {
                    let cs: Vec<TableCell> = (0..n)
                        .map(|i| {
                            let align = t
                                .columns
                                .get(i)
                                .map(|c| cell_alignment(c.align))
                                .unwrap_or(AlignmentType::Left);
                            let content = cells.get(i).map(|v| v.as_slice()).unwrap_or(&[]);
                            let names = t.columns.get(i).is_some_and(|c| c.names);
                            self.cell_content(self.cell(grid[i], 1), content, align, size, names)
                        })
                        .collect();
                    let mut row = self.row(cs, false);
                    if let Some(h) = t.row_height {
                        // Room to sign: at least this high, as the template's strut.
                        row = row
                            .row_height(tw(h) as f32)
                            .height_rule(docx_rs::HeightRule::AtLeast);
                    }
                    rows.push(row);
                }
            }
        }
        let pad = utw(tw(l.cell_padding));
        let border = |pos| {
            TableBorder::new(pos)
                .border_type(BorderType::Single)
                .size(eighths(l.table_rule))
                .color("000000")
        };
        Table::new(rows)
            .set_grid(grid.iter().map(|w| utw(*w)).collect())
            .width(utw(grid.iter().sum()), WidthType::Dxa)
            .layout(TableLayoutType::Fixed)
            .indent(0)
            .margins(TableCellMargins::new().margin(pad, pad, pad, pad))
            .set_borders(if t.rules {
                TableBorders::new()
                    .set(border(TableBorderPosition::Top))
                    .set(border(TableBorderPosition::Left))
                    .set(border(TableBorderPosition::Bottom))
                    .set(border(TableBorderPosition::Right))
                    .set(border(TableBorderPosition::InsideH))
                    .set(border(TableBorderPosition::InsideV))
            } else {
                TableBorders::with_empty()
            })
    }

    pub(super) fn cell(&self, width: i32, span: usize) -> TableCell {
        let c = TableCell::new().width(utw(width), WidthType::Dxa);
        if span > 1 { c.grid_span(span) } else { c }
    }

    /// A row that never splits across pages; `header` rows repeat on each page.
    pub(super) fn row(&mut self, cells: Vec<TableCell>, header: bool) -> TableRow {
        self.header_rows.push(header);
        TableRow::new(cells).cant_split()
    }

    pub(super) fn cell_content(
        &self,
        mut cell: TableCell,
        blocks: &[CellBlock],
        align: AlignmentType,
        size: usize,
        names: bool,
    ) -> TableCell {
        let mut any = false;
        // A column of people's names: the paragraphs are not hyphenated.
        let style = |p: Paragraph| if names { p.style(NO_HYPHENS) } else { p };
        for b in blocks {
            match b {
                CellBlock::Para { text } => {
                    cell = cell.add_paragraph(style(self.text_par(text, size, false).align(align)));
                    any = true;
                }
                CellBlock::List { items } => {
                    for it in items {
                        // pad(left: level × list_indent) + hanging indent list_indent.
                        let hang = tw(self.l.list_indent);
                        let left = tw((it.level as f32 + 1.0) * self.l.list_indent);
                        let p = self
                            .text_par(&format!("{} {}", it.marker, it.text), size, false)
                            .align(align)
                            .indent(
                                Some(left),
                                Some(SpecialIndentType::Hanging(hang)),
                                None,
                                None,
                            );
                        cell = cell.add_paragraph(style(p));
                        any = true;
                    }
                }
            }
        }
        if !any {
            cell = cell.add_paragraph(self.par(size));
        }
        cell
    }
}
