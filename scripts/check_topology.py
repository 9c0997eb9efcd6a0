#!/usr/bin/env python3
"""Compare the queen and rook neighbours of two constituency layers (full vs simplified).

Queen: two seats share at least one vertex; rook: they share at least one edge (the same
rule libpysal uses on exact coordinates). Exits non-zero if a link is gained, or lost
without being listed in --expect-lost (pairs as CODE-CODE).
Standard library only.
"""
import argparse
import collections
import json
import sys

CODE_PROPS = ("PCON24CD", "PCON19CD", "PCON10CD")


def rings(geometry):
    polys = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    for poly in polys:
        yield from poly


def links(path):
    with open(path) as f:
        features = json.load(f)["features"]
    codes = [next(f["properties"][p] for p in CODE_PROPS if p in f["properties"]) for f in features]
    vertex_owners = collections.defaultdict(set)
    edge_owners = collections.defaultdict(set)
    vertices = 0
    for i, feature in enumerate(features):
        for ring in rings(feature["geometry"]):
            vertices += len(ring)
            for a, b in zip(ring, ring[1:]):
                a, b = (a[0], a[1]), (b[0], b[1])
                vertex_owners[a].add(i)
                edge_owners[tuple(sorted((a, b)))].add(i)

    def pairs(owners):
        out = set()
        for group in owners.values():
            group = sorted(group)
            out.update((codes[a], codes[b]) for k, a in enumerate(group) for b in group[k + 1:])
        return {tuple(sorted(p)) for p in out}

    return pairs(vertex_owners), pairs(edge_owners), vertices


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("full")
    parser.add_argument("simplified")
    parser.add_argument("--expect-lost", nargs="*", default=[])
    args = parser.parse_args()
    expected = {tuple(sorted(p.split("-"))) for p in args.expect_lost}
    q0, r0, v0 = links(args.full)
    q1, r1, v1 = links(args.simplified)
    print(f"{args.simplified}: vertices {v0} -> {v1}; queen links {len(q0)} -> {len(q1)}; rook links {len(r0)} -> {len(r1)}")
    ok = True
    for kind, before, after in (("queen", q0, q1), ("rook", r0, r1)):
        lost, gained = before - after, after - before
        for p in sorted(lost):
            print(f"  {kind} link lost: {p[0]}-{p[1]}" + (" (expected)" if p in expected else ""))
        for p in sorted(gained):
            print(f"  {kind} link gained: {p[0]}-{p[1]}")
        ok &= not gained and lost <= expected
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
