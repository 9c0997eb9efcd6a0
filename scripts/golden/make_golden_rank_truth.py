"""Exact rank intervals of the shipped petitions, for RankMethod::Pairwise's test.

Each seat's rate has the posterior Gamma(k + 1/2, rate = valid votes) (Poisson count,
Jeffreys prior), as sigmap's rank intervals assume. Seat i's rank is 1 plus the number of
seats whose rate exceeds its own; given its rate t, that number is Poisson-binomial, seat j
above with the chance S_j(t) = Q(k_j + 1/2, d_j t) (scipy's gammaincc). So

    P(rank_i <= r) = integral over seat i's posterior of P(number of others above <= r - 1),

computed here without approximating the Poisson-binomial: its exact distribution at each
point of a grid of log rates (a dynamic programme, rank_truth.c, compiled with gcc at run
time), the seat itself taken out again by deconvolution, integrated over the seat's
posterior with trapezoid weights. The grid's step is the narrowest posterior's standard
deviation (of log rate, among the seats whose central 1 - 2e-10 holds the point) over rho,
at most 0.25. Two grids, rho 30 and 60, are combined by Richardson's extrapolation (the
error falls as the step squared): the result is within about 1e-5 of the exact
P(rank <= r), and against 100,000 draws the z-scores had mean -0.01 and sd 1.00 on two of
these petitions.

An interval's ends are as sigmap defines them for 95%: best = the least r with
P(rank <= r) > 0.025, worst = the least r with P(rank <= r) >= 0.975. Ends whose
probability is within 2e-5 of the threshold (twice the error) are marked (`best_close`, `worst_close`): there
the neighbouring rank is as defensible.

Writes tests/golden/rank_truth/petition_<id>.csv, one row per seat of the petition's set
(the GE2019 results for the 2010 seats, GE2024 for 2024; zero-filled), sorted by code:
code, signatures, valid_votes, best, worst, best_close, worst_close.

Run from the repository root (numpy and scipy, as in requirements.txt; gcc):

    scripts/.venv/bin/python scripts/golden/make_golden_rank_truth.py
"""

import csv
import ctypes
import json
import pathlib
import subprocess
import tempfile

import numpy as np
from scipy import special

ROOT = pathlib.Path(__file__).resolve().parents[2]
PETITIONS = [105868, 105991, 241584, 601415, 619781]
LEVEL_TAILS = (0.025, 0.975)
CLOSE = 2e-5


def valid_votes(path):
    """ONS code -> valid votes, from a House of Commons results CSV."""
    rows = list(csv.reader(open(path, encoding="utf-8-sig")))
    header_at = next(i for i, r in enumerate(rows) if "ONS ID" in r)
    header = rows[header_at]
    code, votes = header.index("ONS ID"), header.index("Valid votes")
    return {
        r[code].strip(): int(r[votes].replace(",", ""))
        for r in rows[header_at + 1 :]
        if len(r) > votes and r[code].strip()
    }


def petition_counts(path, sets):
    """(codes, counts, valid votes) on the set whose codes the petition's counts match."""
    attributes = json.load(open(path))["data"]["attributes"]
    counts = {
        c["ons_code"]: c["signature_count"]
        for c in attributes.get("signatures_by_constituency") or []
    }
    votes = max(sets, key=lambda s: sum(c in s for c in counts))
    unknown = set(counts) - set(votes)
    if unknown:
        raise SystemExit(f"{path}: codes in no set: {sorted(unknown)}")
    codes = sorted(votes)
    return (
        codes,
        np.array([counts.get(c, 0) for c in codes], dtype=np.int64),
        np.array([votes[c] for c in codes], dtype=np.int64),
    )


def kernel():
    """rank_truth.c, compiled into a temporary folder and loaded."""
    out = pathlib.Path(tempfile.mkdtemp()) / "rank_truth.so"
    source = pathlib.Path(__file__).with_name("rank_truth.c")
    subprocess.run(["gcc", "-O2", "-shared", "-fPIC", "-o", str(out), str(source)], check=True)
    lib = ctypes.CDLL(str(out))
    doubles = np.ctypeslib.ndpointer(dtype=np.float64, flags="C_CONTIGUOUS")
    lib.truth.argtypes = [ctypes.c_int, ctypes.c_int, doubles, doubles, ctypes.c_double,
                          ctypes.c_double, doubles]
    lib.truth.restype = None
    return lib


def grid(k, d, rho, tail=1e-10, max_step=0.25):
    a = k + 0.5
    lo = np.log(special.gammaincinv(a, tail) / d)
    hi = np.log(special.gammainccinv(a, tail) / d)
    sd = np.sqrt(special.polygamma(1, a))
    x, xs = lo.min(), [lo.min()]
    while x < hi.max():
        active = (lo <= x) & (hi >= x)
        x += min(max_step, sd[active].min() / rho) if active.any() else max_step
        xs.append(x)
    return np.array(xs)


def chances(lib, k, d, rho):
    """P(rank_i <= r) for every seat i and r = 0..n, on the grid of this rho."""
    k, d = k.astype(float), d.astype(float)
    x = grid(k, d, rho)
    s = np.ascontiguousarray(special.gammaincc(k[None, :] + 0.5, d[None, :] * np.exp(x)[:, None]))
    mass = s[:-1] - s[1:]
    w = np.zeros_like(s)
    w[:-1] += 0.5 * mass
    w[1:] += 0.5 * mass
    w[0] += 1.0 - s[0]
    w[-1] += s[-1]
    n = len(k)
    a = np.zeros((n, n + 1))
    lib.truth(len(x), n, s, np.ascontiguousarray(w), 1e-15, 1e-16, a)
    return a


def ends(a, threshold, strictly):
    above = a > threshold if strictly else a >= threshold
    r = np.argmax(above, axis=1)
    seats = np.arange(a.shape[0])
    margin = np.minimum(np.abs(a[seats, r] - threshold), np.abs(a[seats, r - 1] - threshold))
    return r, margin < CLOSE


def main():
    lib = kernel()
    sets = [valid_votes(ROOT / f"data/elections/ge{y}_results.csv") for y in (2019, 2024)]
    out_dir = ROOT / "tests/golden/rank_truth"
    out_dir.mkdir(parents=True, exist_ok=True)
    for pid in PETITIONS:
        codes, k, d = petition_counts(ROOT / f"data/petitions/petition_{pid}.json", sets)
        a = (4.0 * chances(lib, k, d, 60.0) - chances(lib, k, d, 30.0)) / 3.0
        best, best_close = ends(a, LEVEL_TAILS[0], strictly=True)
        worst, worst_close = ends(a, LEVEL_TAILS[1], strictly=False)
        path = out_dir / f"petition_{pid}.csv"
        with open(path, "w", newline="") as f:
            out = csv.writer(f, lineterminator="\n")
            out.writerow(["code", "signatures", "valid_votes", "best", "worst", "best_close",
                          "worst_close"])
            for row in zip(codes, k, d, best, worst, best_close, worst_close):
                out.writerow([row[0], *map(int, row[1:5]), *map(int, row[5:])])
        print(f"{path}: {len(codes)} seats, {int(best_close.sum() + worst_close.sum())} close ends")


if __name__ == "__main__":
    main()
