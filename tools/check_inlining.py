#!/usr/bin/env python3
"""Every x86 entry point (`dispatch::avx2::*`, `dispatch::avx512::*`) must
have its kernel inlined: a kernel helper left out of line is compiled
without the entry point's `#[target_feature]`s and takes its vectors through
memory (once sigmoid ran 60x slower, softmax 15x, with correct results).

Reads the assembly of the release library (`cargo rustc --release --lib --
--emit=asm`, path as the argument) and lists every function an entry point
calls or loads through the GOT; all must be in ALLOWED, the scalar helpers
that are out of line on purpose. Exit status 1 and the offenders otherwise.
"""
import re
import subprocess
import sys

ALLOWED = [
    r"^memcpy$",
    r"^memset$",
    r"^libm::",  # the f64 exp / log1p of softmax blocks and log-softmax
    r"^activations::gelu_erf::gelu_prime_f64::",  # GELU' rare lanes, in f64
    r"^activations::dispatch::CURRENT::",  # the cached level (data)
]


def demangle(names):
    out = subprocess.run(["c++filt"], input="\n".join(names), capture_output=True, text=True)
    return out.stdout.split("\n")


def main(path):
    funcs, cur = {}, None
    for line in open(path):
        m = re.match(r"^(_ZN[\w.$]*|_R[\w.$]*):", line)
        if m:
            cur = m.group(1)
            funcs[cur] = []
        elif cur:
            funcs[cur].append(line)
    mangled = list(funcs)
    names = dict(zip(mangled, demangle(mangled)))
    entry = [f for f in funcs if re.search(r"dispatch::avx(2|512)::", names[f])]
    if len(entry) < 100:
        print(f"check_inlining: only {len(entry)} entry points found in {path}")
        return 1
    bad = {}
    for f in entry:
        for line in funcs[f]:
            m = re.match(r"\s*(?:call|jmp)q?\s+([\w.$]+)(?:@PLT)?\s*$", line)
            g = re.search(r"([\w.$]+)@GOTPCREL", line)
            for sym in filter(None, [m and m.group(1), g and g.group(1)]):
                if sym.startswith(".L"):
                    continue
                callee = demangle([sym])[0]
                if not any(re.search(a, callee) for a in ALLOWED):
                    bad.setdefault(names[f], set()).add(callee)
    for f, callees in sorted(bad.items()):
        print(f"check_inlining: {f} calls {sorted(callees)}")
    print(f"check_inlining: {len(entry)} x86 entry points, {len(bad)} with a call out of line")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
