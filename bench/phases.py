#!/usr/bin/env python3
"""Median time of each generator phase, total wall time and peak RSS.

Runs the release generator (`generator --verbose`) RUNS times (default 5) on
each spec, into a fresh, empty output directory every time (so every file is
really written), and prints a markdown table of medians.

    python3 bench/phases.py                       # invent, netbox, github; 5 runs
    python3 bench/phases.py --runs 9 --spec x.yaml --spec y.json
    python3 bench/phases.py --build                # cargo build --release -p generator first

Phases read .. format are what `generator --verbose` prints (whole
milliseconds). The CLI does not time its write phase, so "write+exit" is
the wall time of the process minus the sum of the printed phases: writing
the files plus process start, argument parsing and exit (start-up alone,
`generator --version`, is reported under the table). Peak RSS is
`/usr/bin/time -f %M`.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common  # noqa: E402

PHASES = ["read", "parse", "normalize", "deserialize", "lower", "emit", "format"]


def parse_phases(stderr: str) -> dict[str, float]:
    for line in stderr.splitlines():
        if line.startswith("phases:"):
            found = {}
            for part in line[len("phases:"):].split(","):
                m = re.match(r"\s*(\w+)\s+([\d.]+)\s*ms", part)
                if m:
                    found[m.group(1)] = float(m.group(2))
            return found
    return {}


def measure(generator: Path, spec: Path, name: str, runs: int):
    out_root = common.WORK / "phases" / name
    rows = []
    for i in range(runs):
        out = common.fresh_dir(out_root / "out")
        m = common.run(
            [generator, "--spec", spec, "--out", out, "--crate-name", f"bench-{name}", "--verbose"],
            cwd=common.ROOT,
        )
        if not m.ok:
            print(f"{name}: generator failed (exit {m.code}):\n{m.stderr[-2000:]}", file=sys.stderr)
            return None
        phases = parse_phases(m.stderr)
        if not phases:
            print(f"{name}: no 'phases:' line in the output of --verbose", file=sys.stderr)
        rows.append((m.wall, m.rss_kb, phases))
        print(f"  {name} run {i + 1}/{runs}: {m.wall:.3f} s, {m.rss_kb / 1024:.0f} MB", file=sys.stderr)
    lines = common.rust_lines(out_root / "out")
    names = list(rows[0][2].keys()) or PHASES
    med = {p: common.median([r[2].get(p) for r in rows]) for p in names}
    write = common.median([r[0] * 1000 - sum(r[2].values()) for r in rows])
    return {
        "phases": med,
        "names": names,
        "write": write,
        "wall": common.median([r[0] for r in rows]),
        "wall_min": min(r[0] for r in rows),
        "wall_max": max(r[0] for r in rows),
        "rss": common.median([r[1] for r in rows]),
        "lines": lines,
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--spec", action="append", help="spec file (repeatable; default: invent, netbox, github)")
    ap.add_argument("--generator", help="generator binary (default: target/release/generator)")
    ap.add_argument("--build", action="store_true", help="cargo build --release -p generator first")
    ap.add_argument("--out", help="also write the table to this file")
    args = ap.parse_args()

    generator = common.generator_binary(args.generator, args.build)
    if args.spec:
        specs = {Path(s).stem: Path(s).resolve() for s in args.spec}
    else:
        specs = dict(common.SPECS)
    for name, spec in specs.items():
        if not spec.exists():
            print(f"missing spec {spec} (run tests/conformance/conformance.py once to download the public specs)", file=sys.stderr)
            return 1

    startup = common.median([common.run([generator, "--version"]).wall for _ in range(5)])
    results = {}
    for name, spec in specs.items():
        print(f"{name}: {spec}", file=sys.stderr)
        results[name] = measure(generator, spec, name, args.runs)

    names = next((r["names"] for r in results.values() if r), PHASES)
    headers = ["spec", "size"] + [f"{p} ms" for p in names] + ["write+exit ms", "total wall", "(min–max)", "peak RSS", "lines written"]
    rows = []
    for name, r in results.items():
        size = specs[name].stat().st_size
        size_s = f"{size / 1024:.0f} KB" if size < 1024 * 1024 else f"{size / 1024 / 1024:.1f} MB"
        if r is None:
            rows.append([name, size_s] + ["failed"] + [""] * (len(headers) - 3))
            continue
        rows.append(
            [name, size_s]
            + [common.fmt_ms(r["phases"][p]) for p in names]
            + [
                common.fmt_ms(r["write"]),
                common.fmt_s(r["wall"]),
                f"{common.fmt_s(r['wall_min'])}–{common.fmt_s(r['wall_max'])}",
                common.fmt_mb(r["rss"]),
                common.fmt_int(r["lines"]),
            ]
        )
    text = (
        f"Generator phases, median of {args.runs} runs ({common.now()}; generator at {common.revision()}; {common.machine()})\n\n"
        + common.table(headers, rows)
        + f"\n\nProcess start-up and exit alone (`generator --version`, median of 5): {startup * 1000:.1f} ms.\n"
        + f"Command per run: `{generator} --spec SPEC --out <fresh empty dir> --crate-name bench-NAME --verbose`\n"
    )
    print(text)
    if args.out:
        Path(args.out).write_text(text)
    return 0 if all(results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
