//! Placeholders (`{{ район }}`) filled with one variant's values, on the
//! parsed tree and never on YAML text: a value is inserted as text and never
//! evaluated again; a scalar that is exactly one placeholder whose value is a
//! list or mapping is replaced by that structure.

use super::variants::Variant;
use crate::diag::{Diagnostic, Diagnostics, SourceFile};
use crate::errors;
use crate::read::yaml::{Node, NodeKind};
use minijinja::{Environment, UndefinedBehavior, Value};
use regex::Regex;
use std::collections::BTreeMap;
use std::sync::{Arc, LazyLock};

static SOLE: LazyLock<Regex> =
    LazyLock::new(|| crate::letters::regex(r"^\s*\{\{\s*([\p{L}\p{N}_.]+)\s*\}\}\s*$"));

/// Node → minijinja value (strings, lists, maps).
/// A variant's values, as text: braces escaped so that a value is never read
/// as a reference (`{приложении:план}` in a value prints as typed).
fn to_value(n: &Node) -> Value {
    match &n.kind {
        NodeKind::Scalar { text, .. } => Value::from(crate::facts::refs::escape(text)),
        NodeKind::Seq(items) => Value::from(items.iter().map(to_value).collect::<Vec<_>>()),
        NodeKind::Map(entries) => Value::from(
            entries
                .iter()
                .map(|(k, v)| (k.as_str().unwrap_or("").to_string(), to_value(v)))
                .collect::<BTreeMap<_, _>>(),
        ),
    }
}

fn lookup<'a>(values: &'a BTreeMap<String, Node>, path: &str) -> Option<&'a Node> {
    let mut parts = path.split('.');
    let mut cur = values.get(parts.next()?)?;
    for p in parts {
        let NodeKind::Map(entries) = &cur.kind else {
            return None;
        };
        cur = &entries.iter().find(|(k, _)| k.as_str() == Some(p))?.1;
    }
    Some(cur)
}

/// The base tree with one variant's values substituted. The text the
/// substitution adds is at most `max_bytes` (`--max-input`: a variant's act
/// is no larger than an act a clerk could write): a 3 MB value placed in
/// 3 000 points would otherwise make 9 GB.
pub fn instantiate(
    base: &Node,
    v: &Variant,
    base_src: &Arc<SourceFile>,
    max_bytes: u64,
) -> Result<Node, Diagnostics> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    // A runaway template (a loop over range(10**9)) stops instead of hanging the batch.
    env.set_fuel(Some(crate::read::limits::MAX_SUBSTITUTION_STEPS));
    let ctx = Value::from(
        v.values
            .iter()
            .map(|(k, n)| (k.clone(), to_value(n)))
            .collect::<BTreeMap<_, _>>(),
    );
    let mut errs = Diagnostics::default();
    let mut out = Out {
        errs: &mut errs,
        left: max_bytes,
        max: max_bytes,
        over: false,
    };
    let node = subst(base, v, &env, &ctx, base_src, &mut out);
    if errs.has_errors() {
        Err(errs)
    } else {
        Ok(node)
    }
}

/// A variant's list or mapping, inserted whole: its texts stay text.
fn literal(n: &Node) -> Node {
    let kind = match &n.kind {
        NodeKind::Scalar { text, plain } => NodeKind::Scalar {
            text: crate::facts::refs::escape(text),
            plain: *plain,
        },
        NodeKind::Seq(items) => NodeKind::Seq(items.iter().map(literal).collect()),
        NodeKind::Map(entries) => NodeKind::Map(
            entries
                .iter()
                .map(|(k, v)| (k.clone(), literal(v)))
                .collect(),
        ),
    };
    Node { kind, pos: n.pos }
}

fn structured<'a>(text: &str, v: &'a Variant) -> Option<&'a Node> {
    let name = SOLE.captures(text)?.get(1)?.as_str();
    lookup(&v.values, name).filter(|n| !matches!(n.kind, NodeKind::Scalar { .. }))
}

/// Where substitution reports, and the bytes it may still add.
struct Out<'a> {
    errs: &'a mut Diagnostics,
    left: u64,
    max: u64,
    /// The budget ran out (reported once; nothing more is substituted).
    over: bool,
}

impl Out<'_> {
    /// Take `bytes` from the budget; past it, report at `n` once.
    fn take(&mut self, bytes: u64, v: &Variant, src: &Arc<SourceFile>, n: &Node) -> bool {
        if self.over {
            return false;
        }
        if bytes <= self.left {
            self.left -= bytes;
            return true;
        }
        self.over = true;
        self.errs.push(
            Diagnostic::error(
                errors::TOO_LARGE,
                format!(
                    "вариант «{}»: подстановка значений даёт больше {} КБ текста",
                    v.name,
                    self.max / 1024
                ),
            )
            .at(src, n.pos)
            .hint("значение подставляется в каждое место, где стоит его имя: сократите значение или число мест; предел меняется флагом --max-input"),
        );
        false
    }
}

/// Bytes of text in a tree.
fn text_bytes(n: &Node) -> u64 {
    match &n.kind {
        NodeKind::Scalar { text, .. } => text.len() as u64,
        NodeKind::Seq(items) => items.iter().map(text_bytes).sum(),
        NodeKind::Map(entries) => entries
            .iter()
            .map(|(k, v)| k.as_str().map_or(0, |k| k.len() as u64) + text_bytes(v))
            .sum(),
    }
}

fn subst(
    n: &Node,
    v: &Variant,
    env: &Environment,
    ctx: &Value,
    src: &Arc<SourceFile>,
    out: &mut Out,
) -> Node {
    match &n.kind {
        NodeKind::Scalar { .. } if out.over => n.clone(),
        NodeKind::Scalar { text, .. } if text.contains("{{") || text.contains("{%") => {
            if let Some(s) = structured(text, v) {
                if !out.take(text_bytes(s), v, src, n) {
                    return n.clone();
                }
                return literal(s);
            }
            match env.render_str(text, ctx.clone()) {
                Ok(t) if !out.take(t.len() as u64, v, src, n) => n.clone(),
                Ok(t) => Node {
                    kind: NodeKind::Scalar {
                        text: t,
                        plain: false,
                    },
                    pos: n.pos,
                },
                Err(e) => {
                    let what = if e.kind() == minijinja::ErrorKind::UndefinedError {
                        format!(
                            "вариант «{}»: нет значения для подстановки в «{}»",
                            v.name,
                            text.trim()
                        )
                    } else {
                        format!(
                            "вариант «{}»: ошибка в подстановке «{}»: {}",
                            v.name,
                            text.trim(),
                            e.kind()
                        )
                    };
                    out.errs.push(
                        Diagnostic::error(errors::NO_VALUE_TO_SUBSTITUTE, what)
                            .at(src, n.pos)
                            .hint("добавьте значение в файл вариантов"),
                    );
                    n.clone()
                }
            }
        }
        NodeKind::Scalar { .. } => n.clone(),
        NodeKind::Seq(items) => {
            let mut items_out = Vec::with_capacity(items.len());
            for it in items {
                if let Some(text) = it.as_str()
                    && let Some(s) = structured(text, v)
                    && let NodeKind::Seq(more) = &s.kind
                {
                    if out.take(text_bytes(s), v, src, it) {
                        items_out.extend(more.iter().cloned());
                    }
                    continue;
                }
                items_out.push(subst(it, v, env, ctx, src, out));
            }
            Node {
                kind: NodeKind::Seq(items_out),
                pos: n.pos,
            }
        }
        NodeKind::Map(entries) => Node {
            kind: NodeKind::Map(
                entries
                    .iter()
                    .map(|(k, val)| (k.clone(), subst(val, v, env, ctx, src, out)))
                    .collect(),
            ),
            pos: n.pos,
        },
    }
}
