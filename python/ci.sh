#!/usr/bin/env bash
# The Python package's CI step: a fresh venv, `pip install ./python` (maturin through the
# pyproject build-system; cargo builds sigmap without default features), the pinned test
# dependencies, pytest. Needs Rust (cargo) and python3 >= 3.9 with venv and pip; reaches
# PyPI and crates.io only. Run from anywhere: `bash python/ci.sh`.
#   SIGMAP_PY_VENV   the venv to (re)create (default: a temporary folder, removed after)
#   CARGO_TARGET_DIR  cargo's build folder (maturin uses it; keep it between runs to be warm)
#   SIGMAP_BIN       a built `sigmap` CLI for the tests that compare with it (default: built
#                    here, release, with only the `cli` feature)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(dirname "$here")"
python="${PYTHON:-python3}"
venv="${SIGMAP_PY_VENV:-}"
if [[ -z "$venv" ]]; then
    venv="$(mktemp -d)/venv"
    trap 'rm -rf "$(dirname "$venv")"' EXIT
fi
# Debian's python3 has venv without ensurepip until python3-venv is installed
if ! "$python" -c "import ensurepip" 2>/dev/null; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-venv
fi
clock() { date +%s; }
t0=$(clock)
rm -rf "$venv"
"$python" -m venv "$venv"
# shellcheck disable=SC1091
. "$venv/bin/activate"
python -m pip install --quiet --upgrade pip
t1=$(clock)
python -m pip install --quiet "$here"
t2=$(clock)
python -m pip install --quiet -r "$here/requirements-test.txt"
t3=$(clock)
# the CLI the tests compare with (areas.csv, summary.json, maps, stats): polars, PNG,
# Shapefile and GeoPackage are not needed for what they compare
if [[ -z "${SIGMAP_BIN:-}" ]]; then
    cargo build --release --quiet --manifest-path "$repo/Cargo.toml" --no-default-features --features cli --bin sigmap
    SIGMAP_BIN="${CARGO_TARGET_DIR:-$repo/target}/release/sigmap"
fi
export SIGMAP_BIN
t4=$(clock)
# from the repository root, so that python/sigmap/ (sources without the extension) is not
# imported instead of the installed package
cd "$repo"
python -m pytest -q -p no:cacheprovider python/tests
t5=$(clock)
echo "python/ci.sh: venv $((t1 - t0)) s, pip install ./python $((t2 - t1)) s, test deps $((t3 - t2)) s, CLI $((t4 - t3)) s, pytest $((t5 - t4)) s"
