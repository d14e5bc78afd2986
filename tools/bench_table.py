#!/usr/bin/env python3
"""Turns `cargo bench --bench activations` output into the README table.

Usage: cargo bench --bench activations -- --quick --noplot > out.txt
       python3 tools/bench_table.py out.txt [out-native.txt ...]
Prints, per group and size, ns per element (criterion's median estimate) of
each implementation and the speed-up of this crate over the naive loop.
"""
import re
import sys

UNIT = {"ps": 1e-3, "ns": 1.0, "µs": 1e3, "us": 1e3, "ms": 1e6, "s": 1e9}
LINE = re.compile(r"^(\S+)/(\S+)/(\d+)\s+time:\s+\[\S+ \S+ (\S+) (\S+) \S+ \S+\]")
LINE2 = re.compile(r"^(\S+)/(\S+)\s+time:\s+\[\S+ \S+ (\S+) (\S+) \S+ \S+\]")


def parse(path):
    rows = {}
    lines = open(path, encoding="utf-8").read().splitlines()
    for i, line in enumerate(lines):
        # criterion puts long names on their own line and the time on the next
        if "time:" in line and not line.lstrip().startswith(("time:",)):
            text = line
        elif line.lstrip().startswith("time:") and i > 0:
            text = lines[i - 1].strip() + " " + line.strip()
        else:
            continue
        m = LINE.match(text)
        if m:
            group, impl, n, val, unit = m.groups()
            n = int(n)
        else:
            m = LINE2.match(text)
            if not m:
                continue
            group, impl, val, unit = m.groups()
            n = 64 * 1024 if "64x1024" in group else 0
        rows[(group, n, impl)] = float(val) * UNIT[unit] / max(n, 1)
    return rows


for path in sys.argv[1:]:
    rows = parse(path)
    print(f"\n{path}")
    print("| group | n | activations ns/elem | naive ns/elem | other | speed-up vs naive |")
    print("|---|---|---|---|---|---|")
    keys = sorted({(g, n) for (g, n, _) in rows})
    for g, n in keys:
        ours = rows.get((g, n, "activations"))
        naive = rows.get((g, n, "naive"))
        other = [(k[2], v) for k, v in rows.items() if k[0] == g and k[1] == n and k[2] not in ("activations", "naive")]
        o = ", ".join(f"{name} {v:.3f}" for name, v in other)
        ratio = f"{naive / ours:.1f}x" if ours and naive else ""
        print(f"| {g} | {n} | {ours:.3f} | {naive:.3f} | {o} | {ratio} |")
