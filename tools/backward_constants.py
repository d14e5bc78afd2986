#!/usr/bin/env python3
"""The constants of src/backward_exp.rs, recomputed with mpmath (60 digits):
the zeros of the cancelling sums of SiLU's and GELU's (tanh form)
derivatives, each in three f32, and their Taylor coefficients there, and
GELU's 3B as an f32 pair. Prints the bits the source must contain and exits
non-zero if one differs.

    python3 tools/backward_constants.py
"""
import re
import struct
import sys

import mpmath as mp

mp.mp.dps = 60


def f32(v):
    return struct.unpack("<f", struct.pack("<f", float(v)))[0]


def bits(v):
    return struct.unpack("<I", struct.pack("<f", v))[0]


def split(v, n):
    out = []
    for _ in range(n):
        h = f32(v)
        out.append(h)
        v = v - mp.mpf(h)
    return out


want = {}
# SiLU: S = 1 + x + e^x, zero at x0 = -1 - W(1/e); e^x0 / j! for j = 2..6.
x0 = mp.findroot(lambda x: 1 + x + mp.e ** x, -1.28)
for name, v in zip(["X0_HI", "X0_MID", "X0_LO"], split(x0, 3)):
    want[name] = bits(v)
e0 = -(1 + x0)
for j in range(2, 7):
    want["F%d" % j] = bits(f32(e0 / mp.factorial(j)))
# GELU: u = A x + B x^3, S = 1 + e^u + x u', zero at x1; Taylor coefficients.
A = 2 * mp.sqrt(2 / mp.pi)
B = mp.mpf("0.044715") * A
for name, v in zip(["B3_HI", "B3_LO"], split(3 * B, 2)):
    want[name] = bits(v)
S = lambda x: 1 + mp.e ** (A * x + B * x ** 3) + A * x + 3 * B * x ** 3
x1 = mp.findroot(S, -0.75)
for name, v in zip(["X1_HI", "X1_MID", "X1_LO"], split(x1, 3)):
    want[name] = bits(v)
tc = mp.taylor(S, x1, 8)
for name, v in zip(["C1_HI", "C1_LO"], split(tc[1], 2)):
    want[name] = bits(v)
for j in range(2, 8):
    want["C%d" % j] = bits(f32(tc[j]))

src = open("src/backward_exp.rs").read()
bad = 0
for name, b in want.items():
    m = re.search(r"const %s: f32 = f32::from_bits\(0x([0-9a-f_]+)\);" % name, src)
    have = int(m.group(1).replace("_", ""), 16) if m else None
    ok = have == b
    bad += not ok
    print("%-7s 0x%08x %s" % (name, b, "ok" if ok else "MISMATCH (source: %s)" % (hex(have) if have is not None else "missing")))
print("x0 = %s\nx1 = %s" % (mp.nstr(x0, 30), mp.nstr(x1, 30)))
sys.exit(1 if bad else 0)
