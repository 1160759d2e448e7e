//! The editor schema (`prikaz schema`): a JSON Schema of the act and of the
//! profile, for VS Code and any editor with yaml-language-server.
//!
//! Nothing here lists fields: each mapping's fields come from running its
//! decoder in describe mode ([`Decode::describe`], [`Cx::recording`]), so the
//! schema and the reader cannot drift apart. What this module adds is the
//! Russian description and an example of every field ([`docs`]); a field
//! without them is a test failure, and so is a description of a field no
//! decoder asks for.

use super::decode::{Asked, Cx, Decode};
use super::input::Act;
use super::{profile, yaml};
use crate::diag::SourceFile;
pub use serde_json::Value;
use serde_json::{Map, json};
use std::collections::{BTreeMap, BTreeSet};

mod docs;

/// The JSON Schema dialect: the one yaml-language-server reads best.
const DIALECT: &str = "http://json-schema.org/draft-07/schema#";

/// Builds a schema: the shared definitions and the state of the type being
/// described.
#[derive(Default)]
pub struct Schema {
    defs: BTreeMap<String, Value>,
    /// Describing a field of words: a bare number or yes/no is refused.
    prose: bool,
    /// Describing what a profile may complete: nothing is required.
    partial: bool,
    /// Fields met without a description, as `что.поле`.
    undocumented: BTreeSet<String>,
    /// Descriptions used.
    documented: BTreeSet<(&'static str, &'static str)>,
}

impl Schema {
    /// Text: words only in a field of words, else any scalar YAML reads as
    /// text (`номер: 596`).
    pub fn text(&mut self) -> Value {
        if self.prose {
            json!({"type": "string", "pattern": "\\S"})
        } else {
            json!({"type": ["string", "number", "boolean"], "pattern": "\\S"})
        }
    }

    /// Words only, whatever field this is.
    pub fn words_only(&mut self) -> Value {
        self.with_prose(|g| g.text())
    }

    /// `describe` as in a field of words.
    pub fn with_prose(&mut self, describe: impl FnOnce(&mut Self) -> Value) -> Value {
        let prose = std::mem::replace(&mut self.prose, true);
        let v = describe(self);
        self.prose = prose;
        v
    }

    /// One of a fixed set of words (the words of [`super::decode::choice`]).
    /// A word that is a number may be written as one: `стандарт: 2016`.
    pub fn words<T>(&mut self, options: &[(&'static str, T)]) -> Value {
        let mut values = vec![];
        for (w, _) in options {
            values.push(json!(w));
            if let Ok(n) = w.parse::<u64>() {
                values.push(json!(n));
            }
        }
        json!({ "enum": values })
    }

    /// [`Self::words`] with what each word means, for the editor's completion.
    pub fn words_about<T>(&mut self, options: &[(&'static str, T)], about: &[&str]) -> Value {
        let mut v = self.words(options);
        let mut said = vec![];
        for ((w, _), a) in options.iter().zip(about) {
            said.push(json!(a));
            if w.parse::<u64>().is_ok() {
                said.push(json!(a));
            }
        }
        v["enumDescriptions"] = json!(said);
        v["markdownEnumDescriptions"] = json!(said);
        v
    }

    /// A definition shared by reference: a type described once however often
    /// (and however deep, even inside itself) it is used.
    pub fn def<T>(&mut self, build: impl FnOnce(&mut Self) -> Value) -> Value {
        let short = std::any::type_name::<T>()
            .rsplit("::")
            .next()
            .unwrap_or("тип");
        let name = if self.partial {
            format!("{short}.частично")
        } else {
            short.to_string()
        };
        if !self.defs.contains_key(&name) {
            // Placeholder first: a type inside itself refers to itself.
            self.defs.insert(name.clone(), Value::Null);
            let prose = std::mem::take(&mut self.prose);
            let mut built = build(self);
            self.prose = prose;
            // Editors name a value that does not fit by its title: «оформление»,
            // not the definition's name.
            if built.get("title").is_none()
                && let Some(title) = built["anyOf"]
                    .as_array()
                    .and_then(|a| a.iter().find_map(|v| v.get("title").cloned()))
            {
                built["title"] = title;
            }
            self.defs.insert(name.clone(), built);
        }
        json!({ "$ref": format!("#/definitions/{name}") })
    }

    /// The mapping `T` decodes, as its decoder asks for it when given the
    /// mapping `sample` (YAML, e.g. `{раздел: ~}` for a section row).
    pub fn fields<T: Decode>(&mut self, sample: &str) -> Value {
        let asked = ask::<T>(sample);
        let mut o = self.object(&asked, |_| false);
        // What the decoder calls it in its messages.
        if let Some(a) = asked.first() {
            o["title"] = json!(a.what);
        }
        o
    }

    /// An object schema from the fields asked for; `completed` tells a field a
    /// profile may give (then neither it nor anything under it is required).
    fn object(&mut self, asked: &[Asked], completed: impl Fn(&str) -> bool) -> Value {
        let mut properties = Map::new();
        let mut required = vec![];
        for a in asked {
            let partial = self.partial;
            self.partial |= completed(a.key);
            let schema = self.field(a);
            if a.required && !self.partial {
                required.push(json!(a.key));
            }
            self.partial = partial;
            properties.insert(a.key.to_string(), schema);
        }
        let mut o = json!({
            "type": "object",
            "properties": properties,
            "additionalProperties": false,
        });
        if !required.is_empty() {
            o["required"] = Value::Array(required);
        }
        o
    }

    /// One field: its value's schema with its description and example.
    fn field(&mut self, a: &Asked) -> Value {
        let prose = std::mem::replace(&mut self.prose, a.prose);
        let value = (a.describe)(self);
        self.prose = prose;
        self.documented(a.what, a.key, value)
    }

    /// `value` with the description and example of `что.поле`.
    pub fn documented(&mut self, what: &'static str, key: &'static str, value: Value) -> Value {
        let Some(doc) = docs::find(what, key) else {
            self.undocumented.insert(format!("{what}.{key}"));
            return value;
        };
        self.documented.insert((doc.what, doc.key));
        // In draft-07 a `$ref` hides its neighbours: wrap it.
        let mut out = if value.get("$ref").is_some() {
            json!({ "allOf": [value] })
        } else {
            value
        };
        out["description"] = json!(doc.description);
        out["examples"] = json!([example(doc.example)]);
        out
    }

    /// The root document around `body`.
    fn root(&mut self, title: &str, description: &str, body: Value) -> Value {
        let mut root = json!({
            "$schema": DIALECT,
            "title": title,
            "description": description,
        });
        if let Value::Object(fields) = body {
            for (k, v) in fields {
                root[k] = v;
            }
        }
        root["definitions"] = json!(std::mem::take(&mut self.defs));
        root
    }
}

/// Fields asked for and not described, and descriptions of fields no decoder
/// asks for, over both schemas: a programming error, caught by the tests.
pub fn audit() -> (Vec<String>, Vec<String>) {
    let mut g = Schema::default();
    act_with(&mut g);
    profile_with(&mut g);
    let stale = docs::DOCS
        .iter()
        .filter(|d| !g.documented.contains(&(d.what, d.key)))
        .map(|d| format!("{}.{}", d.what, d.key))
        .collect();
    (g.undocumented.into_iter().collect(), stale)
}

/// The fields `T`'s decoder asks for when given `sample`.
fn ask<T: Decode>(sample: &str) -> Vec<Asked> {
    let src = SourceFile::new("<схема>", sample);
    let node = yaml::parse(&src).unwrap_or_else(|_| panic!("образец схемы: {sample}"));
    let mut cx = Cx::recording(src);
    let _ = T::decode(&node, &mut cx);
    cx.asked()
}

/// An example written as YAML, as a JSON value: what an editor's YAML reader
/// (YAML 1.2) makes of it.
fn example(yaml_text: &str) -> Value {
    let src = SourceFile::new("<пример>", yaml_text);
    match yaml::parse(&src) {
        Ok(node) => to_json(&node),
        Err(_) => json!(yaml_text),
    }
}

fn to_json(node: &yaml::Node) -> Value {
    match &node.kind {
        yaml::NodeKind::Scalar { text, plain } => {
            if !*plain {
                return json!(text);
            }
            let t = text.trim();
            let float = || t.parse::<f64>().ok().filter(|f| f.is_finite());
            if let Ok(n) = t.parse::<i64>() {
                json!(n)
            } else if let Some(f) = float().filter(|_| t.contains('.')) {
                json!(f)
            } else {
                match t {
                    "true" => json!(true),
                    "false" => json!(false),
                    "" | "~" | "null" => Value::Null,
                    _ => json!(text),
                }
            }
        }
        yaml::NodeKind::Seq(items) => Value::Array(items.iter().map(to_json).collect()),
        yaml::NodeKind::Map(entries) => {
            let mut m = Map::new();
            for (k, v) in entries {
                m.insert(k.as_str().unwrap_or("").to_string(), to_json(v));
            }
            Value::Object(m)
        }
    }
}

/// The schema of an act file.
pub fn act() -> Value {
    act_with(&mut Schema::default())
}

fn act_with(g: &mut Schema) -> Value {
    let asked = ask::<Act>("{}");
    // What a profile may give is never required of the act, and the act's
    // mappings only complete the profile's.
    let completed = |key: &str| profile::FIELDS.contains(&key);
    let mut body = g.object(&asked, completed);
    let from_profile: Vec<Value> = asked
        .iter()
        .filter(|a| a.required && completed(a.key))
        .map(|a| json!(a.key))
        .collect();
    // Without a profile, the act gives them itself.
    body["anyOf"] = json!([
        { "required": [profile::KEY] },
        { "required": from_profile },
    ]);
    let props = body["properties"].as_object_mut().expect("an object");
    let named = g.documented(
        "акт",
        profile::KEY,
        json!({"type": "string", "pattern": "\\S"}),
    );
    props.insert(profile::KEY.to_string(), named);
    // `подписант: врио` names one of the profile's signatories.
    if let Some(s) = props.get_mut(profile::SIGNATORY) {
        let by_name = json!({"type": "string", "pattern": "\\S",
            "description": "имя подписанта из «подписанты» профиля (врио, ио …)"});
        let whole = s.take();
        *s = json!({ "anyOf": [whole, by_name] });
        for k in ["description", "examples"] {
            if let Some(v) = s["anyOf"][0].get(k).cloned() {
                s[k] = v;
            }
        }
    }
    g.root(
        "Акт prikaz",
        "YAML-файл приказа, распоряжения или постановления для prikaz: что где пишется и какие значения допустимы",
        body,
    )
}

/// The schema of an organisation's profile.
pub fn profile() -> Value {
    profile_with(&mut Schema::default())
}

fn profile_with(g: &mut Schema) -> Value {
    g.partial = true;
    let asked: Vec<Asked> = ask::<Act>("{}")
        .into_iter()
        .filter(|a| profile::FIELDS.contains(&a.key))
        .collect();
    let mut body = g.object(&asked, |_| true);
    body["properties"]
        .as_object_mut()
        .expect("an object")
        .insert(profile::SIGNATORIES.to_string(), Value::Null);
    let signatory = g.def::<super::input::Signatory>(|g| g.fields::<super::input::Signatory>("{}"));
    let named = g.documented(
        "профиль",
        profile::SIGNATORIES,
        json!({"type": "object", "additionalProperties": signatory}),
    );
    body["properties"][profile::SIGNATORIES] = named;
    g.root(
        "Профиль организации prikaz",
        "То, что повторяется в каждом акте организации: орган, подписанты, исполнитель, оформление",
        body,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_is_described_and_every_description_is_used() {
        let (undocumented, stale) = audit();
        assert!(
            undocumented.is_empty(),
            "поля без описания: {undocumented:?}"
        );
        assert!(stale.is_empty(), "описания полей, которых нет: {stale:?}");
    }
}
