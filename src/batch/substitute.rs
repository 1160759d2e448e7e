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

/// The base tree with one variant's values substituted.
pub fn instantiate(
    base: &Node,
    v: &Variant,
    base_src: &Arc<SourceFile>,
) -> Result<Node, Diagnostics> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    // A runaway template (a loop over range(10**9)) stops instead of hanging the batch.
    env.set_fuel(Some(100_000));
    let ctx = Value::from(
        v.values
            .iter()
            .map(|(k, n)| (k.clone(), to_value(n)))
            .collect::<BTreeMap<_, _>>(),
    );
    let mut errs = Diagnostics::default();
    let node = subst(base, v, &env, &ctx, base_src, &mut errs);
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

fn subst(
    n: &Node,
    v: &Variant,
    env: &Environment,
    ctx: &Value,
    src: &Arc<SourceFile>,
    errs: &mut Diagnostics,
) -> Node {
    match &n.kind {
        NodeKind::Scalar { text, .. } if text.contains("{{") || text.contains("{%") => {
            if let Some(s) = structured(text, v) {
                return literal(s);
            }
            match env.render_str(text, ctx.clone()) {
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
                    errs.push(
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
            let mut out = Vec::with_capacity(items.len());
            for it in items {
                if let Some(text) = it.as_str()
                    && let Some(s) = structured(text, v)
                    && let NodeKind::Seq(more) = &s.kind
                {
                    out.extend(more.iter().cloned());
                    continue;
                }
                out.push(subst(it, v, env, ctx, src, errs));
            }
            Node {
                kind: NodeKind::Seq(out),
                pos: n.pos,
            }
        }
        NodeKind::Map(entries) => Node {
            kind: NodeKind::Map(
                entries
                    .iter()
                    .map(|(k, val)| (k.clone(), subst(val, v, env, ctx, src, errs)))
                    .collect(),
            ),
            pos: n.pos,
        },
    }
}
