//! P3xx — appendices: an appendix the text never mentions (P301); a literal
//! mention of an appendix number the act does not have (P302).

use super::Cx;
use super::codes::{P301, P302};
use super::mentions::{self, Kind};
use crate::facts::refs;

pub fn check(cx: &mut Cx) {
    if cx.on(P302) {
        missing(cx);
    }
    if cx.on(P301) {
        unmentioned(cx);
    }
}

/// Index of the appendix numbered `n` («2», «2а»); a single unnumbered appendix
/// answers to «1».
fn by_number(cx: &Cx, n: &str) -> Option<usize> {
    let n = n.trim().to_lowercase();
    let list = &cx.numbering.appendices;
    list.iter()
        .position(|(_, num)| num.as_deref().is_some_and(|x| x.trim().to_lowercase() == n))
        .or_else(|| (list.len() == 1 && list[0].1.is_none() && n == "1").then_some(0))
}

fn missing(cx: &mut Cx) {
    let mut found = vec![];
    for t in cx.texts.iter().filter(|t| t.zone.in_act()) {
        for m in mentions::find(t.value) {
            if m.kind != Kind::Appendix || m.external {
                continue;
            }
            if m.numbers.is_empty() {
                if cx.act.appendices.is_empty() {
                    found.push((
                        cx.place(t, m.word.start),
                        t.field.clone(),
                        format!(
                            "текст упоминает «{}», а приложений к акту нет",
                            &t.value[m.word.clone()]
                        ),
                    ));
                }
                continue;
            }
            for (range, n) in &m.numbers {
                if by_number(cx, n).is_none() {
                    let has: Vec<String> = cx
                        .numbering
                        .appendices
                        .iter()
                        .map(|(_, num)| match num {
                            Some(x) => format!("№ {x}"),
                            None => "без номера".into(),
                        })
                        .collect();
                    let has = match has.len() {
                        0 => "а приложений к акту нет".to_string(),
                        1 => format!("а к акту приложено одно приложение ({})", has[0]),
                        _ => format!("а у акта приложения {}", has.join(", ")),
                    };
                    found.push((
                        cx.place(t, range.start),
                        t.field.clone(),
                        format!("упомянуто приложение № {n}, {has}"),
                    ));
                }
            }
        }
    }
    for (pos, field, msg) in found {
        cx.warn(
            P302,
            pos,
            &field,
            msg,
            Some(
                "добавьте приложение или исправьте номер; ссылка {приложении:id} не даёт номеру разойтись"
                    .into(),
            ),
        );
    }
}

/// Stem of a document kind, to find it in any case: «План» → «план», «Положение» → «положени».
fn kind_stem(kind: &str) -> Option<String> {
    let k = kind.trim().to_lowercase();
    let stem = k.trim_end_matches(['а', 'я', 'о', 'е', 'ё', 'и', 'ы', 'у', 'ю', 'ь', 'й']);
    (stem.chars().count() >= 3).then(|| stem.to_string())
}

fn has_word_with_stem(s: &str, stem: &str) -> bool {
    s.to_lowercase()
        .split(|c: char| !c.is_alphabetic())
        .any(|w| w.strip_prefix(stem).is_some_and(|r| r.chars().count() <= 3))
}

fn unmentioned(cx: &mut Cx) {
    let n = cx.act.appendices.len();
    let mut seen = vec![false; n];
    for t in cx.texts {
        for r in refs::find(t.value) {
            if r.target == Some(refs::Target::Appendix) {
                for id in r.ids() {
                    if let Some((i, _)) = cx.numbering.appendix(id) {
                        seen[i] = true;
                    }
                }
            }
        }
        for m in mentions::find(t.value) {
            if m.kind != Kind::Appendix || m.external {
                continue;
            }
            for (_, num) in &m.numbers {
                if let Some(i) = by_number(cx, num) {
                    seen[i] = true;
                }
            }
            // «(приложение)», «в приложении к настоящему приказу»: the only appendix.
            if n == 1 && t.zone.in_act() {
                seen[0] = true;
            }
        }
    }
    // An approved document is named by its kind: «Утвердить план мероприятий …».
    for (i, a) in cx.act.appendices.iter().enumerate() {
        if seen[i] || !a.approved {
            continue;
        }
        let kind = a
            .doc_kind
            .as_ref()
            .map(|k| k.value.clone())
            .or_else(|| {
                a.title
                    .first()
                    .and_then(|t| t.split_whitespace().next().map(str::to_string))
            })
            .unwrap_or_default();
        if let Some(stem) = kind_stem(&kind)
            && cx
                .texts
                .iter()
                .any(|t| t.zone.in_act() && has_word_with_stem(t.value, &stem))
        {
            seen[i] = true;
        }
    }
    for (i, a) in cx.act.appendices.iter().enumerate() {
        if seen[i] {
            continue;
        }
        let name = match &cx.numbering.appendices[i].1 {
            Some(num) => format!("приложение № {num}"),
            None => "приложение".to_string(),
        };
        let what = a
            .doc_kind
            .as_ref()
            .map(|k| k.value.trim().to_string())
            .or_else(|| a.title.first().map(|t| short(t)))
            .map(|w| format!(" («{w}»)"))
            .unwrap_or_default();
        let (pos, field) = match &a.id {
            Some(id) => (id.pos, format!("приложения[{}].id", i + 1)),
            None => (a.pos, format!("приложения[{}]", i + 1)),
        };
        let reference = match &a.id {
            Some(id) => format!("{{приложении:{}}}", id.value.trim()),
            None => format!("«(приложение № {})»", i + 1),
        };
        cx.warn(
            P301,
            pos,
            &field,
            format!("{name}{what} нигде не упомянуто в тексте акта"),
            Some(format!(
                "сошлитесь на него в пункте, к которому оно относится: {reference}"
            )),
        );
    }
}

/// The first words of a title, for a message.
fn short(s: &str) -> String {
    let words: Vec<&str> = s.split_whitespace().take(6).collect();
    let mut out = words.join(" ");
    if s.split_whitespace().count() > 6 {
        out.push_str(" …");
    }
    out
}
