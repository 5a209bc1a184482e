#!/usr/bin/env python3
"""Turns the bench's tidy ratings.csv into one wide export as Google Forms writes it (one row per
respondent and round, one column per domain, answers such as "3 - Developing"), to measure
`cascade import` at national scale:

    python3 bench/forms_wide.py target/bench/ratings.csv > target/bench/forms.csv

Streams: rows of the tidy file are grouped by area, round and respondent. Anonymous ratings
(empty respondent) become one response per rating row group, as their order allows.
"""

import csv
import sys

TITLES = {
    "clarity": "Clarity on remit, roles and responsibilities of partner organisations",
    "contact": "Agreed best use of key points of contact in schools/colleges and mental health services",
    "structures": "Structures to support shared planning and collaborative working",
    "outcomes": "Common approach to outcome measures for children and young people",
    "learning": "Ability to continue to learn and draw on best practice",
    "integration": "Development of integrated working to promote rapid and better access to support",
    "evidence": "Evidence-based approach to intervention",
}
LABELS = ["Not in place", "Emerging", "Developing", "Established", "Embedded"]
ORG = {"education": "Primary school", "mental-health": "CAMHS", "commissioner": "Integrated Care Board",
       "local-authority": "Local authority", "voluntary-sector": "Youth charity", "other": "Other", "": ""}
DOMAINS = list(TITLES)


def main(path):
    out = csv.writer(sys.stdout, lineterminator="\r\n")
    out.writerow(["Timestamp", "Email address", "Area", "Workshop", "Organisation type"] + [TITLES[d] for d in DOMAINS])
    key, row, n = None, None, 0
    with open(path, newline="", encoding="utf-8") as f:
        r = csv.reader(f)
        head = next(r)
        ix = {c: i for i, c in enumerate(head)}
        for rec in r:
            area, rnd, who, grp, dom, lvl = (rec[ix[c]] for c in ("area", "round", "respondent", "group", "domain", "level"))
            k = (area, rnd, who)
            # A new response: another person, or an anonymous one rating a domain again.
            if k != key or (not who and row[5 + DOMAINS.index(dom)] != ""):
                if row:
                    out.writerow(row)
                n += 1
                email = f"{who}.{area.replace(' ', '').lower()}@example.org" if who else "anonymous"
                row = ["2026/01/12 10:00:00 AM GMT", email, area, rnd, ORG.get(grp, grp)] + [""] * len(DOMAINS)
                key = k
            row[5 + DOMAINS.index(dom)] = "Don't know" if lvl == "unsure" else f"{lvl} - {LABELS[int(lvl) - 1]}"
    if row:
        out.writerow(row)


if __name__ == "__main__":
    main(sys.argv[1])
