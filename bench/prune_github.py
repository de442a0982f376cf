#!/usr/bin/env python3
"""A copy of GitHub's OpenAPI description that progenitor accepts.

    python3 bench/prune_github.py [SRC] [DST]    # prints what it removed

progenitor 0.15.1 refuses api.github.com.json (it panics). Each rule below
removes only what one of its refusals names, so the copy keeps every path
and operation:

1. Request bodies with more than one media type (progenitor: "not yet
   implemented: more media types than expected"): keep `application/json`
   if present, else the first one.
2. String enums whose values typify cannot turn into distinct Rust variant
   names (typify: "Failed to make unique variant names", e.g. `reactions-+1`
   and `reactions--1`): the `enum` keyword is removed, leaving a string.
3. Operations whose success responses (1xx/2xx) or error responses
   (4xx/5xx) do not all have the same body type (progenitor: "assertion
   failed: response_types.len() <= 1"): in each of the two groups only the
   responses whose body (media type and schema) is the same as that of the
   lowest status code are kept; the others are removed (e.g. `204` next to
   `200` with a body, or `422 validation-error` next to `404 basic-error`).
4. Component responses nothing references any more are removed.

The same input gives the same output; the summary counts what each rule
removed.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")


def _typify_names(values, second_pass: bool):
    # typify's sanitize(): "+1"/"-1" are special, other characters that are
    # not identifier characters become word breaks; its second attempt
    # turns them (and `_`) into `X`. Approximated by comparing
    # case-insensitively without the breaks.
    names = []
    for v in values:
        if not second_pass and v in ("+1", "-1"):
            names.append("plus1" if v == "+1" else "minus1")
        elif second_pass:
            names.append(re.sub(r"[^A-Za-z0-9]", "x", v).lower())
        else:
            names.append(re.sub(r"[^A-Za-z0-9]", "", v).lower())
    return names


def _unnameable(values) -> bool:
    if not (isinstance(values, list) and values and all(isinstance(v, str) for v in values)):
        return False
    first = _typify_names(values, False)
    if len(set(first)) == len(first):
        return False
    second = _typify_names(values, True)
    return len(set(second)) < len(second)


def _body_key(response, components):
    if "$ref" in response:
        name = response["$ref"].rsplit("/", 1)[-1]
        response = components.get("responses", {}).get(name, {})
    content = response.get("content") or {}
    if not content:
        return "none"
    return json.dumps(sorted((k, v.get("schema")) for k, v in content.items()), sort_keys=True)


def _group(code: str):
    c = code.upper()
    if c == "DEFAULT":
        return "default"
    if c.startswith("2") or c == "101":
        return "success"
    if c[0] in "45":
        return "error"
    return None


def prune(doc: dict):
    components = doc.setdefault("components", {})
    counts = {"bodies": [], "enums": [], "responses": 0, "operations": set(), "component_responses": []}

    # 1. request bodies with several media types
    for path, item in doc.get("paths", {}).items():
        for method in METHODS:
            op = item.get(method)
            if not isinstance(op, dict):
                continue
            body = op.get("requestBody")
            if isinstance(body, dict) and len(body.get("content", {})) > 1:
                content = body["content"]
                keep = "application/json" if "application/json" in content else next(iter(content))
                dropped = [k for k in content if k != keep]
                body["content"] = {keep: content[keep]}
                counts["bodies"].append(f"{op.get('operationId', method + ' ' + path)} (kept {keep}, removed {', '.join(dropped)})")

    # 2. enums typify cannot name
    def walk(node, pointer):
        if isinstance(node, dict):
            if _unnameable(node.get("enum")):
                counts["enums"].append(f"{pointer} ({', '.join(node['enum'])})")
                del node["enum"]
            for key, value in node.items():
                walk(value, f"{pointer}/{key}")
        elif isinstance(node, list):
            for i, value in enumerate(node):
                walk(value, f"{pointer}/{i}")

    walk(doc, "#")

    # 3. responses of different types in one group
    for path, item in doc.get("paths", {}).items():
        for method in METHODS:
            op = item.get(method)
            if not isinstance(op, dict):
                continue
            responses = op.get("responses", {})

            def order(code):
                return int(code) if code.isdigit() else (int(code[0]) * 100 + 99 if code[0].isdigit() else 1000)

            for group in ("success", "error"):
                codes = sorted((c for c in responses if _group(c) in (group, "default")), key=order)
                if len(codes) < 2:
                    continue
                first = _body_key(responses[codes[0]], components)
                for code in codes[1:]:
                    if _body_key(responses[code], components) != first:
                        del responses[code]
                        counts["responses"] += 1
                        counts["operations"].add(op.get("operationId", f"{method} {path}"))

    # 4. component responses no longer referenced
    text = json.dumps(doc.get("paths", {}))
    for name in list(components.get("responses", {})):
        if f'"#/components/responses/{name}"' not in text:
            del components["responses"][name]
            counts["component_responses"].append(name)
    return doc, counts


def describe(counts, src: Path) -> str:
    lines = [
        f"Source: `{src.name}`. All paths and operations are kept; removed:",
        "",
        f"1. Extra request-body media types ({len(counts['bodies'])}): " + "; ".join(counts["bodies"]) + ".",
        f"2. The `enum` keyword of {len(counts['enums'])} string enums typify cannot name: "
        + "; ".join(counts["enums"]) + ".",
        f"3. {counts['responses']} responses in {len(counts['operations'])} operations whose body type differs from "
        "the lowest status code of the same group (success 1xx/2xx, error 4xx/5xx), e.g. a `204` next to a `200` "
        "with a body, or `422` (validation-error) next to `404` (basic-error).",
        f"4. {len(counts['component_responses'])} component responses no longer referenced"
        + (f" ({', '.join(counts['component_responses'])})" if counts["component_responses"] else "")
        + ".",
        "",
        "See bench/prune_github.py for the exact rules.",
    ]
    return "\n".join(lines)


def pruned(src: Path, dst: Path):
    doc = json.loads(Path(src).read_text())
    doc, counts = prune(doc)
    dst.parent.mkdir(parents=True, exist_ok=True)
    dst.write_text(json.dumps(doc, indent=2) + "\n")
    return dst, describe(counts, Path(src))


def main() -> int:
    here = Path(__file__).resolve().parent
    src = Path(sys.argv[1]) if len(sys.argv) > 1 else here.parent / "target/conformance-cache/node_modules/@octokit/openapi/generated/api.github.com.json"
    dst = Path(sys.argv[2]) if len(sys.argv) > 2 else here / ".work/compare/github-pruned.json"
    path, text = pruned(src, dst)
    print(text)
    print(f"\nwritten to {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
