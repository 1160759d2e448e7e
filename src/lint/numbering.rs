//! P1xx — numbering: explicit row numbers of tables that skip or repeat (P101);
//! points mentioned in text that the act does not have (P102).

use super::Cx;
use super::codes::{P101, P102};
use super::mentions::{self, Kind};
use crate::facts::numbering::{self, join};
use crate::read::input::{Block, Row, Table};
use crate::read::texts::Zone;
use std::collections::HashSet;

pub fn check(cx: &mut Cx) {
    if cx.on(P101) {
        rows(cx);
    }
    if cx.on(P102) {
        points(cx);
    }
}

fn rows(cx: &mut Cx) {
    for (ai, a) in cx.act.appendices.iter().enumerate() {
        for (bi, b) in a.body.iter().enumerate() {
            if let Block::Table(t) = b {
                let field = format!(
                    "приложения[{}].содержание[{}].таблица.строки",
                    ai + 1,
                    bi + 1
                );
                table(cx, t, &field);
            }
        }
    }
}

/// Compare each explicit row number with what the counter expected there
/// (`resolve::numbering` decides both; the lint only reads them).
fn table(cx: &mut Cx, t: &Table, field: &str) {
    // Field path of each row: the path of its parent row, then its own index.
    let mut path: Vec<String> = vec![];
    for r in numbering::table_rows(t) {
        path.truncate(r.depth);
        let f = match path.last() {
            Some(parent) => format!("{parent}.подстроки[{}]", r.index + 1),
            None => format!("{field}[{}]", r.index + 1),
        };
        path.push(f.clone());
        let Row::Cells(row) = r.row else { continue };
        let (Some(explicit), Some(label)) = (&row.number, &r.explicit) else {
            continue;
        };
        if *label == r.expected {
            continue;
        }
        let shown = explicit.value.trim().trim_end_matches('.');
        let pos = cx.locate(&explicit.value, explicit.pos, 0);
        let f = format!("{f}.№");
        let want = join(&r.expected);
        let last = *label.last().unwrap_or(&0);
        let next = *r.expected.last().unwrap_or(&1);
        let same_level = label.len() == r.expected.len()
            && label[..label.len() - 1] == r.expected[..r.expected.len() - 1];
        let (msg, fix) = match &r.previous {
            _ if !same_level => (
                format!("номер строки {shown} не на своём уровне: здесь по порядку {want}"),
                Some(format!("исправьте номер на {want}")),
            ),
            Some((_, prev_row)) if last + 1 == next => (
                format!(
                    "номер строки {shown} повторяется (он же стоит в строке {} файла)",
                    prev_row
                        .number
                        .as_ref()
                        .map_or(prev_row.pos, |n| n.pos)
                        .line
                ),
                Some(format!("исправьте номер на {want}")),
            ),
            Some((prev, _)) if last == next + 1 => (
                format!(
                    "пропущен номер строки: после {} идёт {shown}, строки {want} нет",
                    join(prev)
                ),
                Some(format!(
                    "исправьте номер на {want} или добавьте потерянную строку"
                )),
            ),
            Some((prev, _)) if last > next => (
                format!("пропущены номера строк: после {} идёт {shown}", join(prev)),
                Some(format!("исправьте номер на {want}")),
            ),
            Some((prev, _)) => (
                format!(
                    "номера строк идут не по порядку: после {} идёт {shown}",
                    join(prev)
                ),
                Some(format!("исправьте номер на {want}")),
            ),
            None if r.depth == 0 && r.expected.len() == 1 => (
                format!("нумерация строк таблицы начинается с {shown}, а не с 1"),
                None,
            ),
            None => (
                format!("номер строки {shown}: здесь по порядку {want}"),
                Some(format!("исправьте номер на {want}")),
            ),
        };
        cx.warn(P101, pos, &f, msg, fix);
    }
}

fn points(cx: &mut Cx) {
    let labels: HashSet<String> = cx.numbering.point_labels().into_iter().collect();
    let top = cx.numbering.points.len() + usize::from(cx.numbering.control.is_some());
    let max_items = cx.numbering.max_items();
    let mut found = vec![];
    // The preamble comes before the points: the points it names are other documents'.
    for t in cx
        .texts
        .iter()
        .filter(|t| t.zone.in_act() && t.zone != Zone::Preamble)
    {
        for m in mentions::find(t.value) {
            if m.kind == Kind::Appendix || m.external {
                continue;
            }
            for (range, n) in &m.numbers {
                let known = labels.contains(n)
                    || (m.kind == Kind::Subpoint
                        && n.parse::<usize>().is_ok_and(|k| k >= 1 && k <= max_items));
                if !known {
                    found.push((cx.place(t, range.start), t.field.clone(), n.clone()));
                }
            }
        }
    }
    for (pos, field, n) in found {
        let has = if top == 1 {
            "в акте один пункт".to_string()
        } else {
            format!("в акте пункты 1–{top}")
        };
        cx.warn(
            P102,
            pos,
            &field,
            format!("упомянут пункт {n}, а такого пункта в акте нет ({has})"),
            Some("исправьте номер или сошлитесь через {пункта:id} — номер проставится сам".into()),
        );
    }
}
