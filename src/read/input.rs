//! The input model: what a clerk types in the YAML file.
//!
//! Every struct lists its Russian keys in its `decode` function (English field
//! names, Russian keys). Nothing here decides wording or layout; that is
//! `resolve`'s job. See `data/*.yaml` for complete examples.

use super::decode::{Cx, Decode, Fields, Spanned, choice, keywords, parse_date, prose};
use super::schema::{Schema, Value};
use super::yaml::{Node, NodeKind};
use crate::diag::Pos;
use crate::errors;
use chrono::NaiveDate;
use serde_json::json;

keywords! {
    /// Kind of the act: decides the operative word, the case forms in the marks, etc.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum ActKind {
        Order = "приказ": "Приказ руководителя: ПРИКАЗЫВАЮ.",
        Directive = "распоряжение": "Распоряжение: пункты без распорядительного слова (его можно задать полем распорядительное_слово).",
        Resolution = "постановление": "Постановление: ПОСТАНОВЛЯЮ.",
        Decision = "решение": "Решение: РЕШИЛ.",
        Regulation = "положение": "Положение — локальный акт сам по себе: его утверждает руководитель грифом «УТВЕРЖДАЮ» вверху справа, текст — пункты 1.1., 1.2.1.",
        Rules = "правила": "Правила — локальный акт сам по себе, как положение.",
        Instruction = "инструкция": "Инструкция — локальный акт сам по себе, как положение.",
        Procedure = "порядок": "Порядок — локальный акт сам по себе, как положение.",
        Reglament = "регламент": "Регламент — локальный акт сам по себе, как положение.",
    }
}

impl ActKind {
    /// A local act that stands alone (Положение, Правила …): approved by
    /// the head's «УТВЕРЖДАЮ» at the top, without a number, an operative
    /// word or a signature at the foot.
    pub fn is_local(self) -> bool {
        matches!(
            self,
            ActKind::Regulation
                | ActKind::Rules
                | ActKind::Instruction
                | ActKind::Procedure
                | ActKind::Reglament
        )
    }
}

/// The fields only an act with a number and an operative word has, each
/// with what to write instead in a local act that stands alone.
const NOT_IN_LOCAL_ACT: &[(&str, &str)] = &[
    (
        "номер",
        "у положения (правил, инструкции) нет своего номера; номер приказа, которым оно введено, пишется так: «введено_приказом: {дата: 27.08.2021, номер: 126/А}»",
    ),
    (
        "преамбула",
        "преамбула — часть приказа; в положении цели пишутся первым разделом («1. Общие положения»)",
    ),
    (
        "распорядительное_слово",
        "у положения (правил, инструкции) нет распорядительного слова: уберите это поле",
    ),
    (
        "контроль",
        "контроль за исполнением назначает приказ, а не положение: уберите это поле",
    ),
    (
        "рассылка",
        "рассылку указывают в приказе, которым положение вводится: уберите это поле",
    ),
    (
        "по",
        "строка «по основной деятельности» — у приказа; уберите это поле",
    ),
    (
        "оформление.шапка",
        "у положения своя шапка: наименование организации над заголовком, гриф «УТВЕРЖДАЮ» справа; форма шапки выбирается для приказов — уберите это поле",
    ),
    (
        "оформление.дата_с_номером",
        "у положения нет своего номера: дата стоит в грифе «УТВЕРЖДАЮ»; уберите это поле",
    ),
    (
        "оформление.бланк",
        "положение не печатается на бланке приказа: уберите это поле",
    ),
    (
        "орган.второй_язык",
        "положение печатается на одном языке, двуязычный бланк — у приказа (распоряжения, постановления); уберите «второй_язык» из файла положения (в профиле организации он остаётся для её приказов)",
    ),
    (
        "орган.герб",
        "герб печатается на бланке приказа, у положения его нет: уберите «герб» из файла положения",
    ),
];

/// The fields only a local act that stands alone has.
const ONLY_IN_LOCAL_ACT: &[&str] = &["введено_приказом", "принято"];

/// The fields of the other sort of act in `f` (`local`: the act is a local
/// act that stands alone), each with where it is and what to write instead.
/// Only those the act's own file has: a profile's (an organisation's usual
/// distribution, its operative word) are for its orders and do not apply.
fn misplaced_fields(f: &Fields, cx: &Cx, local: bool) -> Vec<(&'static str, Pos, String)> {
    let own = |p: &Pos| p.file == cx.src.id;
    if local {
        NOT_IN_LOCAL_ACT
            .iter()
            .filter_map(|(key, hint)| Some((*key, f.path_pos(key).filter(own)?, hint.to_string())))
            .collect()
    } else {
        ONLY_IN_LOCAL_ACT
            .iter()
            .filter_map(|key| {
                let hint = "это поле — у положения, правил, инструкции, которые утверждаются сами по себе (вид: положение); у приказа его нет, уберите его";
                Some((*key, f.key_pos(key).filter(own)?, hint.to_string()))
            })
            .collect()
    }
}

/// [`misplaced_fields`] as errors at their lines.
fn report_misplaced(kind: ActKind, misplaced: Vec<(&'static str, Pos, String)>, cx: &mut Cx) {
    let word = ActKind::WORDS
        .iter()
        .find(|(_, v)| *v == kind)
        .map_or("", |(w, _)| *w);
    for (key, p, hint) in misplaced {
        cx.within(key, |cx| {
            cx.error(
                errors::NOT_FOR_KIND,
                p,
                format!("поле «{key}» не подходит к виду «{word}»"),
            )
            .hint = Some(hint);
        });
    }
}

/// The header in two languages: asked for by `шапка: двуязычная`, or
/// implied by the organisation's second-language lines; the one without
/// the other is an error at `шапка`.
fn settle_header(a: &Authority, style: &mut Style, cx: &mut Cx) {
    let bilingual = style.header == HeaderLayout::Bilingual;
    let (message, hint) = match (&a.second, style.header_pos) {
        (Some(_), None) => {
            style.header = HeaderLayout::Bilingual;
            return;
        }
        (None, Some(_)) if bilingual => (
            "для двуязычной шапки нужны строки бланка на втором языке, а у органа их нет",
            "добавьте в «орган»: второй_язык: {наименование: [...], вид: ХУШУ, место: Шупашкар хули}",
        ),
        (Some(_), Some(_)) if !bilingual => (
            "у органа есть строки бланка на втором языке, а шапка выбрана на одном языке — они не напечатались бы",
            "напишите «шапка: двуязычная» или уберите «второй_язык» из «орган»",
        ),
        _ => return,
    };
    if let Some(p) = style.header_pos {
        cx.within("оформление.шапка", |cx| {
            cx.error(errors::NOT_FOR_KIND, p, message).hint = Some(hint.into());
        });
    }
}

keywords! {
    /// Which edition of ГОСТ Р 7.0.97 to follow.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
    pub enum Edition {
        #[default]
        Gost2025 = "2025": "ГОСТ Р 7.0.97-2025 (по умолчанию): с QR-кодом и новыми формами отметок.",
        Gost2016 = "2016": "ГОСТ Р 7.0.97-2016: прежнее издание.",
    }
}

/// The whole act.
#[derive(Debug, Clone)]
pub struct Act {
    pub kind: Spanned<ActKind>,
    pub edition: Edition,
    pub authority: Authority,
    pub date: Spanned<NaiveDate>,
    pub number: Spanned<String>,
    pub place: Option<String>,
    /// «по основной деятельности»: whose act it is, a line under the kind.
    pub subject: Option<String>,
    pub title: Spanned<String>,
    pub preamble: Vec<Spanned<String>>,
    pub operative: Option<Operative>,
    pub points: Vec<PointItem>,
    pub control: Option<Spanned<Control>>,
    pub signatory: Signatory,
    pub executor: Option<Executor>,
    pub distribution: Option<Distribution>,
    pub appendices: Vec<Appendix>,
    /// Лист согласования (or the visas at the foot of the last page).
    pub approval: Option<Approval>,
    /// Лист ознакомления.
    pub acknowledgment: Option<Acknowledgment>,
    /// The QR-code requisite (ГОСТ Р 7.0.97-2025, requisite 31).
    pub qr: Option<Spanned<QrCode>>,
    /// A local act that stands alone: the order that put it into force
    /// («Введено в действие приказом от … № …»).
    pub introduced: Option<IntroducedBy>,
    /// A local act that stands alone: the lines of the stamp at the top left
    /// («ПРИНЯТО на заседании педагогического совета …»), or none.
    pub accepted: Vec<Spanned<String>>,
    pub style: Style,
    /// Lint codes switched off for this file (`проверки: {отключить: [P101]}`).
    pub lints_off: Vec<Spanned<String>>,
    /// Position of the top-level mapping.
    pub pos: crate::diag::Pos,
}

impl Decode for Act {
    fn decode(node: &Node, cx: &mut Cx) -> Option<Self> {
        let mut f = Fields::new(node, cx, "акт")?;
        let kind = f.req("вид", cx);
        let edition = f.opt("стандарт", cx).unwrap_or_default();
        let authority: Option<Authority> = f.req("орган", cx);
        let date = f.req("дата", cx);
        // A number is an opaque string: 596, «06/1-01-672», «148-01 (о/д)».
        // Every act but a local one that stands alone must have one (below).
        let number = f.opt_with("номер", cx, Spanned::<String>::decode);
        let place = f.opt("место", cx);
        let subject = f.opt_prose("по", cx);
        let title = f.req_prose("заголовок", cx);
        let preamble = f.opt("преамбула", cx).unwrap_or_default();
        let operative = f.opt("распорядительное_слово", cx);
        let points = f.req_with("пункты", cx, |n, cx| {
            let v = Vec::<PointItem>::decode(n, cx)?;
            if v.is_empty() {
                cx.error(errors::EMPTY_VALUE, n.pos, "список пунктов пуст");
            }
            Some(v)
        });
        let control = f.opt("контроль", cx);
        let signatory: Option<Signatory> = f.req("подписант", cx);
        let executor = f.opt("исполнитель", cx);
        let distribution = f.opt("рассылка", cx);
        let appendices: Vec<Appendix> = f.opt("приложения", cx).unwrap_or_default();
        let approval = f.opt("согласование", cx);
        let acknowledgment: Option<Acknowledgment> = f.opt("лист_ознакомления", cx);
        let qr: Option<Spanned<QrCode>> = f.opt("qr_код", cx);
        if let Some(q) = &qr
            && edition == Edition::Gost2016
            && q.value != QrCode::Off
        {
            cx.within("qr_код", |cx| {
                cx.error(
                    errors::BAD_QR,
                    q.pos,
                    "QR-код (реквизит 31) есть только в ГОСТ Р 7.0.97-2025, а акт оформляется по изданию 2016 года",
                )
                .hint = Some("уберите поле «qr_код» или напишите «стандарт: 2025»".into());
            });
        }
        let introduced = f.opt("введено_приказом", cx);
        let accepted = f.opt_prose("принято", cx).unwrap_or_default();
        let mut style: Style = f.opt("оформление", cx).unwrap_or_default();
        let lints_off = f
            .opt::<Checks>("проверки", cx)
            .map(|c| c.off)
            .unwrap_or_default();
        let pos = f.pos();
        let local = kind
            .as_ref()
            .is_some_and(|k: &Spanned<ActKind>| k.value.is_local());
        let misplaced = misplaced_fields(&f, cx, local);
        f.finish(cx);
        if let Some(k) = &kind {
            report_misplaced(k.value, misplaced, cx);
        }
        let number = match number {
            Some(n) => Some(n),
            None if local => Some(Spanned::new(String::new(), pos)),
            None => {
                if kind.is_some() {
                    cx.error(
                        errors::MISSING_FIELD,
                        pos,
                        "нет обязательного поля «номер» (акт)",
                    );
                }
                None
            }
        };
        if let Some(a) = &authority
            && !local
        {
            settle_header(a, &mut style, cx);
        }
        // The coat of arms asked for in an e-signature stamp must exist.
        if let (Some(a), Some(sig)) = (&authority, &signatory)
            && a.emblem.is_none()
        {
            let mut stamps: Vec<(&ESign, String)> = sig
                .esign
                .iter()
                .map(|e| (e, "подписант.электронная_подпись.герб".to_string()))
                .collect();
            for (ai, ap) in appendices.iter().enumerate() {
                for (bi, b) in ap.body.iter().enumerate() {
                    if let Block::Signature(s) = b
                        && let Some(e) = &s.esign
                    {
                        stamps.push((
                            e,
                            format!(
                                "приложения[{}].содержание[{}].подпись.электронная_подпись.герб",
                                ai + 1,
                                bi + 1
                            ),
                        ));
                    }
                }
            }
            for (e, field) in stamps.into_iter().filter(|(e, _)| e.emblem) {
                let d = crate::diag::Diagnostic::error(
                    errors::BAD_EMBLEM,
                    "в отметке об электронной подписи просится герб, а у органа герба нет",
                )
                .at(&cx.src, e.pos)
                .field(field)
                .hint("укажите герб органа (орган: {герб: герб.png}) или уберите «герб: да»");
                cx.diags.push(d);
            }
        }
        Some(Act {
            kind: kind?,
            edition,
            authority: authority?,
            date: date?,
            number: number?,
            place,
            // A profile's fields for its orders do not apply to a local act.
            subject: subject.filter(|_| !local),
            title: title?,
            preamble: if local { Vec::new() } else { preamble },
            operative: operative.filter(|_| !local),
            points: points?,
            control: control.filter(|_| !local),
            signatory: signatory?,
            executor,
            distribution: distribution.filter(|_| !local),
            appendices,
            approval,
            acknowledgment: acknowledgment.filter(|a| a.on),
            qr: qr.filter(|q| q.value != QrCode::Off),
            introduced: introduced.filter(|_| local),
            accepted: if local { accepted } else { Vec::new() },
            style,
            lints_off,
            pos,
        })
    }
    fn describe(g: &mut Schema) -> Value {
        g.def::<Self>(|g| g.fields::<Self>("{}"))
    }
}

/// `проверки`: the lints a file switches off.
#[derive(Debug, Clone, Default)]
pub struct Checks {
    pub off: Vec<Spanned<String>>,
}

impl Decode for Checks {
    fn decode(node: &Node, cx: &mut Cx) -> Option<Self> {
        let mut f = Fields::new(node, cx, "проверки")?;
        let off = f.opt("отключить", cx).unwrap_or_default();
        f.finish(cx);
        Some(Checks { off })
    }
    fn describe(g: &mut Schema) -> Value {
        g.def::<Self>(|g| g.fields::<Self>("{}"))
    }
}

/// `введено_приказом`: the order that put a local act into force.
#[derive(Debug, Clone)]
pub struct IntroducedBy {
    pub date: Spanned<NaiveDate>,
    pub number: Spanned<String>,
}

impl Decode for IntroducedBy {
    fn decode(node: &Node, cx: &mut Cx) -> Option<Self> {
        let mut f = Fields::new(node, cx, "введено приказом")?;
        let date = f.req("дата", cx);
        let number = f.req_with("номер", cx, Spanned::<String>::decode);
        f.finish(cx);
        Some(IntroducedBy {
            date: date?,
            number: number?,
        })
    }
    fn describe(g: &mut Schema) -> Value {
        g.def::<Self>(|g| g.fields::<Self>("{}"))
    }
}

/// `орган.второй_язык`: the blank's lines in the republic's state language,
/// printed at the left of a two-column header (`шапка: двуязычная`).
#[derive(Debug, Clone)]
pub struct SecondLanguage {
    pub lines: Vec<Spanned<String>>,
    /// The kind of act in that language: «ХУШУ».
    pub kind: Spanned<String>,
    /// The place in that language: «Шупашкар хули».
    pub place: Option<String>,
    /// Where the mapping is written, and its `место`.
    pub pos: Pos,
    pub place_pos: Option<Pos>,
}

impl Decode for SecondLanguage {
    fn decode(node: &Node, cx: &mut Cx) -> Option<Self> {
        let mut f = Fields::new(node, cx, "второй язык")?;
        let lines = f.req_prose("наименование", cx);
        let kind = f.req_prose("вид", cx);
        let place = f.opt_prose("место", cx);
        let (pos, place_pos) = (f.pos(), f.key_pos("место"));
        f.finish(cx);
        Some(SecondLanguage {
            lines: lines?,
            kind: kind?,
            place,
            pos,
            place_pos,
        })
    }
    fn describe(g: &mut Schema) -> Value {
        g.def::<Self>(|g| g.fields::<Self>("{}"))
    }
}

/// The issuing body: name lines, parent body first.
#[derive(Debug, Clone, Default)]
pub struct Authority {
    pub lines: Vec<Spanned<String>>,
    /// The name in the genitive, for marks: «управления образования администрации города Оренбурга».
    pub genitive: Option<String>,
    pub short: Option<String>,
    /// Coat of arms image, path relative to the YAML file.
    pub emblem: Option<Spanned<String>>,
    /// The blank's lines in the republic's second state language.
    pub second: Option<SecondLanguage>,
}

impl Decode for Authority {
    fn decode(node: &Node, cx: &mut Cx) -> Option<Self> {
        if !matches!(node.kind, NodeKind::Map(_)) {
            let lines = Vec::<Spanned<String>>::decode(node, cx)?;
            return Some(Authority {
                lines,
                ..Default::default()
            });
        }
        let mut f = Fields::new(node, cx, "орган")?;
        let lines = f.req_prose("наименование", cx);
        let genitive = f.opt("в_родительном", cx);
        let short = f.opt("кратко", cx);
        let emblem = f.opt("герб", cx);
        let second = f.opt("второй_язык", cx);
        f.finish(cx);
        Some(Authority {
            lines: lines?,
            genitive,
            short,
            emblem,
            second,
        })
    }
    fn describe(g: &mut Schema) -> Value {
        g.def::<Self>(|g| {
            let lines = Vec::<Spanned<String>>::describe(g);
            let whole = g.fields::<Self>("{}");
            json!({ "anyOf": [lines, whole] })
        })
    }
}

keywords! {
    /// How the operative word («ПРИКАЗЫВАЮ:») is set.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum OperativeStyle {
        /// On its own line, from the left margin.
        OwnLine = "отдельной_строкой": "«ПРИКАЗЫВАЮ:» отдельной строкой от левого поля.",
        /// On its own line, centred (as city administrations print «ПОСТАНОВЛЯЮ:»).
        Centered = "по_центру": "«ПОСТАНОВЛЯЮ:» отдельной строкой по центру, как печатают администрации городов.",
        /// At the end of the preamble, as written.
        Inline = "в_конце_преамбулы": "В конце преамбулы, как написано.",
        /// At the end of the preamble, lowercase and letter-spaced: «п р и к а з ы в а ю:».
        Spaced = "вразрядку": "В конце преамбулы строчными вразрядку: «п р и к а з ы в а ю:».",
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Operative {
    /// `None`: no operative word at all (`распорядительное_слово: нет`).
    pub word: Option<String>,
    pub style: Option<OperativeStyle>,
}

impl Decode for Operative {
    fn decode(node: &Node, cx: &mut Cx) -> Option<Self> {
        if let Some(s) = node.as_str() {
            let t = s.trim();
            if t.eq_ignore_ascii_case("нет") || t == "нет" || t == "Нет" {
                return Some(Operative {
                    word: None,
                    style: None,
                });
            }
            return Some(Operative {
                word: Some(String::decode(node, cx)?),
                style: None,
            });
        }
        let mut f = Fields::new(node, cx, "распорядительное слово")?;
        let word = f.opt("текст", cx);
        let style = f.opt("стиль", cx);
        f.finish(cx);
        Some(Operative { word, style })
    }
    fn describe(g: &mut Schema) -> Value {
        g.def::<Self>(|g| {
            let word = g.text();
            let whole = g.fields::<Self>("{}");
            json!({ "anyOf": [word, whole] })
        })
    }
}

/// An id typed with Latin letters among Russian ones («плaн» with a Latin
/// «a»): a reference typed in Russian will not find it, and the message
/// would stand at the reference. Said here, at the id.
fn mixed_letters_in_id(id: &Option<Spanned<String>>, cx: &mut Cx) {
    let Some(id) = id else { return };
    if !id.value.chars().any(crate::diag::is_cyrillic) {
        return;
    }
    if let Some(note) = crate::diag::latin_note(id.value.trim()) {
        let d = crate::diag::Diagnostic::warning(
            super::LATIN_IN_ID,
            format!(
                "id «{}» набран вперемешку латинскими и русскими буквами: ссылка на него, набранная по-русски, его не найдёт",
                id.value.trim()
            ),
        )
        .at(&cx.src, id.pos)
        .field(format!("{}.id", cx.path()))
        .hint(note);
        cx.diags.push(d);
    }
}

/// The key of a free paragraph between points: `- абзац: …`.
const PARAGRAPH: &str = "абзац";

/// An entry of `пункты`: a numbered point or a free paragraph between points.
#[derive(Debug, Clone)]
pub enum PointItem {
    Point(Point),
    Paragraph(Spanned<String>),
}

impl Decode for PointItem {
    fn decode(node: &Node, cx: &mut Cx) -> Option<Self> {
        if let NodeKind::Map(items) = &node.kind
            && items.len() == 1
            && items[0].0.as_str() == Some(PARAGRAPH)
        {
            return cx
                .within(PARAGRAPH, |cx| Spanned::<String>::decode(&items[0].1, cx))
                .map(PointItem::Paragraph);
        }
        Point::decode(node, cx).map(PointItem::Point)
    }
    fn describe(g: &mut Schema) -> Value {
        g.def::<Self>(|g| {
            let text = Spanned::<String>::describe(g);
            let text = g.documented("пункт", PARAGRAPH, text);
            let paragraph = json!({
                "type": "object",
                "properties": { PARAGRAPH: text },
                "required": [PARAGRAPH],
                "additionalProperties": false,
            });
            let point = Point::describe(g);
            json!({ "anyOf": [paragraph, point] })
        })
    }
}

/// A numbered point (1., 1.1.) or a sub-item («1)»).
#[derive(Debug, Clone)]
pub struct Point {
    pub text: Spanned<String>,
    pub id: Option<Spanned<String>>,
    pub deadline: Option<Spanned<Deadline>>,
    pub responsible: Vec<Spanned<String>>,
    /// Nested points: 1.1., 1.1.1. …
    pub subpoints: Vec<PointItem>,
    /// Sub-items numbered «1)», «2)».
    pub items: Vec<Point>,
    /// A bulleted list after the text.
    pub bullets: Vec<ListItem>,
    /// Unnumbered paragraphs that continue the point.
    pub paragraphs: Vec<Spanned<String>>,
}

impl Decode for Point {
    fn decode(node: &Node, cx: &mut Cx) -> Option<Self> {
        if node.as_str().is_some() {
            let text = prose::<Spanned<String>>(node, cx)?;
            return Some(Point::plain(text));
        }
        let mut f = Fields::text_or(node, cx, "пункт")?;
        let text = f.req_prose("текст", cx);
        let id = f.opt("id", cx);
        mixed_letters_in_id(&id, cx);
        let deadline = f.opt("срок", cx);
        let mut responsible: Vec<Spanned<String>> =
            f.opt_prose("ответственные", cx).unwrap_or_default();
        if let Some(r) = f.opt_prose::<Vec<Spanned<String>>>("ответственный", cx) {
            responsible.extend(r);
        }
        let subpoints = f.opt("пункты", cx).unwrap_or_default();
        let items = f.opt("подпункты", cx).unwrap_or_default();
        let bullets = f.opt("список", cx).unwrap_or_default();
        let paragraphs = f.opt("абзацы", cx).unwrap_or_default();
        f.finish(cx);
        Some(Point {
            text: text?,
            id,
            deadline,
            responsible,
            subpoints,
            items,
            bullets,
            paragraphs,
        })
    }
    fn describe(g: &mut Schema) -> Value {
        g.def::<Self>(|g| {
            let text = g.words_only();
            let whole = g.fields::<Self>("{}");
            json!({ "anyOf": [text, whole] })
        })
    }
}

impl Point {
    pub fn plain(text: Spanned<String>) -> Self {
        Point {
            text,
            id: None,
            deadline: None,
            responsible: vec![],
            subpoints: vec![],
            items: vec![],
            bullets: vec![],
            paragraphs: vec![],
        }
    }
}

/// A deadline: a date («не позднее 20.10.2023») or free text («В течение года»).
#[derive(Debug, Clone, PartialEq)]
pub enum Deadline {
    Date(NaiveDate),
    Text(String),
}

impl Decode for Deadline {
    fn decode(node: &Node, cx: &mut Cx) -> Option<Self> {
        let s = String::decode(node, cx)?;
        let looks_like_date = s
            .trim()
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == '-');
        if looks_like_date {
            match parse_date(&s) {
                Ok(d) => Some(Deadline::Date(d)),
                Err(msg) => {
                    cx.error(errors::BAD_DATE, node.pos, msg);
                    None
                }
            }
        } else {
            Some(Deadline::Text(s))
        }
    }
    fn describe(g: &mut Schema) -> Value {
        g.text()
    }
}

/// The control clause, set as the last point.
#[derive(Debug, Clone, PartialEq)]
pub enum Control {
    /// «Контроль … оставляю за собой».
    Kept,
    /// «Контроль … возложить на <кого>».
    Assigned(String),
    /// Free wording.
    Text(String),
}

impl Decode for Control {
    fn decode(node: &Node, cx: &mut Cx) -> Option<Self> {
        if let Some(s) = node.as_str().filter(|_| !node.is_null()) {
            let t = s.trim().to_lowercase();
            if t.starts_with("оставляю") {
                return Some(Control::Kept);
            }
            cx.error(
                errors::UNKNOWN_VALUE,
                node.pos,
                format!("неизвестное значение контроля «{}»", s.trim()),
            )
            .hint = Some(
                "напишите «контроль: оставляю», «контроль: {возложить_на: …}» или «контроль: {текст: …}»".into(),
            );
            return None;
        }
        let mut f = Fields::new(node, cx, "контроль")?;
        let on = f.opt_prose("возложить_на", cx);
        let text = f.opt("текст", cx);
        let pos = f.pos();
        f.finish(cx);
        match (on, text) {
            (Some(p), None) => Some(Control::Assigned(p)),
            (None, Some(t)) => Some(Control::Text(t)),
            _ => {
                cx.error(
                    errors::MISSING_FIELD,
                    pos,
                    "укажите одно из полей: «возложить_на» или «текст»",
                );
                None
            }
        }
    }
    fn describe(g: &mut Schema) -> Value {
        g.def::<Self>(|g| {
            let kept = json!({"type": "string", "pattern": "^\\s*(оставляю|Оставляю|ОСТАВЛЯЮ)"});
            let mut whole = g.fields::<Self>("{}");
            // Exactly one of its fields.
            let one_of: Vec<Value> = whole["properties"]
                .as_object()
                .map(|p| p.keys().map(|k| json!({ "required": [k] })).collect())
                .unwrap_or_default();
            whole["oneOf"] = Value::Array(one_of);
            json!({ "anyOf": [kept, whole] })
        })
    }
}

/// Who signs.
#[derive(Debug, Clone)]
pub struct Signatory {
    pub position: Vec<Spanned<String>>,
    /// «И.О. Фамилия».
    pub name: Spanned<String>,
    /// «И.о.», «Врио»: put before the first position line.
    pub acting: Option<String>,
    pub esign: Option<ESign>,
    pub pos: crate::diag::Pos,
}

impl Decode for Signatory {
    fn decode(node: &Node, cx: &mut Cx) -> Option<Self> {
        let mut f = Fields::new(node, cx, "подписант")?;
        let position = f.req_prose("должность", cx);
        let name = f.req_prose("имя", cx);
        let acting = f.opt("исполняющий_обязанности", cx);
        let esign = f.opt("электронная_подпись", cx);
        let pos = f.pos();
        f.finish(cx);
        Some(Signatory {
            position: position?,
            name: name?,
            acting,
            esign,
            pos,
        })
    }
    fn describe(g: &mut Schema) -> Value {
        g.def::<Self>(|g| g.fields::<Self>("{}"))
    }
}

/// Electronic-signature stamp (ГОСТ §5.23).
#[derive(Debug, Clone)]
pub struct ESign {
    pub certificate: String,
    pub owner: String,
    pub valid_from: NaiveDate,
    pub valid_to: NaiveDate,
    /// The organisation's coat of arms in the stamp (ГОСТ §5.23 allows it).
    pub emblem: bool,
    pub pos: crate::diag::Pos,
}

impl Decode for ESign {
    fn decode(node: &Node, cx: &mut Cx) -> Option<Self> {
        let mut f = Fields::new(node, cx, "электронная подпись")?;
        let certificate = f.req("сертификат", cx);
        let owner = f.req("владелец", cx);
        let valid_from = f.req("действителен_с", cx);
        let valid_to = f.req("действителен_по", cx);
        let emblem = f.opt("герб", cx).unwrap_or(false);
        let pos = f.pos();
        f.finish(cx);
        Some(ESign {
            certificate: certificate?,
            owner: owner?,
            valid_from: valid_from?,
            valid_to: valid_to?,
            emblem,
            pos,
        })
    }
    fn describe(g: &mut Schema) -> Value {
        g.def::<Self>(|g| g.fields::<Self>("{}"))
    }
}

/// Отметка об исполнителе.
#[derive(Debug, Clone)]
pub struct Executor {
    pub name: Spanned<String>,
    pub phone: Option<String>,
    pub position: Option<String>,
    pub email: Option<String>,
}

impl Decode for Executor {
    fn decode(node: &Node, cx: &mut Cx) -> Option<Self> {
        let mut f = Fields::new(node, cx, "исполнитель")?;
        let name = f.req_prose("имя", cx);
        let phone = f.opt("телефон", cx);
        let position = f.opt_prose("должность", cx);
        let email = f.opt("почта", cx);
        f.finish(cx);
        Some(Executor {
            name: name?,
            phone,
            position,
            email,
        })
    }
    fn describe(g: &mut Schema) -> Value {
        g.def::<Self>(|g| g.fields::<Self>("{}"))
    }
}

/// Distribution list («Разослать: …»).
#[derive(Debug, Clone)]
pub struct Distribution {
    pub heading: Option<String>,
    pub to: Vec<Spanned<String>>,
}

impl Decode for Distribution {
    fn decode(node: &Node, cx: &mut Cx) -> Option<Self> {
        if !matches!(node.kind, NodeKind::Map(_)) {
            return Some(Distribution {
                heading: None,
                to: prose(node, cx)?,
            });
        }
        let mut f = Fields::new(node, cx, "рассылка")?;
        let heading = f.opt("заголовок", cx);
        let to = f.req_prose("адресаты", cx);
        f.finish(cx);
        Some(Distribution { heading, to: to? })
    }
    fn describe(g: &mut Schema) -> Value {
        g.def::<Self>(|g| {
            let to = g.with_prose(Vec::<Spanned<String>>::describe);
            let whole = g.fields::<Self>("{}");
            json!({ "anyOf": [to, whole] })
        })
    }
}

keywords! {
    /// Page orientation of an appendix.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
    pub enum Orientation {
        #[default]
        Portrait = "книжная": "Книжная страница (по умолчанию).",
        Landscape = "альбомная": "Альбомная страница: для широких таблиц.",
    }
}

/// One appendix.
#[derive(Debug, Clone)]
pub struct Appendix {
    pub id: Option<Spanned<String>>,
    /// The document kind: План, Положение, Программа, Правила …
    pub doc_kind: Option<Spanned<String>>,
    /// The act approves this document: the mark becomes an approval stamp.
    pub approved: bool,
    /// Explicit number («1», «2а»); by default numbers are automatic.
    pub number: Option<Spanned<String>>,
    /// Force a number on a single appendix (or `нет` to leave several unnumbered).
    pub numbered: Option<bool>,
    /// Override of the participle (УТВЕРЖДЕН …).
    pub participle: Option<String>,
    /// Override of the line after «Приложение № N»: «к распоряжению управления …».
    pub to_act: Option<String>,
    /// Override of the «приказом …» line of the approval stamp.
    pub by_act: Option<String>,
    /// Override of the date as printed in the mark (e.g. «20.09.23»).
    pub mark_date: Option<String>,
    pub orientation: Orientation,
    /// In landscape, keep the portrait margins instead of turning them.
    pub portrait_margins: bool,
    pub title: Vec<Spanned<String>>,
    pub body: Vec<Block>,
    pub pos: crate::diag::Pos,
}

impl Decode for Appendix {
    fn decode(node: &Node, cx: &mut Cx) -> Option<Self> {
        let mut f = Fields::new(node, cx, "приложение")?;
        let id = f.opt("id", cx);
        mixed_letters_in_id(&id, cx);
        let doc_kind = f.opt("вид", cx);
        let approved = f.opt("утверждается", cx).unwrap_or(false);
        let number = f.opt("номер", cx);
        let numbered = f.opt("нумеровать", cx);
        let participle = f.opt("причастие", cx);
        let to_act = f.opt("к_акту", cx);
        let by_act = f.opt("утверждено_кем", cx);
        let mark_date = f.opt("дата_в_отметке", cx);
        let orientation = f.opt("ориентация", cx).unwrap_or_default();
        let portrait_margins = f.opt("книжные_поля", cx).unwrap_or(false);
        let title = f.opt_prose("заголовок", cx).unwrap_or_default();
        let body = f.opt("содержание", cx).unwrap_or_default();
        let pos = f.pos();
        f.finish(cx);
        Some(Appendix {
            id,
            doc_kind,
            approved,
            number,
            numbered,
            participle,
            to_act,
            by_act,
            mark_date,
            orientation,
            portrait_margins,
            title,
            body,
            pos,
        })
    }
    fn describe(g: &mut Schema) -> Value {
        g.def::<Self>(|g| g.fields::<Self>("{}"))
    }
}

/// What a block of an appendix body may be: its first key.
const BLOCK_KINDS: [&str; 10] = [
    "абзац",
    "подзаголовок",
    "цель",
    "задачи",
    "список",
    "термины",
    "таблица",
    "подпись",
    "разрыв_страницы",
    "состав",
];

/// A block of an appendix body (and, restricted to paragraphs and lists, of a table cell).
#[derive(Debug, Clone)]
pub enum Block {
    Paragraph(Spanned<String>),
    Heading(Spanned<String>),
    /// «Цель: …» — a labelled paragraph.
    Labelled {
        label: String,
        text: Spanned<String>,
    },
    /// «Задачи:» followed by a list (label may be empty).
    List {
        label: Option<String>,
        list: List,
    },
    Terms(Vec<Term>),
    Table(Box<Table>),
    Signature(Signatory),
    PageBreak,
    /// The membership of a commission or working group.
    Members(Members),
}

impl Decode for Block {
    fn decode(node: &Node, cx: &mut Cx) -> Option<Self> {
        if node.as_str().is_some() {
            return Spanned::<String>::decode(node, cx).map(Block::Paragraph);
        }
        let NodeKind::Map(items) = &node.kind else {
            cx.wrong_type(node, "абзац (строка) или блок (абзац, подзаголовок, цель, задачи, список, термины, таблица, подпись, состав)");
            return None;
        };
        // A block is a mapping with one key that says what it is, in any
        // place among its settings (`нумерация:` may come before `список:`).
        let kinds: Vec<(&str, Pos)> = items
            .iter()
            .filter_map(|(k, _)| {
                let name = k.as_str()?.trim();
                BLOCK_KINDS
                    .iter()
                    .find(|b| **b == name)
                    .map(|b| (*b, k.pos))
            })
            .collect();
        if let [(first, _), (second, at), ..] = kinds[..] {
            let d = cx.error(
                errors::UNKNOWN_FIELD,
                at,
                format!("в одном блоке два вида: «{first}» и «{second}»"),
            );
            d.hint = Some(format!(
                "каждый блок — отдельный элемент списка: начните «{second}:» с новой строки «- »"
            ));
            return None;
        }
        let key = match kinds.first() {
            Some((k, _)) => *k,
            None => items
                .first()
                .and_then(|(k, _)| k.as_str())
                .unwrap_or("")
                .trim(),
        };
        let mut f = Fields::new(node, cx, "блок")?;
        let out = match key {
            "абзац" => f.req("абзац", cx).map(Block::Paragraph),
            "подзаголовок" => f.req("подзаголовок", cx).map(Block::Heading),
            "цель" => f.req("цель", cx).map(|t| Block::Labelled {
                label: "Цель:".into(),
                text: t,
            }),
            "задачи" => {
                let items = f.req("задачи", cx);
                let marker = f.opt("нумерация", cx);
                items.map(|items| Block::List {
                    label: Some("Задачи:".into()),
                    list: List {
                        marker: marker.unwrap_or_else(|| "1.".into()),
                        items,
                    },
                })
            }
            "список" => {
                let items = f.req("список", cx);
                let marker = f.opt("нумерация", cx);
                let label = f.opt("метка", cx);
                items.map(|items| Block::List {
                    label,
                    list: List {
                        marker: marker.unwrap_or_else(|| "–".into()),
                        items,
                    },
                })
            }
            "термины" => f.req("термины", cx).map(Block::Terms),
            "таблица" => f
                .req::<Table>("таблица", cx)
                .map(|t| Block::Table(Box::new(t))),
            "подпись" => f.req("подпись", cx).map(Block::Signature),
            "состав" => f.req("состав", cx).map(Block::Members),
            "разрыв_страницы" => {
                let _ = f.req::<bool>("разрыв_страницы", cx);
                Some(Block::PageBreak)
            }
            _ if items.len() == 1
                && super::decode::prose_key(key)
                && crate::diag::maybe_meant(key, BLOCK_KINDS).is_none()
                && cx.colon_text(&items[0].0, &items[0].1) =>
            {
                return None;
            }
            other => {
                let known = BLOCK_KINDS;
                let d = cx.error(
                    errors::UNKNOWN_FIELD,
                    node.pos,
                    format!("неизвестный вид блока «{other}»"),
                );
                d.hint = Some(match crate::diag::maybe_meant(other, known) {
                    Some(s) => s,
                    None => format!("допустимы: {}", known.join(", ")),
                });
                return None;
            }
        };
        f.finish(cx);
        out
    }
    fn describe(g: &mut Schema) -> Value {
        g.def::<Self>(|g| {
            let mut kinds = vec![Spanned::<String>::describe(g)];
            for kind in BLOCK_KINDS {
                kinds.push(g.fields::<Self>(&format!("{{{kind}: ~}}")));
            }
            json!({ "anyOf": kinds })
        })
    }
}

/// A bulleted or numbered list. `marker` is «1.», «1)», «–», «•», «✓» …
#[derive(Debug, Clone)]
pub struct List {
    pub marker: String,
    pub items: Vec<ListItem>,
}

impl Decode for List {
    fn decode(node: &Node, cx: &mut Cx) -> Option<Self> {
        if let NodeKind::Map(_) = node.kind {
            let mut f = Fields::new(node, cx, "список")?;
            let items = f.req("пункты", cx);
            let marker = f.opt("нумерация", cx);
            f.finish(cx);
            return Some(List {
                marker: marker.unwrap_or_else(|| "–".into()),
                items: items?,
            });
        }
        Some(List {
            marker: "–".into(),
            items: Vec::decode(node, cx)?,
        })
    }
    fn describe(g: &mut Schema) -> Value {
        g.def::<Self>(|g| {
            let items = Vec::<ListItem>::describe(g);
            let whole = g.fields::<Self>("{}");
            json!({ "anyOf": [items, whole] })
        })
    }
}

#[derive(Debug, Clone)]
pub struct ListItem {
    pub text: Spanned<String>,
    pub sublist: Option<List>,
}

impl Decode for ListItem {
    fn decode(node: &Node, cx: &mut Cx) -> Option<Self> {
        if node.as_str().is_some() {
            return Some(ListItem {
                text: Spanned::decode(node, cx)?,
                sublist: None,
            });
        }
        let mut f = Fields::text_or(node, cx, "элемент списка")?;
        let text = f.req("текст", cx);
        let sublist = f.opt("список", cx);
        f.finish(cx);
        Some(ListItem {
            text: text?,
            sublist,
        })
    }
    fn describe(g: &mut Schema) -> Value {
        g.def::<Self>(|g| {
            let text = g.text();
            let whole = g.fields::<Self>("{}");
            json!({ "anyOf": [text, whole] })
        })
    }
}

/// «УО — управление образования …».
#[derive(Debug, Clone)]
pub struct Term {
    pub term: Spanned<String>,
    pub definition: Spanned<String>,
}

/// The membership of a commission or working group (`состав`): who chairs
/// it, deputies, the secretary and the members, each with a position.
#[derive(Debug, Clone)]
pub struct Members {
    /// Whose members, in the genitive: «рабочей группы», «комиссии»; the
    /// labels read «Председатель рабочей группы:».
    pub of: Option<Spanned<String>>,
    pub chair: Vec<Member>,
    pub deputies: Vec<Member>,
    pub secretary: Vec<Member>,
    pub members: Vec<Member>,
}

impl Members {
    /// The groups in print order, each with its key in the YAML.
    pub fn groups(&self) -> [(&'static str, &[Member]); 4] {
        [
            ("председатель", &self.chair),
            ("заместитель", &self.deputies),
            ("секретарь", &self.secretary),
            ("члены", &self.members),
        ]
    }
}

/// One member: the name as printed and the position.
#[derive(Debug, Clone)]
pub struct Member {
    pub name: Spanned<String>,
    pub position: Option<Spanned<String>>,
}

impl Decode for Member {
    fn decode(node: &Node, cx: &mut Cx) -> Option<Self> {
        let mut f = Fields::new(node, cx, "член состава")?;
        let name = f.req("имя", cx);
        let position = f.opt("должность", cx);
        f.finish(cx);
        Some(Member {
            name: name?,
            position,
        })
    }
    fn describe(g: &mut Schema) -> Value {
        g.def::<Self>(|g| g.fields::<Self>("{}"))
    }
}

impl Decode for Members {
    fn decode(node: &Node, cx: &mut Cx) -> Option<Self> {
        let mut f = Fields::new(node, cx, "состав")?;
        let of = f.opt("чего", cx);
        let chair: Vec<Member> = f.opt("председатель", cx).unwrap_or_default();
        let deputies: Vec<Member> = f.opt("заместитель", cx).unwrap_or_default();
        let secretary: Vec<Member> = f.opt("секретарь", cx).unwrap_or_default();
        let members: Vec<Member> = f.opt("члены", cx).unwrap_or_default();
        f.finish(cx);
        if chair.is_empty() && deputies.is_empty() && secretary.is_empty() && members.is_empty() {
            cx.error(
                errors::EMPTY_VALUE,
                node.pos,
                "в составе никого нет: напишите председателя, заместителя, секретаря или членов",
            );
            return None;
        }
        Some(Members {
            of,
            chair,
            deputies,
            secretary,
            members,
        })
    }
    fn describe(g: &mut Schema) -> Value {
        g.def::<Self>(|g| g.fields::<Self>("{}"))
    }
}

impl Decode for Term {
    fn decode(node: &Node, cx: &mut Cx) -> Option<Self> {
        let mut f = Fields::new(node, cx, "термин")?;
        let term = f.req_prose("термин", cx);
        let definition = f.req("определение", cx);
        f.finish(cx);
        Some(Term {
            term: term?,
            definition: definition?,
        })
    }
    fn describe(g: &mut Schema) -> Value {
        g.def::<Self>(|g| g.fields::<Self>("{}"))
    }
}

keywords! {
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
    pub enum Align {
        #[default]
        Left = "слева": "По левому краю.",
        Center = "по_центру": "По центру.",
        Right = "справа": "По правому краю.",
        Justify = "по_ширине": "По ширине колонки.",
    }
}

#[derive(Debug, Clone)]
pub struct Column {
    pub title: Spanned<String>,
    /// Key used by mapping rows and CSV headers; the title by default.
    pub key: String,
    pub width: f32,
    pub align: Option<Align>,
    /// This column holds the automatic row number («№ п/п»).
    pub numbering: bool,
    /// The column names people the act charges (`люди: да`): they go on the
    /// acknowledgment sheet.
    pub people: bool,
}

impl Decode for Column {
    fn decode(node: &Node, cx: &mut Cx) -> Option<Self> {
        if node.as_str().is_some() {
            let title = Spanned::<String>::decode(node, cx)?;
            let numbering = is_number_title(&title);
            return Some(Column {
                key: title.value.clone(),
                title,
                width: 1.0,
                align: None,
                numbering,
                people: false,
            });
        }
        let mut f = Fields::text_or(node, cx, "колонка")?;
        let title: Option<Spanned<String>> = f.req_prose("заголовок", cx);
        let key = f.opt("ключ", cx);
        let width = f.opt("ширина", cx).unwrap_or(1.0);
        let align = f.opt("выравнивание", cx);
        let numbering = f.opt("нумерация", cx);
        let people = f.opt("люди", cx).unwrap_or(false);
        f.finish(cx);
        let title = title?;
        Some(Column {
            people,
            key: key.unwrap_or_else(|| title.value.clone()),
            numbering: numbering.unwrap_or_else(|| is_number_title(&title)),
            title,
            width,
            align,
        })
    }
    fn describe(g: &mut Schema) -> Value {
        g.def::<Self>(|g| {
            let title = g.text();
            let whole = g.fields::<Self>("{}");
            json!({ "anyOf": [title, whole] })
        })
    }
}

/// The title of a row-number column, in the spellings clerks use: «№»,
/// «№ п/п», «№п/п», «N п/п», «п/п», «№ пп», «№ п.п.», «No», «№№», «номер».
/// Spaces, dots and slashes don't count; a Latin «N» is read as «№».
pub fn is_number_title(t: &str) -> bool {
    let t: String = t
        .trim()
        .to_lowercase()
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '.' | '/' | '\\' | '-' | '_' | ':'))
        .collect();
    let t = t
        .strip_prefix("№№")
        .or_else(|| t.strip_prefix('№'))
        .or_else(|| t.strip_prefix("no"))
        .or_else(|| t.strip_prefix("nn"))
        .or_else(|| t.strip_prefix('n'))
        .or_else(|| t.strip_prefix("номер"))
        .map(|rest| (true, rest))
        .unwrap_or((false, t.as_str()));
    match t {
        (true, rest) => matches!(rest, "" | "пп" | "строки" | "пункта"),
        (false, rest) => rest == "пп",
    }
}

/// A table of an appendix.
#[derive(Debug, Clone)]
pub struct Table {
    pub columns: Vec<Column>,
    pub column_numbers: bool,
    /// Format of automatic numbers: «1.» or «1».
    pub number_format: String,
    pub rows: Vec<Row>,
    /// `строки_из`: rows kept in a spreadsheet.
    pub rows_from: Option<RowsFrom>,
    pub font_size: Option<f32>,
    /// Section rows are numbered 1, 2 … and the rows under them 1.1, 1.2 …
    pub number_sections: bool,
    pub pos: crate::diag::Pos,
}

impl Decode for Table {
    fn decode(node: &Node, cx: &mut Cx) -> Option<Self> {
        let mut f = Fields::new(node, cx, "таблица")?;
        let columns: Option<Vec<Column>> = f.req("колонки", cx);
        let column_numbers = f.opt("номера_колонок", cx).unwrap_or(false);
        let number_format = f.opt("формат_номера", cx).unwrap_or_else(|| "1.".into());
        let rows = f
            .opt_with("строки", cx, |n, cx| {
                table_rows(n, cx, columns.as_deref()).map(PastedOr)
            })
            .map(|r| r.0)
            .unwrap_or_default();
        let rows_from = f.opt("строки_из", cx);
        let font_size = f.opt("размер_шрифта", cx);
        let number_sections = f.opt("нумерация_разделов", cx).unwrap_or(false);
        let pos = f.pos();
        f.finish(cx);
        Some(Table {
            columns: columns?,
            column_numbers,
            number_format,
            rows,
            rows_from,
            font_size,
            number_sections,
            pos,
        })
    }
    fn describe(g: &mut Schema) -> Value {
        g.def::<Self>(|g| g.fields::<Self>("{}"))
    }
}

/// A table's rows as [`table_rows`] reads them; its schema lets an editor
/// take rows pasted as text too.
struct PastedOr(Vec<Row>);

impl Decode for PastedOr {
    fn decode(node: &Node, cx: &mut Cx) -> Option<Self> {
        table_rows(node, cx, None).map(PastedOr)
    }
    fn describe(g: &mut Schema) -> Value {
        let rows = Vec::<Row>::describe(g);
        json!({ "anyOf": [rows, { "type": "string" }] })
    }
}

/// A table's `строки`: a list of rows, or rows pasted from a spreadsheet as
/// text (Excel copies a row as its cells with tabs between them), given as
/// the whole value (`строки: |` and the lines below) or as list items.
fn table_rows(node: &Node, cx: &mut Cx, columns: Option<&[Column]>) -> Option<Vec<Row>> {
    let pasted = |n: &Node| matches!(&n.kind, NodeKind::Scalar { text, .. } if text.contains('\t'));
    match &node.kind {
        NodeKind::Scalar { text, .. } if pasted(node) => pasted_rows(text, node.pos, cx, columns?),
        NodeKind::Seq(items) if items.iter().any(pasted) => {
            let mut out = Vec::with_capacity(items.len());
            let mut ok = true;
            for (i, item) in items.iter().enumerate() {
                let rows = cx.within(format!("[{}]", i + 1), |cx| match &item.kind {
                    NodeKind::Scalar { text, .. } if pasted(item) => {
                        pasted_rows(text, item.pos, cx, columns?)
                    }
                    _ => Row::decode(item, cx).map(|r| vec![r]),
                });
                match rows {
                    Some(r) => out.extend(r),
                    None => ok = false,
                }
            }
            ok.then_some(out)
        }
        _ => Vec::<Row>::decode(node, cx),
    }
}

/// Rows pasted from a spreadsheet: a line a row, its cells split at tabs
/// (a cell in quotes may hold tabs and line breaks, as Excel copies it), in
/// the order of the table's columns. One cell more than the columns of text,
/// when the table numbers its rows and the first cell is a number, is the
/// «№» column copied too: it becomes the row's number, checked as any
/// written number is (P101).
fn pasted_rows(
    text: &str,
    pos: crate::diag::Pos,
    cx: &mut Cx,
    columns: &[Column],
) -> Option<Vec<Row>> {
    let data = columns.iter().filter(|c| !c.numbering).count();
    let numbered = columns.iter().any(|c| c.numbering);
    // A block text (`строки: |`) starts on the line after its «|».
    let first_line = match cx
        .src
        .text
        .lines()
        .nth((pos.line as usize).saturating_sub(1))
    {
        Some(l) if l.contains('\t') => pos.line,
        _ => pos.line + 1,
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b'\t')
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = vec![];
    let mut ok = true;
    for rec in reader.records() {
        let (line, cells): (u32, Vec<String>) = match rec {
            Ok(r) => (
                r.position().map_or(1, |p| p.line() as u32),
                r.iter().map(|c| c.trim().to_string()).collect(),
            ),
            Err(e) => {
                let line = e.position().map_or(1, |p| p.line() as u32);
                let at = cx.src.pos(first_line + line - 1, 1);
                cx.error(
                    errors::WRONG_KIND,
                    at,
                    "не удалось разобрать вставленную строку таблицы",
                )
                .hint = Some("проверьте кавычки в ячейках этой строки".into());
                ok = false;
                continue;
            }
        };
        let at = cx.src.pos(first_line + line - 1, 1);
        let mut cells = cells;
        while cells.len() > data && cells.last().is_some_and(String::is_empty) {
            cells.pop();
        }
        if cells.iter().all(String::is_empty) {
            continue;
        }
        let is_number = |s: &str| {
            let s = s.trim_end_matches('.');
            !s.is_empty()
                && s.split('.')
                    .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
        };
        let number = if numbered && cells.len() == data + 1 && is_number(&cells[0]) {
            Some(Spanned::new(cells.remove(0), at))
        } else {
            None
        };
        if cells.len() != data {
            let line_no = at.line;
            cx.error(
                errors::WRONG_KIND,
                at,
                format!(
                    "во вставленной строке {line_no} ячеек {}, а колонок для текста в таблице {data}",
                    cells.len()
                ),
            )
            .hint = Some(format!(
                "строка из Excel — это ячейки через табуляцию в порядке колонок таблицы{}; проверьте, что скопированы все её колонки и только они",
                if numbered {
                    " (колонку «№» можно скопировать тоже: номер станет номером строки)"
                } else {
                    "; если первая ячейка — номер строки, добавьте в таблицу колонку «№ п/п»"
                }
            ));
            ok = false;
            continue;
        }
        let cells = cells
            .into_iter()
            .map(|c| {
                let blocks = c
                    .lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .map(|l| CellBlock::Paragraph(Spanned::new(l.to_string(), at)))
                    .collect();
                (None, Cell { blocks, pos: at })
            })
            .collect();
        rows.push(Row::Cells(CellRow {
            cells,
            number,
            children: vec![],
            pos: at,
        }));
    }
    ok.then_some(rows)
}

/// Where a table's rows are kept: `строки_из: план.csv`, or a workbook with
/// its sheet and header row: `{файл: план.xlsx, лист: План, строка_заголовка: 3}`.
#[derive(Debug, Clone)]
pub struct RowsFrom {
    pub file: Spanned<String>,
    pub sheet: Option<Spanned<String>>,
    pub header_row: Option<Spanned<u32>>,
    /// Hidden sheets passed over to reach the first visible one (filled
    /// when the workbook is read; a lint tells the clerk).
    pub hidden_skipped: Vec<String>,
}

impl Decode for RowsFrom {
    fn decode(node: &Node, cx: &mut Cx) -> Option<Self> {
        if let NodeKind::Map(_) = &node.kind {
            let mut f = Fields::new(node, cx, "строки_из")?;
            let file = f.req("файл", cx);
            let sheet = f.opt("лист", cx);
            let header_row: Option<Spanned<u32>> = f.opt("строка_заголовка", cx);
            if let Some(h) = &header_row
                && h.value == 0
            {
                cx.error(errors::BAD_ROW_NUMBER, h.pos, "строки считаются с 1");
            }
            f.finish(cx);
            Some(RowsFrom {
                file: file?,
                sheet,
                header_row,
                hidden_skipped: vec![],
            })
        } else {
            Some(RowsFrom {
                file: Spanned::<String>::decode(node, cx)?,
                sheet: None,
                header_row: None,
                hidden_skipped: vec![],
            })
        }
    }
    fn describe(g: &mut Schema) -> Value {
        g.def::<Self>(|g| {
            let file = g.text();
            let whole = g.fields::<Self>("{}");
            json!({ "anyOf": [file, whole] })
        })
    }
}

/// A row of a table.
#[derive(Debug, Clone)]
pub enum Row {
    /// A section row spanning all columns.
    Section(Section),
    Cells(CellRow),
}

/// A section row: «Организационная работа», or numbered «1. Организационная
/// работа» with the rows under it numbered 1.1, 1.2 …
#[derive(Debug, Clone)]
pub struct Section {
    pub text: Spanned<String>,
    /// An explicit number («1.», «2»).
    pub number: Option<Spanned<String>>,
}

#[derive(Debug, Clone)]
pub struct CellRow {
    /// Cells in column order (the number column excluded), or by key.
    pub cells: Vec<(Option<String>, Cell)>,
    pub number: Option<Spanned<String>>,
    pub children: Vec<Row>,
    pub pos: crate::diag::Pos,
}

impl CellRow {
    /// Which cell each of `columns` shows, as an index into `cells`: the
    /// cell keyed by the column's key or title, else the next cell given in
    /// column order. The number column shows none (it is filled
    /// automatically). The one rule the writers, the lints and the sheets
    /// share.
    pub fn cells_by_column(&self, columns: &[Column]) -> Vec<Option<usize>> {
        let mut positional = (0..self.cells.len()).filter(|&i| self.cells[i].0.is_none());
        columns
            .iter()
            .map(|col| {
                if col.numbering {
                    return None;
                }
                let keyed = self.cells.iter().position(|(k, _)| {
                    k.as_deref() == Some(col.key.as_str())
                        || k.as_deref() == Some(col.title.value.as_str())
                });
                keyed.or_else(|| positional.next())
            })
            .collect()
    }
}

/// The key of a section row.
const SECTION: &str = "раздел";
/// The keys of a row's explicit number.
const ROW_NUMBER: [&str; 2] = ["№", "номер"];
/// The key of the rows under a row.
const CHILDREN: &str = "подстроки";
/// The key of a row's cells in column order.
const CELLS: &str = "ячейки";
/// The key of a list in a table cell.
const LIST: &str = "список";

impl Decode for Row {
    fn decode(node: &Node, cx: &mut Cx) -> Option<Self> {
        match &node.kind {
            NodeKind::Seq(items) => {
                let mut cells = Vec::new();
                for (i, item) in items.iter().enumerate() {
                    cells.push((
                        None,
                        cx.within(format!("[{}]", i + 1), |cx| Cell::decode(item, cx))?,
                    ));
                }
                Some(Row::Cells(CellRow {
                    cells,
                    number: None,
                    children: vec![],
                    pos: node.pos,
                }))
            }
            NodeKind::Map(entries) => {
                if entries.iter().any(|(k, _)| k.as_str() == Some(SECTION)) {
                    let mut f = Fields::new(node, cx, "строка-раздел")?;
                    let text = f.req_prose(SECTION, cx);
                    let number = f.opt("№", cx).or_else(|| f.opt("номер", cx));
                    f.finish(cx);
                    return Some(Row::Section(Section {
                        text: text?,
                        number,
                    }));
                }
                let mut number = None;
                let mut children = vec![];
                let mut cells = Vec::new();
                let mut ok = true;
                for (k, v) in entries {
                    let key = k.as_str().unwrap_or("").trim().to_string();
                    match key.as_str() {
                        k if ROW_NUMBER.contains(&k) => {
                            number = cx.within(&key, |cx| Spanned::<String>::decode(v, cx))
                        }
                        CHILDREN => {
                            children = cx
                                .within(&key, |cx| Vec::<Row>::decode(v, cx))
                                .unwrap_or_default()
                        }
                        CELLS => match cx.within(&key, |cx| Vec::<Cell>::decode(v, cx)) {
                            Some(cs) => cells.extend(cs.into_iter().map(|c| (None, c))),
                            None => ok = false,
                        },
                        _ => match cx.within(&key, |cx| Cell::decode(v, cx)) {
                            Some(c) => cells.push((Some(key), c)),
                            None => ok = false,
                        },
                    }
                }
                ok.then_some(Row::Cells(CellRow {
                    cells,
                    number,
                    children,
                    pos: node.pos,
                }))
            }
            _ => {
                cx.wrong_type(
                    node,
                    "строка таблицы (список ячеек, набор «колонка: текст» или «раздел: …»)",
                );
                None
            }
        }
    }
    fn describe(g: &mut Schema) -> Value {
        g.def::<Self>(|g| {
            let cell = Cell::describe(g);
            let listed = json!({ "type": "array", "items": cell });
            let section = g.fields::<Self>(&format!("{{{SECTION}: ~}}"));
            let number = Spanned::<String>::describe(g);
            let mut by_key = serde_json::Map::new();
            for key in ROW_NUMBER {
                by_key.insert(key.into(), g.documented("строка", key, number.clone()));
            }
            let children = Vec::<Row>::describe(g);
            by_key.insert(CHILDREN.into(), g.documented("строка", CHILDREN, children));
            let cells = Vec::<Cell>::describe(g);
            by_key.insert(CELLS.into(), g.documented("строка", CELLS, cells));
            let by_key = json!({
                "type": "object",
                "properties": by_key,
                // Any other key names a column.
                "additionalProperties": cell,
                "not": { "required": [SECTION] },
            });
            json!({ "anyOf": [listed, section, by_key] })
        })
    }
}

/// Content of a table cell: paragraphs and lists.
#[derive(Debug, Clone, Default)]
pub struct Cell {
    pub blocks: Vec<CellBlock>,
    pub pos: crate::diag::Pos,
}

#[derive(Debug, Clone)]
pub enum CellBlock {
    Paragraph(Spanned<String>),
    List(List),
}

impl Decode for Cell {
    fn decode(node: &Node, cx: &mut Cx) -> Option<Self> {
        let mut blocks = vec![];
        let one = |n: &Node, cx: &mut Cx, blocks: &mut Vec<CellBlock>| -> Option<()> {
            if let Some(s) = n.as_str() {
                if n.is_null() {
                    return Some(());
                }
                // Each line of a cell is its own paragraph.
                for line in s.lines().filter(|l| !l.trim().is_empty()) {
                    blocks.push(CellBlock::Paragraph(Spanned::new(
                        line.trim().to_string(),
                        n.pos,
                    )));
                }
                return Some(());
            }
            if let NodeKind::Map(m) = &n.kind
                && !m.iter().any(|(k, _)| k.as_str() == Some(LIST))
            {
                cx.wrong_type(n, "текст ячейки или {список: […]}");
                return None;
            }
            let mut f = Fields::new(n, cx, "содержимое ячейки")?;
            let items = f.req("список", cx);
            let marker = f.opt("нумерация", cx);
            f.finish(cx);
            blocks.push(CellBlock::List(List {
                marker: marker.unwrap_or_else(|| "–".into()),
                items: items?,
            }));
            Some(())
        };
        match &node.kind {
            NodeKind::Seq(items) => {
                for (i, it) in items.iter().enumerate() {
                    cx.within(format!("[{}]", i + 1), |cx| one(it, cx, &mut blocks))?;
                }
            }
            _ => one(node, cx, &mut blocks)?,
        }
        Some(Cell {
            blocks,
            pos: node.pos,
        })
    }
    fn describe(g: &mut Schema) -> Value {
        g.def::<Self>(|g| {
            let text = json!({ "type": ["string", "number", "boolean", "null"] });
            let list = g.fields::<Self>(&format!("{{{LIST}: ~}}"));
            let one = json!({ "anyOf": [text, list] });
            json!({ "anyOf": [one.clone(), { "type": "array", "items": one }] })
        })
    }
}

keywords! {
    /// How dates are written.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
    pub enum DateStyle {
        /// 20.09.2023
        #[default]
        Numeric = "цифрами": "20.09.2023 (по умолчанию).",
        /// 20.09.2023 г.
        NumericYear = "цифрами_с_г": "20.09.2023 г.",
        /// 20.09.2023г., as some organisations print it.
        NumericYearJoined = "цифрами_с_г_слитно": "20.09.2023г. — «г.» без пробела, как печатают некоторые организации.",
        /// 20 сентября 2023 г.
        Verbal = "словами": "20 сентября 2023 г.",
        /// «20» сентября 2023 г.
        VerbalQuoted = "словами_в_кавычках": "«20» сентября 2023 г.",
    }
}

keywords! {
    /// How the header requisites are arranged (`оформление.шапка`).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
    pub enum HeaderLayout {
        /// Продольный бланк: authority and kind centred, then the date at the
        /// left margin and «№ …» flush right on one line (ГОСТ Р 7.0.97, рис. В.6).
        #[default]
        Longitudinal = "продольная": "Продольный бланк: орган и вид по центру, ниже дата слева и номер справа (ГОСТ, рис. В.6). По умолчанию.",
        /// Угловой бланк: every requisite in a block at the top left, within the
        /// 75-mm zone (ГОСТ Р 7.0.97, Б.1).
        Corner = "угловая": "Угловой бланк: все реквизиты шапки в зоне 75 мм у левого поля (ГОСТ, Б.1).",
        /// «ПРИКАЗ № 15-од» on one line, centred, then the «по …» line, then
        /// the date (and the place, flush right).
        KindNumber = "вид_с_номером": "«ПРИКАЗ № 15-од» одной строкой по центру, ниже «по …» и дата.",
        /// Two columns: the republic's state language at the left, Russian
        /// at the right, each with the authority, the kind, the date and
        /// number, the place; the coat of arms between them.
        Bilingual = "двуязычная": "Двуязычный бланк: слева строки на государственном языке республики (орган.второй_язык), справа — на русском, герб между ними.",
    }
}

keywords! {
    /// The sign before the act's number (`оформление.знак_номера`).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
    pub enum NumberSign {
        /// «№ 5976».
        #[default]
        Sign = "№": "«№ 5976» (по умолчанию).",
        /// «N 5976».
        Latin = "N": "«N 5976» — латинская N, как в актах, набранных на машинке и в правовых базах.",
    }
}

impl NumberSign {
    /// The sign as printed.
    pub fn as_str(self) -> &'static str {
        match self {
            NumberSign::Sign => "№",
            NumberSign::Latin => "N",
        }
    }
}

/// Per-organisation style (`оформление`).
#[derive(Debug, Clone)]
pub struct Style {
    pub date: DateStyle,
    /// Document kind letter-spaced: «П Р И К А З».
    pub kind_spaced: bool,
    /// Authority name in capitals.
    pub authority_caps: bool,
    /// Title centred above the text (acts of authorities) instead of from the left margin.
    pub title_centered: bool,
    /// Continuous page numbering through the appendices.
    pub continuous_pages: bool,
    /// Typographic normalisation of the text (quotes, NBSP, dashes).
    pub typography: bool,
    /// Printed on the organisation's pre-printed blank: the coat of arms, the
    /// authority and the kind are on the paper already.
    pub blank: bool,
    /// The arrangement of the header requisites.
    pub header: HeaderLayout,
    /// Where `шапка` was written, if it was.
    pub header_pos: Option<Pos>,
    /// «от 12.11.2020 № 672» on one line instead of the date and the number
    /// apart; with the number on the kind's line (`вид_с_номером`), «от
    /// 12.11.2020».
    pub date_with_number: bool,
    /// The sign before the act's number: «№», or «N» as some organisations
    /// type it («от 13 ноября 2015 г. N 5976»).
    pub number_sign: NumberSign,
    /// The organisation's page margins, where they differ from ГОСТ's usual.
    pub margins: PageMargins,
    /// An empty signature field where the head signs (and one per visa), for
    /// signing the PDF electronically.
    pub signature_field: bool,
}

/// Page margins of portrait pages, millimetres (`поля: {слева: 25}`); a
/// landscape page turns them with the sheet.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct PageMargins {
    pub left: Option<Spanned<f32>>,
    pub right: Option<Spanned<f32>>,
    pub top: Option<Spanned<f32>>,
    pub bottom: Option<Spanned<f32>>,
}

impl PageMargins {
    /// Widest margin accepted, mm: any wider leaves too narrow a page.
    pub const MAX: f32 = 60.0;
}

impl Decode for PageMargins {
    fn decode(node: &Node, cx: &mut Cx) -> Option<Self> {
        let mut f = Fields::new(node, cx, "поля")?;
        let mut side = |key: &'static str, cx: &mut Cx| -> Option<Spanned<f32>> {
            let v: Spanned<f32> = f.opt(key, cx)?;
            if v.value > Self::MAX {
                cx.within(key, |cx| {
                    cx.error(
                        errors::BAD_MARGIN,
                        v.pos,
                        format!(
                            "поле {} мм шире {} мм: для текста почти не останется места",
                            v.value,
                            Self::MAX
                        ),
                    );
                });
                return None;
            }
            Some(v)
        };
        let m = PageMargins {
            left: side("слева", cx),
            right: side("справа", cx),
            top: side("сверху", cx),
            bottom: side("снизу", cx),
        };
        f.finish(cx);
        Some(m)
    }
    fn describe(g: &mut Schema) -> Value {
        g.def::<Self>(|g| g.fields::<Self>("{}"))
    }
}

impl Default for Style {
    fn default() -> Self {
        Self {
            date: DateStyle::Numeric,
            kind_spaced: false,
            authority_caps: true,
            title_centered: false,
            continuous_pages: false,
            typography: true,
            blank: false,
            header: HeaderLayout::Longitudinal,
            header_pos: None,
            date_with_number: false,
            number_sign: NumberSign::Sign,
            margins: PageMargins::default(),
            signature_field: false,
        }
    }
}

impl Decode for Style {
    fn decode(node: &Node, cx: &mut Cx) -> Option<Self> {
        let d = Style::default();
        let mut f = Fields::new(node, cx, "оформление")?;
        let s = Style {
            date: f.opt("дата", cx).unwrap_or(d.date),
            kind_spaced: f.opt("вид_вразрядку", cx).unwrap_or(d.kind_spaced),
            authority_caps: f.opt("орган_прописными", cx).unwrap_or(d.authority_caps),
            title_centered: f.opt("заголовок_по_центру", cx).unwrap_or(d.title_centered),
            continuous_pages: f
                .opt("сквозная_нумерация_страниц", cx)
                .unwrap_or(d.continuous_pages),
            typography: f.opt("типографика", cx).unwrap_or(d.typography),
            blank: f.opt("бланк", cx).unwrap_or(d.blank),
            header: f.opt("шапка", cx).unwrap_or(d.header),
            header_pos: f.key_pos("шапка"),
            date_with_number: f.opt("дата_с_номером", cx).unwrap_or(d.date_with_number),
            number_sign: f.opt("знак_номера", cx).unwrap_or(d.number_sign),
            margins: f.opt("поля", cx).unwrap_or(d.margins),
            signature_field: f.opt("поле_подписи", cx).unwrap_or(d.signature_field),
        };
        f.finish(cx);
        Some(s)
    }
    fn describe(g: &mut Schema) -> Value {
        g.def::<Self>(|g| g.fields::<Self>("{}"))
    }
}

keywords! {
    /// Where the approval goes (`согласование.размещение`).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
    pub enum ApprovalPlace {
        /// A лист согласования right after the act, before the appendices.
        #[default]
        AfterAct = "после_акта": "Лист согласования сразу после акта, до приложений (по умолчанию).",
        /// A лист согласования at the very end, after the appendices.
        AtEnd = "в_конце": "Лист согласования в самом конце, после приложений.",
        /// Visas at the foot of the act's last page (ГОСТ §5.21), no sheet.
        Visas = "визы": "Визы внизу последней страницы акта, без отдельного листа (ГОСТ, п. 5.21).",
    }
}

/// Согласование: who approves the draft, and where it is printed.
#[derive(Debug, Clone)]
pub struct Approval {
    pub place: ApprovalPlace,
    pub visas: Vec<Visa>,
}

impl Decode for Approval {
    fn decode(node: &Node, cx: &mut Cx) -> Option<Self> {
        let mut f = Fields::new(node, cx, "согласование")?;
        let place = f.opt("размещение", cx).unwrap_or_default();
        let visas = f.req_with("визы", cx, |n, cx| {
            let v = Vec::<Visa>::decode(n, cx)?;
            if v.is_empty() {
                cx.error(errors::EMPTY_VALUE, n.pos, "список виз пуст");
            }
            Some(v)
        });
        f.finish(cx);
        Some(Approval {
            place,
            visas: visas?,
        })
    }
    fn describe(g: &mut Schema) -> Value {
        g.def::<Self>(|g| g.fields::<Self>("{}"))
    }
}

/// One visa: position, «И.О. Фамилия», the date and remarks when known.
#[derive(Debug, Clone)]
pub struct Visa {
    pub position: Vec<Spanned<String>>,
    pub name: Spanned<String>,
    pub date: Option<NaiveDate>,
    pub remarks: Option<Spanned<String>>,
}

impl Decode for Visa {
    fn decode(node: &Node, cx: &mut Cx) -> Option<Self> {
        let mut f = Fields::new(node, cx, "виза")?;
        let position = f.req_prose("должность", cx);
        let name = f.req_prose("имя", cx);
        let date = f.opt("дата", cx);
        let remarks = f.opt_prose("замечания", cx);
        f.finish(cx);
        Some(Visa {
            position: position?,
            name: name?,
            date,
            remarks,
        })
    }
    fn describe(g: &mut Schema) -> Value {
        g.def::<Self>(|g| g.fields::<Self>("{}"))
    }
}

/// Лист ознакомления: `лист_ознакомления: да`, or its fields.
#[derive(Debug, Clone, Default)]
pub struct Acknowledgment {
    /// `лист_ознакомления: нет` (an act turning off its profile's sheet).
    pub on: bool,
    /// People given by the clerk: they complete (or, with `заменить`, replace)
    /// those the act charges.
    pub people: Vec<AckPerson>,
    pub replace: bool,
    /// Empty rows at the end, for those who are not named.
    pub empty_rows: u32,
}

impl Decode for Acknowledgment {
    fn decode(node: &Node, cx: &mut Cx) -> Option<Self> {
        if !matches!(node.kind, NodeKind::Map(_)) {
            let on = bool::decode(node, cx)?;
            return Some(Acknowledgment {
                on,
                ..Default::default()
            });
        }
        let mut f = Fields::new(node, cx, "лист ознакомления")?;
        let people = f.opt("люди", cx).unwrap_or_default();
        let replace = f.opt("заменить", cx).unwrap_or(false);
        let empty_rows: Option<Spanned<u32>> = f.opt("пустые_строки", cx);
        if let Some(n) = &empty_rows
            && n.value > MAX_EMPTY_ROWS
        {
            cx.within("пустые_строки", |cx| {
                cx.error(
                    errors::TOO_LARGE,
                    n.pos,
                    format!("пустых строк не больше {MAX_EMPTY_ROWS}"),
                );
            });
        }
        f.finish(cx);
        Some(Acknowledgment {
            on: true,
            people,
            replace,
            empty_rows: empty_rows.map(|n| n.value.min(MAX_EMPTY_ROWS)).unwrap_or(0),
        })
    }
    fn describe(g: &mut Schema) -> Value {
        g.def::<Self>(|g| {
            let on = bool::describe(g);
            let whole = g.fields::<Self>("{}");
            json!({ "anyOf": [on, whole] })
        })
    }
}

/// Most empty rows an acknowledgment sheet may ask for.
pub const MAX_EMPTY_ROWS: u32 = 500;

/// A person of the acknowledgment sheet: «Фамилия И.О.», or with the position.
#[derive(Debug, Clone)]
pub struct AckPerson {
    pub name: Spanned<String>,
    pub position: Option<Spanned<String>>,
}

impl Decode for AckPerson {
    fn decode(node: &Node, cx: &mut Cx) -> Option<Self> {
        if node.as_str().is_some() {
            return Some(AckPerson {
                name: prose(node, cx)?,
                position: None,
            });
        }
        let mut f = Fields::text_or(node, cx, "человек")?;
        let name = f.req_prose("имя", cx);
        let position = f.opt_prose("должность", cx);
        f.finish(cx);
        Some(AckPerson {
            name: name?,
            position,
        })
    }
    fn describe(g: &mut Schema) -> Value {
        g.def::<Self>(|g| {
            let name = g.words_only();
            let whole = g.fields::<Self>("{}");
            json!({ "anyOf": [name, whole] })
        })
    }
}

/// The QR-code requisite: `qr_код: да` (registration data) or `{ссылка: …}`.
#[derive(Debug, Clone, PartialEq)]
pub enum QrCode {
    Off,
    Registration,
    Url(String),
}

impl Decode for QrCode {
    fn decode(node: &Node, cx: &mut Cx) -> Option<Self> {
        if !matches!(node.kind, NodeKind::Map(_)) {
            return Some(if bool::decode(node, cx)? {
                QrCode::Registration
            } else {
                QrCode::Off
            });
        }
        let mut f = Fields::new(node, cx, "qr_код")?;
        let url: Option<Spanned<String>> = f.req("ссылка", cx);
        f.finish(cx);
        let url = url?;
        let t = url.value.trim();
        let ok = (t.starts_with("https://") || t.starts_with("http://"))
            && t.len() > "https://".len()
            && !t.chars().any(char::is_whitespace);
        if !ok {
            cx.within("ссылка", |cx| {
                cx.error(errors::BAD_QR, url.pos, format!("«{t}» — не ссылка"))
                    .hint = Some("пишите адрес целиком: https://example.ru/docs/596".into());
            });
            return None;
        }
        if t.len() > crate::qr::MAX_BYTES {
            cx.within("ссылка", |cx| {
                cx.error(
                    errors::BAD_QR,
                    url.pos,
                    format!(
                        "ссылка слишком длинна для QR-кода: {} байт, а помещается {}",
                        t.len(),
                        crate::qr::MAX_BYTES
                    ),
                );
            });
            return None;
        }
        Some(QrCode::Url(t.to_string()))
    }
    fn describe(g: &mut Schema) -> Value {
        g.def::<Self>(|g| {
            let on = bool::describe(g);
            let whole = g.fields::<Self>("{}");
            json!({ "anyOf": [on, whole] })
        })
    }
}
