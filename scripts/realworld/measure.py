#!/usr/bin/env python3
"""Measure a so-hook binary against the hand-labelled real-world command set.

Every command in tests/realworld/labels.jsonl is judged with `BIN check --json` in the fixture
project (scripts/realworld/project.sh), as the main session, with a fixed environment
(PATH=/usr/bin:/bin HOME=/home/tester TMPDIR=/tmp). A command counts as flagged when the hook
denies or asks; allow and warn count as passed.

  recall    = stop labels flagged / stop labels
  precision = stop labels flagged / all flagged
  FP rate   = pass labels flagged / pass labels

Prints the numbers for system-script commands, project-level commands (script + public) and
overall, and writes every disagreement, with the hook's rule and reason, to
target/realworld/disagreements.txt. A report, not a test: the exit status is 0 whatever the numbers.

Usage: python3 scripts/realworld/measure.py [BIN] [--json] [--labels FILE] [--project DIR] [--out FILE]
"""
import argparse
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
ENV = {"PATH": "/usr/bin:/bin", "HOME": "/home/tester", "TMPDIR": "/tmp", "LC_ALL": "C"}
GROUPS = (("system-script", ("system-script",)), ("project-level", ("script", "public")),
          ("overall", ("system-script", "script", "public")))


def make_project(path):
    """Build (or rebuild) the fixture project and return its absolute path."""
    cmd = ["sh", os.path.join(HERE, "project.sh")] + ([path] if path else [])
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, env=dict(ENV, HOME=os.environ.get("HOME", "/root")))
    return out.stdout.strip().splitlines()[-1]


def judge(binary, project, command):
    """Run the hook on one command; return its decision, rule, unit and reason."""
    try:
        p = subprocess.run([binary, "check", "--json", "--cwd", project, "--command", command],
                           capture_output=True, text=True, env=ENV, timeout=30)
    except subprocess.TimeoutExpired:
        return {"decision": "error", "rule": None, "unit": None, "reason": "timed out after 30 s"}
    try:
        d = json.loads(p.stdout)
    except json.JSONDecodeError:
        return {"decision": "error", "rule": None, "unit": None,
                "reason": f"exit {p.returncode}, no JSON: {(p.stderr or p.stdout).strip()[:300]}"}
    return {"decision": d.get("decision"), "rule": d.get("rule"), "unit": d.get("unit"), "reason": d.get("reason")}


def flagged(decision):
    # deny and ask stop the command; an error in check mode is what the hook would deny as well.
    return decision in ("deny", "ask", "error")


def stats(rows):
    tp = sum(1 for r in rows if r["label"] == "stop" and flagged(r["decision"]))
    fn = sum(1 for r in rows if r["label"] == "stop" and not flagged(r["decision"]))
    fp = sum(1 for r in rows if r["label"] == "pass" and flagged(r["decision"]))
    tn = sum(1 for r in rows if r["label"] == "pass" and not flagged(r["decision"]))
    div = lambda a, b: round(a / b, 4) if b else None  # noqa: E731
    return {"labels": len(rows), "stop": tp + fn, "pass": fp + tn, "flagged": tp + fp,
            "true_stop": tp, "missed_stop": fn, "false_alarm": fp, "true_pass": tn,
            "recall": div(tp, tp + fn), "precision": div(tp, tp + fp), "fp_rate": div(fp, fp + tn)}


def pct(x):
    return "  n/a" if x is None else f"{100 * x:5.1f}%"


def main():
    ap = argparse.ArgumentParser(description="Measure a so-hook binary against tests/realworld/labels.jsonl.")
    ap.add_argument("bin", nargs="?", default="/tmp/so-hook-base")
    ap.add_argument("--labels", default=os.path.join(ROOT, "tests", "realworld", "labels.jsonl"))
    ap.add_argument("--project", default=None, help="fixture directory (default target/realworld-project)")
    ap.add_argument("--out", default=os.path.join(ROOT, "target", "realworld", "disagreements.txt"))
    ap.add_argument("--json", action="store_true", help="print the numbers as JSON")
    args = ap.parse_args()

    labels = []
    with open(args.labels) as f:
        for n, line in enumerate(f, 1):
            if line.strip():
                rec = json.loads(line)
                if rec.get("label") not in ("stop", "pass"):
                    sys.exit(f"{args.labels}:{n}: label must be stop or pass")
                labels.append(rec)
    project = make_project(args.project)
    binary = os.path.abspath(args.bin)
    rows = []
    for rec in labels:
        rows.append(dict(rec, **judge(binary, project, rec["cmd"])))

    report = {"binary": args.bin, "labels_file": os.path.relpath(args.labels, ROOT), "groups": {}, "by_origin": {}}
    for name, origins in GROUPS:
        report["groups"][name] = stats([r for r in rows if r["origin"] in origins])
    for o in ("system-script", "script", "public"):
        report["by_origin"][o] = stats([r for r in rows if r["origin"] == o])
    report["decisions"] = {d: sum(1 for r in rows if r["decision"] == d) for d in sorted({r["decision"] for r in rows})}

    # Disagreements, sorted so the file is the same on every run.
    order = {"system-script": 0, "script": 1, "public": 2}
    bad = [r for r in rows if (r["label"] == "stop") != flagged(r["decision"])]
    bad.sort(key=lambda r: (r["label"] != "stop", order[r["origin"]], r["cmd"]))
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, "w") as f:
        f.write(f"# Disagreements between {args.bin} and {report['labels_file']}\n")
        f.write("# MISSED = labelled stop, hook allowed or warned.  FALSE ALARM = labelled pass, hook denied or asked.\n\n")
        for r in bad:
            kind = "MISSED" if r["label"] == "stop" else "FALSE ALARM"
            f.write(f"[{kind}] ({r['origin']}) {r['cmd']}\n")
            f.write(f"  source:   {r['source']}\n")
            f.write(f"  label:    {r['label']} - {r['effect']} - {r['why']}\n")
            f.write(f"  hook:     {r['decision']} rule={r['rule']} unit={r['unit']!r}\n")
            if r.get("reason"):
                f.write(f"  reason:   {r['reason']}\n")
            f.write("\n")

    if args.json:
        print(json.dumps(report, indent=2, sort_keys=True))
        return
    print(f"so-hook real-world measurement: {args.bin} on {report['labels_file']} ({len(rows)} commands)")
    print(f"{'group':<15}{'labels':>7}{'stop':>6}{'pass':>6}{'flagged':>8}{'recall':>8}{'precision':>10}{'FP rate':>9}"
          f"{'missed':>8}{'false alarm':>12}")
    for name, st in list(report["groups"].items()) + [("  " + k, v) for k, v in report["by_origin"].items()]:
        print(f"{name:<15}{st['labels']:>7}{st['stop']:>6}{st['pass']:>6}{st['flagged']:>8}{pct(st['recall']):>8}"
              f"{pct(st['precision']):>10}{pct(st['fp_rate']):>9}{st['missed_stop']:>8}{st['false_alarm']:>12}")
    print("decisions: " + ", ".join(f"{k} {v}" for k, v in report["decisions"].items()))
    print(f"{len(bad)} disagreements -> {os.path.relpath(args.out, ROOT) if args.out.startswith(ROOT) else args.out}")


if __name__ == "__main__":
    main()
