//! References inside text: `{приложении:plan}`, `{пункта:control}`.
//!
//! The word is kept exactly as the clerk wrote it (so the case is theirs), and the
//! number is added: «в {приложении:plan}» → «в приложении № 1».

use crate::letters::{Cursor, is_letter};
use std::ops::Range;

/// Every `{слово:метка}`: the whole, the word and the label. (Hand-written;
/// the regex it replaces, `\{(\p{Cyrillic}+):([^{}\s]+)\}`, is kept in the
/// tests, which compare the two.)
fn spans(s: &str) -> Vec<(Range<usize>, Range<usize>, Range<usize>)> {
    let mut out = vec![];
    let mut from = 0;
    while let Some(k) = s[from..].find('{') {
        let start = from + k;
        let mut c = Cursor::new(s, start + 1);
        let word = c
            .many(1, |x| !x.is_ascii() && is_letter(x))
            .map(|_| start + 1..c.at);
        let label_from = c.at + 1;
        let found = word.filter(|_| c.char(':')).and_then(|word| {
            c.many(1, |x| x != '{' && x != '}' && !x.is_whitespace())?;
            let label = label_from..c.at;
            c.char('}').then_some((start..c.at, word, label))
        });
        match found {
            Some(f) => {
                from = f.0.end;
                out.push(f);
            }
            None => from = start + 1,
        }
    }
    out
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Appendix,
    Point,
}

#[derive(Debug, Clone)]
pub struct Ref<'a> {
    pub range: std::ops::Range<usize>,
    pub word: &'a str,
    pub id: &'a str,
    /// `None`: the word is neither «приложени…» nor «пункт…».
    pub target: Option<Target>,
}

/// Stands for the «{» of a reference that must stay text (see
/// [`crate::letters::INERT_BRACE`]).
pub use crate::letters::INERT_BRACE;

/// `s` with every would-be reference made inert: batch values go into the
/// base act through this, so a value is text, never a reference
/// (`{приложении:план}` in a value prints as typed). The typography step
/// turns the inert brace back into «{».
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut last = 0;
    for (whole, _, _) in spans(s) {
        out.push_str(&s[last..whole.start]);
        out.push(INERT_BRACE);
        out.push_str(&s[whole.start + 1..whole.end]);
        last = whole.end;
    }
    out.push_str(&s[last..]);
    out
}

/// Inert braces back to «{», once references have been resolved.
pub fn unescape(s: &str) -> String {
    if s.contains(INERT_BRACE) {
        s.replace(INERT_BRACE, "{")
    } else {
        s.to_string()
    }
}

pub fn find(s: &str) -> Vec<Ref<'_>> {
    spans(s)
        .into_iter()
        .map(|(whole, word, id)| {
            let word = &s[word];
            let lw = word.to_lowercase();
            let target = if lw.starts_with("приложени") {
                Some(Target::Appendix)
            } else if lw.starts_with("пункт") || lw.starts_with("подпункт") {
                Some(Target::Point)
            } else {
                None
            };
            Ref {
                range: whole,
                word,
                id: &s[id],
                target,
            }
        })
        .collect()
}

/// Replace every reference with `f(ref)`.
pub fn replace(s: &str, mut f: impl FnMut(&Ref) -> String) -> String {
    let mut out = String::with_capacity(s.len());
    let mut last = 0;
    for r in find(s) {
        out.push_str(&s[last..r.range.start]);
        out.push_str(&f(&r));
        last = r.range.end;
    }
    out.push_str(&s[last..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #![proptest_config(crate::letters::oracle_config(20_000))]
        #[test]
        fn spans_are_what_the_regex_found(
            v in proptest::collection::vec(proptest::sample::select(&[
                "{", "}", ":", "приложении", "Пункта", "план", "plan", "п1", " ", "\u{a0}", "\n", "x", "ё",
                "Ә", "{{", "}}", "::", "a b", "{приложении:план}", "é",
            ][..]), 0..10)
        ) {
            let s = v.concat();
            static RE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| crate::letters::regex(r"\{(\p{Cyrillic}+):([^{}\s]+)\}"));
            let re = &*RE;
            let theirs: Vec<_> = re
                .captures_iter(&s)
                .map(|c| (c.get(0).unwrap().range(), c.get(1).unwrap().range(), c.get(2).unwrap().range()))
                .collect();
            proptest::prop_assert_eq!(spans(&s), theirs, "{:?}", s);
        }
    }

    #[test]
    fn finds() {
        let r = find("представленный в {приложении:план} и {пункте:k-1}, {x:y} {{ a }}");
        assert_eq!(r.len(), 2);
        assert_eq!(r[0].word, "приложении");
        assert_eq!(r[0].id, "план");
        assert_eq!(r[0].target, Some(Target::Appendix));
        assert_eq!(r[1].target, Some(Target::Point));
    }
}
