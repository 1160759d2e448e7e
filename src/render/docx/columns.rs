//! DOCX requisites side by side: a borderless table of columns, as the
//! template's grids. The two-language header (one column per language, the
//! coat of arms between them) and the stamps of a local act that stands
//! alone («ПРИНЯТО» at the left, «УТВЕРЖДАЮ» at the right).

use super::*;
use crate::emblem::Raster;
use crate::model::{LocalAct, SecondHeader};

/// Nil borders on every side of a cell.
pub(super) fn no_borders() -> TableCellBorders {
    [
        TableCellBorderPosition::Top,
        TableCellBorderPosition::Left,
        TableCellBorderPosition::Bottom,
        TableCellBorderPosition::Right,
    ]
    .into_iter()
    .fold(TableCellBorders::with_empty(), |b, side| {
        b.set(TableCellBorder::new(side).border_type(BorderType::Nil))
    })
}

/// A table of `rows` with neither borders nor cell margins, its columns
/// `widths` twips wide, from the left margin.
pub(super) fn borderless(rows: Vec<TableRow>, widths: &[i32]) -> Table {
    Table::without_borders(rows)
        .set_grid(widths.iter().map(|w| utw(*w)).collect())
        .width(utw(widths.iter().sum()), WidthType::Dxa)
        .layout(TableLayoutType::Fixed)
        .indent(0)
        .margins(TableCellMargins::new().margin(0, 0, 0, 0))
}

impl Writer<'_> {
    /// A borderless table: a column per entry of `widths` (twips), a row per
    /// entry of `rows`, each a cell per column holding its paragraphs.
    /// Cells are top-aligned; a row never splits across pages.
    fn side_by_side(&mut self, widths: &[i32], rows: Vec<Vec<Vec<Paragraph>>>) {
        let body = self.body_hp();
        let rows: Vec<TableRow> = rows
            .into_iter()
            .map(|cells| {
                let cells = cells
                    .into_iter()
                    .zip(widths)
                    .map(|(pars, w)| {
                        let mut c = TableCell::new()
                            .width(utw(*w), WidthType::Dxa)
                            .vertical_align(VAlignType::Top)
                            .set_borders(no_borders());
                        if pars.is_empty() {
                            c = c.add_paragraph(self.par(body));
                        }
                        for p in pars {
                            c = c.add_paragraph(p);
                        }
                        c
                    })
                    .collect();
                self.header_rows.push(false);
                TableRow::new(cells).cant_split()
            })
            .collect();
        self.push_t(borderless(rows, widths));
    }

    /// The header in two languages: the republic's state language at the
    /// left, Russian at the right, row by row (authority, kind, date line,
    /// place), the coat of arms between them in the first row.
    pub(super) fn bilingual_head(
        &mut self,
        a: &ActPart,
        b: &SecondHeader,
        emblem: Option<&Raster>,
    ) {
        let l = self.l;
        let gutter = tw(l.signature_gutter);
        let middle = match emblem {
            Some(_) => tw(l.emblem_width) + 2 * gutter,
            None => gutter,
        };
        let side = ((self.text_w - middle) / 2).max(0);
        let body = self.body_hp();
        let centred = |w: &Self, text: &str, bold: bool, blank: bool| {
            w.requisite_par(text, blank, bold, side)
                .align(AlignmentType::Center)
        };
        let with_gap = |w: &Self, mut pars: Vec<Paragraph>, n: f32| {
            pars.extend(w.gap_pars(n, false));
            pars
        };
        let mut rows = vec![vec![
            with_gap(
                self,
                vec![centred(self, &b.authority.join("\n"), true, a.blank)],
                l.gap_after_authority,
            ),
            emblem
                .map(|png| vec![self.emblem_par(png, a.blank)])
                .unwrap_or_default(),
            with_gap(
                self,
                vec![centred(self, &a.authority.join("\n"), true, a.blank)],
                l.gap_after_authority,
            ),
        ]];
        let mut russian_kind = vec![centred(self, &a.kind, true, a.blank)];
        if let Some(s) = &a.subject {
            russian_kind.push(centred(self, s, false, a.blank));
        }
        rows.push(vec![
            with_gap(
                self,
                vec![centred(self, &b.kind, true, a.blank)],
                l.gap_after_kind,
            ),
            vec![],
            with_gap(self, russian_kind, l.gap_after_kind),
        ]);
        rows.push(vec![
            vec![centred(self, &a.date, false, false)],
            vec![],
            vec![centred(self, &a.date, false, false)],
        ]);
        if b.place.is_some() || a.place.is_some() {
            let place = |w: &Self, p: &Option<String>| {
                p.as_ref()
                    .map(|p| vec![centred(w, p, false, false)])
                    .unwrap_or_else(|| vec![w.par(body)])
            };
            rows.push(vec![place(self, &b.place), vec![], place(self, &a.place)]);
        }
        self.side_by_side(&[side, middle, side], rows);
    }

    /// The head of a local act that stands alone: the organisation's name,
    /// then the stamps («ПРИНЯТО» at the left, «УТВЕРЖДАЮ» at the right in
    /// the requisite's width).
    pub(super) fn local_head(&mut self, a: &ActPart, local: &LocalAct) {
        let l = self.l;
        let authority = a.authority.join("\n");
        self.requisite(&authority, false, true, self.text_w);
        self.gap(l.gap_after_authority, false);
        let right = tw(l.requisite_width).min(self.text_w);
        let left = (self.text_w - right).max(0);
        let stamp = |w: &Self, lines: &[String]| {
            if lines.is_empty() {
                return vec![];
            }
            vec![
                w.text_par(&lines.join("\n"), w.body_hp(), false)
                    .style(NO_HYPHENS)
                    .align(AlignmentType::Left),
            ]
        };
        let rows = vec![vec![
            stamp(self, &local.accepted),
            stamp(self, &local.approved),
        ]];
        self.side_by_side(&[left, right], rows);
    }

    /// Under a local act's title: the place and the year, centred.
    pub(super) fn place_year(&mut self, local: &LocalAct) {
        if local.place_year.is_empty() {
            return;
        }
        let p = self
            .text_par(&local.place_year.join("\n"), self.body_hp(), false)
            .style(NO_HYPHENS)
            .align(AlignmentType::Center);
        self.push_p(p);
    }
}
