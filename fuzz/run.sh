#!/usr/bin/env bash
# fuzz/run.sh SECONDS [TARGET...]: builds the afl targets (cargo-afl) and fuzzes each one
# for SECONDS from its corpus in fuzz/corpus/TARGET, FUZZ_JOBS (default 2) at a time.
# Exits 1 if any target found a crash or a hang (they are left in
# $FUZZ_OUT/TARGET/default/{crashes,hangs} and listed), 2 on a usage or build error.
#
# Needs cargo-afl (`cargo install --locked cargo-afl`, which also builds its AFL++).
# FUZZ_OUT (default: a new temporary directory) holds afl's output; CARGO_TARGET_DIR is
# honoured.
set -euo pipefail
cd "$(dirname "$0")"

secs=${1:-}
if ! [[ $secs =~ ^[1-9][0-9]*$ ]]; then
  echo "usage: fuzz/run.sh SECONDS [TARGET...]" >&2
  exit 2
fi
shift
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(petition_json petition_csv geojson shapefile hexjson weights snapshots api)
fi

# afl refuses to start where it cannot set the CPU governor or the core pattern (containers,
# CI): neither matters for finding crashes.
export AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1
export AFL_NO_AFFINITY=1

# cargo-afl builds its AFL++ when installed, for the rustc of that day; after a toolchain
# update it must be built again (a no-op error when it is there already)
cargo afl config --build >/dev/null 2>&1 || true
cargo afl build --release --locked --bins || exit 2
bin_dir="${CARGO_TARGET_DIR:-target}/release"
out=${FUZZ_OUT:-$(mktemp -d -t sigmap-fuzz.XXXXXX)}
mkdir -p "$out"

# -m: a memory limit (MB), so an allocation sized by a number in the input is a crash;
# -t: a hang is an input that takes more than 2 s.
fuzz_one() {
  local t=$1
  rm -rf "${out:?}/$t"
  cargo afl fuzz -i "corpus/$t" -o "$out/$t" -m 2048 -t 2000 -V "$secs" \
    "$bin_dir/$t" >"$out/$t.log" 2>&1
}

# FUZZ_JOBS targets at a time (default 2: CI has two cores)
jobs=${FUZZ_JOBS:-2}
declare -A pid_of=()
for t in "${targets[@]}"; do
  while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n || true; done
  fuzz_one "$t" &
  pid_of[$t]=$!
done

failed=0
printf '%-14s %10s %8s %8s %8s %6s\n' target execs execs/s corpus crashes hangs
for t in "${targets[@]}"; do
  if ! wait "${pid_of[$t]}"; then
    echo "$t: afl-fuzz failed; the end of $out/$t.log:" >&2
    tail -n 20 "$out/$t.log" >&2
    failed=1
    continue
  fi
  stats="$out/$t/default/fuzzer_stats"
  get() { sed -n "s/^$1 *: *//p" "$stats"; }
  crashes=$(get saved_crashes)
  hangs=$(get saved_hangs)
  printf '%-14s %10s %8s %8s %8s %6s\n' "$t" "$(get execs_done)" "$(get execs_per_sec)" \
    "$(get corpus_count)" "$crashes" "$hangs"
  if [ "$crashes" != 0 ] || [ "$hangs" != 0 ]; then
    ls "$out/$t/default/crashes" "$out/$t/default/hangs" >&2
    failed=1
  fi
done
if [ $failed != 0 ]; then
  echo "fuzzing found problems: see $out" >&2
  exit 1
fi
echo "no crash and no hang in ${#targets[@]} target(s), $secs s each"
