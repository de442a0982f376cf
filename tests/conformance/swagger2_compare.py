#!/usr/bin/env python3
"""Swagger 2.0 input against the reference converter.

For every Swagger 2.0 spec of `@readme/oas-examples` (2.0/json and
2.0/yaml), this:

  1. generates a crate from the 2.0 spec as it is (our own conversion);
  2. converts the spec with `swagger2openapi` (npm, installed into
     target/swagger2openapi-cache/) and generates a crate from that;
  3. compares the two crates file by file (the `@generated` header, which
     names the input file, aside);
  4. builds the crates of step 1 with
     `cargo clippy --all-targets --no-default-features -- -D warnings`
     in one workspace with a shared target directory.

    python3 tests/conformance/swagger2_compare.py            # needs conformance.py's cache
    python3 tests/conformance/swagger2_compare.py --no-build

Exit status 1 when a spec fails to generate, the crates differ, or a crate
does not build clippy-clean.
"""

import argparse
import difflib
import os
import shutil
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EXAMPLES = os.path.join(ROOT, "target/conformance-cache/node_modules/@readme/oas-examples/2.0")
CONVERTER_CACHE = os.path.join(ROOT, "target/swagger2openapi-cache")
CONVERTER = os.path.join(CONVERTER_CACHE, "node_modules/.bin/swagger2openapi")
WORK = os.path.join(ROOT, "target/swagger2-compare")
GENERATOR = os.path.join(ROOT, "target/release/generator")


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, **kw)


def generate(spec, out, name):
    result = run([GENERATOR, "--spec", spec, "--out", out, "--crate-name", name, "--quiet"])
    return result.returncode == 0, result.stderr.strip()


def crate_files(out):
    files = {}
    for base, _, names in os.walk(out):
        for file in names:
            path = os.path.join(base, file)
            with open(path, encoding="utf-8") as f:
                lines = [line for line in f if "@generated" not in line]
            files[os.path.relpath(path, out)] = lines
    return files


def differences(a, b):
    files_a, files_b = crate_files(a), crate_files(b)
    out = []
    for name in sorted(set(files_a) | set(files_b)):
        if files_a.get(name) != files_b.get(name):
            diff = difflib.unified_diff(files_a.get(name, []), files_b.get(name, []), name, name, n=1)
            out.append("".join(list(diff)[:40]))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--no-build", action="store_true")
    args = ap.parse_args()
    if not os.path.isdir(EXAMPLES):
        sys.exit("run tests/conformance/conformance.py --set readme first (it installs @readme/oas-examples)")
    if not os.path.exists(CONVERTER):
        subprocess.run(["npm", "install", "--silent", "--prefix", CONVERTER_CACHE, "swagger2openapi@7"], check=True)
    subprocess.run(["cargo", "build", "--release", "-q", "-p", "generator"], cwd=ROOT, check=True)
    shutil.rmtree(WORK, ignore_errors=True)
    os.makedirs(WORK)

    rows, members, failed = [], [], False
    for kind in ("json", "yaml"):
        for file in sorted(os.listdir(os.path.join(EXAMPLES, kind))):
            spec = os.path.join(EXAMPLES, kind, file)
            stem = os.path.splitext(file)[0]
            name = f"s2-{kind}-{stem}"
            ours = os.path.join(WORK, "crates", name)
            theirs = os.path.join(WORK, "converted", name)
            converted = os.path.join(WORK, f"{name}.openapi3.json")
            ok, err = generate(spec, ours, name)
            conv = run([CONVERTER, spec, "-o", converted])
            if conv.returncode != 0:
                rows.append((f"{kind}/{file}", ok, "converter failed: " + conv.stderr.strip()[:120]))
                failed = True
                continue
            ok_theirs, err_theirs = generate(converted, theirs, name)
            if not ok or not ok_theirs:
                rows.append((f"{kind}/{file}", ok, f"generation failed: {err or err_theirs}"[:200]))
                failed = True
                continue
            members.append(f"crates/{name}")
            diffs = differences(ours, theirs)
            if diffs:
                failed = True
                print(f"--- {kind}/{file}: the crates differ\n" + "\n".join(diffs))
            rows.append((f"{kind}/{file}", ok, "same client" if not diffs else f"{len(diffs)} files differ"))

    build = "not built"
    if members and not args.no_build:
        with open(os.path.join(WORK, "Cargo.toml"), "w", encoding="utf-8") as f:
            f.write("[workspace]\nresolver = \"3\"\nmembers = [" + ", ".join(f'"{m}"' for m in members) + "]\n")
        env = dict(os.environ, CARGO_TARGET_DIR=os.path.join(ROOT, "target/conformance-target"))
        result = run(
            ["cargo", "clippy", "--workspace", "--all-targets", "--no-default-features", "-q", "--", "-D", "warnings"],
            cwd=WORK,
            env=env,
        )
        build = "all clippy-clean" if result.returncode == 0 else "FAILED:\n" + result.stderr[-3000:]
        failed |= result.returncode != 0

    print("| spec | generated | vs swagger2openapi |\n| --- | --- | --- |")
    for spec, ok, verdict in rows:
        print(f"| {spec} | {'yes' if ok else 'no'} | {verdict} |")
    print(f"\n{len(rows)} specs; build ({len(members)} crates): {build}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
