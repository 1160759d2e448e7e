//! Organisation profiles: what every act of one organisation shares.
//!
//! An act names its profile (`профиль: уо-оренбург.yaml`, found beside the act
//! or in a `профили` folder beside it, under the same rules as any file an act
//! reads) and holds only what is new. The profile's fields are merged into the
//! act's tree before it is decoded: a field the act has wins, and mappings are
//! merged field by field (the act's `подписант: {имя: …}` keeps the profile's
//! position). `подписанты` lists the usual signatory and its acting variants by
//! name; the act picks one with `подписант: врио`. The profile's `рассылка`
//! (its heading) only completes an act's own distribution list.
//!
//! Nodes keep their positions, and a position knows its file: a problem in a
//! field that came from the profile is reported at the profile's own line.

use super::{Limits, load_source};
use crate::diag::{Diagnostic, Diagnostics, SourceFile, maybe_meant};
use crate::errors;
use crate::read::yaml::{self, Node, NodeKind};
use std::path::Path;
use std::sync::Arc;

/// The act's field that names its profile.
pub const KEY: &str = "профиль";
/// Named signatories of a profile.
pub const SIGNATORIES: &str = "подписанты";
/// The act's field of its signatory, which may name one of the profile's.
pub const SIGNATORY: &str = "подписант";
/// The folder beside an act where profiles are looked for too.
pub const FOLDER: &str = "профили";

/// Fields a profile may hold: what an organisation's acts share.
pub const FIELDS: &[&str] = &[
    "стандарт",
    "орган",
    "место",
    "по",
    "распорядительное_слово",
    "подписант",
    SIGNATORIES,
    "исполнитель",
    "рассылка",
    "оформление",
    "проверки",
    "согласование",
    "лист_ознакомления",
    "qr_код",
];

/// Fields whose profile value only completes the act's own: a profile's
/// distribution heading does not give a distribution to an act without one,
/// nor does its `согласование: {размещение: в_конце}` give an approval sheet.
const COMPLETES_ONLY: &[&str] = &["рассылка", "согласование"];

/// Fields of one act only, never of a profile.
const ACT_ONLY: &[&str] = &[
    "вид",
    "дата",
    "номер",
    "заголовок",
    "преамбула",
    "пункты",
    "контроль",
    "приложения",
];

/// If the act in `root` names a profile, merge it in and drop the `профиль`
/// field. Returns the profile's source (kept alive for messages about it).
pub fn apply(
    root: &mut Node,
    act: &Arc<SourceFile>,
    base: &Path,
    limits: &Limits,
) -> Result<Option<Arc<SourceFile>>, Diagnostics> {
    apply_noting(root, act, base, limits, &mut Diagnostics::default())
}

/// [`apply`], with the warnings reading the profile gave added to `notes`.
pub fn apply_noting(
    root: &mut Node,
    act: &Arc<SourceFile>,
    base: &Path,
    limits: &Limits,
    notes: &mut Diagnostics,
) -> Result<Option<Arc<SourceFile>>, Diagnostics> {
    let one = |d: Diagnostic| Diagnostics(vec![d]);
    let NodeKind::Map(entries) = &mut root.kind else {
        return Ok(None);
    };
    let Some(i) = entries.iter().position(|(k, _)| key(k) == Some(KEY)) else {
        return Ok(None);
    };
    let (_, named) = entries.remove(i);
    let NodeKind::Scalar { text: rel, .. } = &named.kind else {
        return Err(one(Diagnostic::error(
            errors::WRONG_KIND,
            "ожидалось имя файла профиля, например уо-оренбург.yaml",
        )
        .at(act, named.pos)
        .field(KEY)));
    };
    let rel = rel.trim();
    let path = find(base, limits, rel).map_err(|m| {
        one(Diagnostic::error(errors::PROFILE, m)
            .at(act, named.pos)
            .field(KEY)
            .hint(format!(
                "профиль ищется рядом с актом и в папке «{FOLDER}» рядом с ним"
            )))
    })?;
    let src = load_source(&path, limits)?;
    let (profile, read) = yaml::parse_all(&src).map_err(one)?;
    if read.has_errors() {
        return Err(read);
    }
    notes.extend(read);
    let NodeKind::Map(fields) = profile.kind else {
        return Err(one(Diagnostic::error(
            errors::WRONG_KIND,
            format!(
                "ожидались поля профиля ({}), а найдено: {}",
                FIELDS.join(", "),
                profile.what()
            ),
        )
        .at(&src, profile.pos)));
    };
    let Sorted {
        signatories,
        shared,
        mut problems,
    } = sort_fields(fields, &src);
    // `подписант: врио` picks one of the profile's named signatories.
    let picked = entries
        .iter_mut()
        .find(|(k, _)| key(k) == Some("подписант"))
        .map(|(_, v)| v);
    if let Some(v) = picked
        && let NodeKind::Scalar { text, .. } = &v.kind
    {
        let wanted = text.trim().to_string();
        let named: Vec<(String, Node)> = match &signatories {
            Some(Node {
                kind: NodeKind::Map(m),
                ..
            }) => m
                .iter()
                .filter_map(|(k, v)| Some((key(k)?.to_string(), v.clone())))
                .collect(),
            _ => vec![],
        };
        match named.iter().find(|(n, _)| *n == wanted) {
            Some((_, chosen)) => *v = chosen.clone(),
            None => {
                let names: Vec<&str> = named.iter().map(|(n, _)| n.as_str()).collect();
                let d = Diagnostic::error(
                    errors::PROFILE,
                    format!("в профиле нет подписанта «{wanted}»"),
                )
                .at(act, v.pos)
                .field("подписант");
                problems.push(if names.is_empty() {
                    d.hint(format!(
                        "опишите подписанта полями должность и имя или добавьте в профиль «{SIGNATORIES}: {{{wanted}: {{должность: …, имя: …}}}}»"
                    ))
                } else {
                    d.hint(format!("в профиле есть: {}", names.join(", ")))
                });
            }
        }
    }
    if !problems.is_empty() {
        return Err(Diagnostics(problems));
    }
    for (k, v) in shared {
        let name = key(&k).unwrap_or_default().to_string();
        match entries
            .iter_mut()
            .find(|(ak, _)| key(ak) == Some(name.as_str()))
        {
            Some((_, mine)) => merge(mine, v),
            None if COMPLETES_ONLY.contains(&name.as_str()) => {}
            None => entries.push((k, v)),
        }
    }
    Ok(Some(src))
}

/// A profile's fields, sorted: its named signatories, the fields its acts
/// share, and the problems of the rest (an act's own field, an unknown one).
struct Sorted {
    signatories: Option<Node>,
    shared: Vec<(Node, Node)>,
    problems: Vec<Diagnostic>,
}

fn sort_fields(fields: Vec<(Node, Node)>, src: &Arc<SourceFile>) -> Sorted {
    let mut out = Sorted {
        signatories: None,
        shared: vec![],
        problems: vec![],
    };
    for (k, v) in fields {
        let name = key(&k).unwrap_or_default().to_string();
        if name == SIGNATORIES {
            out.signatories = Some(v);
        } else if FIELDS.contains(&name.as_str()) {
            out.shared.push((k, v));
        } else if ACT_ONLY.contains(&name.as_str()) || name == KEY {
            out.problems.push(
                Diagnostic::error(
                    errors::PROFILE,
                    format!("поле «{name}» — поле самого акта, в профиле его не бывает"),
                )
                .at(src, k.pos)
                .hint(format!("в профиле бывают поля: {}", FIELDS.join(", "))),
            );
        } else {
            let d = Diagnostic::error(
                errors::UNKNOWN_FIELD,
                format!("неизвестное поле «{name}» (профиль)"),
            )
            .at(src, k.pos);
            out.problems
                .push(match maybe_meant(&name, FIELDS.iter().copied()) {
                    Some(s) => d.hint(s),
                    None => d.hint(format!("в профиле бывают поля: {}", FIELDS.join(", "))),
                });
        }
    }
    out
}

/// Whether the file at `path`, read as `root`, is a profile rather than an
/// act: it has no kind, and it is in a `профили` folder or holds named
/// signatories and none of an act's own fields. (An act begun with only
/// its organisation and signatory is still an act: it is told what it lacks.)
pub fn is_profile(root: &Node, path: &Path) -> bool {
    let NodeKind::Map(m) = &root.kind else {
        return false;
    };
    let keys: Vec<&str> = m
        .iter()
        .filter_map(|(k, _)| key(k))
        .map(str::trim)
        .collect();
    let in_folder = path
        .parent()
        .and_then(Path::file_name)
        .is_some_and(|n| n == FOLDER);
    !keys.contains(&"вид")
        && (in_folder || keys.contains(&SIGNATORIES) && !keys.iter().any(|k| ACT_ONLY.contains(k)))
}

/// The act every profile field is checked in: it has what an act must have,
/// and the profile's fields are merged into it as into any act.
/// Its distribution and approval are what a profile's only complete.
const SAMPLE_ACT: &str = "вид: приказ\nорган: [Образец]\nдата: 01.01.2024\nномер: \"1\"\nзаголовок: О проверке профиля\nпункты: [Проверить профиль.]\nподписант: {должность: [Руководитель], имя: А.Б. Васильева}\nрассылка: {адресаты: [Образец]}\nсогласование: {визы: [{должность: Юрист, имя: О.С. Кравец}]}\n";

/// `prikaz check` of a profile: `None` if the file at `path` is not one (or
/// cannot be read: checked as an act, it says why). Else every problem of the
/// profile at its own line: its YAML, fields no profile has, and each field
/// checked as an act takes it — the shared fields merged into a sample act,
/// each named signatory as an act's signatory.
pub fn check(path: &Path, limits: &Limits) -> Option<Diagnostics> {
    let src = load_source(path, limits).ok()?;
    let (root, mut diags) = yaml::parse_all(&src).ok()?;
    if !is_profile(&root, path) {
        return None;
    }
    let NodeKind::Map(fields) = root.kind else {
        diags.0.push(
            Diagnostic::error(
                errors::WRONG_KIND,
                format!(
                    "ожидались поля профиля ({}), а найдено: {}",
                    FIELDS.join(", "),
                    root.what()
                ),
            )
            .at(&src, root.pos),
        );
        return Some(diags);
    };
    let sorted = sort_fields(fields, &src);
    diags.0.extend(sorted.problems);
    let sample = SourceFile::new("(образец акта)", SAMPLE_ACT);
    // A constant, read in a test (`the_sample_act_reads`).
    let mut act = yaml::parse(&sample).ok()?;
    if let NodeKind::Map(entries) = &mut act.kind {
        // The profile's value over the sample's, as an act's over its profile's.
        for (k, mut v) in sorted.shared {
            match entries.iter_mut().find(|(ak, _)| key(ak) == key(&k)) {
                Some((_, sample)) => {
                    merge(&mut v, sample.clone());
                    *sample = v;
                }
                None => entries.push((k, v)),
            }
        }
    }
    let mut cx = super::decode::Cx::new(sample.clone());
    <super::input::Act as super::decode::Decode>::decode(&act, &mut cx);
    if let Some(Node {
        kind: NodeKind::Map(named),
        ..
    }) = &sorted.signatories
    {
        for (k, v) in named {
            cx.within(
                format!("{SIGNATORIES}.{}", key(k).unwrap_or_default()),
                |cx| <super::input::Signatory as super::decode::Decode>::decode(v, cx),
            );
        }
    }
    diags.extend(cx.diags);
    // What the sample act itself lacks is not the profile's problem.
    diags.0.retain(|d| d.pos.is_none_or(|p| p.file == src.id));
    diags.sort();
    Some(diags)
}

/// Where the profile `rel` is: beside the act, else in its `профили` folder.
fn find(base: &Path, limits: &Limits, rel: &str) -> Result<std::path::PathBuf, String> {
    let exts = ["yaml", "yml"];
    let root = limits.root.as_deref();
    // As the user would write it: «профили/уо.yaml», not «./профили/уо.yaml».
    let shown = |rel: &str| {
        if base == Path::new(".") {
            std::path::PathBuf::from(rel)
        } else {
            base.join(rel)
        }
    };
    match crate::read::local::check_local_file(base, root, rel, &exts) {
        Ok(_) => Ok(shown(rel)),
        Err(first) => {
            let inside = format!("{FOLDER}/{rel}");
            match crate::read::local::check_local_file(base, root, &inside, &exts) {
                Ok(_) => Ok(shown(&inside)),
                Err(_) => {
                    Err(first.replace("рядом с актом", "ни рядом с актом, ни в папке «профили»"))
                }
            }
        }
    }
}

/// The act's own value `mine` over the profile's `theirs`: mappings field by
/// field, anything else whole.
fn merge(mine: &mut Node, theirs: Node) {
    if let (NodeKind::Map(m), NodeKind::Map(t)) = (&mut mine.kind, theirs.kind) {
        for (k, v) in t {
            let name = key(&k).map(str::to_string);
            match m
                .iter_mut()
                .find(|(mk, _)| key(mk).map(str::to_string) == name)
            {
                Some((_, own)) => merge(own, v),
                None => m.push((k, v)),
            }
        }
    }
}

fn key(k: &Node) -> Option<&str> {
    match &k.kind {
        NodeKind::Scalar { text, .. } => Some(text.as_str()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The act a profile is checked in is an act without a problem.
    #[test]
    fn the_sample_act_reads() {
        let src = SourceFile::new("(образец акта)", SAMPLE_ACT);
        let root = yaml::parse(&src).unwrap();
        let mut cx = crate::read::decode::Cx::new(src.clone());
        let act = <crate::read::input::Act as crate::read::decode::Decode>::decode(&root, &mut cx);
        assert!(act.is_some() && cx.diags.0.is_empty(), "{:?}", cx.diags);
    }
}
