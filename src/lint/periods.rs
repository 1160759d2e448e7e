//! P2xx — periods and dates: another academic year than the act's (P201),
//! deadlines outside the plan's academic year (P202) or before the act's date
//! (P203), dates that do not exist (P204), academic years of non-adjacent years (P205).

use super::Cx;
use super::codes::{P201, P202, P203, P204, P205};
use crate::calendar::{When, academic_years, dates, word_before, words_before};
use crate::diag::Pos;
use crate::read::input::{Deadline, Point, PointItem};
use crate::read::texts::{Text, Zone};
use chrono::NaiveDate;

/// Words before an academic year that make it a deliberate mention of another year.
const OTHER_YEAR_ON_PURPOSE: &[&str] = &[
    "за",
    "итогам",
    "итогах",
    "итоги",
    "прошлый",
    "прошлого",
    "прошлом",
    "прошлому",
    "прошлым",
    "предыдущий",
    "предыдущего",
    "предыдущем",
    "предыдущему",
    "прошедший",
    "прошедшего",
    "прошедшем",
    "с",
    "со",
    "по",
    "до",
    "после",
    "следующий",
    "следующего",
    "следующем",
];

/// Stems that, a few words before another academic year, say it is the one
/// before the act's on purpose: «по завершению учебного процесса 2011/2012
/// учебного года», «по итогам», «анализ работы за …».
const EARLIER_STEMS: &[&str] = &[
    "заверш",
    "окончан",
    "оконч",
    "итог",
    "прошл",
    "предыдущ",
    "прошедш",
    "истекш",
    "минувш",
    "отчет",
    "отчёт",
    "результат",
    "анализ",
];

/// Stems that say a later academic year is named on purpose: «подготовка к
/// началу 2013/2014 учебного года», «на следующий …».
const LATER_STEMS: &[&str] = &[
    "следующ",
    "предстоящ",
    "будущ",
    "подготовк",
    "начал",
    "переход",
    "планирован",
];

/// How many words before a year may carry such a stem.
const STEM_WINDOW: usize = 4;

/// An academic year next to the act's, introduced by words that make it
/// deliberate (see [`EARLIER_STEMS`], [`LATER_STEMS`]).
fn named_on_purpose(text: &str, at: usize, y1: i32, act_y1: i32) -> bool {
    let stems = match y1 - act_y1 {
        -1 => EARLIER_STEMS,
        1 => LATER_STEMS,
        _ => return false,
    };
    words_before(text, at, STEM_WINDOW)
        .iter()
        .any(|w| stems.iter().any(|s| w.starts_with(s)))
}

/// Words before a date in a point's text that make it a deadline.
const DEADLINE_BEFORE: &[&str] = &["до", "позднее", "позже", "к", "срок"];

struct Anchor {
    y1: i32,
    y2: i32,
    /// Where the act names it: the text and the place.
    field: String,
    line: u32,
    /// Identity of the mention itself (text index, start).
    at: (usize, usize),
}

pub fn check(cx: &mut Cx) {
    let anchor = anchor(cx);
    years(cx, anchor.as_ref());
    deadlines(cx, anchor.as_ref());
    if cx.on(P204) {
        invalid_dates(cx);
    }
}

/// The academic year of the act: from its title, else from an appendix title.
fn anchor(cx: &Cx) -> Option<Anchor> {
    let pick = |zone: Zone| {
        cx.texts.iter().enumerate().find_map(|(i, t)| {
            if t.zone != zone {
                return None;
            }
            let y = academic_years(t.value)
                .into_iter()
                .find(|y| y.y2 == y.y1 + 1)?;
            Some(Anchor {
                y1: y.y1,
                y2: y.y2,
                field: t.field.clone(),
                line: cx.place(t, y.range.start).line,
                at: (i, y.range.start),
            })
        })
    };
    pick(Zone::Title).or_else(|| pick(Zone::AppendixTitle))
}

fn years(cx: &mut Cx, anchor: Option<&Anchor>) {
    let mut found = vec![];
    for (i, t) in cx.texts.iter().enumerate() {
        for y in academic_years(t.value) {
            let pos = || cx.place(t, y.range.start);
            let shown = format!("{}–{}", y.y1, y.y2);
            if y.y2 != y.y1 + 1 {
                found.push((
                    P205,
                    pos(),
                    t.field.clone(),
                    format!(
                        "учебный год {shown}: годы должны идти подряд ({}–{} или {}–{})",
                        y.y1,
                        y.y1 + 1,
                        y.y2 - 1,
                        y.y2
                    ),
                    None,
                ));
                continue;
            }
            let Some(a) = anchor else { continue };
            if (i, y.range.start) == a.at || y.y1 == a.y1 || t.zone == Zone::Preamble {
                continue;
            }
            if OTHER_YEAR_ON_PURPOSE.contains(&word_before(t.value, y.range.start).as_str())
                || named_on_purpose(t.value, y.range.start, y.y1, a.y1)
            {
                continue;
            }
            let whose = if a.field == "заголовок" {
                "акт".to_string()
            } else {
                "план".to_string()
            };
            found.push((
                P201,
                pos(),
                t.field.clone(),
                format!(
                    "назван {shown} учебный год, а {whose} — на {}–{} учебный год (поле «{}», строка {})",
                    a.y1, a.y2, a.field, a.line
                ),
                Some("проверьте год: такая строка часто остаётся от прошлогоднего плана".to_string()),
            ));
        }
    }
    for (code, pos, field, msg, fix) in found {
        cx.warn(code, pos, &field, msg, fix);
    }
}

/// One deadline to check; its place is found only if it is reported.
struct Due<'a> {
    when: When,
    shown: String,
    /// The text it was found in, where that text stands, and the byte in it.
    value: &'a str,
    pos: Pos,
    at: usize,
    field: String,
}

fn deadlines(cx: &mut Cx, anchor: Option<&Anchor>) {
    let mut due: Vec<Due> = vec![];
    // Point deadlines (`срок`).
    fn walk<'a>(items: &'a [PointItem], f: &str, due: &mut Vec<Due<'a>>) {
        for (i, it) in items.iter().enumerate() {
            if let PointItem::Point(p) = it {
                point(p, &format!("{f}[{}]", i + 1), due);
            }
        }
    }
    fn point<'a>(p: &'a Point, f: &str, due: &mut Vec<Due<'a>>) {
        if let Some(d) = &p.deadline {
            let field = format!("{f}.срок");
            match &d.value {
                Deadline::Date(x) => due.push(Due {
                    when: When::Day(*x),
                    shown: x.format("%d.%m.%Y").to_string(),
                    value: "",
                    pos: d.pos,
                    at: 0,
                    field,
                }),
                Deadline::Text(s) => {
                    for found in dates(s) {
                        due.push(Due {
                            shown: s[found.range.clone()].to_string(),
                            when: found.when,
                            value: s,
                            pos: d.pos,
                            at: found.range.start,
                            field: field.clone(),
                        });
                    }
                }
            }
        }
        walk(&p.subpoints, &format!("{f}.пункты"), due);
        for (i, it) in p.items.iter().enumerate() {
            point(it, &format!("{f}.подпункты[{}]", i + 1), due);
        }
    }
    walk(&cx.act.points, "пункты", &mut due);
    // Dates in the deadline columns of tables; «до 01.10.2023» in points.
    for t in cx.texts {
        let in_point = t.zone == Zone::Point;
        if !(matches!(t.zone, Zone::Cell { deadline: true }) || in_point) {
            continue;
        }
        for found in dates(t.value) {
            if in_point
                && (!matches!(found.when, When::Day(_))
                    || !DEADLINE_BEFORE.contains(&word_before(t.value, found.range.start).as_str()))
            {
                continue;
            }
            due.push(Due {
                shown: t.value[found.range.clone()].to_string(),
                when: found.when,
                value: t.value,
                pos: t.pos,
                at: found.range.start,
                field: t.field.clone(),
            });
        }
    }
    let act_date = *cx.act.date;
    // The plan's year runs 1 September to 31 August; a plan made before it
    // starts («подготовка к началу учебного года») runs from its act's date,
    // so the summer's deadlines belong to it.
    let period = anchor.and_then(|a| {
        Some((
            NaiveDate::from_ymd_opt(a.y1, 9, 1)?.min(act_date),
            NaiveDate::from_ymd_opt(a.y2, 8, 31)?,
            a,
        ))
    });
    for d in due {
        let pos = cx.locate(d.value, d.pos, d.at);
        let (first, last) = match d.when {
            When::Day(x) => (x, x),
            When::Span(a, b) => (a, b),
            When::Invalid(_) => continue,
        };
        if cx.on(P203) && last < act_date {
            let what = if first == last {
                "срок"
            } else {
                "срок (весь период)"
            };
            cx.warn(
                P203,
                pos,
                &d.field,
                format!(
                    "{what} «{}» раньше даты акта ({})",
                    d.shown.trim(),
                    act_date.format("%d.%m.%Y")
                ),
                Some("проверьте год и месяц срока".into()),
            );
            continue;
        }
        if let Some((start, end, a)) = period
            && (last < start || first > end)
        {
            cx.warn(
                P202,
                pos,
                &d.field,
                format!(
                    "срок «{}» вне {}–{} учебного года плана ({}–{})",
                    d.shown.trim(),
                    a.y1,
                    a.y2,
                    start.format("%d.%m.%Y"),
                    end.format("%d.%m.%Y")
                ),
                Some("проверьте год срока или учебный год в заголовке".into()),
            );
        }
    }
}

fn invalid_dates(cx: &mut Cx) {
    let mut found = vec![];
    let mut scan = |t: &Text| {
        for f in dates(t.value) {
            if let When::Invalid(why) = f.when {
                found.push((
                    cx.place(t, f.range.start),
                    t.field.clone(),
                    format!("даты «{}» не существует: {why}", t.value[f.range].trim()),
                ));
            }
        }
    };
    for t in cx.texts {
        scan(t);
    }
    for (pos, field, msg) in found {
        cx.warn(P204, pos, &field, msg, None);
    }
}
