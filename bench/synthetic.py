#!/usr/bin/env python3
"""Seeded synthetic OpenAPI 3.0 specs of N operations and N schemas, and how
the generator's time and memory grow with N.

    python3 bench/synthetic.py                         # N = 100, 1000, 10000; median of 3
    python3 bench/synthetic.py --sizes 100,1000 --runs 5 --seed 7
    python3 bench/synthetic.py --emit 500 > spec.json  # only write one spec

Each spec has N component schemas, cycling through five shapes:

  0. object: scalar properties (string with length limits, integer with
     bounds, number, boolean, date-time), an array of strings, a $ref to an
     earlier schema, an array of $refs, a two-level nested inline object and a
     map (additionalProperties: $ref);
  1. allOf: a $ref to an earlier object schema plus an inline object;
  2. oneOf: a union of two or three earlier object schemas (every other one
     with a discriminator and mapping) or of an object and a scalar;
  3. string enum of 3–8 values;
  4. object with an inline enum, a nullable $ref and an array of nested
     inline objects;

and N operations on N/2 paths (`/groupG/resourcesI` and
`/groupG/resourcesI/{resource_id}`), cycling GET (list, with query
parameters limit, cursor, an enum $ref filter and a required string), POST
(JSON request body $ref, 201 response $ref), GET by id (path parameter),
PUT (path parameter, body, 200) and DELETE (path parameter, 204); every
operation has a `default` error response $ref. $refs only point to
earlier schemas, so no type is recursive. The same seed gives the same
bytes.

Time is the process's wall time; memory is its peak RSS
(`/usr/bin/time -f %M`). Each run writes into a fresh, empty directory.
The growth columns divide each size's median by the previous size's: with
10x the operations and schemas, the target is at most about 12x.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common  # noqa: E402

WORDS = (
    "alpha beta gamma delta epsilon zeta theta kappa lambda sigma omega "
    "account order invoice customer product price item shipment payment "
    "refund webhook event token session user team project task label note "
    "region zone cluster node volume snapshot image network policy role"
).split()


def word(rng: random.Random) -> str:
    return rng.choice(WORDS)


def schema_name(i: int) -> str:
    return f"Schema{i}"


def ref(i: int) -> dict:
    return {"$ref": f"#/components/schemas/{schema_name(i)}"}


def scalar(rng: random.Random) -> dict:
    kind = rng.randrange(6)
    if kind == 0:
        return {"type": "string", "minLength": 1, "maxLength": rng.choice([64, 255, 1024])}
    if kind == 1:
        return {"type": "integer", "format": "int64", "minimum": 0, "maximum": 10 ** rng.randrange(2, 9)}
    if kind == 2:
        return {"type": "number", "format": "double"}
    if kind == 3:
        return {"type": "boolean"}
    if kind == 4:
        return {"type": "string", "format": "date-time"}
    return {"type": "string", "pattern": "^[a-z0-9_-]+$"}


def nested_object(rng: random.Random, depth: int) -> dict:
    props = {f"{word(rng)}_{k}": scalar(rng) for k in range(rng.randrange(2, 5))}
    if depth > 0:
        props[f"inner_{depth}"] = nested_object(rng, depth - 1)
    return {
        "type": "object",
        "description": f"Nested object at depth {depth}.",
        "required": [next(iter(props))],
        "properties": props,
    }


def make_schemas(n: int, rng: random.Random):
    schemas = {}
    objects = []  # indexes of object schemas (kinds 0, 1, 4), usable as bases
    enums = []
    for i in range(n):
        kind = i % 5
        earlier = rng.choice(objects) if objects else None
        if kind == 0 or earlier is None:
            props = {
                "id": {"type": "string", "description": "Identifier."},
                f"{word(rng)}_name": {"type": "string", "minLength": 1, "maxLength": 255},
                f"{word(rng)}_count": {"type": "integer", "minimum": 0},
                "score": {"type": "number"},
                "active": {"type": "boolean"},
                "created_at": {"type": "string", "format": "date-time"},
                "tags": {"type": "array", "items": {"type": "string"}, "maxItems": 50},
                "details": nested_object(rng, 2),
                "labels": {"type": "object", "additionalProperties": {"type": "string"}},
            }
            if earlier is not None:
                props["parent"] = ref(earlier)
                props["children"] = {"type": "array", "items": ref(rng.choice(objects))}
                props["by_key"] = {"type": "object", "additionalProperties": ref(rng.choice(objects))}
            schemas[schema_name(i)] = {
                "type": "object",
                "description": f"Object schema {i}.",
                "required": ["id", "active"],
                "properties": props,
            }
            objects.append(i)
        elif kind == 1:
            schemas[schema_name(i)] = {
                "description": f"allOf composition {i}.",
                "allOf": [
                    ref(earlier),
                    {
                        "type": "object",
                        "required": [f"extra_{i}"],
                        "properties": {
                            f"extra_{i}": {"type": "string"},
                            "revision": {"type": "integer", "format": "int32"},
                            "meta": nested_object(rng, 1),
                        },
                    },
                ],
            }
            objects.append(i)
        elif kind == 2:
            variants = sorted(set(rng.choice(objects) for _ in range(rng.randrange(2, 4))))
            if len(variants) >= 2 and i % 10 == 2:
                # A discriminated union: each variant gets a `kind` property
                # through allOf, named by the mapping.
                alts = []
                mapping = {}
                for v in variants:
                    alt_name = f"Schema{i}Variant{v}"
                    schemas[alt_name] = {
                        "allOf": [
                            ref(v),
                            {
                                "type": "object",
                                "required": ["kind"],
                                "properties": {"kind": {"type": "string"}},
                            },
                        ]
                    }
                    alts.append({"$ref": f"#/components/schemas/{alt_name}"})
                    mapping[f"k{v}"] = f"#/components/schemas/{alt_name}"
                schemas[schema_name(i)] = {
                    "description": f"Discriminated oneOf {i}.",
                    "oneOf": alts,
                    "discriminator": {"propertyName": "kind", "mapping": mapping},
                }
            elif len(variants) >= 2:
                schemas[schema_name(i)] = {
                    "description": f"oneOf union {i}.",
                    "oneOf": [ref(v) for v in variants],
                }
            else:
                schemas[schema_name(i)] = {
                    "description": f"oneOf of an object and a string {i}.",
                    "oneOf": [ref(variants[0]), {"type": "string"}],
                }
        elif kind == 3:
            values = sorted(set(f"{word(rng)}_{rng.randrange(100)}" for _ in range(rng.randrange(3, 9))))
            schemas[schema_name(i)] = {"type": "string", "description": f"Enum {i}.", "enum": values}
            enums.append(i)
        else:
            props = {
                "status": {"type": "string", "enum": ["active", "pending", "closed"]},
                "owner": {"allOf": [ref(earlier)], "nullable": True},
                "entries": {"type": "array", "items": nested_object(rng, 1)},
                "note": {"type": "string", "nullable": True},
            }
            if enums:
                props["category"] = ref(rng.choice(enums))
            schemas[schema_name(i)] = {
                "type": "object",
                "description": f"Object with nested arrays {i}.",
                "required": ["status"],
                "properties": props,
            }
            objects.append(i)
    return schemas, objects, enums


def make_spec(n: int, seed: int) -> dict:
    rng = random.Random(seed)
    schemas, objects, enums = make_schemas(n, rng)
    schemas["Error"] = {
        "type": "object",
        "required": ["code", "message"],
        "properties": {"code": {"type": "integer"}, "message": {"type": "string"}},
    }
    error = {
        "description": "An error.",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }
    paths: dict = {}
    any_schema = list(range(n))
    for i in range(n):
        group = i // 50
        resource = i // 5  # five operations per resource: list, create, get, replace, delete
        collection = f"/group{group}/resources{resource}"
        item = collection + "/{resource_id}"
        id_param = {
            "name": "resource_id",
            "in": "path",
            "required": True,
            "description": "The resource's identifier.",
            "schema": {"type": "string"},
        }
        body_schema = ref(rng.choice(objects))
        response_schema = ref(rng.choice(any_schema))
        base = {"tags": [f"group{group}"], "summary": f"Operation {i}", "description": f"Synthetic operation {i}."}
        kind = i % 5
        if kind == 0:
            params = [
                {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100}},
                {"name": "cursor", "in": "query", "schema": {"type": "string"}},
                {"name": "region", "in": "query", "required": True, "schema": {"type": "string"}},
            ]
            if enums:
                params.append({"name": "filter", "in": "query", "schema": ref(rng.choice(enums))})
            params.append(
                {"name": "ids", "in": "query", "style": "form", "explode": False,
                 "schema": {"type": "array", "items": {"type": "string"}}}
            )
            op = {
                **base,
                "operationId": f"listResources{i}",
                "parameters": params,
                "responses": {
                    "200": {
                        "description": "A page.",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "required": ["items"],
                                    "properties": {
                                        "items": {"type": "array", "items": response_schema},
                                        "next_cursor": {"type": "string", "nullable": True},
                                    },
                                }
                            }
                        },
                    },
                    "default": error,
                },
            }
            paths.setdefault(collection, {})["get"] = op
        elif kind == 1:
            op = {
                **base,
                "operationId": f"createResource{i}",
                "parameters": [{"name": "dry_run", "in": "query", "schema": {"type": "boolean"}}],
                "requestBody": {"required": True, "content": {"application/json": {"schema": body_schema}}},
                "responses": {
                    "201": {"description": "Created.", "content": {"application/json": {"schema": response_schema}}},
                    "default": error,
                },
            }
            paths.setdefault(collection, {})["post"] = op
        elif kind == 2:
            op = {
                **base,
                "operationId": f"getResource{i}",
                "parameters": [id_param, {"name": "expand", "in": "query", "schema": {"type": "array", "items": {"type": "string"}}}],
                "responses": {
                    "200": {"description": "The resource.", "content": {"application/json": {"schema": response_schema}}},
                    "404": error,
                    "default": error,
                },
            }
            paths.setdefault(item, {})["get"] = op
        elif kind == 3:
            op = {
                **base,
                "operationId": f"replaceResource{i}",
                "parameters": [id_param, {"name": "If-Match", "in": "header", "schema": {"type": "string"}}],
                "requestBody": {"required": True, "content": {"application/json": {"schema": body_schema}}},
                "responses": {
                    "200": {"description": "Replaced.", "content": {"application/json": {"schema": response_schema}}},
                    "default": error,
                },
            }
            paths.setdefault(item, {})["put"] = op
        else:
            op = {
                **base,
                "operationId": f"deleteResource{i}",
                "parameters": [id_param],
                "responses": {"204": {"description": "Deleted."}, "default": error},
            }
            paths.setdefault(item, {})["delete"] = op
    return {
        "openapi": "3.0.3",
        "info": {"title": f"Synthetic API ({n} operations, seed {seed})", "version": "1.0.0"},
        "servers": [{"url": "https://api.example.com/v1"}],
        "security": [{"bearerAuth": []}],
        "paths": paths,
        "components": {
            "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}},
            "schemas": schemas,
        },
    }


def write_spec(n: int, seed: int, path: Path) -> Path:
    spec = make_spec(n, seed)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(spec, indent=1, sort_keys=False) + "\n")
    return path


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="100,1000,10000", help="comma-separated N (operations = schemas)")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--generator", help="generator binary (default: target/release/generator)")
    ap.add_argument("--build", action="store_true", help="cargo build --release -p generator first")
    ap.add_argument("--emit", type=int, metavar="N", help="print the spec for N to stdout and exit")
    ap.add_argument("--limit", type=float, default=12.0, help="growth ratio flagged as too steep (default 12)")
    ap.add_argument("--out", help="also write the table to this file")
    args = ap.parse_args()

    if args.emit:
        json.dump(make_spec(args.emit, args.seed), sys.stdout, indent=1)
        print()
        return 0

    generator = common.generator_binary(args.generator, args.build)
    sizes = [int(s) for s in args.sizes.split(",")]
    work = common.WORK / "synthetic"
    results = []
    for n in sizes:
        spec = write_spec(n, args.seed, work / f"synthetic-{n}.json")
        walls, rss = [], []
        ok = True
        for r in range(args.runs):
            out = common.fresh_dir(work / f"out-{n}")
            m = common.run([generator, "--spec", spec, "--out", out, "--crate-name", f"synthetic-{n}", "--quiet"])
            if not m.ok:
                print(f"N={n}: generator failed (exit {m.code}):\n{m.stderr[-3000:]}", file=sys.stderr)
                ok = False
                break
            walls.append(m.wall)
            rss.append(m.rss_kb)
            print(f"  N={n} run {r + 1}/{args.runs}: {m.wall:.3f} s, {m.rss_kb / 1024:.0f} MB", file=sys.stderr)
        lines = common.rust_lines(work / f"out-{n}") if ok else None
        results.append(
            {
                "n": n,
                "size": spec.stat().st_size,
                "schemas": n,
                "ok": ok,
                "wall": common.median(walls) if ok else None,
                "rss": common.median(rss) if ok else None,
                "lines": lines,
            }
        )

    headers = ["N (ops = schemas)", "spec size", "wall (median)", "time growth", "peak RSS (median)", "memory growth", "lines of Rust", "lines growth"]
    rows = []
    verdicts = []
    prev = None
    for r in results:
        def growth(key):
            if prev is None or not prev[key] or not r[key]:
                return "–"
            ratio = r[key] / prev[key]
            factor = r["n"] / prev["n"]
            allowed = args.limit * factor / 10
            flag = "" if ratio <= allowed else " (over)"
            if key in ("wall", "rss"):
                verdicts.append((key, prev["n"], r["n"], ratio, allowed))
            return f"{ratio:.2f}x{flag}"
        rows.append(
            [
                common.fmt_int(r["n"]),
                f"{r['size'] / 1024 / 1024:.1f} MB",
                common.fmt_s(r["wall"]) if r["ok"] else "failed",
                growth("wall"),
                common.fmt_mb(r["rss"]),
                growth("rss"),
                common.fmt_int(r["lines"]),
                growth("lines"),
            ]
        )
        prev = r
    text = (
        f"Synthetic specs (seed {args.seed}), median of {args.runs} runs ({common.now()}; generator at {common.revision()}; {common.machine()})\n\n"
        + common.table(headers, rows)
        + "\n\nGrowth: this size's median over the previous size's; flagged `(over)` when above "
        + f"{args.limit:g}x per 10x of N.\n"
        + f"Command per run: `{generator} --spec bench/.work/synthetic/synthetic-N.json --out <fresh empty dir> --crate-name synthetic-N --quiet`\n"
    )
    print(text)
    if args.out:
        Path(args.out).write_text(text)
    ok = all(r["ok"] for r in results) and all(ratio <= allowed for _, _, _, ratio, allowed in verdicts)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
