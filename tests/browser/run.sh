#!/usr/bin/env bash
# The interactive map in a real browser: headless Chromium (Debian's `chromium` and
# `chromium-driver`) driven by selenium (from PyPI, in a venv under the target dir) runs
# tests/browser/test_map.py against `sigmap map PETITION -o map.html` and
# tests/browser/test_site.py against `sigmap site PETITION... --out DIR`.
#
# Installs what it lacks (apt: chromium, chromium-driver, python3-venv; pip: selenium,
# pytest), builds the binary, writes the map and the report of the same petition, runs
# the tests. Arguments go to pytest. SIGMAP_SCREENSHOTS=DIR keeps screenshots at 1280 and
# 375 px there.
set -euo pipefail
cd "$(dirname "$0")/../.."

need=()
command -v chromium >/dev/null || need+=(chromium)
command -v chromedriver >/dev/null || need+=(chromium-driver)
python3 -c 'import venv, ensurepip' 2>/dev/null || need+=(python3-venv)
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}"
fi

target="${CARGO_TARGET_DIR:-$PWD/target}"
venv="$target/browser-venv"
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/python" -c 'import selenium, pytest' 2>/dev/null ||
  "$venv/bin/pip" install -q 'selenium>=4.20,<5' 'pytest>=8,<9'

cargo build -q --bin sigmap
sigmap="$target/debug/sigmap"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# the Article 50 petition re-expressed on the 2024 seats: 650 seats, a crosswalk caveat
petition=data/petitions/petition_241584.json
"$sigmap" report "$petition" --to 2024 --out "$work/report" >/dev/null
"$sigmap" map "$petition" --to 2024 -o "$work/map.html" >/dev/null

# the shipped petitions on the 2024 seats
"$sigmap" site data/petitions --to 2024 --out "$work/site" >/dev/null

SIGMAP_MAP="$work/map.html" SIGMAP_AREAS_CSV="$work/report/areas.csv" \
  SIGMAP_SITE="$work/site" SIGMAP_SITE_PETITION=241584 SIGMAP_SITE_PETITIONS=5 \
  "$venv/bin/python" -m pytest -q -p no:cacheprovider tests/browser/test_map.py tests/browser/test_site.py "$@"
