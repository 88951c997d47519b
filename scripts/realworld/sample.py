#!/usr/bin/env python3
"""Draw the stratified sample that was hand-labelled into tests/realworld/labels.jsonl.

Reads target/realworld/all.jsonl (from extract.py), writes target/realworld/sample.jsonl in a
shuffled order WITHOUT the hook's decisions, so labelling is not steered by them.

Strata, per origin group:
  1. every command in the pool that the hook (BIN) denies or asks;
  2. every command in the pool that looks like it deletes, overwrites, moves or re-modes something
     outside the project or recursively (a broad regex, see RISKY below);
  3. a seeded random sample of the rest.
The pool is all public commands, and a seeded random subset of the machine's script commands.

Usage: python3 scripts/realworld/sample.py [BIN] [--system-pool N] [--rest-system N] [--rest-public N]
Deterministic for a given all.jsonl and binary.
"""
import argparse
import json
import os
import random
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
import measure  # noqa: E402  (shares the fixture and the way the hook is run)

RISKY = re.compile(
    r"(^|[\s;&|(`])(sudo\s+)?(rm|rmdir|unlink|shred|mv|dd|truncate|mkfs\S*|wipefs|chmod|chown|chgrp|ln\s+-\S*f|install|rsync|"
    r"find\b.*(-delete|-exec\s+rm)|git\s+(reset|clean|push|checkout|restore|branch|stash|filter-branch|rm)|"
    r"sed\s+(-\S*i|--in-place)|tee\b|cp\b|xargs\s+rm|docker\s+(system|volume|image|rm)|dropdb|prisma)\b"
    r"|>\s*[~/$]|\|\s*(sudo\s+)?(ba|z|da)?sh\b|curl\b.*\|")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("bin", nargs="?", default="/tmp/so-hook-base")
    ap.add_argument("--all", default=os.path.join(ROOT, "target", "realworld", "all.jsonl"))
    ap.add_argument("--out", default=os.path.join(ROOT, "target", "realworld", "sample.jsonl"))
    ap.add_argument("--system-pool", type=int, default=1400)
    ap.add_argument("--rest-system", type=int, default=110)
    ap.add_argument("--rest-public", type=int, default=200)
    ap.add_argument("--seed", type=int, default=20240601)
    args = ap.parse_args()

    rows = [json.loads(l) for l in open(args.all)]
    rng = random.Random(args.seed)
    public = [r for r in rows if r["origin"] == "public"]
    system = [r for r in rows if r["origin"] != "public"]
    system = [r for r in system if len(r["cmd"]) <= 600]
    pool_sys = rng.sample(system, min(args.system_pool, len(system)))

    project = measure.make_project(None)
    chosen = []
    for group, pool, rest_n in (("public", public, args.rest_public), ("system", pool_sys, args.rest_system)):
        flagged, risky, rest = [], [], []
        for r in pool:
            d = measure.judge(args.bin, project, r["cmd"])["decision"]
            if d in ("deny", "ask"):
                flagged.append(r)
            elif RISKY.search(r["cmd"]):
                risky.append(r)
            else:
                rest.append(r)
        pick = flagged + risky + rng.sample(rest, min(rest_n, len(rest)))
        print(f"{group}: pool {len(pool)}, stratum hook-flagged {len(flagged)}, risky-looking {len(risky)}, "
              f"random rest {min(rest_n, len(rest))} of {len(rest)}", file=sys.stderr)
        chosen += pick
    rng.shuffle(chosen)
    with open(args.out, "w") as f:
        for r in chosen:
            f.write(json.dumps({"cmd": r["cmd"], "origin": r["origin"], "source": r["source"]}, ensure_ascii=False) + "\n")
    print(f"{len(chosen)} commands -> {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
