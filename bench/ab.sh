#!/usr/bin/env bash
# Old against new: runs two generator binaries alternately on one spec,
# each into a fresh output directory, and prints the median wall, user and
# system time and peak RSS of each (`/usr/bin/time`). Alternating in one run
# is what makes the ratio meaningful on a noisy machine.
#
#   bench/ab.sh RUNS OLD_BINARY NEW_BINARY SPEC [generator flags…]
#   bench/ab.sh 8 /tmp/generator-old target/release/generator api.github.com.json
#   bench/ab.sh 3 /tmp/generator-old target/release/generator graph-beta.json --tag-features
set -euo pipefail
runs=$1 old=$2 new=$3 spec=$4
shift 4
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for run in $(seq "$runs"); do
  for which in old new; do
    if [ "$which" = old ]; then binary=$old; else binary=$new; fi
    # A new directory per run, all deleted at the end: deleting the last
    # run's thousands of files (graph-beta's 2,303) just before creating
    # as many makes ext4 search past the recently freed inodes, which
    # took up to 5 s of system time per run and buried the generator's
    # own time in the filesystem's.
    /usr/bin/time -f "$which %e %U %S %M" "$binary" --spec "$spec" --out "$out/crate-$run-$which" \
      --crate-name api "$@" 2>&1 >/dev/null | tail -1
  done
done | python3 -c '
import statistics, sys
runs = {}
for line in sys.stdin:
    which, *numbers = line.split()
    runs.setdefault(which, []).append([float(n) for n in numbers])
for which in ("old", "new"):
    rows = runs.get(which, [])
    if not rows:
        continue
    wall, user, system, rss = (statistics.median(r[i] for r in rows) for i in range(4))
    walls = ", ".join(f"{r[0]:.2f}" for r in rows)
    print(f"{which}: wall {wall:.2f} s (runs {walls}), user {user:.2f} s, sys {system:.2f} s, peak {rss / 1024:.0f} MB")
'
