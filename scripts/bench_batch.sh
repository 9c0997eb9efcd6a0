#!/usr/bin/env bash
# Throughput and peak memory of `sigmap batch`: the 269 real petitions of ../shared/data, then
# 1,000 and 10,000 petitions resampled from them with a seed (symbolic links, so the disk holds
# each file once). Memory must not grow with the number of petitions.
#
# Usage: scripts/bench_batch.sh [SHARED_DATA_DIR]   (run from the repository root; release build)
set -euo pipefail
shared=${1:-../shared/data}
cargo build --release -q
bin=target/release/sigmap
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

resample() { # N DIR: N links to petitions drawn with replacement, seed 42
  python3 - "$shared/petitions" "$1" "$2" <<'PY'
import os, random, sys
src, n, dst = sys.argv[1], int(sys.argv[2]), sys.argv[3]
files = sorted(f for f in os.listdir(src) if f.endswith(".json"))
os.makedirs(dst)
for i, f in enumerate(random.Random(42).choices(files, k=n)):
    os.symlink(os.path.abspath(os.path.join(src, f)), os.path.join(dst, f"{i:05d}_{f}"))
PY
}

run() { # LABEL DIR
  local n; n=$(find "$2/" -name '*.json' | wc -l)
  /usr/bin/time -f '%e %M' -o "$work/time" "$bin" batch "$2" --out "$work/out" --no-csv -q >/dev/null
  read -r secs kb < "$work/time"
  awk -v l="$1" -v n="$n" -v s="$secs" -v kb="$kb" -v sz="$(du -k "$work/out/long.parquet" | cut -f1)" \
    'BEGIN { printf "%-22s %6d petitions %7.2f s %8.0f petitions/s  peak RSS %5.0f MB  long.parquet %6.1f MB\n", l, n, s, n / s, kb / 1024, sz / 1024 }'
}

echo "sigmap batch, $(nproc) cores, 999 permutations and 1,000 rank draws per petition"
run "real petitions" "$shared/petitions"
resample 1000 "$work/p1000" && run "resampled (seed 42)" "$work/p1000"
resample 10000 "$work/p10000" && run "resampled (seed 42)" "$work/p10000"
