#!/usr/bin/env python3
"""Extract shell commands from this machine's shell scripts, plus the collected public commands.

Writes target/realworld/all.jsonl: one JSON object a line with cmd, source, origin.
  origin "system-script": Debian maintainer scripts, /etc (init, cron, profile.d, ...), /usr/sbin
  origin "script":        other shell scripts (/usr/bin, /usr/lib, /usr/libexec, /usr/share/doc examples)
  origin "public":        tests/realworld/public.jsonl (collected by hand from public material)

Usage: python3 scripts/realworld/extract.py [--out FILE]
Standard library only. The output is sorted, so two runs on the same machine give the same file.
"""
import argparse
import gzip
import json
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCAN_DIRS = ["/usr/bin", "/usr/sbin", "/usr/lib", "/usr/libexec", "/etc"]
DPKG_INFO = "/var/lib/dpkg/info"
MAINT_EXT = (".preinst", ".postinst", ".prerm", ".postrm", ".config")
DOC_DIR = "/usr/share/doc"
SHEBANG = re.compile(rb"^#!\s*(/usr)?(/bin/|/usr/bin/env\s+)(ba|da|k|z|)sh\b")
MAX_BYTES = 2_000_000
MAX_JOIN = 400  # lines a quoted string or continuation may span (all are consumed)
MAX_KEEP = 30   # a logical line longer than this many physical lines is data, not a command

KEYWORDS_ALONE = {"fi", "done", "esac", "then", "else", "do", "{", "}", "(", ")", ";;", ";&", ";;&",
                  "in", "}", "};", ");", "fi;", "done;", "esac;", "true", ":", "break", "continue",
                  "return", "exit", "set -e", "set -u", "set -eu", "set -x"}
FUNC_HEADER = re.compile(r"^(function\s+)?[A-Za-z_][A-Za-z0-9_.:-]*\s*\(\s*\)\s*(\{|\()?\s*$|^function\s+[A-Za-z_][A-Za-z0-9_.:-]*\s*(\{)?\s*$")
CASE_PATTERN = re.compile(r"^\(?\s*[^()\s][^()]*\)\s*(.*)$")
ASSIGN_ONLY = re.compile(r"^(export\s+|local\s+|readonly\s+|declare\s+(-\w+\s+)?)?[A-Za-z_][A-Za-z0-9_]*(\[[^]]*\])?\+?=(\S*|\"[^\"]*\"|'[^']*')\s*;?\s*$")
HEREDOC = re.compile(r"<<-?\s*(['\"]?)\\?([A-Za-z_][A-Za-z0-9_]*)\1")


def origin_of(path):
    if path.startswith(DPKG_INFO + "/") or path.startswith("/etc/") or path.startswith("/usr/sbin/"):
        return "system-script"
    return "script"


def read_text(path):
    try:
        if os.path.getsize(path) > MAX_BYTES:
            return None
        opener = gzip.open if path.endswith(".gz") else open
        with opener(path, "rb") as f:
            data = f.read(MAX_BYTES)
    except (OSError, EOFError, gzip.BadGzipFile):
        return None
    if b"\0" in data[:4096]:
        return None
    return data


def is_shell(data):
    return bool(SHEBANG.match(data.split(b"\n", 1)[0]))


def quotes_open(s):
    """True when a single or double quote (or $( / backtick) is left open at the end of s."""
    sq = dq = bq = False
    depth = 0
    i = 0
    while i < len(s):
        c = s[i]
        if sq:
            if c == "'":
                sq = False
        elif c == "\\":
            i += 1
        elif dq:
            if c == '"':
                dq = False
            elif c == "`":
                bq = not bq
        elif c == "'":
            sq = True
        elif c == '"':
            dq = True
        elif c == "`":
            bq = not bq
        elif c == "#" and (i == 0 or s[i - 1] in " \t;|&("):
            break  # comment to end of line
        elif s.startswith("$(", i):
            depth += 1
            i += 1
        elif c == ")" and depth:
            depth -= 1
        i += 1
    return sq or dq or bq or depth > 0


def strip_comment(s):
    """Remove a trailing comment that is outside quotes."""
    sq = dq = False
    i = 0
    while i < len(s):
        c = s[i]
        if sq:
            if c == "'":
                sq = False
        elif c == "\\":
            i += 1
        elif dq:
            if c == '"':
                dq = False
        elif c == "'":
            sq = True
        elif c == '"':
            dq = True
        elif c == "#" and (i == 0 or s[i - 1] in " \t;"):
            return s[:i].rstrip()
        i += 1
    return s


def logical_lines(text):
    """Yield logical lines: continuations joined, multi-line quotes joined, here-doc bodies kept."""
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        i += 1
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        joined = line
        n = 0
        while n < MAX_JOIN and i < len(lines) and (joined.endswith("\\") or quotes_open(joined)
                                                    or re.search(r"(&&|\|\||\|)\s*$", strip_comment(joined))):
            if joined.endswith("\\") and not joined.endswith("\\\\"):
                joined = joined[:-1].rstrip() + " " + lines[i].strip()
            elif not quotes_open(joined):
                joined = strip_comment(joined).rstrip() + " " + lines[i].strip()
            else:
                joined = joined + "\n" + lines[i]
            i += 1
            n += 1
        if n >= MAX_KEEP:
            continue
        # here-docs: the body belongs to this command
        for m in HEREDOC.finditer(strip_comment(joined)):
            word = m.group(2)
            body = []
            while i < len(lines) and lines[i].strip() != word:
                body.append(lines[i])
                i += 1
            i += 1
            joined = joined + "\n" + "\n".join(body) + "\n" + word
        yield joined


def clean(line):
    """Turn a logical line into a command, or None if it is only syntax."""
    s = strip_comment(line.strip()) if "\n" not in line else line.strip()
    s = s.strip()
    if not s:
        return None
    # leading control words
    changed = True
    while changed:
        changed = False
        for kw in ("then ", "else ", "do ", "{ ", "( "):
            if s.startswith(kw):
                s = s[len(kw):].lstrip()
                changed = True
    # trailing ;; / ; then / ; do / ) / {
    for tail in (";;", ";&", "; then", ";then", "; do", ";do", " then", " do"):
        if s.endswith(tail):
            s = s[: -len(tail)].rstrip()
    for tail in ("; fi", ";fi", "; done", ";done", "; esac", " }", "; }", ";}"):
        if s.endswith(tail) and not s.startswith(("if ", "for ", "while ", "until ", "{")):
            s = s[: -len(tail)].rstrip()
    s = s.rstrip(";").rstrip()
    if not s or s in KEYWORDS_ALONE:
        return None
    if FUNC_HEADER.match(s):
        return None
    if re.match(r"^case\s.*\sin$", s) or re.match(r"^for\s+\w+(\s+in\s.*)?$", s) or s.startswith("select "):
        return None
    # if/elif/while/until condition: the condition is a command of its own
    m = re.match(r"^(if|elif|while|until)\s+(.*)$", s)
    if m:
        s = m.group(2).strip()
        if s.startswith("! "):
            s = s[2:].strip()
    # case pattern at the start of the line: "foo|bar) cmd"
    if re.match(r"^[^\s\"'$=(]*[^\s\"'$=()]\)", s) and not re.match(r"^\w+\(\)", s):
        m = CASE_PATTERN.match(s)
        if m:
            s = m.group(1).strip()
            s = s[:-2].rstrip() if s.endswith(";;") else s
            if not s:
                return None
    if s.startswith("*)"):
        s = s[2:].strip().rstrip(";").strip()
        if not s:
            return None
    if s in KEYWORDS_ALONE or s.startswith(("[[ ", "[ ")) and s.endswith(("]]", "]")) and "&&" not in s and "||" not in s:
        return None  # a bare test has no effect
    if ASSIGN_ONLY.match(s):
        return None
    if len(s) > 2000:
        return None
    return s


def split_case_pattern(s):
    """Inside a case block: "pat1|pat2) cmd ;;" -> "cmd" ("" when only a pattern); None when not a pattern."""
    t = s[1:] if s.startswith("(") else s
    idx = t.find(")")
    if idx < 0:
        return None
    prefix = t[:idx]
    if "(" in prefix or prefix.startswith(("if ", "for ", "while ", "until ", "echo ", "printf ")):
        return None
    rest = t[idx + 1:].strip()
    if rest.endswith(";;"):
        rest = rest[:-2].rstrip()
    return rest


def commands_of(text):
    """Yield the commands of one script."""
    depth = 0
    for line in logical_lines(text):
        s = line.strip()
        if re.match(r"^case\s.*\sin$", s) or re.match(r"^case\s.*\sin\s", s):
            depth += 1
            continue
        if depth and re.match(r"^(esac|;;\s*esac)\b", s):
            depth -= 1
            continue
        if depth and "\n" not in s:
            rest = split_case_pattern(s)
            if rest is not None:
                s = rest
                if not s:
                    continue
        yield clean(s)


def script_files():
    seen = set()
    for d in SCAN_DIRS:
        for dirpath, dirnames, filenames in os.walk(d):
            dirnames.sort()
            if dirpath.startswith("/usr/lib/python3") or "/site-packages" in dirpath or "/node_modules" in dirpath:
                continue
            for name in sorted(filenames):
                p = os.path.join(dirpath, name)
                if name.endswith((".py", ".pl", ".rb")) or os.path.islink(p) or not os.path.isfile(p):
                    continue
                if d != "/etc" and not os.access(p, os.X_OK):
                    continue
                yield p
    for name in sorted(os.listdir(DPKG_INFO)):
        if name.endswith(MAINT_EXT):
            yield os.path.join(DPKG_INFO, name)
    for dirpath, dirnames, filenames in os.walk(DOC_DIR):
        dirnames.sort()
        for name in sorted(filenames):
            if name.endswith((".sh", ".sh.gz", ".bash")) or ("/examples" in dirpath and not name.endswith(".py")):
                yield os.path.join(dirpath, name)


def system_commands():
    out = []
    for path in script_files():
        data = read_text(path)
        if data is None:
            continue
        is_maint = path.startswith(DPKG_INFO + "/")
        if not is_shell(data) and not (is_maint and data.startswith(b"#!")) and not path.endswith((".sh", ".sh.gz")):
            continue
        if is_maint and not is_shell(data):
            continue
        text = data.decode("utf-8", "replace")
        src = path
        for cmd in commands_of(text):
            if cmd:
                out.append({"cmd": cmd, "source": src, "origin": origin_of(path)})
    return out


def public_commands():
    p = os.path.join(ROOT, "tests", "realworld", "public.jsonl")
    out = []
    if not os.path.exists(p):
        return out
    with open(p) as f:
        for n, line in enumerate(f, 1):
            line = line.strip()
            if not line:
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as e:
                sys.exit(f"{p}:{n}: {e}")
            out.append({"cmd": rec["cmd"], "source": rec["source"], "origin": "public"})
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=os.path.join(ROOT, "target", "realworld", "all.jsonl"))
    args = ap.parse_args()
    recs = system_commands() + public_commands()
    # Deduplicate on the command text; the first source (sorted order) is kept.
    best = {}
    for r in recs:
        key = r["cmd"]
        if key not in best or (r["origin"], r["source"]) < (best[key]["origin"], best[key]["source"]):
            best[key] = r
    rows = sorted(best.values(), key=lambda r: (r["origin"], r["source"], r["cmd"]))
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, "w") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n")
    counts = {}
    for r in rows:
        counts[r["origin"]] = counts.get(r["origin"], 0) + 1
    files = len({r["source"] for r in rows})
    print(f"{len(rows)} commands from {files} sources -> {args.out}")
    for k in sorted(counts):
        print(f"  {k}: {counts[k]}")


if __name__ == "__main__":
    main()
