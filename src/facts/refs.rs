//! References inside text: `{приложении:plan}`, `{пункта:control}`, and
//! several at once with commas: `{приложения:plan,budget}`.
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

impl Ref<'_> {
    /// The ids a reference names: one, or several written with commas
    /// («{приложения:план,смета}» → «приложения № 1 и № 2»).
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.id.split(',').filter(|s| !s.is_empty())
    }
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

/// A reference the clerk began and did not finish: written without braces
/// («(приложение:план)»), with one brace only, or with a space after the
/// colon. Printed as typed, it would stand in the act without a number.
#[derive(Debug, Clone, PartialEq)]
pub struct Unfinished {
    pub range: Range<usize>,
    /// The reference as it should be written: «{приложение:план}».
    pub fixed: String,
}

fn is_ref_word(w: &str) -> bool {
    let w = w.to_lowercase();
    ["приложени", "пункт", "подпункт"]
        .iter()
        .any(|p| w.starts_with(p))
}

/// Every unfinished reference in `s`. Without any brace, «слово:метка» counts
/// only when `known(метка)` (an appendix or point id of the act): «пункт:а»
/// may be prose, «приложение:план» in an act with appendix «план» is not.
/// A «{» made inert for a batch value is text, never a reference.
pub fn unfinished(s: &str, known: impl Fn(&str) -> bool) -> Vec<Unfinished> {
    let complete: Vec<usize> = spans(s).into_iter().map(|(w, _, _)| w.start + 1).collect();
    let mut out = vec![];
    let mut prev: Option<char> = None;
    let mut it = s.char_indices().peekable();
    while let Some((i, c)) = it.next() {
        let starts_word = !c.is_ascii() && is_letter(c) && !prev.is_some_and(is_letter);
        prev = Some(c);
        if !starts_word {
            continue;
        }
        let mut end = i + c.len_utf8();
        while let Some(&(j, x)) = it.peek() {
            if x.is_ascii() || !is_letter(x) {
                break;
            }
            end = j + x.len_utf8();
            prev = Some(x);
            it.next();
        }
        let word = &s[i..end];
        let before = s[..i].chars().next_back();
        // `complete` is in text order: a binary search keeps the scan linear.
        if !is_ref_word(word) || before == Some(INERT_BRACE) || complete.binary_search(&i).is_ok() {
            continue;
        }
        let Some(rest) = s[end..].strip_prefix(':') else {
            continue;
        };
        let spaces = rest.len() - rest.trim_start_matches(' ').len();
        let label_from = end + 1 + spaces;
        let label_len: usize = s[label_from..]
            .chars()
            .take_while(|&x| is_letter(x) || x.is_ascii_digit() || matches!(x, '-' | '_' | ','))
            .map(char::len_utf8)
            .sum();
        if label_len == 0 {
            continue;
        }
        let label = s[label_from..label_from + label_len].trim_end_matches(',');
        let label_len = label.len();
        let opened = before == Some('{');
        let closed = s[label_from + label_len..].starts_with('}');
        if (opened || closed) || (spaces == 0 && label.split(',').all(&known)) {
            let start = if opened { i - 1 } else { i };
            let stop = label_from + label_len + usize::from(closed);
            out.push(Unfinished {
                range: start..stop,
                fixed: format!("{{{word}:{label}}}"),
            });
        }
    }
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
    fn several_ids() {
        let r = find("в {приложениях:план,смета,список} и {пункте:k1}");
        assert_eq!(r[0].ids().collect::<Vec<_>>(), ["план", "смета", "список"]);
        assert_eq!(r[1].ids().collect::<Vec<_>>(), ["k1"]);
        let u = unfinished("(приложения:план,смета)", |l| {
            l == "план" || l == "смета"
        });
        assert_eq!(u[0].fixed, "{приложения:план,смета}");
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

    #[test]
    fn unfinished_references() {
        let known = |l: &str| l == "план" || l == "k1";
        let f = |s: &str| {
            unfinished(s, known)
                .into_iter()
                .map(|u| (s[u.range].to_string(), u.fixed))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            f("план (приложение:план) и {пункта:k1}"),
            vec![("приложение:план".into(), "{приложение:план}".into())]
        );
        assert_eq!(
            f("в {приложении: план} и {Пункте:k1 и приложении:других}"),
            vec![
                ("{приложении: план}".into(), "{приложении:план}".into()),
                ("{Пункте:k1".into(), "{Пункте:k1}".into()),
                ("приложении:других}".into(), "{приложении:других}".into()),
            ]
        );
        assert_eq!(
            f("приложении:план}"),
            vec![("приложении:план}".into(), "{приложении:план}".into())]
        );
        // Prose, an unknown label without braces, and an escaped batch value.
        assert!(f("Утвердить приложение: план работы; пункт:а").is_empty());
        assert!(f(&escape("{приложении:план}")).is_empty());
    }
}
