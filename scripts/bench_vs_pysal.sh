#!/usr/bin/env bash
# Times sigmap (criterion, release) and PySAL (scripts/bench_pysal.py) on the same data in
# the same run, and prints sigmap's speed-up for each benchmark against esda without numba
# and against esda with numba (warm: bench_pysal.py runs each benchmark once before timing,
# which pays numba's compilation).
#
# Usage: scripts/bench_vs_pysal.sh
#   PYTHON        interpreter of the golden-file venv, without numba
#                 (default scripts/.venv/bin/python; scripts/golden/README.md makes it)
#   NUMBA_PYTHON  interpreter of a venv with the same pins plus numba; by default
#                 scripts/.venv-numba/bin/python, created on first use from
#                 scripts/golden/requirements.txt plus numba (a few minutes, PyPI);
#                 NUMBA_PYTHON=none skips the numba column
set -euo pipefail
cd "$(dirname "$0")/.."
py=${PYTHON:-scripts/.venv/bin/python}
numba_py=${NUMBA_PYTHON:-scripts/.venv-numba/bin/python}
if [[ "$numba_py" != none && ! -x "$numba_py" && "$numba_py" == scripts/.venv-numba/bin/python ]]; then
    echo "setting up scripts/.venv-numba (esda's pins plus numba)" >&2
    "$py" -m venv scripts/.venv-numba
    scripts/.venv-numba/bin/pip install --quiet -r scripts/golden/requirements.txt \
        numba==0.68.1 llvmlite==0.50.0 >&2
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
echo '{}' > "$out/numba.json"
# Python first, then Rust, then Python with numba: all in one run of this script
"$py" scripts/bench_pysal.py > "$out/pysal.json"
cargo bench --bench weights --bench stats -- --output-format bencher 2>/dev/null | grep '^test ' > "$out/sigmap.txt"
if [[ "$numba_py" != none ]]; then
    "$numba_py" scripts/bench_pysal.py --warmup 2 > "$out/numba.json"
fi
"$py" - "$out/pysal.json" "$out/numba.json" "$out/sigmap.txt" <<'PY'
import json, os, re, sys
plain = json.load(open(sys.argv[1]))
numba = json.load(open(sys.argv[2]))
if plain.get("numba"):
    sys.exit("the PYTHON venv has numba: it must time esda without numba")
if numba and numba.get("esda_crand_compute_chunk") != "CPUDispatcher":
    sys.exit("the NUMBA_PYTHON venv did not compile esda's kernels with numba")
ours = {}
for line in open(sys.argv[3]):
    m = re.match(r"test (\S+) \.\.\. bench:\s+([\d,]+) ns/iter", line)
    if m:
        ours[m.group(1)] = int(m.group(2).replace(",", "")) / 1e9
print(f"machine: {os.cpu_count()} logical CPUs; esda {plain['esda']}, libpysal {plain['libpysal']}, "
      f"numba {numba.get('numba', 'not run')}; best of {plain['repeat']} (PySAL) after warm-up")
print(f"{'benchmark':42} {'sigmap':>10} {'esda':>10} {'ratio':>7} {'esda+numba':>11} {'ratio':>7}")
def ref(table, name):
    secs = (table or {}).get("seconds", {})
    return secs.get(name) or secs.get(re.sub(r"/(shared|independent|esda)/", "/", name))
for name, secs in sorted(ours.items()):
    cells = []
    for table in (plain, numba):
        r = ref(table, name)
        cells += [f"{r * 1e3:8.2f}ms", f"{r / secs:6.1f}x"] if r else ["-", "-"]
    print(f"{name:42} {secs * 1e3:8.3f}ms {cells[0]:>10} {cells[1]:>7} {cells[2]:>11} {cells[3]:>7}")
PY
