//! P1xx — numbering: explicit row numbers of tables that skip or repeat (P101);
//! points mentioned in text that the act does not have (P102).

use super::Cx;
use super::codes::{P101, P102};
use super::mentions::{self, Kind};
use super::texts::{Zone, from_csv};
use crate::read::input::{Block, Point, PointItem, Row};
use std::collections::HashSet;

pub fn check(cx: &mut Cx) {
    if cx.on(P101) {
        rows(cx);
    }
    if cx.on(P102) {
        points(cx);
    }
}

/// A printed row label: «8.» → [8], «2.1» → [2, 1]; `None` for «а)», «—».
fn parse_label(s: &str) -> Option<Vec<u32>> {
    let t = s.trim().trim_end_matches(['.', ')']);
    if t.is_empty() {
        return None;
    }
    t.split('.').map(|p| p.parse().ok()).collect()
}

fn rows(cx: &mut Cx) {
    for (ai, a) in cx.act.appendices.iter().enumerate() {
        for (bi, b) in a.body.iter().enumerate() {
            if let Block::Table(t) = b
                && t.columns.iter().any(|c| c.numbering)
            {
                let field = format!(
                    "приложения[{}].содержание[{}].таблица.строки",
                    ai + 1,
                    bi + 1
                );
                siblings(cx, &t.rows, "", &field, t.csv.is_some());
            }
        }
    }
}

/// Check one level of rows: labels as `resolve` prints them (explicit or automatic).
fn siblings(cx: &mut Cx, rows: &[Row], prefix: &str, field: &str, csv: bool) {
    let mut n = 0;
    // Previous row: its last number and its line.
    let mut prev: Option<(u32, u32)> = None;
    for (ri, r) in rows.iter().enumerate() {
        let Row::Cells(row) = r else { continue };
        n += 1;
        let auto = if prefix.is_empty() {
            n.to_string()
        } else {
            format!("{prefix}.{n}")
        };
        let f = format!("{field}[{}]", ri + 1);
        if let Some(explicit) = &row.number
            && let Some(label) = parse_label(&explicit.value)
        {
            let last = *label.last().unwrap_or(&0);
            let shown = explicit.value.trim().trim_end_matches('.');
            let pos = if csv && from_csv(explicit.pos) {
                explicit.pos
            } else {
                cx.locate(&explicit.value, explicit.pos, 0)
            };
            let f = format!("{f}.№");
            match prev {
                Some((p, line)) if last == p => cx.warn(
                    P101,
                    pos,
                    &f,
                    format!("номер строки {shown} повторяется (он же стоит в строке {line} файла)"),
                    Some(format!("исправьте номер на {}", p + 1)),
                ),
                Some((p, _)) if last == p + 2 => cx.warn(
                    P101,
                    pos,
                    &f,
                    format!(
                        "пропущен номер строки: после {} идёт {shown}, строки {} нет",
                        label_with(&label, p),
                        label_with(&label, p + 1)
                    ),
                    Some(format!(
                        "исправьте номер на {} или добавьте потерянную строку",
                        label_with(&label, p + 1)
                    )),
                ),
                Some((p, _)) if last > p + 2 => cx.warn(
                    P101,
                    pos,
                    &f,
                    format!(
                        "пропущены номера строк: после {} идёт {shown}",
                        label_with(&label, p)
                    ),
                    Some(format!("исправьте номер на {}", label_with(&label, p + 1))),
                ),
                Some((p, _)) if last < p => cx.warn(
                    P101,
                    pos,
                    &f,
                    format!(
                        "номера строк идут не по порядку: после {} идёт {shown}",
                        label_with(&label, p)
                    ),
                    Some(format!("исправьте номер на {}", label_with(&label, p + 1))),
                ),
                None if last != 1 && prefix.is_empty() => cx.warn(
                    P101,
                    pos,
                    &f,
                    format!("нумерация строк таблицы начинается с {shown}, а не с 1"),
                    None,
                ),
                _ => {}
            }
            prev = Some((last, explicit.pos.line));
        } else if row.number.is_some() {
            // A label that is not a number («а)», «—»): nothing to compare with.
            prev = None;
        } else {
            prev = Some((n as u32, row.pos.line));
        }
        if !row.children.is_empty() {
            let child_prefix = match &row.number {
                Some(e) => e.value.trim().trim_end_matches('.').to_string(),
                None => auto.clone(),
            };
            siblings(
                cx,
                &row.children,
                &child_prefix,
                &format!("{f}.подстроки"),
                csv,
            );
        }
    }
}

/// «2.7» for a label [2, x] and the number 7.
fn label_with(label: &[u32], last: u32) -> String {
    let mut parts: Vec<String> = label[..label.len() - 1]
        .iter()
        .map(u32::to_string)
        .collect();
    parts.push(last.to_string());
    parts.join(".")
}

/// Labels of every point of the act («1», «2», «2.1» …), the control clause last.
pub fn point_labels(items: &[PointItem], with_control: bool) -> (HashSet<String>, u32, usize) {
    fn walk(p: &Point, label: &str, out: &mut HashSet<String>, max_items: &mut usize) {
        out.insert(label.to_string());
        *max_items = (*max_items).max(p.items.len());
        let mut n = 0;
        for s in &p.subpoints {
            if let PointItem::Point(sp) = s {
                n += 1;
                walk(sp, &format!("{label}.{n}"), out, max_items);
            }
        }
    }
    let mut out = HashSet::new();
    let mut max_items = 0;
    let mut n = 0;
    for it in items {
        if let PointItem::Point(p) = it {
            n += 1;
            walk(p, &n.to_string(), &mut out, &mut max_items);
        }
    }
    if with_control {
        n += 1;
        out.insert(n.to_string());
    }
    (out, n, max_items)
}

fn points(cx: &mut Cx) {
    let (labels, top, max_items) = point_labels(&cx.act.points, cx.act.control.is_some());
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
