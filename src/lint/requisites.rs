//! P5xx — requisites: a title not starting with «О»/«Об» (P501); no executor
//! note (P502); no control clause (P503).

use super::Cx;
use super::codes::{P501, P502, P503};
use crate::read::input::PointItem;
use crate::read::texts::Zone;

pub fn check(cx: &mut Cx) {
    let act = cx.act;
    let title = act
        .title
        .value
        .trim_start_matches(|c: char| !c.is_alphanumeric());
    let first: String = title
        .chars()
        .take_while(|c| c.is_alphabetic())
        .collect::<String>()
        .to_lowercase();
    if !title.is_empty() && !["о", "об", "обо"].contains(&first.as_str()) {
        let start = act.title.value.len() - title.len();
        let pos = cx.locate(&act.title.value, act.title.pos, start);
        let mut shown = title
            .split_whitespace()
            .take(4)
            .collect::<Vec<_>>()
            .join(" ");
        if title.split_whitespace().count() > 4 {
            shown.push_str(" …");
        }
        cx.warn(
            P501,
            pos,
            "заголовок",
            format!("заголовок начинается не с «О»/«Об»: «{shown}»"),
            Some("например, «Об утверждении плана …», «О проведении …»".into()),
        );
    }
    if act.executor.is_none() {
        cx.warn(
            P502,
            act.signatory.pos,
            "исполнитель",
            "нет отметки об исполнителе (поле «исполнитель»)",
            Some(
                "добавьте «исполнитель: {имя: Фамилия Имя Отчество, телефон: …}» после подписанта"
                    .into(),
            ),
        );
    }
    if act.control.is_none() && !control_in_points(cx) {
        let last = act.points.iter().rev().find_map(|p| match p {
            PointItem::Point(p) => Some(&p.text),
            PointItem::Paragraph(_) => None,
        });
        let pos = last.map_or(act.pos, |t| cx.locate(&t.value, t.pos, 0));
        cx.warn(
            P503,
            pos,
            "контроль",
            "в акте нет пункта о контроле за исполнением (поле «контроль»)",
            Some("добавьте «контроль: оставляю» или «контроль: {возложить_на: …}»".into()),
        );
    }
}

/// The control clause typed as an ordinary point: «Контроль за исполнением
/// настоящего приказа оставляю за собой».
fn control_in_points(cx: &Cx) -> bool {
    cx.texts.iter().any(|t| {
        let s = t.value.to_lowercase();
        t.zone == Zone::Point
            && s.contains("контрол")
            && ["исполнени", "оставляю", "возлож", "возлага"]
                .iter()
                .any(|w| s.contains(w))
    })
}
