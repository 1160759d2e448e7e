//! Resolve: the validated input model → the final document model.
//!
//! Here every number, label, reference, date string, stamp text and word form is
//! decided (with the wording templates), so the writers only place text.

pub mod dates;
pub mod grammar;
mod sheets;
pub mod typography;
mod widths;

use crate::diag::Diagnostic;
use crate::errors;
use crate::facts::numbering::{self, Numbering};
use crate::facts::refs;
use crate::layout::Layout;
use crate::model::{
    self, ActPart, AppendixPart, Block, CellBlock, Document, ListItem, Meta, ParaStyle,
};
use crate::read::input::{
    self, Act, ActKind, Control, Deadline, HeaderLayout, OperativeStyle, PointItem,
};
use crate::templates::Templates;
use minijinja::context;

/// What part of the act to produce.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Selection {
    #[default]
    All,
    /// One appendix only, by id or number (`--only приложение:plan`).
    Appendix(String),
}

struct Resolver<'a> {
    act: &'a Act,
    t: &'a Templates,
    numbering: &'a Numbering,
    forms: grammar::KindForms,
    /// The signature fields' names given so far: each is given once.
    field_names: std::cell::RefCell<Vec<String>>,
}

impl Resolver<'_> {
    /// User text → printed text: references resolved, typography applied.
    fn text(&self, s: &str) -> Result<String, Diagnostic> {
        let mut err = None;
        let s = refs::replace(s, |r| {
            let numbers: Option<Vec<String>> = r
                .ids()
                .map(|id| match r.target {
                    Some(refs::Target::Appendix) => self
                        .numbering
                        .appendix(id)
                        .map(|(_, n)| n.clone().unwrap_or_default()),
                    Some(refs::Target::Point) => self.numbering.point_ids.get(id).cloned(),
                    None => None,
                })
                .collect();
            let Some(numbers) = numbers.filter(|n| !n.is_empty()) else {
                // Validation reports these with their place; keep the text as typed.
                return format!("{{{}:{}}}", r.word, r.id);
            };
            let target = if r.target == Some(refs::Target::Appendix) {
                "приложение"
            } else {
                "пункт"
            };
            match self.t.render(
                "reference",
                context! { word => r.word, target => target, number => numbers[0], numbers => numbers },
            ) {
                Ok(s) => s,
                Err(e) => {
                    err = Some(e);
                    String::new()
                }
            }
        });
        if let Some(e) = err {
            return Err(e);
        }
        Ok(if self.act.style.typography {
            typography::normalize(&s)
        } else {
            typography::collapse(&s)
        })
    }

    fn date(&self, d: chrono::NaiveDate) -> String {
        dates::format(d, self.act.style.date)
    }

    /// A line a wording template made, with the act's number sign held to
    /// its number by a non-breaking space, as typography holds «№».
    fn with_number_sign(&self, line: &str) -> String {
        self.holding_number(line, &self.act.number)
    }

    /// `line` with the act's number sign held to `number` by a non-breaking space.
    fn holding_number(&self, line: &str, number: &str) -> String {
        let sign = self.act.style.number_sign.as_str();
        let number = number.trim();
        line.replace(
            &format!("{sign} {number}"),
            &format!("{sign}\u{a0}{number}"),
        )
    }

    /// An authority line as the blank prints it: in capitals where the style
    /// says so (`орган_прописными`).
    fn authority_line(&self, l: &str) -> String {
        let l = typography::collapse(l);
        if self.act.style.authority_caps {
            l.to_uppercase()
        } else {
            l
        }
    }

    fn act_part(&self, layout: &Layout) -> Result<ActPart, Diagnostic> {
        let act = self.act;
        let style = &act.style;
        let authority = act
            .authority
            .lines
            .iter()
            .map(|l| self.authority_line(l))
            .collect();
        let kind = if style.kind_spaced {
            spaced(self.forms.heading)
        } else {
            self.forms.heading.to_string()
        };

        let mut body = Vec::new();
        // Preamble and the operative word.
        let operative_word = match &act.operative {
            Some(input::Operative { word: None, .. }) => String::new(),
            Some(input::Operative { word: Some(w), .. }) => typography::collapse(w),
            None => self
                .t
                .render("operative_word", context! { kind => self.forms.name })?,
        };
        let op_style = act
            .operative
            .as_ref()
            .and_then(|o| o.style)
            .unwrap_or(OperativeStyle::OwnLine);
        let mut preamble: Vec<String> = Vec::new();
        for p in &act.preamble {
            for para in typography::paragraphs(p) {
                preamble.push(self.text(&para)?);
            }
        }
        let own_line = match op_style {
            OperativeStyle::OwnLine => Some(ParaStyle::Left),
            OperativeStyle::Centered => Some(ParaStyle::Center),
            OperativeStyle::Inline | OperativeStyle::Spaced => None,
        };
        if !operative_word.is_empty() && own_line.is_none() {
            let mut w = operative_word.clone();
            if !w.ends_with(':') {
                w.push(':');
            }
            if op_style == OperativeStyle::Spaced {
                w = spaced(&w.to_lowercase());
            }
            match preamble.last_mut() {
                Some(last) => {
                    last.push(' ');
                    last.push_str(&w);
                }
                None => preamble.push(w),
            }
        }
        body.extend(preamble.into_iter().map(|text| Block::Para {
            text,
            style: ParaStyle::Body,
        }));
        if let Some(style) = own_line.filter(|_| !operative_word.is_empty()) {
            body.push(Block::Para {
                text: operative_word,
                style,
            });
        }

        // Points, then the control clause as the last point.
        let local = act.kind.value.is_local();
        self.points(&act.points, &self.numbering.points, local, &mut body)?;
        if let (Some(c), Some(number)) = (&act.control, &self.numbering.control) {
            let text = match &c.value {
                Control::Kept => self.t.render(
                    "control",
                    context! { kept => true, person => "", act_genitive => self.forms.genitive },
                )?,
                Control::Assigned(p) => self.text(&self.t.render(
                    "control",
                    context! { kept => false, person => p.trim().trim_end_matches('.'), act_genitive => self.forms.genitive },
                )?)?,
                Control::Text(t) => self.text(t)?,
            };
            body.push(Block::Point {
                number: number.clone(),
                text,
                section: false,
            });
        }

        let distribution = match &act.distribution {
            Some(d) => {
                let to: Vec<String> =
                    d.to.iter()
                        .map(|s| self.text(s))
                        .collect::<Result<_, _>>()?;
                Some(self.t.render(
                    "distribution",
                    context! { heading => d.heading.clone().unwrap_or_default(), to => to },
                )?)
            }
            None => None,
        };
        let executor = match &act.executor {
            Some(e) => self.t.lines(
                "executor",
                context! { name => typography::collapse(&e.name), phone => e.phone.clone().unwrap_or_default(),
                position => e.position.clone().unwrap_or_default(), email => e.email.clone().unwrap_or_default() },
            )?,
            None => vec![],
        };
        let number = format!(
            "{}\u{a0}{}",
            style.number_sign.as_str(),
            act.number.value.trim()
        );
        // Two columns, each its own date line under its kind: the date and
        // the number on one line, as a bilingual blank prints them.
        let bilingual = match (&act.authority.second, style.header) {
            (Some(second), HeaderLayout::Bilingual) if !local => Some(model::SecondHeader {
                authority: second
                    .lines
                    .iter()
                    .map(|l| self.authority_line(l))
                    .collect(),
                kind: if style.kind_spaced {
                    spaced(&typography::collapse(&second.kind))
                } else {
                    typography::collapse(&second.kind)
                },
                place: second.place.as_ref().map(|p| typography::collapse(p)),
            }),
            _ => None,
        };
        let local_part = if local { Some(self.local_act()?) } else { None };
        let one_line = style.date_with_number || bilingual.is_some();
        Ok(ActPart {
            bilingual,
            emblem: act.authority.emblem.is_some(),
            blank: style.blank,
            authority,
            header_zone: (style.header == HeaderLayout::Corner && !local)
                .then_some(layout.requisite_width),
            kind_number: match style.header {
                HeaderLayout::KindNumber => number.clone(),
                _ => String::new(),
            },
            kind: match style.header {
                HeaderLayout::KindNumber => kind.trim().to_string(),
                _ => kind,
            },
            subject: act
                .subject
                .as_ref()
                .map(|s| format!("по {}", typography::collapse(s))),
            date: match (style.date_with_number, style.header) {
                // A local act's date is in its «УТВЕРЖДАЮ».
                _ if local => String::new(),
                (false, HeaderLayout::Bilingual) => format!("{} {number}", self.date(*act.date)),
                (false, _) => self.date(*act.date),
                // The number stands with the kind: «от 30.12.2020г.».
                (true, HeaderLayout::KindNumber) => format!("от {}", self.date(*act.date)),
                (true, _) => format!("от {} {number}", self.date(*act.date)),
            },
            number: if one_line || local || style.header == HeaderLayout::KindNumber {
                String::new()
            } else {
                number.clone()
            },
            // A local act has its place under the title, with the year.
            place: act
                .place
                .as_ref()
                .filter(|_| !local)
                .map(|p| typography::collapse(p)),
            local: local_part,
            title: self.text(&act.title)?,
            title_centered: style.title_centered || local,
            body,
            // A local act is signed in its «УТВЕРЖДАЮ» (`local.field`).
            signature: self.signature(&act.signatory, !local)?,
            distribution,
            executor,
            visas: self.visas()?,
        })
    }

    /// The stamps of a local act that stands alone and the lines under its
    /// title.
    fn local_act(&self) -> Result<model::LocalAct, Diagnostic> {
        let act = self.act;
        let s = &act.signatory;
        let position: Vec<String> = self.signature(s, false)?.position;
        let mut approved = self.t.lines(
            "approval_stamp",
            context! { position => position, name => self.text(&s.name)?, date => self.date(*act.date) },
        )?;
        if let Some(by) = &act.introduced {
            let lines = self.t.lines(
                "introduced_by",
                context! { date => self.date(*by.date), number => by.number.value.trim(),
                number_sign => act.style.number_sign.as_str() },
            )?;
            approved.push(String::new());
            approved.extend(lines.iter().map(|l| self.holding_number(l, &by.number)));
        }
        let accepted = act
            .accepted
            .iter()
            .flat_map(|l| l.lines())
            .filter(|l| !l.trim().is_empty())
            .map(|l| self.text(l))
            .collect::<Result<_, _>>()?;
        let mut place_year: Vec<String> =
            act.place.iter().map(|p| typography::collapse(p)).collect();
        place_year.push(act.date.format("%Y").to_string());
        // The head signs on the line that starts with the blank for the signature.
        let sign_line = approved.iter().position(|l| l.starts_with("___"));
        let name = self.text(&s.name)?;
        Ok(model::LocalAct {
            approved,
            accepted,
            place_year,
            field: sign_line.map(|_| self.sign_field("Подпись", &name)),
            sign_line,
        })
    }

    /// A signature field for `signer` («Е.А. Глуховская»), named «`what`
    /// Е А Глуховская»: a PDF field name has no «.», and no two fields of a
    /// document share a name (a second one gets « 2»).
    fn sign_field(&self, what: &str, signer: &str) -> model::SignField {
        let words: Vec<&str> = signer
            .split(['.', ' ', '\u{a0}'])
            .filter(|w| !w.trim().is_empty())
            .collect();
        let base = format!("{what} {}", words.join(" "));
        let mut taken = self.field_names.borrow_mut();
        let mut name = base.clone();
        let mut n = 1;
        while taken.contains(&name) {
            n += 1;
            name = format!("{base} {n}");
        }
        taken.push(name.clone());
        model::SignField {
            name,
            signer: signer.to_string(),
            description: format!("{what}: {signer}"),
        }
    }

    /// The signature requisite; `field`: the head may sign it electronically
    /// (the act's own signature, not one in an appendix's text).
    fn signature(&self, s: &input::Signatory, field: bool) -> Result<model::Signature, Diagnostic> {
        let mut position: Vec<String> =
            s.position.iter().map(|l| typography::collapse(l)).collect();
        if let (Some(prefix), Some(first)) = (&s.acting, position.first_mut()) {
            let mut chars = first.chars();
            let lowered = match chars.next() {
                Some(c) => c.to_lowercase().chain(chars).collect::<String>(),
                None => String::new(),
            };
            *first = format!("{} {lowered}", prefix.trim());
        }
        let esign = match &s.esign {
            Some(e) => self.t.lines(
                "esign_stamp",
                context! { certificate => e.certificate, owner => e.owner,
                valid_from => dates::numeric(e.valid_from), valid_to => dates::numeric(e.valid_to) },
            )?,
            None => vec![],
        };
        let name = self.text(&s.name)?;
        Ok(model::Signature {
            field: (field && esign.is_empty()).then(|| self.sign_field("Подпись", &name)),
            position,
            name,
            esign,
            esign_emblem: s.esign.as_ref().is_some_and(|e| e.emblem)
                && self.act.authority.emblem.is_some(),
        })
    }

    /// Points and the free paragraphs between them; `numbers` follows the
    /// numbered points of `items` in order.
    /// `sections`: a point with clauses under it is a section heading (the
    /// top level of a local act that stands alone).
    fn points(
        &self,
        items: &[PointItem],
        numbers: &[numbering::PointNumbers],
        sections: bool,
        out: &mut Vec<Block>,
    ) -> Result<(), Diagnostic> {
        let mut numbers = numbers.iter();
        for item in items {
            match item {
                PointItem::Paragraph(t) => out.push(Block::Para {
                    text: self.text(t)?,
                    style: ParaStyle::Body,
                }),
                PointItem::Point(p) => {
                    let n = numbers.next().expect("numbering mirrors the points");
                    self.point(p, n, sections, out)?;
                }
            }
        }
        Ok(())
    }

    fn point(
        &self,
        p: &input::Point,
        n: &numbering::PointNumbers,
        section: bool,
        out: &mut Vec<Block>,
    ) -> Result<(), Diagnostic> {
        out.push(Block::Point {
            number: n.number.clone(),
            text: self.text(&p.text)?,
            section: section && !p.subpoints.is_empty(),
        });
        self.point_tail(p, out)?;
        self.points(&p.subpoints, &n.subpoints, false, out)?;
        for (it, number) in p.items.iter().zip(&n.items) {
            out.push(Block::Point {
                number: number.number.clone(),
                text: self.text(&it.text)?,
                section: false,
            });
            self.point_tail(it, out)?;
        }
        Ok(())
    }

    /// What follows a point's own text: paragraphs, bullets, those responsible, the deadline.
    fn point_tail(&self, p: &input::Point, out: &mut Vec<Block>) -> Result<(), Diagnostic> {
        for para in &p.paragraphs {
            out.push(Block::Para {
                text: self.text(para)?,
                style: ParaStyle::Body,
            });
        }
        if !p.bullets.is_empty() {
            let mut items = vec![];
            self.list_items(&p.bullets, "–", 0, &mut items)?;
            out.push(Block::List { items });
        }
        if !p.responsible.is_empty() {
            let people: Vec<String> = p
                .responsible
                .iter()
                .map(|s| self.text(s))
                .collect::<Result<_, _>>()?;
            out.push(Block::Para {
                text: self
                    .t
                    .render("responsible", context! { people => people })?,
                style: ParaStyle::Body,
            });
        }
        if let Some(d) = &p.deadline {
            let text = match &d.value {
                Deadline::Date(date) => self.t.render(
                    "deadline",
                    context! { date => dates::numeric(*date), text => "" },
                )?,
                Deadline::Text(t) => self
                    .t
                    .render("deadline", context! { date => "", text => self.text(t)? })?,
            };
            out.push(Block::Para {
                text: typography::normalize(&text),
                style: ParaStyle::Body,
            });
        }
        Ok(())
    }

    fn list_items(
        &self,
        items: &[input::ListItem],
        marker: &str,
        level: u8,
        out: &mut Vec<ListItem>,
    ) -> Result<(), Diagnostic> {
        for (i, it) in items.iter().enumerate() {
            out.push(ListItem {
                marker: numbering::list_marker(marker, i),
                text: self.text(&it.text)?,
                level,
            });
            if let Some(sub) = &it.sublist {
                self.list_items(&sub.items, &sub.marker, level + 1, out)?;
            }
        }
        Ok(())
    }

    fn appendix(
        &self,
        idx: usize,
        a: &input::Appendix,
        layout: &Layout,
    ) -> Result<AppendixPart, Diagnostic> {
        let (id, number) = self.numbering.appendices[idx].clone();
        let act = self.act;
        let gender = a
            .doc_kind
            .as_ref()
            .map(|k| grammar::gender(k))
            .unwrap_or("м");
        let mark = self.t.lines(
            "appendix_mark",
            context! {
                approved => a.approved,
                number => number.clone().unwrap_or_default(),
                gender => gender,
                participle => a.participle.clone().unwrap_or_default(),
                act_dative => self.forms.dative,
                act_instrumental => self.forms.instrumental,
                authority_genitive => act.authority.genitive.clone().unwrap_or_default(),
                to_act => a.to_act.clone().unwrap_or_default(),
                by_act => a.by_act.clone().unwrap_or_default(),
                date => a.mark_date.clone().unwrap_or_else(|| self.date(*act.date)),
                act_number => act.number.value.trim(),
                number_sign => act.style.number_sign.as_str(),
                local => act.kind.value.is_local(),
                title => typography::collapse(&act.title),
            },
        )?;
        let mark = mark
            .iter()
            .map(|l| self.with_number_sign(&typography::normalize(l)))
            .collect();
        let landscape = a.orientation == input::Orientation::Landscape;
        let margins = if landscape && !a.portrait_margins {
            layout.landscape_margins
        } else {
            layout.margins
        };
        let title = a
            .title
            .iter()
            .map(|t| self.text(t))
            .collect::<Result<_, _>>()?;
        let page_width = if landscape {
            layout.page_height
        } else {
            layout.page_width
        };
        let text_width = page_width - margins.left - margins.right;
        let mut body = vec![];
        for b in &a.body {
            self.block(b, layout, text_width, &mut body)?;
        }
        Ok(AppendixPart {
            id,
            number,
            mark,
            landscape,
            margins,
            title,
            body,
        })
    }

    /// `text_width`: of the page the block stands on, mm.
    fn block(
        &self,
        b: &input::Block,
        layout: &Layout,
        text_width: f32,
        out: &mut Vec<Block>,
    ) -> Result<(), Diagnostic> {
        match b {
            input::Block::Paragraph(p) => {
                for para in typography::paragraphs(p) {
                    out.push(Block::Para {
                        text: self.text(&para)?,
                        style: ParaStyle::Body,
                    });
                }
            }
            input::Block::Heading(h) => out.push(Block::Para {
                text: self.text(h)?,
                style: ParaStyle::Heading,
            }),
            input::Block::Labelled { label, text } => out.push(Block::Para {
                text: format!("{label} {}", self.text(text)?),
                style: ParaStyle::Body,
            }),
            input::Block::List { label, list } => {
                if let Some(l) = label {
                    out.push(Block::Para {
                        text: self.text(l)?,
                        style: ParaStyle::Body,
                    });
                }
                let mut items = vec![];
                self.list_items(&list.items, &list.marker, 0, &mut items)?;
                out.push(Block::List { items });
            }
            input::Block::Terms(terms) => {
                let n = terms.len();
                for (i, t) in terms.iter().enumerate() {
                    let end = if i + 1 == n { "." } else { ";" };
                    let def = self.text(&t.definition)?;
                    let def = def.trim_end_matches(['.', ';']);
                    out.push(Block::Para {
                        text: format!("{}\u{a0}— {def}{end}", self.text(&t.term)?),
                        style: ParaStyle::Body,
                    });
                }
            }
            input::Block::Table(t) => out.push(Block::Table(self.table(t, layout, text_width)?)),
            input::Block::Signature(s) => out.push(Block::Signature(self.signature(s, false)?)),
            input::Block::Members(m) => out.push(Block::Table(self.members(m, layout)?)),
            input::Block::PageBreak => out.push(Block::PageBreak),
        }
        Ok(())
    }

    fn table(
        &self,
        t: &input::Table,
        layout: &Layout,
        text_width: f32,
    ) -> Result<model::Table, Diagnostic> {
        let mut columns = t
            .columns
            .iter()
            .map(|c| {
                Ok(model::Column {
                    title: self.text(&c.title)?,
                    width: c.width,
                    align: match c.align {
                        Some(input::Align::Left) => model::Align::Left,
                        Some(input::Align::Center) => model::Align::Center,
                        Some(input::Align::Right) => model::Align::Right,
                        Some(input::Align::Justify) => model::Align::Justify,
                        // The number column is centred unless told otherwise.
                        None if c.numbering => model::Align::Center,
                        None => model::Align::Left,
                    },
                    names: c.people,
                })
            })
            .collect::<Result<Vec<_>, Diagnostic>>()?;
        let rows = numbering::table_rows(t)
            .into_iter()
            .map(|r| self.table_row(t, r))
            .collect::<Result<Vec<_>, _>>()?;
        let font_size = t.font_size.unwrap_or(layout.table_size);
        // A name with its initials stays on one line of its cell.
        let titles: Vec<&str> = columns.iter().map(|c| c.title.as_str()).collect();
        let needs = widths::needs(
            &titles,
            &rows,
            font_size,
            layout.cell_padding,
            layout.short_word,
        );
        let mut w: Vec<f32> = columns.iter().map(|c| c.width).collect();
        widths::fit(&mut w, &needs, text_width);
        for (c, w) in columns.iter_mut().zip(w) {
            c.width = w;
        }
        Ok(model::Table {
            columns,
            column_numbers: t.column_numbers,
            rows,
            font_size,
            row_height: None,
            sign_column: None,
            rules: true,
        })
    }

    fn table_row(
        &self,
        t: &input::Table,
        r: numbering::RowNumber,
    ) -> Result<model::Row, Diagnostic> {
        Ok(match r.row {
            input::Row::Section(s) => model::Row::Section {
                number: r.number,
                text: self.text(&s.text)?,
                plain: false,
            },
            input::Row::Cells(row) => {
                let label = r.number.as_ref().map(|n| n.label.clone());
                let mut cells = Vec::with_capacity(t.columns.len());
                for (col, cell) in t.columns.iter().zip(row.cells_by_column(&t.columns)) {
                    if col.numbering {
                        cells.push(vec![CellBlock::Para {
                            text: label.clone().unwrap_or_default(),
                        }]);
                        continue;
                    }
                    cells.push(match cell {
                        Some(i) => self.cell(&row.cells[i].1)?,
                        None => vec![],
                    });
                }
                model::Row::Cells {
                    number: r.number,
                    cells,
                    field: None,
                }
            }
        })
    }

    /// A «Состав» in its usual form: two columns without rules, the name on
    /// the left, «— должность» on the right, each group under its label.
    fn members(&self, m: &input::Members, layout: &Layout) -> Result<model::Table, Diagnostic> {
        let of = match &m.of {
            Some(o) => self.text(o)?,
            None => String::new(),
        };
        let mut rows = vec![];
        for (key, group) in m.groups() {
            if group.is_empty() {
                continue;
            }
            let label = self.t.render(
                "members_label",
                context! { role => key, many => group.len() > 1, of => of },
            )?;
            rows.push(model::Row::Section {
                number: None,
                text: label,
                plain: true,
            });
            for p in group {
                let position = match &p.position {
                    Some(pos) => format!("—\u{a0}{}", self.text(pos)?),
                    None => String::new(),
                };
                rows.push(model::Row::Cells {
                    number: None,
                    cells: vec![
                        vec![CellBlock::Para {
                            text: self.text(&p.name)?,
                        }],
                        vec![CellBlock::Para { text: position }],
                    ],
                    field: None,
                });
            }
        }
        Ok(model::Table {
            columns: vec![
                model::Column {
                    title: String::new(),
                    width: layout.members_name_width,
                    align: model::Align::Left,
                    names: true,
                },
                model::Column {
                    title: String::new(),
                    width: 1.0 - layout.members_name_width,
                    align: model::Align::Left,
                    names: false,
                },
            ],
            column_numbers: false,
            rows,
            font_size: layout.body_size,
            row_height: None,
            sign_column: None,
            rules: false,
        })
    }

    fn cell(&self, c: &input::Cell) -> Result<Vec<CellBlock>, Diagnostic> {
        let mut out = vec![];
        for b in &c.blocks {
            match b {
                input::CellBlock::Paragraph(p) => out.push(CellBlock::Para {
                    text: self.text(p)?,
                }),
                input::CellBlock::List(l) => {
                    let mut items = vec![];
                    self.list_items(&l.items, &l.marker, 0, &mut items)?;
                    out.push(CellBlock::List { items });
                }
            }
        }
        Ok(out)
    }
}

/// «ПРИКАЗ» → «П Р И К А З».
fn spaced(s: &str) -> String {
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && c != ':' {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

/// Longest act number kept whole in a file name, characters.
pub const MAX_NAME_PART: usize = 60;
/// Letters of a local act's title in its file name (whole words).
const LOCAL_NAME_PART: usize = 40;

/// The first words of `s`, at most `max` letters with the spaces between
/// them (the first word whole, however long).
fn first_words(s: &str, max: usize) -> String {
    let mut out = String::new();
    for w in s.split_whitespace() {
        if !out.is_empty() && out.chars().count() + 1 + w.chars().count() > max {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

/// A piece of user text made safe as part of a file name on every system:
/// path separators and characters Windows forbids become «-», spaces «_»,
/// control characters go, dots and dashes at the ends go, a name Windows
/// reserves (CON, NUL, COM1 …) gets a «_». Longer than `max` characters, it is
/// cut; the flag says so, for a message.
pub fn safe_file_part(s: &str, max: usize) -> (String, bool) {
    let mut out: String = s
        .trim()
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{feff}'))
        .map(|c| match c {
            '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|' => '-',
            c if c.is_whitespace() => '_',
            c => c,
        })
        .collect();
    let shortened = out.chars().count() > max;
    if shortened {
        out = out.chars().take(max).collect();
    }
    let out = out.trim_matches(['.', '-', '_', ' ']).to_string();
    let reserved = ["CON", "PRN", "AUX", "NUL"]
        .iter()
        .any(|r| out.eq_ignore_ascii_case(r))
        || (out.len() == 4
            && ["COM", "LPT"]
                .iter()
                .any(|r| out.get(..3).is_some_and(|p| p.eq_ignore_ascii_case(r)))
            && out.as_bytes()[3].is_ascii_digit());
    let out = if out.is_empty() {
        "без_номера".to_string()
    } else if reserved {
        format!("{out}_")
    } else {
        out
    };
    (out, shortened)
}

/// Base name for output files: `Распоряжение_596_2023-09-20`. The flag says
/// the act number had to be shortened.
pub fn file_stem(kind: ActKind, number: &str, date: chrono::NaiveDate) -> (String, bool) {
    let (num, shortened) = safe_file_part(number, MAX_NAME_PART);
    (
        format!(
            "{}_{}_{}",
            grammar::forms(kind).capitalised,
            num,
            date.format("%Y-%m-%d")
        ),
        shortened,
    )
}

/// The organisation's margins over ГОСТ's usual ones. A landscape page turns
/// them with the sheet, so the wide margin stays on the bound edge.
fn margins(layout: &mut Layout, m: &input::PageMargins) {
    let p = &mut layout.margins;
    for (side, value) in [
        (&mut p.left, m.left),
        (&mut p.right, m.right),
        (&mut p.top, m.top),
        (&mut p.bottom, m.bottom),
    ] {
        if let Some(v) = value {
            *side = v.value;
        }
    }
    if m == &input::PageMargins::default() {
        return;
    }
    let p = layout.margins;
    layout.landscape_margins = crate::layout::Margins {
        top: p.left,
        bottom: p.right,
        left: p.top,
        right: p.bottom,
    };
}

/// Build the document model for `act`.
pub fn resolve(
    act: &Act,
    numbering: &Numbering,
    templates: &Templates,
    selection: &Selection,
) -> Result<Document, Diagnostic> {
    let mut layout = match act.edition {
        input::Edition::Gost2016 => Layout::gost2016(),
        input::Edition::Gost2025 => Layout::default(),
    };
    margins(&mut layout, &act.style.margins);
    let forms = grammar::forms(act.kind.value);
    let r = Resolver {
        act,
        t: templates,
        numbering,
        forms,
        field_names: Default::default(),
    };
    let (mut after_act, mut at_end) = (vec![], vec![]);
    let mut qr = None;
    let (act_part, appendices) = match selection {
        Selection::All => {
            let appx = act
                .appendices
                .iter()
                .enumerate()
                .map(|(i, a)| r.appendix(i, a, &layout))
                .collect::<Result<Vec<_>, _>>()?;
            if let Some((sheet, end)) = r.approval_sheet(&layout)? {
                if end {
                    at_end.push(sheet);
                } else {
                    after_act.push(sheet);
                }
            }
            at_end.extend(r.acknowledgment_sheet(&layout)?);
            qr = r.qr()?;
            (Some(r.act_part(&layout)?), appx)
        }
        Selection::Appendix(key) => {
            let Some((i, _)) = r.numbering.appendix(key) else {
                let known: Vec<String> = r
                    .numbering
                    .appendices
                    .iter()
                    .map(|(id, _)| id.clone())
                    .collect();
                let close = crate::diag::suggest(key, known.iter().map(String::as_str));
                return Err(Diagnostic::error(
                    errors::ONLY_UNKNOWN,
                    format!("в акте нет приложения «{key}»"),
                )
                .hint(match close {
                    Some(s) => format!("возможно, вы имели в виду «{s}»"),
                    None if known.is_empty() => "в акте нет ни одного приложения".into(),
                    None => format!("есть приложения: {}", crate::diag::some_of(&known, 10)),
                }));
            };
            (None, vec![r.appendix(i, &act.appendices[i], &layout)?])
        }
    };
    let date = *act.date;
    use chrono::Datelike;
    let local = act.kind.value.is_local();
    let title = if local {
        // «Положение о рабочей группе»: it has no number of its own.
        format!(
            "{} {}",
            r.forms.capitalised,
            typography::collapse(&act.title)
        )
    } else {
        format!(
            "{} от {} № {} «{}»",
            r.forms.capitalised,
            dates::numeric(date),
            act.number.value.trim(),
            typography::collapse(&act.title)
        )
    };
    let author = act
        .authority
        .lines
        .iter()
        .map(|l| typography::collapse(l))
        .collect::<Vec<_>>()
        .join(" ");
    let (stem, mut stem_shortened) = if local {
        // Named by its first words in place of a number: «Положение_о_рабочей_группе_…».
        let words = first_words(&typography::collapse(&act.title), LOCAL_NAME_PART);
        (file_stem(act.kind.value, &words, date).0, false)
    } else {
        file_stem(act.kind.value, &act.number, date)
    };
    let ident = format!("prikaz:{stem}");
    // One appendix alone is named after it, beside the act's own files.
    let stem = match (selection, appendices.first()) {
        (Selection::Appendix(_), Some(a)) => {
            let n = a.number.clone().unwrap_or_else(|| a.id.clone());
            let (part, cut) = safe_file_part(&n, MAX_NAME_PART);
            stem_shortened |= cut;
            format!("{stem}_приложение_{part}")
        }
        _ => stem,
    };
    let mut doc = Document {
        meta: Meta {
            ident,
            title,
            author,
            subject: typography::collapse(&act.title),
            // A local act has no number of its own: its title instead.
            keywords: vec![
                r.forms.capitalised.to_string(),
                if local {
                    typography::collapse(&act.title)
                } else {
                    format!("№ {}", act.number.value.trim())
                },
                dates::numeric(date),
            ],
            date: date.format("%Y-%m-%d").to_string(),
            year: date.year(),
            month: date.month(),
            day: date.day(),
            file_stem: stem,
            file_stem_shortened: stem_shortened,
        },
        layout,
        act: act_part,
        appendices,
        continuous_pages: act.style.continuous_pages,
        sheets_after_act: after_act,
        sheets_at_end: at_end,
        qr,
        signature_fields: act.style.signature_field,
        names: vec![],
    };
    doc.names = names_in(&doc);
    Ok(doc)
}

/// The people's names in `doc` a writer keeps whole: each once, longest
/// first (so that a pattern of them finds «Жуковой» before «Жукова»).
fn names_in(doc: &Document) -> Vec<String> {
    let mut names: Vec<String> = doc
        .plain_text()
        .iter()
        .flat_map(|t| crate::persons::names_to_keep_whole(t))
        .collect();
    names.sort_by(|a, b| b.chars().count().cmp(&a.chars().count()).then(a.cmp(b)));
    names.dedup();
    names.truncate(model::MAX_NAMES);
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers() {
        use numbering::list_marker;
        assert_eq!(list_marker("1.", 2), "3.");
        assert_eq!(list_marker("1)", 0), "1)");
        assert_eq!(list_marker("а)", 1), "б)");
        assert_eq!(list_marker("✓", 5), "✓");
        assert_eq!(spaced("ПРИКАЗ"), "П Р И К А З");
    }

    #[test]
    fn stems() {
        let d = chrono::NaiveDate::from_ymd_opt(2023, 9, 20).unwrap();
        let stem = |n: &str| file_stem(ActKind::Order, n, d);
        assert_eq!(
            file_stem(ActKind::Directive, "596", d),
            ("Распоряжение_596_2023-09-20".to_string(), false)
        );
        assert_eq!(stem("148-01 (о/д)").0, "Приказ_148-01_(о-д)_2023-09-20");
        // No way out of the folder, no hidden file.
        assert_eq!(stem("../../x").0, "Приказ_x_2023-09-20");
        assert_eq!(stem(".hidden").0, "Приказ_hidden_2023-09-20");
        // Control characters and invisible bidi marks go.
        assert_eq!(
            stem("1\u{1b}]0;x\u{7}\u{202e}2").0,
            "Приказ_1]0;x2_2023-09-20"
        );
        // Names Windows reserves.
        assert_eq!(stem("CON").0, "Приказ_CON__2023-09-20");
        assert_eq!(stem("com1").0, "Приказ_com1__2023-09-20");
        assert_eq!(stem(" / ").0, "Приказ_без_номера_2023-09-20");
        // Four bytes that are not four letters (found by the fuzzer).
        assert_eq!(stem("$—").0, "Приказ_$—_2023-09-20");
        // A long number is cut, and says so.
        let long = "7".repeat(300);
        let (s, cut) = stem(&long);
        assert!(cut);
        assert_eq!(
            s,
            format!("Приказ_{}_2023-09-20", "7".repeat(MAX_NAME_PART))
        );
        assert!(!stem("596").1);
    }
}
