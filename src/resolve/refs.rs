//! References inside text: `{приложении:plan}`, `{пункта:control}`.
//!
//! The word is kept exactly as the clerk wrote it (so the case is theirs), and the
//! number is added: «в {приложении:plan}» → «в приложении № 1».

use regex::Regex;
use std::sync::LazyLock;

static REF: LazyLock<Regex> =
    LazyLock::new(|| crate::letters::regex(r"\{(\p{Cyrillic}+):([^{}\s]+)\}"));

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

/// Stands for the «{» of a reference that must stay text: U+FDD0, a
/// noncharacter, which Unicode reserves for a program's internal use.
const INERT_BRACE: char = '\u{FDD0}';

/// `s` with every would-be reference made inert: batch values go into the
/// base act through this, so a value is text, never a reference
/// (`{приложении:план}` in a value prints as typed). The typography step
/// turns the inert brace back into «{».
pub fn escape(s: &str) -> String {
    REF.replace_all(s, |c: &regex::Captures| {
        format!("{INERT_BRACE}{}", &c[0][1..])
    })
    .into_owned()
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
    REF.captures_iter(s)
        .map(|c| {
            let word = c.get(1).unwrap().as_str();
            let lw = word.to_lowercase();
            let target = if lw.starts_with("приложени") {
                Some(Target::Appendix)
            } else if lw.starts_with("пункт") || lw.starts_with("подпункт") {
                Some(Target::Point)
            } else {
                None
            };
            Ref {
                range: c.get(0).unwrap().range(),
                word,
                id: c.get(2).unwrap().as_str(),
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
