//! Every piece of user text with where it stands: which part of the act, which
//! field, which table column. Validation walks the same list for references; the
//! lints use the context too.

use crate::diag::Pos;
use crate::read::decode::Spanned;
use crate::read::input::{
    Act, Block, CellBlock, Column, Control, List, ListItem, Point, PointItem, Row,
};

/// Part of the act a text belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Zone {
    Title,
    Preamble,
    /// Point texts, paragraphs, lists, responsible persons.
    Point,
    Control,
    Distribution,
    /// Title lines of an appendix.
    AppendixTitle,
    /// Body of an appendix outside tables (and table headers and sections).
    Appendix,
    /// A table cell; `deadline` when its column holds dates («Сроки исполнения»).
    Cell {
        deadline: bool,
    },
    /// The visas and the people of the acknowledgment sheet.
    Sheet,
}

impl Zone {
    /// Text of the act itself (before the appendices).
    pub fn in_act(self) -> bool {
        matches!(
            self,
            Zone::Title | Zone::Preamble | Zone::Point | Zone::Control | Zone::Distribution
        )
    }
}

#[derive(Debug, Clone)]
pub struct Text<'a> {
    pub value: &'a str,
    pub pos: Pos,
    pub zone: Zone,
    /// Field path, as in error messages: `пункты[2].текст`.
    pub field: String,
}

/// Is this column title one of deadlines? «Сроки исполнения», «Срок», «Дата
/// проведения», «Период реализации» — but not «Дата рождения».
pub fn deadline_column(title: &str) -> bool {
    let t = title.to_lowercase();
    t.contains("срок")
        || (["дата", "период"].iter().any(|w| t.contains(w))
            && [
                "проведени",
                "исполнени",
                "выполнени",
                "реализаци",
                "мероприяти",
            ]
            .iter()
            .any(|w| t.contains(w)))
}

struct Walker<'a> {
    out: Vec<Text<'a>>,
    zone: Zone,
}

impl<'a> Walker<'a> {
    fn push(&mut self, t: &'a Spanned<String>, field: String) {
        self.out.push(Text {
            value: &t.value,
            pos: t.pos,
            zone: self.zone,
            field,
        });
    }

    fn point(&mut self, p: &'a Point, f: &str) {
        self.push(&p.text, format!("{f}.текст"));
        for (i, t) in p.paragraphs.iter().enumerate() {
            self.push(t, format!("{f}.абзацы[{}]", i + 1));
        }
        self.list(&p.bullets, &format!("{f}.список"));
        for (i, t) in p.responsible.iter().enumerate() {
            self.push(t, format!("{f}.ответственные[{}]", i + 1));
        }
        self.items(&p.subpoints, &format!("{f}.пункты"));
        for (i, it) in p.items.iter().enumerate() {
            self.point(it, &format!("{f}.подпункты[{}]", i + 1));
        }
    }

    fn items(&mut self, items: &'a [PointItem], f: &str) {
        for (i, it) in items.iter().enumerate() {
            let f = format!("{f}[{}]", i + 1);
            match it {
                PointItem::Point(p) => self.point(p, &f),
                PointItem::Paragraph(t) => self.push(t, format!("{f}.абзац")),
            }
        }
    }

    fn list(&mut self, items: &'a [ListItem], f: &str) {
        for (i, it) in items.iter().enumerate() {
            let f = format!("{f}[{}]", i + 1);
            self.push(&it.text, f.clone());
            if let Some(List { items, .. }) = &it.sublist {
                self.list(items, &format!("{f}.список"));
            }
        }
    }

    /// `deadline[j]`: column `j` holds deadlines.
    fn row(&mut self, r: &'a Row, columns: &[Column], deadline: &[bool], f: &str) {
        match r {
            Row::Section(s) => {
                self.zone = Zone::Appendix;
                self.push(&s.text, format!("{f}.раздел"));
            }
            Row::Cells(c) => {
                // Which column each cell lands in, as `resolve` decides it.
                let mut deadline_of = vec![false; c.cells.len()];
                for (j, cell) in c.cells_by_column(columns).into_iter().enumerate() {
                    if let Some(i) = cell {
                        deadline_of[i] = deadline[j];
                    }
                }
                for (i, (key, cell)) in c.cells.iter().enumerate() {
                    let deadline = deadline_of[i];
                    self.zone = Zone::Cell { deadline };
                    let cf = match key {
                        Some(k) => format!("{f}.{k}"),
                        None => format!("{f}[{}]", i + 1),
                    };
                    for b in &cell.blocks {
                        match b {
                            CellBlock::Paragraph(p) => self.push(p, cf.clone()),
                            CellBlock::List(l) => self.list(&l.items, &format!("{cf}.список")),
                        }
                    }
                }
                for (i, ch) in c.children.iter().enumerate() {
                    self.row(ch, columns, deadline, &format!("{f}.подстроки[{}]", i + 1));
                }
            }
        }
    }
}

/// All texts of the act in reading order.
pub fn collect(act: &Act) -> Vec<Text<'_>> {
    let mut w = Walker {
        out: vec![],
        zone: Zone::Title,
    };
    w.push(&act.title, "заголовок".into());
    w.zone = Zone::Preamble;
    for (i, t) in act.preamble.iter().enumerate() {
        w.push(t, format!("преамбула[{}]", i + 1));
    }
    w.zone = Zone::Point;
    w.items(&act.points, "пункты");
    if let Some(c) = &act.control {
        let text = match &c.value {
            Control::Kept => None,
            Control::Assigned(s) | Control::Text(s) => Some(s),
        };
        if let Some(s) = text {
            w.out.push(Text {
                value: s,
                pos: c.pos,
                zone: Zone::Control,
                field: "контроль".into(),
            });
        }
    }
    if let Some(d) = &act.distribution {
        w.zone = Zone::Distribution;
        for (i, t) in d.to.iter().enumerate() {
            w.push(t, format!("рассылка[{}]", i + 1));
        }
    }
    for (ai, a) in act.appendices.iter().enumerate() {
        let f = format!("приложения[{}]", ai + 1);
        w.zone = Zone::AppendixTitle;
        for (i, t) in a.title.iter().enumerate() {
            w.push(t, format!("{f}.заголовок[{}]", i + 1));
        }
        for (bi, b) in a.body.iter().enumerate() {
            let f = format!("{f}.содержание[{}]", bi + 1);
            w.zone = Zone::Appendix;
            match b {
                Block::Paragraph(t) | Block::Heading(t) | Block::Labelled { text: t, .. } => {
                    w.push(t, f)
                }
                Block::List { list, .. } => w.list(&list.items, &f),
                Block::Members(m) => {
                    if let Some(of) = &m.of {
                        w.push(of, format!("{f}.состав.чего"));
                    }
                    for (key, group) in m.groups() {
                        for (i, p) in group.iter().enumerate() {
                            let at = format!("{f}.состав.{key}[{}]", i + 1);
                            w.push(&p.name, format!("{at}.имя"));
                            if let Some(pos) = &p.position {
                                w.push(pos, format!("{at}.должность"));
                            }
                        }
                    }
                }
                Block::Terms(ts) => {
                    for (i, t) in ts.iter().enumerate() {
                        w.push(&t.term, format!("{f}.термины[{}].термин", i + 1));
                        w.push(&t.definition, format!("{f}.термины[{}].определение", i + 1));
                    }
                }
                Block::Table(t) => {
                    for (i, c) in t.columns.iter().enumerate() {
                        w.push(&c.title, format!("{f}.таблица.колонки[{}]", i + 1));
                    }
                    let deadline: Vec<bool> = t
                        .columns
                        .iter()
                        .map(|c| deadline_column(&c.title))
                        .collect();
                    for (i, r) in t.rows.iter().enumerate() {
                        let f = format!("{f}.таблица.строки[{}]", i + 1);
                        w.row(r, &t.columns, &deadline, &f);
                    }
                }
                Block::Signature(s) => {
                    for (i, p) in s.position.iter().enumerate() {
                        w.push(p, format!("{f}.подпись.должность[{}]", i + 1));
                    }
                    w.push(&s.name, format!("{f}.подпись.имя"));
                }
                Block::PageBreak => {}
            }
        }
    }
    w.zone = Zone::Sheet;
    if let Some(a) = &act.approval {
        for (i, v) in a.visas.iter().enumerate() {
            let f = format!("согласование.визы[{}]", i + 1);
            for (k, p) in v.position.iter().enumerate() {
                w.push(p, format!("{f}.должность[{}]", k + 1));
            }
            w.push(&v.name, format!("{f}.имя"));
            if let Some(r) = &v.remarks {
                w.push(r, format!("{f}.замечания"));
            }
        }
    }
    if let Some(a) = &act.acknowledgment {
        for (i, p) in a.people.iter().enumerate() {
            let f = format!("лист_ознакомления.люди[{}]", i + 1);
            w.push(&p.name, format!("{f}.имя"));
            if let Some(pos) = &p.position {
                w.push(pos, format!("{f}.должность"));
            }
        }
    }
    w.out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every kind of field a clerk writes text in is collected (validation and
    /// every lint rely on this list).
    #[test]
    fn covers_every_text_field() {
        let data = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
        for name in ["orenburg-596.yaml", "ochyor-60.yaml"] {
            // Read from the folder: the examples name their profiles.
            let parsed = crate::read::read_file(&data.join(name), &crate::read::Limits::default())
                .expect("data example reads");
            let ours = collect(&parsed.act);
            let has = |zone: Zone, part: &str| {
                ours.iter()
                    .any(|o| o.zone == zone && o.value.contains(part))
            };
            assert!(has(Zone::Title, "Об утверждении"), "{name}: title");
            assert!(has(Zone::Preamble, "образова"), "{name}: preamble");
            assert!(has(Zone::Point, "Утвердить"), "{name}: points");
            assert!(
                has(Zone::AppendixTitle, "мероприятий"),
                "{name}: appendix title"
            );
            // List items of «Задачи:» in either plan.
            assert!(
                has(Zone::Appendix, "Комплексная диагностика")
                    || has(Zone::Appendix, "Обеспечить сопровождение"),
                "{name}: lists"
            );
            // Plan cells of «Сроки исполнения» are deadline cells.
            assert!(ours.iter().any(|o| o.zone == Zone::Cell { deadline: true }));
        }
        // The visas and the given people of the acknowledgment sheet.
        let parsed = crate::read::read_file(
            &data.join("приказ-с-листами.yaml"),
            &crate::read::Limits::default(),
        )
        .expect("data example reads");
        let ours = collect(&parsed.act);
        let has = |part: &str| {
            ours.iter()
                .any(|o| o.zone == Zone::Sheet && o.value.contains(part))
        };
        assert!(has("Рахманкулов") && has("юридического отдела") && has("нет"));
        assert!(has("Петрова Е.Н.") && has("секретарь конкурсной комиссии"));
    }
}
