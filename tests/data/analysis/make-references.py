#!/usr/bin/env python3
"""Reference values for tests/unit/analysis/*, computed independently with numpy and scipy.

Run once (python3 make-references.py) to write references.json beside it; the tests read the JSON
and need no Python. The sample is seeded, and its values are rounded to 6 decimals so that the
JSON text is exactly the doubles both sides compute from.
"""
import json
import math
from pathlib import Path

import numpy as np
from scipy import stats

N = 2000
rng = np.random.default_rng(20261202)
a = np.round(rng.normal(10, 2, N), 6)
b = np.round(rng.triangular(0, 1, 4, N), 6)
c = np.round(rng.lognormal(0, 0.5, N), 6)
d = (rng.random(N) < 0.3).astype(float)  # a 0/1 input: ties across bin boundaries
y = np.round(3 * a + b**2 - 2 * c + 5 * d + rng.normal(0, 1, N), 6)
y[::97] = np.nan  # outputs with no finite value on some iterations
y2 = np.round(1.1 * np.nan_to_num(y, nan=0) + 1 + rng.normal(0, 2, N), 6)
inputs = {"a": a, "b": b, "c": c, "d": d}
finite = np.isfinite(y)


def type7(values, p):
    return float(np.percentile(values, p))  # numpy's default: linear, Hyndman-Fan type 7


# --- comparison: y against y2 ---------------------------------------------------------------
PCTS = [5, 10, 25, 50, 75, 90, 95]
THRESHOLDS = [30.0, 40.0]
BINS = 40
POINTS = 200
series = [y[np.isfinite(y)], y2]
lo = min(s.min() for s in series)
hi = max(s.max() for s in series)
width = (hi - lo) / BINS
edges = [lo + i * width for i in range(BINS)] + [hi]
shares = []
for s in series:
    idx = np.clip(np.floor((s - lo) / width).astype(int), 0, BINS - 1)
    counts = np.bincount(idx, minlength=BINS)
    assert (counts == np.histogram(s, bins=np.array(edges))[0]).all()
    shares.append((counts / len(s)).tolist())
grid = [lo + (hi - lo) * i / (POINTS - 1) for i in range(POINTS - 1)] + [hi]
cumulative = [(np.searchsorted(np.sort(s), grid, side="right") / len(s)).tolist() for s in series]
comparison = {
    "percentiles": PCTS,
    "thresholds": THRESHOLDS,
    "bins": BINS,
    "curvePoints": POINTS,
    "mean": [float(np.mean(s)) for s in series],
    "sd": [float(np.std(s, ddof=1)) for s in series],
    "min": [float(s.min()) for s in series],
    "max": [float(s.max()) for s in series],
    "percentileValues": [[type7(s, p) for s in series] for p in PCTS],
    "exceedance": [[float(np.mean(s > x)) for s in series] for x in THRESHOLDS],
    "edges": edges,
    "shares": shares,
    "grid": grid,
    "cumulative": cumulative,
}

# --- tornadoes ------------------------------------------------------------------------------
yf = y[finite]
xf = {k: v[finite] for k, v in inputs.items()}
rank_corr = {k: float(stats.spearmanr(v, yf).statistic) for k, v in xf.items()}
Z = np.column_stack([(v - v.mean()) / v.std() for v in xf.values()])
zy = (yf - yf.mean()) / yf.std()
src, *_ = np.linalg.lstsq(Z, zy, rcond=None)
fitted = Z @ src
r_squared = 1 - np.sum((zy - fitted) ** 2) / np.sum(zy**2)
squares = sum(r**2 for r in rank_corr.values())
tornado = {
    "rankCorrelation": rank_corr,
    "src": dict(zip(xf.keys(), map(float, src))),
    "rSquared": float(r_squared),
    "contribution": {k: r**2 / squares for k, r in rank_corr.items()},
    "iterations": int(finite.sum()),
}


# --- change in output statistic and spider: 10 equal-count bins --------------------------------
def binned(stat):
    out = {}
    n = len(yf)
    for k, v in xf.items():
        order = np.argsort(v, kind="stable")
        values = []
        for j in range(10):
            part = order[(j * n) // 10 : ((j + 1) * n) // 10]
            values.append(float(np.mean(yf[part])) if stat == "mean" else type7(yf[part], stat))
        out[k] = values
    return out


binned_refs = {"mean": binned("mean"), "p90": binned(90), "overallMean": float(np.mean(yf)), "overallP90": type7(yf, 90)}

# --- tail drivers: output at or above its P90 -------------------------------------------------
boundary = type7(yf, 90)
subset = yf >= boundary
drivers = {}
for k, v in xf.items():
    med = float(np.median(v))
    sub = float(np.median(v[subset]))
    sd = float(np.std(v, ddof=1))
    drivers[k] = {
        "overallMedian": med,
        "subsetMedian": sub,
        "sd": sd,
        "shift": (sub - med) / sd,
        "subsetMedianPercentile": 100 * float(np.mean(v <= sub)),
    }
tail = {"percentile": 90, "boundary": boundary, "subsetSize": int(subset.sum()), "drivers": drivers}

# --- scatter of y against c: rho from all, 500 plotted points ---------------------------------
MAX_POINTS = 500
n = len(yf)
picked = [(j * n) // MAX_POINTS for j in range(MAX_POINTS)]
scatter = {
    "maxPoints": MAX_POINTS,
    "rankCorrelation": float(stats.spearmanr(xf["c"], yf).statistic),
    "x": xf["c"][picked].tolist(),
    "y": yf[picked].tolist(),
}

# --- convergence of y: mean and P5, P50, P95 with 95% bands ------------------------------------
Z95 = 1.959963984540054
COUNT = 100
start = min(10, max(1, math.ceil(N / 10)))
checkpoints = []
for i in range(COUNT):
    k = N if i == COUNT - 1 else int(math.floor(start * (N / start) ** (i / (COUNT - 1)) + 0.5))
    if not checkpoints or k > checkpoints[-1]:
        checkpoints.append(k)
conv = {"percentiles": [5, 50, 95], "checkpoints": checkpoints, "mean": [], "meanLow": [], "meanHigh": []}
for p in conv["percentiles"]:
    conv[f"P{p}"] = {"value": [], "low": [], "high": []}
for k in checkpoints:
    v = y[:k][np.isfinite(y[:k])]
    m = len(v)
    half = Z95 * np.std(v, ddof=1) / math.sqrt(m)
    conv["mean"].append(float(np.mean(v)))
    conv["meanLow"].append(float(np.mean(v) - half))
    conv["meanHigh"].append(float(np.mean(v) + half))
    s = np.sort(v)
    for p in conv["percentiles"]:
        q = p / 100
        h = Z95 * math.sqrt(m * q * (1 - q))
        lo_rank = min(m, max(1, math.floor(m * q - h)))
        hi_rank = min(m, max(1, math.ceil(m * q + h)))
        conv[f"P{p}"]["value"].append(type7(v, p))
        conv[f"P{p}"]["low"].append(float(s[lo_rank - 1]))
        conv[f"P{p}"]["high"].append(float(s[hi_rank - 1]))

nan_to_none = lambda arr: [None if math.isnan(x) else float(x) for x in arr]
references = {
    "about": "Made by make-references.py (numpy " + np.__version__ + ", scipy " + __import__("scipy").__version__ + ")",
    "samples": {"a": a.tolist(), "b": b.tolist(), "c": c.tolist(), "d": d.tolist(), "y": nan_to_none(y), "y2": y2.tolist()},
    "comparison": comparison,
    "tornado": tornado,
    "binned": binned_refs,
    "tail": tail,
    "scatter": scatter,
    "convergence": conv,
}
Path(__file__).with_name("references.json").write_text(json.dumps(references) + "\n")
