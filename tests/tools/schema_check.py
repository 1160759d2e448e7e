#!/usr/bin/env python3
"""Validate YAML files against prikaz's JSON Schema with the PyPI `jsonschema`.

    schema_check.py SCHEMA FILE...     one JSON line per file: its errors
    schema_check.py --examples SCHEMA  one JSON line per field whose example fails

YAML is read as an editor's yaml-language-server reads it: YAML 1.2's core
schema (so `2023-09-20` and `12:30` stay text and only true/false are booleans).
Each error is a leaf: errors under anyOf/oneOf are unfolded. Paths are written
as prikaz writes field paths: `пункты[2].срок`, lists counted from 1.
"""

import json
import re
import sys

import jsonschema
import yaml


class Core12Loader(yaml.SafeLoader):
    """PyYAML's safe loader with YAML 1.2 core-schema resolvers."""


Core12Loader.yaml_implicit_resolvers = {}
for tag, regexp, first in [
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", list("tTfF")),
    ("tag:yaml.org,2002:int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", list("-+0123456789")),
    (
        "tag:yaml.org,2002:float",
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
        list("-+.0123456789"),
    ),
]:
    Core12Loader.add_implicit_resolver(tag, re.compile(regexp), first)


def construct_int(loader, node):
    v = loader.construct_scalar(node)
    return int(v, 0) if v.startswith(("0o", "0x")) else int(v)


Core12Loader.add_constructor("tag:yaml.org,2002:int", construct_int)


def path_of(parts):
    out = ""
    for p in parts:
        if isinstance(p, int):
            out += f"[{p + 1}]"
        else:
            out += ("." if out else "") + str(p)
    return out


def leaves(error):
    if error.context:
        for e in error.context:
            yield from leaves(e)
    else:
        yield error


def validator_for(schema):
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def check_files(schema_path, files):
    schema = json.load(open(schema_path, encoding="utf-8"))
    v = validator_for(schema)
    for f in files:
        doc = yaml.load(open(f, encoding="utf-8-sig"), Loader=Core12Loader)
        errors = []
        for top in v.iter_errors(doc):
            for e in leaves(top):
                errors.append(
                    {
                        "path": path_of(e.absolute_path),
                        "validator": e.validator,
                        "message": e.message,
                    }
                )
        best = jsonschema.exceptions.best_match(v.iter_errors(doc))
        print(
            json.dumps(
                {
                    "file": f,
                    "errors": errors,
                    "best": None
                    if best is None
                    else {"path": path_of(best.absolute_path), "validator": best.validator, "message": best.message},
                },
                ensure_ascii=False,
            )
        )


def check_examples(schema_path):
    """Every field's example against the field's own schema."""
    schema = json.load(open(schema_path, encoding="utf-8"))
    defs = schema.get("definitions", {})
    seen = 0

    def walk(node, where):
        nonlocal seen
        if isinstance(node, dict):
            for key, sub in node.get("properties", {}).items():
                if isinstance(sub, dict) and "examples" in sub:
                    field = {k: v for k, v in sub.items() if k != "examples"}
                    field["definitions"] = defs
                    for ex in sub["examples"]:
                        seen += 1
                        errs = list(validator_for(field).iter_errors(ex))
                        if errs:
                            print(json.dumps({"field": f"{where}.{key}", "example": ex, "error": errs[0].message}, ensure_ascii=False))
            for k, sub in node.items():
                if k != "properties":
                    walk(sub, f"{where}/{k}")
            for key, sub in node.get("properties", {}).items():
                walk(sub, f"{where}.{key}")
        elif isinstance(node, list):
            for i, sub in enumerate(node):
                walk(sub, f"{where}[{i}]")

    walk(schema, "")
    print(json.dumps({"examples_checked": seen}))


if __name__ == "__main__":
    if sys.argv[1] == "--examples":
        check_examples(sys.argv[2])
    else:
        check_files(sys.argv[1], sys.argv[2:])
