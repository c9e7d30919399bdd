#!/usr/bin/env bash
# Growth of each phase from a corpus to one ten times as large (issue 16: 100,000 to 1,000,000
# measures), as BENCHMARKS.md reports it from the twenty-fourth round on.
#
#   benches/growth.sh [small-plans large-plans]     (default: 1000 10000, × 100 measures)
#
# `planatlas synth` writes both corpora into GROWTH_DIR (default /tmp/planatlas-growth; kept
# and reused, as a million measures takes a while to write). Each round, each binary in turn
# checks the small corpus three times and the large one once (`check --timings`: every file is
# made and dropped, nothing is written), each corpus's files read into the page cache first, so
# that both sizes are timed with their inputs cached. ROUNDS rounds (default 2).
#
# PLANATLAS=/path/to/planatlas times that binary instead of this checkout's release binary;
# BASELINE=/path/to/planatlas times another (an earlier commit's) in turns with it, on the same
# corpora. APART=1 passes `--apart`: the phases that a build runs side by side (the search index
# beside the related measures, the pages beside the open data) then run one after another, so
# that each one's time is its own cost rather than also the time it waited for a core. Use it to
# compare phases across sizes.
#
# Prints, per binary: each phase's median at the small size, its times at the large size, and
# the ratio of their medians; with APART=1, each phase's peak memory likewise (the most the
# process held while the phase ran, what earlier phases left included); then wall and CPU
# time, the CPU time in the program itself (user) and in the kernel, page faults and peak
# memory (GNU time). On a VM, kernel time per page fault can move by half from one hour to the
# next: compare binaries in the same series, and read the faults and the user time as well as
# the wall time.
#
# WARM_MEMORY=GiB touches that much memory in a throwaway process (python3) right before each
# large run, and prints what touching it cost. On a VM whose host takes back the memory its
# guest frees (Firecracker's free page reporting, as on this project's machine), the first touch
# of each page beyond what the host still backs costs the host's fault too: touching 4 GiB took
# 2.8 s of kernel time one minute and 19.5 s the next, 0.5 GiB 0.3 s (BENCHMARKS.md,
# twenty-fifth round). A large run pays that price on most of its peak, a small run hardly at
# all. Touched right before (after the corpus is read: the guest's free memory holds both),
# a million's kernel time was 6.6–9.3 s against 17–26 s without, and grew 9.3–10.4× from
# 100,000 instead of about 31×: the ratios then measure the program more than the host. The
# host takes memory back within seconds, so the touch must come last. Report runs with and
# without it.
set -euo pipefail
cd "$(dirname "$0")/.."

small=${1:-1000}
large=${2:-10000}
rounds=${ROUNDS:-2}
dir=${GROWTH_DIR:-/tmp/planatlas-growth}
# shellcheck source=benches/planatlas.sh
. benches/planatlas.sh
binaries=("$planatlas")
if [ -n "${BASELINE:-}" ]; then binaries+=("$(realpath "$BASELINE")"); fi
flags=(--timings)
if [ "${APART:-0}" = 1 ]; then flags+=(--apart); fi

mkdir -p "$dir"
for plans in "$small" "$large"; do
  if [ ! -d "$dir/corpus-$plans/content" ]; then
    "$planatlas" --root . synth --plans "$plans" --measures 100 --out "$dir/corpus-$plans" >/dev/null
  fi
done

log=$dir/runs.log
warmed=$dir/warm.log
: >"$log"
: >"$warmed"
# Reads a corpus's files, so that its runs do not wait on the disk.
warm() { find "$dir/corpus-$1/content" -type f -print0 | xargs -0 cat >/dev/null; }
# One timed check, appended to the log as:
#   binary size phases… || phases' peak memory… | wall user sys rss faults.
run() {
  local out err
  out=$(mktemp) err=$(mktemp)
  /usr/bin/time -f '%e %U %S %M %R' "$1" --root "$dir/corpus-$2" check "${flags[@]}" >"$out" 2>"$err"
  echo "$1 $2 $(grep '^Phases: ' "$out") || $(grep "^Phases' peak memory: " "$out" || true) | $(tail -1 "$err")" >>"$log"
  rm -f "$out" "$err"
}
for round in $(seq "$rounds"); do
  for binary in "${binaries[@]}"; do
    warm "$small"
    for _ in 1 2 3; do run "$binary" "$small"; done
    warm "$large"
    if [ -n "${WARM_MEMORY:-}" ]; then
      # Each page written, whether or not bytearray zeroes its memory itself.
      /usr/bin/time -f "$binary %S" -a -o "$warmed" python3 -c '
import sys
n = int(float(sys.argv[1]) * (1 << 30))
memory = bytearray(n)
memory[::4096] = bytes(1 for _ in range(0, n, 4096))' "$WARM_MEMORY"
    fi
    run "$binary" "$large"
  done
done

python3 - "$log" "$small" "$large" "$warmed" "${WARM_MEMORY:-}" <<'EOF'
import collections, re, statistics, sys
log, small, large, warmed, gib = sys.argv[1:]
runs = collections.defaultdict(lambda: collections.defaultdict(list))
order = []
for line in open(log, encoding="utf-8"):
    head, measured = line.rsplit(" | ", 1)
    head, peaks = head.split(" || ", 1)
    binary, size, phases = head.split(" ", 2)
    times = {name: float(ms) / 1000 for name, ms in re.findall(r"(?:Phases:|,) (.+?) ([0-9.]+) ms", phases)}
    times.update({f"{name}: peak memory (MiB)": float(mib) for name, mib in re.findall(r"(?:memory:|,) (.+?) ([0-9.]+) MiB", peaks)})
    wall, user, sys_, rss, faults = measured.split()
    times.update({"wall": float(wall), "CPU (user + kernel)": float(user) + float(sys_),
                  "user": float(user), "kernel": float(sys_), "page faults": int(faults), "peak memory (MiB)": int(rss) / 1024})
    for name, value in times.items():
        if name not in order:
            order.append(name)
        runs[binary][(size, name)].append(value)
def show(x):
    return f"{x:,.0f}" if x >= 100 else f"{x:.2f}" if x >= 1 else f"{x:.3f}"
for binary, values in runs.items():
    print(f"\n{binary}: {small} → {large} plans\n")
    print(f"| phase | {small} plans (median) | {large} plans | ratio |\n|---|---|---|---|")
    for name in order:
        a, b = values.get((small, name)), values.get((large, name))
        if not a or not b or statistics.median(a) == 0:
            continue
        ratio = statistics.median(b) / statistics.median(a)
        print(f"| {name} | {show(statistics.median(a))} | {' · '.join(show(x) for x in b)} | {ratio:.2f}× |")
if gib:
    took = collections.defaultdict(list)
    for line in open(warmed, encoding="utf-8"):
        if line.strip():
            binary, seconds = line.rsplit(" ", 1)
            took[binary].append(float(seconds))
    for binary, times in took.items():
        print(f"\n{binary}: {gib} GiB touched before each large run, {' · '.join(f'{t:.2f}' for t in times)} s of kernel time")
EOF
