//! What an act carries besides its text: the лист согласования (or the visas
//! at the foot of its last page), the лист ознакомления pre-filled with the
//! people the act charges, and the QR-code requisite.

use super::{Resolver, dates, typography};
use crate::diag::Diagnostic;
use crate::errors;
use crate::layout::Layout;
use crate::model::{self, Align, CellBlock, Row, Sheet, SheetKind};
use crate::persons::{self, Case, Key};
use crate::read::input::{self, ApprovalPlace, Control, Deadline, PointItem, QrCode};
use minijinja::context;

/// A person of the acknowledgment sheet.
struct Person {
    key: Option<Key>,
    /// «Долгополова Н.В.»
    name: String,
    /// The name was read in the nominative (or given by the clerk), not guessed.
    sure: bool,
    position: String,
}

/// Everyone the act charges, once each, in the order of first mention.
#[derive(Default)]
struct People(Vec<Person>);

impl People {
    /// The persons named in `text`, written in `case` (a mention right after
    /// «на» is taken as accusative).
    fn read(&mut self, text: &str, case: Case) {
        let mut plural = None;
        for m in persons::mentions(text) {
            let case = match case {
                Case::Dative if m.after_na => Case::Accusative,
                c => c,
            };
            // The position the text names before the person, when it is one
            // of the known ones; a list of people is read without.
            let position = match case {
                Case::Nominative => None,
                c => persons::position_before(text, m.at, c, &mut plural),
            }
            .map(|p| typography::normalize(&p))
            .unwrap_or_default();
            let name = format!(
                "{}\u{a0}{}.{}.",
                persons::nominative(&m.surname, case),
                m.initials.0,
                m.initials.1
            );
            let sure = case == Case::Nominative;
            let key = m.key();
            match self.0.iter_mut().find(|p| p.key.as_ref() == Some(&key)) {
                Some(p) => {
                    if sure && !p.sure {
                        p.name = name;
                        p.sure = true;
                    }
                    if p.position.is_empty() {
                        p.position = position;
                    }
                }
                None => self.0.push(Person {
                    key: Some(key),
                    name,
                    sure,
                    position,
                }),
            }
        }
    }

    fn points(&mut self, items: &[PointItem]) {
        for item in items {
            match item {
                PointItem::Paragraph(_) => {}
                PointItem::Point(p) => self.point(p),
            }
        }
    }

    fn point(&mut self, p: &input::Point) {
        self.read(&p.text, Case::Dative);
        for para in &p.paragraphs {
            self.read(para, Case::Dative);
        }
        self.bullets(&p.bullets);
        for r in &p.responsible {
            self.read(r, Case::Nominative);
        }
        if let Some(d) = &p.deadline
            && let Deadline::Text(t) = &d.value
        {
            self.read(t, Case::Dative);
        }
        self.points(&p.subpoints);
        for it in &p.items {
            self.point(it);
        }
    }

    fn bullets(&mut self, items: &[input::ListItem]) {
        for it in items {
            self.read(&it.text, Case::Dative);
            if let Some(sub) = &it.sublist {
                self.bullets(&sub.items);
            }
        }
    }

    fn people_cells(&mut self, t: &input::Table, rows: &[input::Row]) {
        for r in rows {
            let input::Row::Cells(row) = r else { continue };
            for (col, cell) in t.columns.iter().zip(row.cells_by_column(&t.columns)) {
                let Some(i) = cell else { continue };
                if !col.people {
                    continue;
                }
                let cell = &row.cells[i].1;
                for b in &cell.blocks {
                    match b {
                        input::CellBlock::Paragraph(p) => self.read(p, Case::Nominative),
                        input::CellBlock::List(l) => {
                            for it in &l.items {
                                self.read(&it.text, Case::Nominative);
                            }
                        }
                    }
                }
            }
            self.people_cells(t, &row.children);
        }
    }
}

impl Resolver<'_> {
    fn heading(&self, template: &str) -> Result<Vec<String>, Diagnostic> {
        let act = self.act;
        let lines = self.t.lines(
            template,
            context! {
                act_genitive => self.forms.genitive,
                act_instrumental => self.forms.instrumental,
                act_capitalised => self.forms.capitalised,
                local => act.kind.value.is_local(),
                date => self.date(*act.date),
                number => act.number.value.trim(),
                title => typography::collapse(&act.title),
            },
        )?;
        Ok(lines.iter().map(|l| typography::normalize(l)).collect())
    }

    /// The column titles a template gives, exactly `n` of them.
    fn column_titles(&self, template: &str, n: usize) -> Result<Vec<String>, Diagnostic> {
        let lines = self.t.lines(template, context! {})?;
        if lines.len() != n {
            return Err(Diagnostic::error(
                errors::TEMPLATE_UNREADABLE,
                format!(
                    "шаблон формулировок «{template}.j2» должен дать {n} строк (по заголовку колонки на строку), а дал {}",
                    lines.len()
                ),
            )
            .hint("проверьте свой шаблон в папке --template/wording или уберите его, чтобы взять встроенный"));
        }
        Ok(lines)
    }

    fn sheet_table(
        &self,
        titles: Vec<String>,
        widths: &[f32],
        aligns: &[Align],
        rows: Vec<Vec<String>>,
        sign: Option<(usize, Vec<model::SignField>)>,
        layout: &Layout,
    ) -> model::Table {
        let (sign_column, fields) = match sign {
            Some((column, fields)) => (Some(column), fields),
            None => (None, vec![]),
        };
        let mut fields = fields.into_iter();
        let columns = titles
            .into_iter()
            .enumerate()
            .map(|(i, title)| model::Column {
                title,
                width: widths.get(i).copied().unwrap_or(1.0),
                align: aligns.get(i).copied().unwrap_or(Align::Left),
                names: false,
            })
            .collect();
        let rows = rows
            .into_iter()
            .map(|cells| Row::Cells {
                field: fields.next(),
                number: None,
                cells: cells
                    .into_iter()
                    .map(|c| {
                        c.lines()
                            .filter(|l| !l.trim().is_empty())
                            .map(|l| CellBlock::Para {
                                text: l.to_string(),
                            })
                            .collect()
                    })
                    .collect(),
            })
            .collect();
        model::Table {
            columns,
            column_numbers: false,
            rows,
            font_size: layout.table_size,
            row_height: Some(layout.sheet_row_height),
            sign_column,
            rules: true,
        }
    }

    /// The лист согласования, and whether it goes at the very end; none when
    /// the visas stand at the foot of the act instead.
    pub(super) fn approval_sheet(
        &self,
        layout: &Layout,
    ) -> Result<Option<(Sheet, bool)>, Diagnostic> {
        let Some(a) = &self.act.approval else {
            return Ok(None);
        };
        if a.place == ApprovalPlace::Visas {
            return Ok(None);
        }
        let mut rows = vec![];
        let mut fields = vec![];
        for v in &a.visas {
            let position: Vec<String> =
                v.position.iter().map(|l| typography::collapse(l)).collect();
            let name = self.text(&v.name)?;
            fields.push(self.sign_field("Виза", &name));
            rows.push(vec![
                position.join("\n"),
                String::new(),
                name,
                v.date.map(dates::numeric).unwrap_or_default(),
                match &v.remarks {
                    Some(r) => self.text(r)?,
                    None => String::new(),
                },
            ]);
        }
        let table = self.sheet_table(
            self.column_titles("approval_columns", 5)?,
            &layout.approval_widths,
            &[
                Align::Left,
                Align::Center,
                Align::Left,
                Align::Center,
                Align::Left,
            ],
            rows,
            // Each visa is signed in the second column, «Подпись».
            Some((1, fields)),
            layout,
        );
        Ok(Some((
            Sheet {
                kind: SheetKind::Approval,
                heading: self.heading("approval_heading")?,
                table,
            },
            a.place == ApprovalPlace::AtEnd,
        )))
    }

    /// Visas at the foot of the act's last page (`размещение: визы`).
    pub(super) fn visas(&self) -> Result<Vec<model::Visa>, Diagnostic> {
        let Some(a) = self
            .act
            .approval
            .as_ref()
            .filter(|a| a.place == ApprovalPlace::Visas)
        else {
            return Ok(vec![]);
        };
        a.visas
            .iter()
            .map(|v| {
                let name = self.text(&v.name)?;
                Ok(model::Visa {
                    field: Some(self.sign_field("Виза", &name)),
                    position: v.position.iter().map(|l| typography::collapse(l)).collect(),
                    name,
                    date: v.date.map(dates::numeric).unwrap_or_default(),
                    remarks: match &v.remarks {
                        Some(r) => Some(
                            self.t
                                .render("visa_remarks", context! { remarks => self.text(r)? })?,
                        ),
                        None => None,
                    },
                })
            })
            .collect()
    }

    /// The people the act charges: in its points (their text, paragraphs,
    /// lists, those responsible, deadlines), the control clause, and the table
    /// columns marked `люди: да`; once each, however their names are declined.
    fn charged(&self) -> People {
        let act = self.act;
        let mut people = People::default();
        people.points(&act.points);
        if let Some(c) = &act.control {
            match &c.value {
                Control::Assigned(p) => people.read(&format!("на {p}"), Case::Accusative),
                Control::Text(t) => people.read(t, Case::Dative),
                Control::Kept => {}
            }
        }
        for ap in &act.appendices {
            for b in &ap.body {
                if let input::Block::Table(t) = b
                    && t.columns.iter().any(|c| c.people)
                {
                    people.people_cells(t, &t.rows);
                }
            }
        }
        people
    }

    /// The лист ознакомления, at the very end.
    pub(super) fn acknowledgment_sheet(
        &self,
        layout: &Layout,
    ) -> Result<Option<Sheet>, Diagnostic> {
        let Some(a) = &self.act.acknowledgment else {
            return Ok(None);
        };
        let mut people = if a.replace {
            People::default()
        } else {
            self.charged()
        };
        for given in &a.people {
            let found = persons::mentions(&given.name);
            // «И.И. Иванова» as the sheet writes names: «Иванова И.И.».
            let bare: String = given.name.chars().filter(|c| !c.is_whitespace()).collect();
            let name = match found.as_slice() {
                [m] if bare == format!("{}.{}.{}", m.initials.0, m.initials.1, m.surname)
                    || bare == format!("{}{}.{}.", m.surname, m.initials.0, m.initials.1) =>
                {
                    format!("{}\u{a0}{}.{}.", m.surname, m.initials.0, m.initials.1)
                }
                _ => self.text(&given.name)?,
            };
            let position = match &given.position {
                Some(p) => self.text(p)?,
                None => String::new(),
            };
            let key = found.first().map(|m| m.key());
            match people.0.iter_mut().find(|p| key.is_some() && p.key == key) {
                Some(p) => {
                    p.name = name;
                    p.sure = true;
                    if !position.is_empty() {
                        p.position = position;
                    }
                }
                None => people.0.push(Person {
                    key,
                    name,
                    sure: true,
                    position,
                }),
            }
        }
        let n = people.0.len();
        let mut rows: Vec<Vec<String>> = people
            .0
            .into_iter()
            .enumerate()
            .map(|(i, p)| {
                vec![
                    format!("{}.", i + 1),
                    p.name,
                    p.position,
                    String::new(),
                    String::new(),
                ]
            })
            .collect();
        for i in 0..a.empty_rows as usize {
            rows.push(vec![
                format!("{}.", n + i + 1),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
            ]);
        }
        let table = self.sheet_table(
            self.column_titles("acknowledgment_columns", 5)?,
            &layout.acknowledgment_widths,
            &[
                Align::Center,
                Align::Left,
                Align::Left,
                Align::Center,
                Align::Left,
            ],
            rows,
            None,
            layout,
        );
        Ok(Some(Sheet {
            kind: SheetKind::Acknowledgment,
            heading: self.heading("acknowledgment_heading")?,
            table,
        }))
    }

    /// The QR code: registration data, or the link given.
    pub(super) fn qr(&self) -> Result<Option<crate::qr::Qr>, Diagnostic> {
        let act = self.act;
        let Some(q) = &act.qr else {
            return Ok(None);
        };
        let content = match &q.value {
            QrCode::Off => return Ok(None),
            QrCode::Url(u) => u.clone(),
            QrCode::Registration => {
                let organisation = match &act.authority.short {
                    Some(s) => typography::collapse(s),
                    None => act
                        .authority
                        .lines
                        .iter()
                        .map(|l| typography::collapse(l))
                        .collect::<Vec<_>>()
                        .join(" "),
                };
                typography::collapse(&self.t.render(
                    "qr_content",
                    context! {
                        kind => self.forms.capitalised,
                        local => act.kind.value.is_local(),
                        number => act.number.value.trim(),
                        date => dates::numeric(*act.date),
                        organisation => organisation,
                    },
                )?)
            }
        };
        crate::qr::Qr::new(&content)
            .map(Some)
            .map_err(|m| Diagnostic::error(errors::BAD_QR, m).field("qr_код"))
    }
}
