//! P6xx — text: the same word twice in a row («направлению направлению», P601);
//! control and bidi-override characters (P602).

use super::Cx;
use super::codes::{P601, P602, P603};

/// Characters a clerk cannot see that change the document: C0 controls other than
/// tab and line breaks (XML forbids them, so the DOCX writer drops them) and the
/// explicit bidi embeddings, overrides and isolates.
fn invisible(c: char) -> bool {
    (c < ' ' && !matches!(c, '\t' | '\n' | '\r'))
        || ('\u{202a}'..='\u{202e}').contains(&c)
        || ('\u{2066}'..='\u{2069}').contains(&c)
        || c == '\u{fffe}'
        || c == '\u{ffff}'
}

/// Every text the writers print: the body texts the lints share, and the
/// requisites around them (authority lines, number, signatory, executor,
/// appendix marks). A requisite without a place of its own is reported at its
/// parent's.
fn every_text<'a>(cx: &Cx<'a>) -> Vec<(&'a str, crate::diag::Pos, String)> {
    let act = cx.act;
    let mut out: Vec<(&'a str, crate::diag::Pos, String)> = cx
        .texts
        .iter()
        .map(|t| (t.value, t.pos, t.field.clone()))
        .collect();
    let mut add = |v: &'a str, pos, field: &str| out.push((v, pos, field.to_string()));
    for (i, l) in act.authority.lines.iter().enumerate() {
        add(l, l.pos, &format!("орган.наименование[{}]", i + 1));
    }
    for (v, f) in [
        (&act.authority.genitive, "орган.в_родительном"),
        (&act.authority.short, "орган.кратко"),
        (&act.place, "место"),
    ] {
        if let Some(v) = v {
            add(v, act.pos, f);
        }
    }
    add(&act.number, act.number.pos, "номер");
    for (i, l) in act.signatory.position.iter().enumerate() {
        add(l, l.pos, &format!("подписант.должность[{}]", i + 1));
    }
    add(&act.signatory.name, act.signatory.name.pos, "подписант.имя");
    if let Some(e) = &act.executor {
        add(&e.name, e.name.pos, "исполнитель.имя");
        for (v, f) in [
            (&e.phone, "исполнитель.телефон"),
            (&e.position, "исполнитель.должность"),
            (&e.email, "исполнитель.почта"),
        ] {
            if let Some(v) = v {
                add(v, e.name.pos, f);
            }
        }
    }
    if let Some(d) = &act.distribution
        && let Some(h) = &d.heading
    {
        add(h, act.pos, "рассылка.заголовок");
    }
    for (i, a) in act.appendices.iter().enumerate() {
        let f = format!("приложения[{}]", i + 1);
        for (v, k) in [(&a.doc_kind, "вид"), (&a.number, "номер")] {
            if let Some(v) = v {
                add(v, v.pos, &format!("{f}.{k}"));
            }
        }
        for (v, k) in [
            (&a.participle, "причастие"),
            (&a.to_act, "к_акту"),
            (&a.by_act, "утверждено_кем"),
            (&a.mark_date, "дата_в_отметке"),
        ] {
            if let Some(v) = v {
                add(v, a.pos, &format!("{f}.{k}"));
            }
        }
    }
    out
}

/// P602: report the first invisible character of every text.
pub fn check_invisible(cx: &mut Cx) {
    if !cx.on(P602) {
        return;
    }
    let mut found = vec![];
    for (value, pos, field) in every_text(cx) {
        if let Some((i, c)) = value.char_indices().find(|(_, c)| invisible(*c)) {
            found.push((
                cx.locate(value, pos, i),
                field,
                format!("в тексте невидимый символ U+{:04X}", c as u32),
            ));
        }
    }
    for (pos, field, msg) in found {
        cx.warn(
            P602,
            pos,
            &field,
            msg,
            Some("удалите его: он не виден, но меняет текст".into()),
        );
    }
}

/// Unicode's Default_Ignorable_Code_Point: marks that are never drawn, so no
/// font needs a glyph for them (zero-width spaces and joiners, variation
/// selectors, the soft hyphen …).
fn ignorable(c: char) -> bool {
    matches!(c as u32,
        0x00AD | 0x034F | 0x061C | 0x115F..=0x1160 | 0x17B4..=0x17B5 | 0x180B..=0x180F
        | 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x206F | 0x3164 | 0xFE00..=0xFE0F
        | 0xFEFF | 0xFFA0 | 0xFFF0..=0xFFF8 | 0x1BCA0..=0x1BCA3 | 0x1D173..=0x1D17A
        | 0xE0000..=0xE0FFF)
}

/// P603: the first character of every text that no bundled font can draw.
pub fn check_glyphs(cx: &mut Cx) {
    if !cx.on(P603) {
        return;
    }
    let mut found = vec![];
    for (value, pos, field) in every_text(cx) {
        let missing = value.char_indices().find(|(_, c)| {
            !c.is_whitespace()
                && *c != crate::letters::INERT_BRACE
                && !invisible(*c)
                && !c.is_control()
                && !ignorable(*c)
                && !crate::fonts::covers(*c)
        });
        if let Some((i, c)) = missing {
            found.push((
                cx.locate(value, pos, i),
                field,
                format!(
                    "знака «{c}» (U+{:04X}) нет во встроенных шрифтах: в PDF он не напечатается",
                    c as u32
                ),
            ));
        }
    }
    for (pos, field, msg) in found {
        cx.warn(
            P603,
            pos,
            &field,
            msg,
            Some("замените знак или удалите его".into()),
        );
    }
}

/// Words of `s` with their byte ranges: letters, with inner hyphens («школ-партнеров»).
fn words(s: &str) -> Vec<(usize, usize)> {
    let mut out = vec![];
    let mut start: Option<usize> = None;
    let mut prev_end = 0;
    let chars: Vec<(usize, char)> = s.char_indices().collect();
    for (k, &(i, c)) in chars.iter().enumerate() {
        let inner_hyphen = c == '-'
            && start.is_some()
            && chars
                .get(k + 1)
                .is_some_and(|(_, n)| crate::letters::is_alphabetic(*n));
        if crate::letters::is_alphabetic(c) || inner_hyphen {
            if start.is_none() {
                start = Some(i);
            }
            prev_end = i + c.len_utf8();
        } else if let Some(st) = start.take() {
            out.push((st, prev_end));
        }
    }
    if let Some(st) = start {
        out.push((st, prev_end));
    }
    out
}

/// The same word in any case: `a.to_lowercase() == b.to_lowercase()`,
/// without making the two strings for every pair of neighbouring words.
fn same_word(a: &str, b: &str) -> bool {
    if a.contains('Σ') || b.contains('Σ') {
        // A final sigma lowers differently inside a string than alone.
        return a.to_lowercase() == b.to_lowercase();
    }
    a.chars()
        .flat_map(char::to_lowercase)
        .eq(b.chars().flat_map(char::to_lowercase))
}

pub fn check(cx: &mut Cx) {
    if !cx.on(P601) {
        return;
    }
    let mut found = vec![];
    for t in cx.texts {
        let ws = words(t.value);
        for pair in ws.windows(2) {
            let (a, b) = (pair[0], pair[1]);
            let gap = &t.value[a.1..b.0];
            let w1 = &t.value[a.0..a.1];
            let w2 = &t.value[b.0..b.1];
            if !gap.is_empty()
                && gap
                    .chars()
                    .all(|c| c == ' ' || c == '\u{a0}' || c == '\n' || c == '\t')
                && same_word(w1, w2)
            {
                found.push((
                    cx.place(t, b.0),
                    t.field.clone(),
                    format!("слово «{w2}» повторено дважды подряд"),
                ));
            }
        }
    }
    for (pos, field, msg) in found {
        cx.warn(P601, pos, &field, msg, Some("удалите лишнее слово".into()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_words() {
        let s = "по направлению направлению школ-партнеров, а -б";
        let w: Vec<&str> = words(s).into_iter().map(|(a, b)| &s[a..b]).collect();
        assert_eq!(
            w,
            [
                "по",
                "направлению",
                "направлению",
                "школ-партнеров",
                "а",
                "б"
            ]
        );
    }
}
