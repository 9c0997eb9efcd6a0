#!/usr/bin/env bash
# Times sigmap (criterion, release) and PySAL (scripts/bench_pysal.py) on the same data in
# the same run, and prints sigmap's speed-up for each benchmark.
# Needs the golden-file venv (scripts/golden/README.md). Usage: scripts/bench_vs_pysal.sh
set -euo pipefail
cd "$(dirname "$0")/.."
py=${PYTHON:-scripts/.venv/bin/python}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
"$py" scripts/bench_pysal.py > "$out/pysal.json"
cargo bench --bench weights --bench stats -- --output-format bencher 2>/dev/null | grep '^test ' > "$out/sigmap.txt"
"$py" - "$out/pysal.json" "$out/sigmap.txt" <<'PY'
import json, re, sys
pysal = json.load(open(sys.argv[1]))["seconds"]
ours = {}
for line in open(sys.argv[2]):
    m = re.match(r"test (\S+) \.\.\. bench:\s+([\d,]+) ns/iter", line)
    if m:
        ours[m.group(1)] = int(m.group(2).replace(",", "")) / 1e9
print(f"{'benchmark':45} {'sigmap':>12} {'PySAL':>12} {'ratio':>8}")
for name, secs in sorted(ours.items()):
    ref = pysal.get(name) or pysal.get(re.sub(r"/(shared|independent)", "", name))
    ratio = f"{ref / secs:8.1f}x" if ref else "       -"
    ref_s = f"{ref * 1e3:10.2f}ms" if ref else "           -"
    print(f"{name:45} {secs * 1e3:10.3f}ms {ref_s} {ratio}")
PY
