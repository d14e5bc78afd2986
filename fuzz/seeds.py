#!/usr/bin/env python3
"""Writes the seed corpus, fuzz/corpus/<target>/seed-*.

Run from anywhere: `python3 fuzz/seeds.py`. Deterministic (fixed seed), so
rerunning rewrites the same files. Only the seed-* files are written; inputs
the fuzzer found and that were added deliberately keep their own names.

The format is the one tests/common/contract.rs decodes:

    byte 0      flags: bit 0 = in place is the primary call, bit 1 = scaled values
    byte 1      output length: < 0xE0 equal; else k = (b & 0x0f) + 1,
                bit 4 clear = n + k, set = n - k (saturating)
    bytes 2..6  leaky_relu and elu only: negative_slope / alpha bits (u32 LE)
    bytes 2..5  softmax_rows, log_softmax_rows only: row selector, u16 LE argument
                (selector % 8: 0..4 = a divisor of n, 5 = the argument as is,
                6 = zero, 7 = one of n + 1, usize::MAX, 2n + 3, n - 1)
    rest        values, u32 LE each: raw f32 bits (or i32 * 2^-24 when scaled)
"""

import math
import os
import random
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.join(HERE, "corpus")

IN_PLACE = 1
SCALED = 2
EQUAL = 0


def longer(k):
    """Output length n + k (1 <= k <= 16)."""
    return 0xE0 | (k - 1)


def shorter(k):
    """Output length n - k (1 <= k <= 16)."""
    return 0xF0 | (k - 1)


def f32_bits(x):
    return struct.unpack("<I", struct.pack("<f", x))[0]


def f32(x):
    """x rounded to f32 (as a Python float)."""
    return struct.unpack("<f", struct.pack("<f", x))[0]


def near(x, ulps):
    """The f32 bit patterns within `ulps` of f32(x), same sign."""
    b = f32_bits(x)
    return [b + k for k in range(-ulps, ulps + 1)]


INF = 0x7F80_0000
NEG_INF = 0xFF80_0000
NEG_ZERO = 0x8000_0000
NANS = [
    0x7FC0_0000,  # canonical quiet NaN
    0xFFC0_0000,  # negative quiet NaN
    0x7FC1_2345,  # quiet NaN with a payload
    0xFFFF_FFFF,  # all ones
    0x7FA0_0001,  # signalling NaN
    0x7F80_0001,  # smallest signalling NaN
    0xFF80_0001,
]
SUBNORMALS = [0x0000_0001, 0x8000_0001, 0x007F_FFFF, 0x807F_FFFF, 0x0040_0000, 0x0000_1234]
SPECIALS = (
    [0, NEG_ZERO, INF, NEG_INF, 0x7F7F_FFFF, 0xFF7F_FFFF, 0x0080_0000, 0x8080_0000]
    + SUBNORMALS
    + NANS
    + [f32_bits(v) for v in (1.0, -1.0, 0.5, -0.5, 2.0, -2.0)]
)


def header(target, flags, len_sel, param):
    out = bytes([flags, len_sel])
    if target in ("leaky_relu", "elu"):
        out += struct.pack("<I", param)
    elif target in ("softmax_rows", "log_softmax_rows"):
        out += struct.pack("<I", param)[:3]
    return out


def encode(target, values, flags=0, len_sel=EQUAL, param=0):
    return header(target, flags, len_sel, param) + b"".join(
        struct.pack("<I", v & 0xFFFF_FFFF) for v in values
    )


def bits(xs):
    return [f32_bits(x) for x in xs]


def scaled(xs):
    """Values for the scaled mode: i32 = round(x * 2^24)."""
    return [int(round(x * (1 << 24))) & 0xFFFF_FFFF for x in xs]


def rows_param(selector, arg):
    return selector | (arg << 8)


def seeds():
    rng = main_rng = random.Random(0x5EED)
    silu_rng = random.Random(0x5111)
    # Targets added later draw from their own generators, so the seeds of
    # the earlier ones stay what they were.
    late_rng = {t: random.Random(0xE1 + i) for i, t in enumerate(["elu", "selu", "hard_sigmoid", "hard_swish"])}
    late_rng["gelu_tanh"] = random.Random(0x6E1)
    late_rng["gelu"] = random.Random(0x6E2)
    late_rng["mish"] = random.Random(0x3151)
    late_rng["softplus"] = random.Random(0x5F1)
    late_rng["silu"] = silu_rng
    late_rng["sigmoid_fast"] = random.Random(0x5F5)
    late_rng["tanh_fast"] = random.Random(0x7F5)
    s = {
        t: {}
        for t in [
            "sigmoid", "tanh", "silu", "gelu_tanh", "gelu", "mish", "softplus", "elu", "selu", "hard_sigmoid", "hard_swish",
            "relu", "leaky_relu", "softmax", "softmax_rows", "sigmoid_fast", "tanh_fast",
        ]
    }

    # Shapes every element-wise target gets.
    for t in [
        "sigmoid", "tanh", "relu", "leaky_relu", "silu", "elu", "selu", "hard_sigmoid", "hard_swish", "gelu_tanh", "mish", "softplus", "gelu",
        "sigmoid_fast", "tanh_fast",
    ]:
        rng = late_rng.get(t, main_rng)
        p = {"leaky_relu": f32_bits(0.01), "elu": f32_bits(1.0)}.get(t, 0)
        s[t]["specials"] = encode(t, SPECIALS, param=p)
        s[t]["specials-in-place"] = encode(t, SPECIALS, IN_PLACE, param=p)
        s[t]["nan-payloads"] = encode(t, NANS * 3, param=p)
        s[t]["subnormals"] = encode(
            t, SUBNORMALS + [rng.getrandbits(23) | (rng.getrandbits(1) << 31) for _ in range(31)], param=p
        )
        s[t]["empty"] = encode(t, [], param=p)
        s[t]["empty-output-longer"] = encode(t, [], len_sel=longer(3), param=p)
        s[t]["mismatch-longer"] = encode(t, bits([0.5 * i for i in range(37)]), len_sel=longer(1), param=p)
        s[t]["mismatch-shorter"] = encode(t, bits([-0.25 * i for i in range(37)]), len_sel=shorter(16), param=p)
        s[t]["mismatch-in-place"] = encode(t, SPECIALS, IN_PLACE, shorter(2), param=p)
        s[t]["random-bits"] = encode(t, [rng.getrandbits(32) for _ in range(53)], param=p)
        s[t]["scaled-random"] = encode(t, [rng.getrandbits(32) for _ in range(45)], SCALED, param=p)
        s[t]["ramp-scaled"] = encode(t, scaled([-120 + 0.37 * i for i in range(650)]), SCALED, param=p)

    # Sigmoid: the subnormal tail -87..-104, its end, saturation at 25 ln 2.
    t = "sigmoid"
    s[t]["subnormal-tail"] = encode(t, bits([-86.5 - 18.0 * i / 99 for i in range(100)]))
    s[t]["subnormal-tail-scaled"] = encode(t, scaled([-87.0 - 17.5 * i / 257 for i in range(258)]), SCALED)
    s[t]["zero-threshold-150ln2"] = encode(t, near(-150 * math.log(2), 24))
    s[t]["normal-subnormal-boundary-87.3"] = encode(t, near(-87.33655, 24))
    s[t]["saturation-25ln2"] = encode(t, near(25 * math.log(2), 24) + near(17.3287, 8))
    s[t]["saturation-negative"] = encode(t, [b | 0x8000_0000 for b in near(25 * math.log(2), 24)])
    s[t]["near-zero"] = encode(t, bits([2.0**-k for k in range(0, 127, 3)] + [-(2.0**-k) for k in range(0, 127, 3)]))

    # Fast sigmoid: its fast path's edge |x| = 64, its early saturation at
    # 24 ln 2, and the same subnormal tail as sigmoid.
    t = "sigmoid_fast"
    s[t]["fast-path-edge-64"] = encode(t, near(64.0, 24) + [b | 0x8000_0000 for b in near(64.0, 24)])
    s[t]["saturation-24ln2"] = encode(t, near(24 * math.log(2), 24) + near(25 * math.log(2), 8))
    s[t]["subnormal-tail"] = encode(t, bits([-86.5 - 18.0 * i / 99 for i in range(100)]))
    s[t]["ramp-fine"] = encode(t, scaled([-20 + 40.0 * i / 1023 for i in range(1024)]), SCALED)

    # Fast tanh: its fast path's edge |x| = 8, small |x| (n = 0, its largest
    # errors), tiny and subnormal inputs, saturation at 13 ln 2.
    t = "tanh_fast"
    s[t]["fast-path-edge-8"] = encode(t, near(8.0, 24) + [b | 0x8000_0000 for b in near(8.0, 24)])
    s[t]["small-n0"] = encode(t, scaled([-0.2 + 0.4 * i / 511 for i in range(512)]), SCALED)
    s[t]["tiny"] = encode(t, bits([2.0**-k for k in range(0, 127, 3)] + [-(2.0**-k) for k in range(0, 127, 3)]))
    s[t]["saturation-13ln2"] = encode(t, near(13 * math.log(2), 24))

    # Tanh: tiny inputs, saturation at 13 ln 2, the reduction's thresholds.
    rng = main_rng

    # SiLU: the subnormal tail (|x e^x| from 2^-126 down past 2^-150 near
    # -108.7), the clamp at -110, the identity threshold 20, the minimum.
    t = "silu"
    s[t]["subnormal-tail"] = encode(t, bits([-82.0 - 30.0 * i / 149 for i in range(150)]))
    s[t]["subnormal-tail-scaled"] = encode(t, scaled([-95.0 - 16.0 * i / 257 for i in range(258)]), SCALED)
    s[t]["clamp-110"] = encode(t, near(-110.0, 24))
    s[t]["identity-20"] = encode(t, near(20.0, 24) + near(17.3287, 8))
    s[t]["minimum-1.2785"] = encode(t, near(-1.2784645, 32))
    s[t]["near-zero"] = encode(t, bits([2.0**-k for k in range(0, 127, 3)] + [-(2.0**-k) for k in range(0, 127, 3)]))

    # ELU: alphas (the non-finite ones must be refused), the -1 plateau
    # below -25 ln 2, the n = -25/-26 band near -17.3, the reduction's
    # boundary ln2/2.
    t = "elu"
    xs = bits([-0.34657, -0.3466, -1.0, -17.0, -17.3287, -17.5, -18.0, -25.0, -1e-30]) + SPECIALS
    for name, alpha in [
        ("alpha-1", f32_bits(1.0)),
        ("alpha-0.3", f32_bits(0.3)),
        ("alpha-zero", 0),
        ("alpha-negative-zero", NEG_ZERO),
        ("alpha-negative", f32_bits(-1.5)),
        ("alpha-subnormal", 0x0000_0001),
        ("alpha-max", 0x7F7F_FFFF),
        ("alpha-nan", 0x7FC1_2345),
        ("alpha-inf", INF),
        ("alpha-neg-inf", NEG_INF),
    ]:
        s[t][name] = encode(t, xs * 2, param=alpha)
    s[t]["alpha-nan-in-place"] = encode(t, xs, IN_PLACE, param=0x7FC0_0000)
    s[t]["alpha-inf-mismatch"] = encode(t, xs, len_sel=longer(2), param=INF)
    s[t]["plateau-25ln2"] = encode(t, near(-25 * math.log(2), 24) + near(-18.0, 8), param=f32_bits(1.0))
    s[t]["reduction-boundary"] = encode(t, near(-math.log(2) / 2, 24) + near(-1.5 * math.log(2), 8), param=f32_bits(0.7))

    # GELU (tanh form): the subnormal tail near -10.5, the clamp at -11, the
    # identity threshold 6, the minimum near -0.75.
    t = "gelu_tanh"
    s[t]["subnormal-tail"] = encode(t, bits([-9.8 - 1.4 * i / 149 for i in range(150)]))
    s[t]["subnormal-tail-scaled"] = encode(t, scaled([-10.0 - 1.2 * i / 257 for i in range(258)]), SCALED)
    s[t]["clamp-11"] = encode(t, near(-11.0, 24))
    s[t]["identity-6"] = encode(t, near(6.0, 24) + near(5.2, 8))
    s[t]["minimum-0.75"] = encode(t, near(-0.7517, 32))
    s[t]["near-zero"] = encode(t, bits([2.0**-k for k in range(0, 127, 3)] + [-(2.0**-k) for k in range(0, 127, 3)]))

    # GELU (exact form): the subnormal tail near -13.2, the clamp at -14.5,
    # the identity threshold 6, the interval ends of D (1.5, 4, 8), the
    # minimum near -0.75.
    t = "gelu"
    s[t]["subnormal-tail"] = encode(t, bits([-13.0 - 1.4 * i / 149 for i in range(150)]))
    s[t]["subnormal-tail-scaled"] = encode(t, scaled([-13.0 - 1.4 * i / 257 for i in range(258)]), SCALED)
    s[t]["clamp-14.5"] = encode(t, near(-14.5, 24))
    s[t]["identity-6"] = encode(t, near(6.0, 24) + near(5.4, 8))
    s[t]["interval-ends"] = encode(t, near(1.5, 8) + near(-1.5, 8) + near(4.0, 8) + near(-4.0, 8) + near(-8.0, 8) + near(8.0, 8))
    s[t]["minimum-0.75"] = encode(t, near(-0.7517916, 32))
    s[t]["near-zero"] = encode(t, bits([2.0**-k for k in range(0, 127, 3)] + [-(2.0**-k) for k in range(0, 127, 3)]))

    # Mish: the subnormal tail (as SiLU's), the clamp at -110, the identity
    # threshold 9.1, the minimum near -1.1924.
    t = "mish"
    s[t]["subnormal-tail"] = encode(t, bits([-82.0 - 30.0 * i / 149 for i in range(150)]))
    s[t]["clamp-110"] = encode(t, near(-110.0, 24))
    s[t]["identity-9.1"] = encode(t, near(9.1, 24) + near(8.5, 8))
    s[t]["minimum-1.1924"] = encode(t, near(-1.192431, 32))

    # Softplus: the subnormal tail -87..-104, its end, the identity at 16.
    t = "softplus"
    s[t]["subnormal-tail"] = encode(t, bits([-86.5 - 18.0 * i / 99 for i in range(100)]))
    s[t]["zero-threshold-104"] = encode(t, near(-104.0, 24) + near(-150 * math.log(2), 8))
    s[t]["identity-16"] = encode(t, near(16.0, 24) + near(14.0, 8))

    t = "selu"
    s[t]["plateau-and-overflow"] = encode(t, near(-25 * math.log(2), 16) + near(3.2385e38, 8))
    s[t]["reduction-boundary"] = encode(t, near(-math.log(2) / 2, 24))

    # Hard sigmoid and swish: the corners at -3 and 3, the swish minimum.
    for t in ["hard_sigmoid", "hard_swish"]:
        s[t]["corners"] = encode(t, near(-3.0, 24) + near(3.0, 24) + [b | 0x8000_0000 for b in near(3.0, 4)])
        s[t]["near-zero"] = encode(t, bits([2.0**-k for k in range(0, 127, 3)] + [-(2.0**-k) for k in range(0, 127, 3)]))
    s["hard_swish"]["minimum-1.5"] = encode("hard_swish", near(-1.5, 32))

    t = "tanh"
    tiny = [2.0**-k * f for k in range(1, 127) for f in (1.0, 1.37)]
    s[t]["tiny"] = encode(t, bits(tiny))
    s[t]["tiny-negative"] = encode(t, bits([-v for v in tiny]), IN_PLACE)
    s[t]["saturation-13ln2"] = encode(t, near(13 * math.log(2), 24) + near(9.0109, 8))
    s[t]["saturation-negative"] = encode(t, [b | 0x8000_0000 for b in near(13 * math.log(2), 24)])
    s[t]["clamp-9.5"] = encode(t, near(9.5, 8) + near(-9.5, 8))
    s[t]["ln2-halves"] = encode(t, near(math.log(2) / 4, 6) + near(math.log(2) / 2, 6) + near(math.log(2), 6))

    # ReLU: signed zeros and -inf in every lane position.
    t = "relu"
    s[t]["signed-zeros"] = encode(t, [NEG_ZERO, 0] * 19)
    s[t]["negative-tiny"] = encode(t, [0x8000_0001 + i for i in range(33)] + [NEG_INF] * 3)

    # Leaky ReLU: slopes that make the product special.
    t = "leaky_relu"
    xs = bits([-3.0, -1e-30, -1e30, -0.0, 0.0, 7.5]) + [NEG_INF, 0x8000_0001, 0xFF7F_FFFF] + NANS[:3]
    for name, slope in [
        ("slope-0.01", f32_bits(0.01)),
        ("slope-0.3", f32_bits(0.3)),
        ("slope-zero", 0),
        ("slope-negative-zero", NEG_ZERO),
        ("slope-negative", f32_bits(-0.5)),
        ("slope-nan", 0x7FC1_2345),
        ("slope-snan-negative", 0xFF80_0001),
        ("slope-inf", INF),
        ("slope-neg-inf", NEG_INF),
        ("slope-subnormal", 0x0000_0001),
        ("slope-max", 0x7F7F_FFFF),
        ("slope-third", f32_bits(1.0 / 3.0)),
    ]:
        s[t][name] = encode(t, xs * 3, param=slope)
    s[t]["slope-nan-in-place"] = encode(t, xs, IN_PLACE, param=0x7FC0_0000)

    # Softmax rows.
    def row_cases():
        r = {}
        r["ordinary"] = [f32_bits(0.1 * i - 1.0) for i in range(21)]
        r["masked"] = [NEG_INF] * 19
        r["partly-masked"] = [f32_bits(5.0), NEG_INF, f32_bits(5.0)] + [NEG_INF] * 14
        r["one-finite-in-masked"] = [NEG_INF] * 9 + [f32_bits(-3.5)] + [NEG_INF] * 7
        r["nan-row"] = [f32_bits(i * 0.5) for i in range(17)]
        r["nan-row"][11] = 0x7FC1_2345
        r["nan-in-masked"] = [NEG_INF] * 16 + [0xFF80_0001]
        r["inf-row"] = [f32_bits(1.0)] * 5 + [INF] + [f32_bits(2.0)] * 11
        r["extremes"] = [0x7F7F_FFFF, 0xFF7F_FFFF, 0x7F7F_FFFF]
        r["subnormal-outputs"] = bits([0.0, -100.0, -95.0, -103.0, -88.0, -87.0, -104.5, -110.0, -111.0])
        r["wide-range"] = bits([rng.uniform(-130, 10) for _ in range(45)])
        r["equal"] = [f32_bits(3.25)] * 40
        r["length-1"] = [f32_bits(-1e30)]
        r["tiny-values"] = SUBNORMALS + [0, NEG_ZERO]
        return r

    t = "softmax"
    for name, row in row_cases().items():
        s[t][name] = encode(t, row)
    s[t]["masked-in-place"] = encode(t, [NEG_INF] * 23, IN_PLACE)
    s[t]["nan-in-place"] = encode(t, [f32_bits(1.0)] * 22 + [NANS[3]], IN_PLACE)
    s[t]["long-row"] = encode(t, bits([rng.gauss(0, 8) for _ in range(1500)]))
    s[t]["long-row-spread"] = encode(t, bits([rng.uniform(-100, 0) for _ in range(2100)]), IN_PLACE)
    s[t]["scaled-random"] = encode(t, [rng.getrandbits(32) for _ in range(77)], SCALED)
    s[t]["empty"] = encode(t, [])
    s[t]["empty-mismatch"] = encode(t, [], len_sel=longer(1))
    s[t]["mismatch-longer"] = encode(t, bits([1.0, 2.0, 3.0]), len_sel=longer(16))
    s[t]["mismatch-shorter"] = encode(t, bits([1.0, 2.0, 3.0]), len_sel=shorter(1))

    t = "softmax_rows"
    rc = row_cases()
    # A batch of 3-wide rows covering every kind of row (as in tests/special.rs).
    batch = (
        bits([1.0, 2.0, 3.0])
        + [NEG_INF] * 3
        + [0, NANS[0], f32_bits(1.0)]
        + [INF, 0, 0]
        + [f32_bits(5.0), NEG_INF, f32_bits(5.0)]
        + bits([0.0, -100.0, -88.0])
    )
    s[t]["mixed-rows-3"] = encode(t, batch, param=rows_param(5, 3))
    s[t]["mixed-rows-3-in-place"] = encode(t, batch, IN_PLACE, param=rows_param(5, 3))
    for name in ["ordinary", "masked", "nan-row", "inf-row", "wide-range", "subnormal-outputs"]:
        row = rc[name]
        s[t][name + "-divisor"] = encode(t, row * 3, param=rows_param(0, 1))
    s[t]["row-len-zero"] = encode(t, rc["ordinary"], param=rows_param(6, 0))
    s[t]["row-len-zero-in-place"] = encode(t, rc["ordinary"], IN_PLACE, param=rows_param(6, 0))
    s[t]["row-len-not-dividing"] = encode(t, rc["ordinary"][:12], param=rows_param(5, 7))
    s[t]["row-len-not-dividing-in-place"] = encode(t, rc["ordinary"][:12], IN_PLACE, param=rows_param(5, 5))
    s[t]["row-len-longer-than-slice"] = encode(t, rc["ordinary"][:12], param=rows_param(7, 0))
    s[t]["row-len-usize-max"] = encode(t, rc["ordinary"][:12], param=rows_param(7, 1))
    s[t]["row-len-usize-max-in-place"] = encode(t, rc["ordinary"][:12], IN_PLACE, param=rows_param(7, 1))
    s[t]["empty-batch"] = encode(t, [], param=rows_param(5, 4))
    s[t]["empty-batch-row-len-zero"] = encode(t, [], param=rows_param(6, 0))
    s[t]["mismatch-valid-rows"] = encode(t, rc["ordinary"][:12], len_sel=shorter(3), param=rows_param(5, 4))
    s[t]["mismatch-and-bad-rows"] = encode(t, rc["ordinary"][:12], len_sel=longer(1), param=rows_param(5, 5))
    s[t]["mismatch-and-row-len-zero"] = encode(t, rc["ordinary"][:12], len_sel=longer(2), param=rows_param(6, 0))
    s[t]["rows-of-one"] = encode(t, SPECIALS, param=rows_param(5, 1))
    s[t]["whole-slice-one-row"] = encode(t, rc["wide-range"], param=rows_param(5, 45))
    s[t]["many-rows-17"] = encode(t, bits([rng.gauss(0, 20) for _ in range(17 * 40)]), param=rows_param(5, 17))
    s[t]["scaled-rows-8"] = encode(t, [rng.getrandbits(32) for _ in range(64)], SCALED, param=rows_param(5, 8))

    # Backward kernels (tests/common/backward_contract.rs): header
    # [flags, kernel % 9, gradient length selector, grad_input length
    # selector, slope u32 LE], then (forward, g) pairs. Its own generator,
    # so the other targets' seeds stay what they were.
    s["backward"] = backward_seeds()

    # Log-softmax: softmax's rows, and rows where the log matters (tiny
    # outputs of a dominant entry, near-constant rows, overflowing x - max).
    # Its own generator, so the other targets' seeds stay what they were.
    lrng = random.Random(0x105F)
    for t in ["log_softmax", "log_softmax_rows"]:
        s[t] = {}
    t = "log_softmax"
    for name, row in rc.items():
        s[t][name] = encode(t, row)
    s[t]["dominant-by-90"] = encode(t, [0] + bits([-90.0 - lrng.random() for _ in range(150)]))
    s[t]["dominant-by-104"] = encode(t, bits([-104.0 - lrng.random() for _ in range(300)] + [0.0]))
    s[t]["two-maxima-far"] = encode(t, bits([1.5, -120.0, 1.5] + [-80.0 - lrng.random() for _ in range(20)]))
    s[t]["near-constant"] = encode(t, bits([7.0 + lrng.gauss(0, 1e-6) for _ in range(257)]))
    s[t]["x-minus-max-overflows"] = encode(t, [0x7F7F_FFFF, 0xFF7F_FFFF, 0, NEG_INF])
    s[t]["masked-in-place"] = encode(t, [NEG_INF] * 23, IN_PLACE)
    s[t]["long-row"] = encode(t, bits([lrng.gauss(0, 8) for _ in range(1500)]), IN_PLACE)
    s[t]["scaled-random"] = encode(t, [lrng.getrandbits(32) for _ in range(77)], SCALED)
    s[t]["empty"] = encode(t, [])
    s[t]["mismatch-shorter"] = encode(t, bits([1.0, 2.0, 3.0]), len_sel=shorter(1))
    t = "log_softmax_rows"
    s[t]["mixed-rows-3"] = encode(t, batch, param=rows_param(5, 3))
    s[t]["mixed-rows-3-in-place"] = encode(t, batch, IN_PLACE, param=rows_param(5, 3))
    for name in ["ordinary", "masked", "nan-row", "subnormal-outputs"]:
        s[t][name + "-divisor"] = encode(t, rc[name] * 3, param=rows_param(0, 1))
    s[t]["row-len-zero"] = encode(t, rc["ordinary"], param=rows_param(6, 0))
    s[t]["row-len-not-dividing-in-place"] = encode(t, rc["ordinary"][:12], IN_PLACE, param=rows_param(5, 5))
    s[t]["mismatch-and-bad-rows"] = encode(t, rc["ordinary"][:12], len_sel=longer(1), param=rows_param(5, 5))
    s[t]["rows-of-one"] = encode(t, SPECIALS, param=rows_param(5, 1))
    s[t]["many-rows-17"] = encode(t, bits([lrng.gauss(0, 20) for _ in range(17 * 40)]), param=rows_param(5, 17))
    s["softmax_backward"] = row_backward_seeds()
    return s


def bw_encode(kernel, pairs, flags=0, grad_sel=EQUAL, out_sel=EQUAL, slope=0):
    out = bytes([flags, kernel, grad_sel, out_sel]) + struct.pack("<I", slope & 0xFFFF_FFFF)
    return out + b"".join(struct.pack("<II", a & 0xFFFF_FFFF, b & 0xFFFF_FFFF) for a, b in pairs)


def backward_seeds():
    rng = random.Random(0xBAC0)
    out = {}
    names = ["sigmoid", "tanh", "relu", "leaky_relu"]
    grads = bits([1.0, -1.0, 0.5, 3.0]) + [0, NEG_ZERO, INF, NEG_INF, 0x0000_0001, 0x00B3_A5C1, 0x7149_F2CA] + NANS[:3]
    # Forward values: the specials, the forward ranges' ends, |y| = 2^24.
    ends = bits([0.0, 1.0, -1.0, 0.5, 2.0, -2.0, 16777216.0, -16777216.0, 16777215.0])
    for k, name in enumerate(names):
        slope = f32_bits(0.01) if name == "leaky_relu" else 0
        fw = SPECIALS + ends
        pairs = [(a, b) for a in fw for b in grads]
        out[name + "-specials"] = bw_encode(k, pairs, slope=slope)
        out[name + "-specials-in-place"] = bw_encode(k, pairs, IN_PLACE, slope=slope)
        out[name + "-random-bits"] = bw_encode(k, [(rng.getrandbits(32), rng.getrandbits(32)) for _ in range(61)], slope=slope)
        out[name + "-scaled"] = bw_encode(k, [(rng.getrandbits(32), rng.getrandbits(32)) for _ in range(45)], SCALED, slope=slope)
        out[name + "-empty"] = bw_encode(k, [], slope=slope)
        out[name + "-grad-shorter"] = bw_encode(k, [(f32_bits(0.5), f32_bits(1.0))] * 37, grad_sel=shorter(3), slope=slope)
        out[name + "-grad-longer"] = bw_encode(k, [(f32_bits(0.5), f32_bits(1.0))] * 37, grad_sel=longer(1), slope=slope)
        out[name + "-out-shorter"] = bw_encode(k, [(f32_bits(0.5), f32_bits(1.0))] * 37, out_sel=shorter(16), slope=slope)
        out[name + "-both-mismatch-in-place"] = bw_encode(k, [(f32_bits(0.5), f32_bits(1.0))] * 19, IN_PLACE, longer(2), shorter(1), slope)
        out[name + "-empty-grad-longer"] = bw_encode(k, [], grad_sel=longer(3), slope=slope)
    # Sigmoid and tanh: the zeros of the derivative, where the pair arithmetic matters.
    for k, ends in [(0, [0.0, 1.0]), (1, [1.0, -1.0])]:
        ys = [b for e in ends for b in near(e, 40) if (b & 0x7F80_0000) != 0x7F80_0000]
        g = [f32_bits(1.0), 0x3FAB_2C5F, 0x00B3_A5C1]
        out[names[k] + "-near-zeros-of-derivative"] = bw_encode(k, [(y, g[i % 3]) for i, y in enumerate(ys)])
        # Subnormal results (the double-rounding correction) and tiny y.
        sub_pairs = [(f32_bits(rng.uniform(-1.5, 1.5)), (rng.getrandbits(24) | 0x0080_0000) & 0x80FF_FFFF) for _ in range(200)]
        out[names[k] + "-subnormal-results"] = bw_encode(k, sub_pairs)
        tiny = [(rng.getrandbits(31) & 0x2B7F_FFFF, rng.getrandbits(32) & 0xFF7F_FFFF) for _ in range(100)]
        out[names[k] + "-tiny-y-any-g"] = bw_encode(k, tiny)
    for name, sl in [("zero", 0), ("nan", 0x7FC1_2345), ("inf", INF), ("negative", f32_bits(-0.5)), ("subnormal", 1)]:
        xs = bits([-3.0, -1e-30, -0.0, 0.0, 7.5]) + [NEG_INF, 0x8000_0001] + NANS[:2]
        pairs = [(a, b) for a in xs for b in grads]
        out["leaky_relu-slope-" + name] = bw_encode(3, pairs, slope=sl)
    input_kernel_seeds(out, grads)
    return out


def rb_encode(kernel, pairs, flags=0, grad_sel=EQUAL, out_sel=EQUAL, rows=(0, 0)):
    """tests/common/row_backward_contract.rs: [flags, kernel, grad sel, out
    sel, row selector, u16 LE], then (y, g) pairs."""
    out = bytes([flags, kernel, grad_sel, out_sel, rows[0]]) + struct.pack("<H", rows[1])
    return out + b"".join(struct.pack("<II", a & 0xFFFF_FFFF, b & 0xFFFF_FFFF) for a, b in pairs)


ROWS = 4


def row_backward_seeds():
    """Softmax and log-softmax backward: forward outputs of random logits
    with random, cancelling, constant and one-hot gradients; NaN and
    infinite gradients; masked entries; bad lengths and row lengths."""
    rng = random.Random(0x50F7)
    out = {}
    for k, name in [(0, "softmax"), (1, "log_softmax")]:
        for n in [1, 3, 17, 64, 300]:
            x = [rng.gauss(0, 4) for _ in range(n)]
            m = max(x)
            e = [math.exp(v - m) for v in x]
            sm = sum(e)
            y = [v / sm for v in e] if k == 0 else [v - m - math.log(sm) for v in x]
            c = rng.gauss(0, 2)
            for gname, g in [
                ("random", [rng.gauss(0, 1) for _ in range(n)]),
                ("cancelling", [c + rng.gauss(0, 1e-4) for _ in range(n)]),
                ("constant", [c] * n),
                ("one-hot", [-1.0 if i == n // 2 else 0.0 for i in range(n)]),
            ]:
                pairs = list(zip(bits(y), bits(g)))
                out[f"{name}-{gname}-{n}"] = rb_encode(k, pairs)
                out[f"{name}-{gname}-{n}-in-place"] = rb_encode(k, pairs, IN_PLACE)
        y = [0.25] * 8 if k == 0 else [-1.5] * 8
        for bad in [NANS[0], INF, NEG_INF]:
            g = bits([0.5] * 8)
            g[3] = bad
            out[f"{name}-bad-gradient-{bad:08x}"] = rb_encode(k, list(zip(bits(y), g)))
        ym = bits(y)
        ym[2] = NEG_INF if k == 1 else 0
        ym[5] = NANS[2]
        out[f"{name}-masked-and-nan-y"] = rb_encode(k, list(zip(ym, bits([0.5] * 8))))
        pairs = list(zip(bits(y), bits([rng.gauss(0, 1) for _ in range(8)])))
        out[f"{name}-grad-shorter"] = rb_encode(k, pairs, grad_sel=shorter(2))
        out[f"{name}-out-longer"] = rb_encode(k, pairs, out_sel=longer(1))
        out[f"{name}-rows-of-4"] = rb_encode(k, pairs, ROWS, rows=(5, 4))
        out[f"{name}-rows-in-place"] = rb_encode(k, pairs, ROWS | IN_PLACE, rows=(5, 2))
        out[f"{name}-row-len-zero"] = rb_encode(k, pairs, ROWS, rows=(6, 0))
        out[f"{name}-row-len-not-dividing"] = rb_encode(k, pairs, ROWS | IN_PLACE, rows=(5, 3))
        out[f"{name}-empty"] = rb_encode(k, [])
        out[f"{name}-scaled"] = rb_encode(k, [(rng.getrandbits(32), rng.getrandbits(32)) for _ in range(40)], SCALED)
        out[f"{name}-random-bits"] = rb_encode(k, [(rng.getrandbits(32), rng.getrandbits(32)) for _ in range(40)])
    return out


def input_kernel_seeds(out, grads):
    """The backward kernels of the exponential activations (the forward
    value is the input x): their own generator, so the seeds above stay what
    they were."""
    rng = random.Random(0xBAC1)
    # x: the specials, where f'(x) rounds to 1, the deep tail (f'(x)
    # underflows, g f'(x) need not), the zeros of the derivatives.
    xs = SPECIALS + bits([0.0, -1.2784645, -0.7524614, 20.0, 20.000002, 24.0, 24.000002, 6.0,
                          -87.0, -150.0, -199.9, -200.0, -300.0, 30.0])
    huge = [0x7F7F_FFFF, 0xFF7F_FFFF, 0x7149_F2CA, 0x7E00_0000]
    # (ELU: alpha 1 in the slope field.)
    for k, name in [(4, "silu"), (5, "softplus"), (6, "elu"), (7, "selu"), (8, "gelu_tanh")]:
        sl = f32_bits(1.0) if name == "elu" else 0
        pairs = [(a, b) for a in xs for b in grads + huge]
        out[name + "-specials"] = bw_encode(k, pairs, slope=sl)
        out[name + "-specials-in-place"] = bw_encode(k, pairs, IN_PLACE, slope=sl)
        out[name + "-random-bits"] = bw_encode(k, [(rng.getrandbits(32), rng.getrandbits(32)) for _ in range(61)], slope=sl)
        out[name + "-scaled"] = bw_encode(k, [(rng.getrandbits(32), rng.getrandbits(32)) for _ in range(45)], SCALED, slope=sl)
        out[name + "-grad-shorter"] = bw_encode(k, [(f32_bits(0.5), f32_bits(1.0))] * 37, grad_sel=shorter(3), slope=sl)
        out[name + "-out-shorter-in-place"] = bw_encode(k, [(f32_bits(0.5), f32_bits(1.0))] * 19, IN_PLACE, EQUAL, shorter(1), sl)
        tail = [(f32_bits(rng.uniform(-200.0, -80.0)), rng.getrandbits(32) | 0x6000_0000) for _ in range(200)]
        out[name + "-deep-tail-huge-g"] = bw_encode(k, tail, slope=sl)
        sub_pairs = [(f32_bits(rng.uniform(-30.0, 30.0)), (rng.getrandbits(24) | 0x0080_0000) & 0x80FF_FFFF) for _ in range(200)]
        out[name + "-subnormal-results"] = bw_encode(k, sub_pairs, slope=sl)
        if name == "silu":
            xs_near = [b for b in near(-1.2784645, 60)]
            out["silu-near-zero-of-derivative"] = bw_encode(4, [(x, [f32_bits(1.0), 0x3FAB_2C5F, 0x00B3_A5C1][i % 3]) for i, x in enumerate(xs_near)])
    xs_near = [b for b in near(-0.7524614, 60)]
    out["gelu_tanh-near-zero-of-derivative"] = bw_encode(8, [(x, [f32_bits(1.0), 0x3FAB_2C5F, 0x00B3_A5C1][i % 3]) for i, x in enumerate(xs_near)])
    gelu_seeds(out, grads, xs + bits([-0.7517915, -9.0, -9.000001, 6.5, 6.500001, -14.5, -20.0]), huge)
    # ELU's alpha: refused (NaN, inf), zero, negative, subnormal, huge, tiny.
    ex = bits([-1.0, -0.0, 0.0, 2.0, -50.0, -250.0, -300.0]) + [NEG_INF, INF] + NANS[:2]
    for aname, a in [("nan", 0x7FC1_2345), ("inf", INF), ("zero", 0), ("negative", f32_bits(-0.5)),
                     ("subnormal", 1), ("max", 0x7F7F_FFFF), ("tiny", f32_bits(1e-30)), ("point3", f32_bits(0.3))]:
        pairs = [(a2, b) for a2 in ex for b in grads + huge]
        out["elu-alpha-" + aname] = bw_encode(6, pairs, slope=a)


def gelu_seeds(out, grads, xs, huge):
    """GELU (exact form) backward, kernel 9: its own generator. The zero of
    the derivative (-0.7517915: the series), the vector path's end -9 and the
    f64 lanes past it, the identity at 6.5, gradients outside [2^-40, 2^64)."""
    rng = random.Random(0xBAC9)
    k, name = 9, "gelu"
    pairs = [(a, b) for a in xs for b in grads + huge]
    out[name + "-specials"] = bw_encode(k, pairs)
    out[name + "-specials-in-place"] = bw_encode(k, pairs, IN_PLACE)
    out[name + "-random-bits"] = bw_encode(k, [(rng.getrandbits(32), rng.getrandbits(32)) for _ in range(61)])
    out[name + "-scaled"] = bw_encode(k, [(rng.getrandbits(32), rng.getrandbits(32)) for _ in range(45)], SCALED)
    tail = [(f32_bits(rng.uniform(-25.0, -8.0)), rng.getrandbits(32) | 0x6000_0000) for _ in range(200)]
    out[name + "-deep-tail-huge-g"] = bw_encode(k, tail)
    sub_pairs = [(f32_bits(rng.uniform(-10.0, 10.0)), (rng.getrandbits(24) | 0x0080_0000) & 0x80FF_FFFF) for _ in range(200)]
    out[name + "-subnormal-results"] = bw_encode(k, sub_pairs)
    xs_near = [b for b in near(-0.7517915, 60)]
    out[name + "-near-zero-of-derivative"] = bw_encode(k, [(x, [f32_bits(1.0), 0x3FAB_2C5F, 0x00B3_A5C1][i % 3]) for i, x in enumerate(xs_near)])


def main():
    total = 0
    for target, files in seeds().items():
        d = os.path.join(CORPUS, target)
        os.makedirs(d, exist_ok=True)
        for name, data in files.items():
            with open(os.path.join(d, "seed-" + name), "wb") as f:
                f.write(data)
            total += 1
        print(f"{target}: {len(files)} seeds")
    print(f"{total} files under {CORPUS}")


if __name__ == "__main__":
    main()
