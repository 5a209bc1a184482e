#!/usr/bin/env python3
"""The per-domain summary of the scoring contract, in plain idiomatic pandas: the baseline
`cascade summary` is measured against (cargo xtask bench).

    python3 bench/pandas_summary.py [--out PATH] FILE

Per area, round and domain of a tidy CSV (area,round,respondent,group,domain,level): n,
unsure, counts per level, mean, median, min, max, sample sd, agreement (share of ratings
within one level of the median) and split (n >= 3 and agreement < 2/3). With --out the
table is written as CSV to PATH; without it, it is only computed.

It reads clean files such as the benchmark writes; the spreadsheet quirks the contract
accepts (`;` separators, `Unsure`, `2.0`, ...) are the CLI's business, not the baseline's.
"""

import sys

import pandas as pd

KEYS = ["area", "round", "domain"]
LEVELS = range(1, 6)


def summarise(path):
    df = pd.read_csv(
        path,
        usecols=[*KEYS, "level"],
        dtype={"area": "category", "round": "category", "domain": "category", "level": "float64"},
        na_values={"level": ["unsure"]},
        keep_default_na=False,
    )
    by = df.groupby(KEYS, observed=True, sort=False)
    level = by["level"]
    out = level.agg(["count", "mean", "median", "min", "max", "std"])
    out.columns = ["n", "mean", "median", "min", "max", "sd"]
    out.insert(1, "unsure", by.size() - out["n"])

    counts = df.groupby([*KEYS, "level"], observed=True, sort=False).size().unstack("level", fill_value=0)
    counts = counts.reindex(columns=[float(l) for l in LEVELS], fill_value=0)
    counts.columns = [f"count_{l}" for l in LEVELS]
    out = out.join(counts).fillna({c: 0 for c in counts.columns})

    within = (df["level"] - level.transform("median")).abs().le(1)
    out["agreement"] = within.groupby([df[k] for k in KEYS], observed=True, sort=False).sum() / out["n"]
    out["split"] = (out["n"] >= 3) & (out["agreement"] < 2 / 3)
    return out


def main(argv):
    out_path = None
    if len(argv) >= 2 and argv[0] == "--out":
        out_path, argv = argv[1], argv[2:]
    if len(argv) != 1:
        sys.exit(__doc__)
    table = summarise(argv[0])
    if out_path:
        table = table.astype({c: "int64" for c in table.columns if c.startswith("count_")})
        table["split"] = table["split"].map({True: "true", False: "false"})
        table.to_csv(out_path)
    print(f"{len(table)} area-round-domain summaries")


if __name__ == "__main__":
    main(sys.argv[1:])
