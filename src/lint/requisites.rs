//! P5xx — requisites: a title not starting with «О»/«Об» (P501); no executor
//! note (P502); no control clause (P503); margins narrower than ГОСТ's least
//! (P504); a place in one column of a two-language blank only (P507). A
//! local act that stands alone has neither an executor note nor a
//! control clause, and its title continues its kind in any form.

use super::Cx;
use super::codes::{P501, P502, P503, P504, P507};
use crate::read::input::HeaderLayout;
use crate::read::input::PointItem;
use crate::read::texts::Zone;

/// The least margins of ГОСТ Р 7.0.97 §6.1, mm, by the key that sets each.
const LEAST_MARGINS: [(&str, f32); 4] = [
    ("слева", 20.0),
    ("справа", 10.0),
    ("сверху", 20.0),
    ("снизу", 20.0),
];

pub fn check(cx: &mut Cx) {
    let act = cx.act;
    bilingual_place(cx);
    let m = &act.style.margins;
    for ((key, least), value) in LEAST_MARGINS
        .into_iter()
        .zip([m.left, m.right, m.top, m.bottom])
    {
        if let Some(v) = value
            && v.value < least
        {
            cx.warn(
                P504,
                v.pos,
                &format!("оформление.поля.{key}"),
                format!("поле {key} {} мм — меньше {least} мм по ГОСТ", v.value),
                Some(format!("поставьте «{key}: {least}» или больше")),
            );
        }
    }
    let title = act
        .title
        .value
        .trim_start_matches(|c: char| !c.is_alphanumeric());
    let first: String = title
        .chars()
        .take_while(|c| c.is_alphabetic())
        .collect::<String>()
        .to_lowercase();
    // A local act's title continues its kind in any form: «ПОЛОЖЕНИЕ о …»,
    // «ПРАВИЛА внутреннего распорядка», «ИНСТРУКЦИЯ по охране труда».
    let local = act.kind.value.is_local();
    if !title.is_empty() && !local && !["о", "об", "обо"].contains(&first.as_str()) {
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
    // A local act that stands alone (Положение …) is approved by its head's
    // «УТВЕРЖДАЮ»: the order that puts it into force has the executor note
    // and the control clause.
    if act.executor.is_none() && !local {
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
    if act.control.is_none() && !local && !control_in_points(cx) {
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

/// A two-language blank prints each line in both columns: a place in one
/// language only (the act's or the profile's `место` at the right,
/// `орган.второй_язык.место` at the left) is a line without its pair.
fn bilingual_place(cx: &mut Cx) {
    let act = cx.act;
    let Some(second) = &act.authority.second else {
        return;
    };
    if act.style.header != HeaderLayout::Bilingual || act.kind.value.is_local() {
        return;
    }
    match (&second.place, &act.place, second.place_pos) {
        (Some(p), None, Some(at)) => cx.warn(
            P507,
            at,
            "орган.второй_язык.место",
            format!("место «{}» есть только на языке республики: в русской колонке места не будет", p.trim()),
            Some("добавьте в акт или профиль «место: г. …» — место по-русски, оно встанет справа напротив".into()),
        ),
        (None, Some(p), _) => cx.warn(
            P507,
            second.pos,
            "орган.второй_язык",
            format!("место «{}» есть только по-русски: в колонке на языке республики места не будет", p.trim()),
            Some("добавьте в «второй_язык» строку «место: …» — место на языке республики".into()),
        ),
        _ => {}
    }
}
