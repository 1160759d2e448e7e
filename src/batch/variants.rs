//! The variants of a batch: a YAML list of value sets or a CSV table, each
//! with its name.

use crate::diag::{Diagnostic, Diagnostics, SourceFile};
use crate::errors;
use crate::read::yaml::{self, Node, NodeKind};
use crate::read::{self, Limits};
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

/// One variant: its name and its values.
#[derive(Debug, Clone)]
pub struct Variant {
    pub name: String,
    pub values: BTreeMap<String, Node>,
}

/// Read the variants: a YAML list of mappings (or `{варианты: [...]}`), or a CSV file
/// whose header names the values (`head.name` makes a nested value; `имя` names the variant).
pub fn read_variants(path: &Path, limits: &Limits) -> Result<Vec<Variant>, Diagnostics> {
    let name = path.display().to_string();
    let one = |d: Diagnostic| Diagnostics(vec![d]);
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_lowercase();
    let src = read::load_source(path, limits)?;
    let variants = if ext == "csv" {
        csv_variants(&src)?
    } else {
        yaml_variants(&src)?
    };
    if variants.is_empty() {
        return Err(one(Diagnostic::error(
            errors::NO_VARIANTS,
            "в файле нет ни одного варианта",
        )
        .in_file(&name)));
    }
    if variants.len() > limits.max_variants {
        return Err(one(Diagnostic::error(
            errors::TOO_LARGE,
            format!(
                "в файле {} вариантов, а предел — {}",
                variants.len(),
                limits.max_variants
            ),
        )
        .in_file(&name)
        .hint(
            "разбейте варианты на несколько файлов или поднимите предел флагом --max-variants",
        )));
    }
    Ok(variants)
}

fn yaml_variants(src: &Arc<SourceFile>) -> Result<Vec<Variant>, Diagnostics> {
    let root = yaml::parse(src).map_err(|d| Diagnostics(vec![d]))?;
    let list = match &root.kind {
        NodeKind::Seq(items) => items.clone(),
        NodeKind::Map(entries) => {
            match entries.iter().find(|(k, _)| k.as_str() == Some("варианты")) {
                Some((
                    _,
                    Node {
                        kind: NodeKind::Seq(items),
                        ..
                    },
                )) => items.clone(),
                _ => vec![],
            }
        }
        _ => vec![],
    };
    if list.is_empty() {
        return Err(Diagnostics(vec![
            Diagnostic::error(
                errors::VARIANTS_UNREADABLE,
                "ожидался список вариантов («- имя: …»)",
            )
            .at(src, root.pos),
        ]));
    }
    let mut out = vec![];
    let mut d = Diagnostics::default();
    for (i, item) in list.iter().enumerate() {
        let NodeKind::Map(entries) = &item.kind else {
            d.push(
                Diagnostic::error(
                    errors::VARIANTS_UNREADABLE,
                    format!("вариант {} — не набор значений", i + 1),
                )
                .at(src, item.pos),
            );
            continue;
        };
        let mut values = BTreeMap::new();
        for (k, v) in entries {
            values.insert(k.as_str().unwrap_or("").trim().to_string(), v.clone());
        }
        out.push(Variant {
            name: variant_name(&values, i),
            values,
        });
    }
    if d.has_errors() { Err(d) } else { Ok(out) }
}

fn csv_variants(src: &Arc<SourceFile>) -> Result<Vec<Variant>, Diagnostics> {
    let (mut rdr, _) = crate::read::csv_rows::reader(&src.text);
    let name = src.display_name();
    let headers = rdr
        .headers()
        .map_err(|e| {
            Diagnostics(vec![
                Diagnostic::error(
                    errors::VARIANTS_UNREADABLE,
                    format!("заголовок не разобран: {e}"),
                )
                .in_file(format!("{name}:1")),
            ])
        })?
        .clone();
    let mut out = vec![];
    let mut d = Diagnostics::default();
    for (i, rec) in rdr.records().enumerate() {
        let line = i as u32 + 2;
        let rec = match rec {
            Ok(r) if r.len() == headers.len() => r,
            Ok(r) => {
                d.push(
                    Diagnostic::error(
                        errors::VARIANTS_UNREADABLE,
                        format!(
                            "в строке {} ячеек, а в заголовке {}",
                            r.len(),
                            headers.len()
                        ),
                    )
                    .in_file(format!("{name}:{line}")),
                );
                continue;
            }
            Err(e) => {
                d.push(
                    Diagnostic::error(
                        errors::VARIANTS_UNREADABLE,
                        format!("строка не разобрана: {e}"),
                    )
                    .in_file(format!("{name}:{line}")),
                );
                continue;
            }
        };
        let mut values: BTreeMap<String, Node> = BTreeMap::new();
        for (h, v) in headers.iter().zip(rec.iter()) {
            let pos = crate::diag::Pos::new(line, 1);
            let leaf = Node {
                kind: NodeKind::Scalar {
                    text: v.to_string(),
                    plain: false,
                },
                pos,
            };
            insert_path(&mut values, h.trim(), leaf);
        }
        out.push(Variant {
            name: variant_name(&values, i),
            values,
        });
    }
    if d.has_errors() { Err(d) } else { Ok(out) }
}

/// `head.name` → values["head"]["name"].
fn insert_path(values: &mut BTreeMap<String, Node>, path: &str, leaf: Node) {
    let mut parts = path.splitn(2, '.');
    let head = parts.next().unwrap_or("").to_string();
    match parts.next() {
        None => {
            values.insert(head, leaf);
        }
        Some(rest) => {
            let pos = leaf.pos;
            let entry = values.entry(head).or_insert(Node {
                kind: NodeKind::Map(vec![]),
                pos,
            });
            if let NodeKind::Map(m) = &mut entry.kind {
                let mut sub: BTreeMap<String, Node> = m
                    .drain(..)
                    .map(|(k, v)| (k.as_str().unwrap_or("").to_string(), v))
                    .collect();
                insert_path(&mut sub, rest, leaf);
                *m = sub
                    .into_iter()
                    .map(|(k, v)| {
                        (
                            Node {
                                kind: NodeKind::Scalar {
                                    text: k,
                                    plain: true,
                                },
                                pos,
                            },
                            v,
                        )
                    })
                    .collect();
            }
        }
    }
}

fn variant_name(values: &BTreeMap<String, Node>, i: usize) -> String {
    ["имя", "название", "name"]
        .iter()
        .find_map(|k| {
            values
                .get(*k)
                .and_then(|n| n.as_str())
                .map(|s| s.trim().to_string())
        })
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| format!("вариант {}", i + 1))
}
