#!/usr/bin/env python3
"""Golden values for sigmap's unusual-support test (src/unusual.rs), computed independently
with numpy and scipy from the raw files: the petition JSON and the GE2019 results.

For each seat (the 650 seats of the GE2019 table, zero-filled):
  expected  E_i = (O / sum(V)) * V_i       O = all signatures in the 650 seats, V = valid votes
  obs_exp   O_i / E_i
  poisson_z sign(O_i - E_i) * sqrt(2 * (O_i * log(O_i / E_i) - (O_i - E_i)))   (0 log 0 = 0),
            evaluated with mpmath at 50 digits: in doubles the difference loses up to half
            its digits for seats near their expectation
  poisson_p scipy.stats.chi2.sf(poisson_z**2, df=1)
  pearson   (O_i - E_i) / sqrt(E_i)
  phi       mean(winsorize(pearson, limits=(0.1, 0.1)) ** 2)   (scipy.stats.mstats.winsorize)
  unusual_z pearson / sqrt(max(phi, 1))
  unusual_p 2 * scipy.stats.norm.sf(abs(unusual_z))
  unusual_q scipy.stats.false_discovery_control(unusual_p)  (Benjamini-Hochberg)
  unusual   "high" / "low" where unusual_q <= 0.05, by the sign of unusual_z
  ci95_low_per_1k_voters / ci95_high_per_1k_voters: Garwood exact Poisson interval on O_i,
            chi2.ppf(0.025, 2 O_i) / 2 and chi2.ppf(0.975, 2 O_i + 2) / 2, per 1,000 V_i

Writes tests/golden/unusual/petition_<ID>.json: a header, then one row per seat sorted by code.

Run: scripts/.venv/bin/python scripts/golden/make_golden_unusual.py
"""
import csv
import json
import pathlib

import mpmath
import numpy as np
import scipy
import scipy.stats
from scipy.stats import mstats

ROOT = pathlib.Path(__file__).resolve().parents[2]
PETITIONS = ["241584", "619781", "105868", "601415"]
ALPHA = 0.05


def load_ge2019():
    with open(ROOT / "data/elections/ge2019_results.csv", newline="", encoding="utf-8-sig") as f:
        return {r["ONS ID"]: int(r["Valid votes"]) for r in csv.DictReader(f)}


def load_counts(pid):
    with open(ROOT / f"data/petitions/petition_{pid}.json", encoding="utf-8") as f:
        attrs = json.load(f)["data"]["attributes"]
    return {e["ons_code"]: int(e["signature_count"]) for e in attrs["signatures_by_constituency"]}


def main():
    voters = load_ge2019()
    codes = sorted(voters)
    V = np.array([voters[c] for c in codes], dtype=float)
    out_dir = ROOT / "tests/golden/unusual"
    out_dir.mkdir(parents=True, exist_ok=True)
    for pid in PETITIONS:
        counts = load_counts(pid)
        O = np.array([counts.get(c, 0) for c in codes], dtype=float)
        E = (O.sum() / V.sum()) * V
        mpmath.mp.dps = 50

        def deviance(o, e):
            o, e = mpmath.mpf(float(o)), mpmath.mpf(float(e))
            olog = o * mpmath.log(o / e) if o > 0 else mpmath.mpf(0)
            return float(2 * (olog - (o - e)))

        g = np.array([max(deviance(o, e), 0.0) for o, e in zip(O, E)])
        poisson_z = np.sign(O - E) * np.sqrt(g)
        poisson_p = scipy.stats.chi2.sf(g, df=1)
        pearson = (O - E) / np.sqrt(E)
        phi = float(np.mean(np.asarray(mstats.winsorize(pearson, limits=(0.1, 0.1))) ** 2))
        z = pearson / np.sqrt(max(phi, 1.0))
        p = 2.0 * scipy.stats.norm.sf(np.abs(z))
        q = scipy.stats.false_discovery_control(p)
        lo = np.where(O > 0, scipy.stats.chi2.ppf(0.025, 2 * O) / 2, 0.0)
        hi = scipy.stats.chi2.ppf(0.975, 2 * O + 2) / 2
        rows = []
        for i, c in enumerate(codes):
            flag = None
            if q[i] <= ALPHA and z[i] != 0:
                flag = "high" if z[i] > 0 else "low"
            rows.append({
                "code": c, "signatures": int(O[i]), "valid_votes": int(V[i]),
                "expected": float(E[i]), "obs_exp": float(O[i] / E[i]),
                "poisson_z": float(poisson_z[i]), "poisson_p": float(poisson_p[i]),
                "unusual_z": float(z[i]), "unusual_p": float(p[i]), "unusual_q": float(q[i]),
                "unusual": flag,
                "ci95_low_per_1k_voters": float(1000 * lo[i] / V[i]),
                "ci95_high_per_1k_voters": float(1000 * hi[i] / V[i]),
            })
        header = {
            "description": f"Golden unusual-support values for petition {pid} on the 2010 seats, GE2019 valid votes",
            "generator": "scripts/golden/make_golden_unusual.py",
            "numpy": np.__version__, "scipy": scipy.__version__, "mpmath": mpmath.__version__,
            "dispersion": phi, "alpha": ALPHA,
            "high": sum(r["unusual"] == "high" for r in rows),
            "low": sum(r["unusual"] == "low" for r in rows),
        }
        path = out_dir / f"petition_{pid}.json"
        with open(path, "w") as f:
            f.write('{"header": ' + json.dumps(header) + ',\n"rows": [\n')
            f.write(",\n".join(json.dumps(r) for r in rows))
            f.write("\n]}\n")
        print(f"{path}: phi {phi:.3f}, high {header['high']}, low {header['low']}")


if __name__ == "__main__":
    main()
