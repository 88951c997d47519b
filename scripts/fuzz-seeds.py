#!/usr/bin/env python3
"""Writes the fuzz seed corpora (fuzz/seeds/<target>/) from the repository's own test data: the
command corpus, the fixture scenarios and the captured payload envelopes. Run it again after the
test data changes; the seeds are committed. Seeds with other names (the inputs of past findings,
kept as regression seeds) are left alone."""
import hashlib
import json
import os
import pathlib

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "fuzz" / "seeds"


def jsonl(path):
    for line in path.read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("//"):
            yield json.loads(line)


def write(target, data):
    if isinstance(data, str):
        data = data.encode()
    d = OUT / target
    d.mkdir(parents=True, exist_ok=True)
    (d / hashlib.sha1(data).hexdigest()[:16]).write_bytes(data)


def main():
    # Generated seeds are named by their hash; named ones (inputs of past findings) stay.
    for d in OUT.glob("*"):
        for f in d.glob("*"):
            if len(f.name) == 16 and all(c in "0123456789abcdef" for c in f.name):
                f.unlink()
    commands = set()
    for f in sorted((ROOT / "tests" / "corpus").glob("*.jsonl")):
        for case in jsonl(f):
            if "cmd" in case:
                commands.add(case["cmd"])
    for case in jsonl(ROOT / "tests" / "fixtures" / "scenarios.jsonl"):
        if "command" in case:
            commands.add(case["command"])
        if "patch" in case:
            write("patch", case["patch"])
        m = case.get("manifest")
        if m is not None:
            write("config", m if isinstance(m, str) else json.dumps(m))
            for p in m.get("allowedPaths", []) if isinstance(m, dict) else []:
                write("paths", f"{case.get('edit', 'src/a.rs')}\n{p}")
        if "policy" in case:
            pol = case["policy"]
            write("config", pol if isinstance(pol, str) else json.dumps(pol))
    for c in sorted(commands):
        write("command", c)
    for f in sorted((ROOT / "tests" / "envelopes").glob("*.jsonl")):
        for case in jsonl(f):
            payload = json.dumps(case["payload"]).replace("$ROOT", "/tmp/project")
            write("payload", payload)
    write("config", "## Session Config\n\n- **typecheck-command**: cargo check\n- vcs: git\n")
    for p in ["src/a.rs\nsrc/**", "../etc/passwd\nsrc/", "src/out/passwd\nsrc/**/*.rs", "/etc/x\n/etc"]:
        write("paths", p)
    counts = {d.name: len(list(d.iterdir())) for d in sorted(OUT.iterdir())}
    print(" ".join(f"{k}={v}" for k, v in counts.items()))


if __name__ == "__main__":
    main()
