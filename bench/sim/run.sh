#!/usr/bin/env bash
# The long `capstan sim` experiments; each queueing policy in its own process, so each reports its own CPU time:
#   bench/sim/run.sh placement   # Alibaba GPU 2023: three pod lists, their policies, seeds 42-51
#   bench/sim/run.sh queueing    # Philly: the whole trace under fifo, sjf, las and capstan, seed 42
#   bench/sim/run.sh all
# Results go to bench/sim/out/ (not kept in git); bench/sim/RESULTS.md records the last figures.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
TRACES="${CAPSTAN_TRACES:-$ROOT/../shared/data/traces}"
OUT="$ROOT/bench/sim/out"
what="${1:-all}"
case "$what" in placement|queueing|all) ;; *) echo "usage: $0 placement|queueing|all" >&2; exit 2 ;; esac
mkdir -p "$OUT"
: > "$OUT/times.txt"
# Build once before anything is timed, so no run's figure includes a build and all runs use the same one.
"$ROOT/capstan" --help > /dev/null

timed() {
  local name="$1"; shift
  /usr/bin/time -f "$name: %U s user CPU, %S s system, %e s wall, %M KiB peak resident" -a -o "$OUT/times.txt" "$@"
}

placement() {
  local nodes="$TRACES/alibaba-gpu-2023/openb_node_list_gpu_node.csv"
  local -A policies=([default]=all [gpushare40]=bestfit,fgd,capstan [multigpu50]=packing,fgd,capstan)
  for list in default gpushare40 multigpu50; do
    timed "placement $list ${policies[$list]}" "$ROOT/capstan" sim placement --nodes "$nodes" \
      --pods "$TRACES/alibaba-gpu-2023/openb_pod_list_$list.csv" --policy "${policies[$list]}" --seeds 42-51 \
      --out "$OUT/placement-$list"
  done
}

queueing() {
  for policy in fifo sjf capstan las; do
    timed "queueing philly $policy" "$ROOT/capstan" sim queueing --trace "$TRACES/pollux/philly.csv" \
      --policy "$policy" --threads 1 --out "$OUT/philly-$policy"
  done
}

[[ "$what" == placement || "$what" == all ]] && placement
[[ "$what" == queueing || "$what" == all ]] && queueing
cat "$OUT/times.txt"
