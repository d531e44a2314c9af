#!/usr/bin/env python3
"""Carries the hand-written subsections of the previous BENCHMARKS.md into the regenerated one.

Usage: keep_hand_written.py OLD NEW (NEW is rewritten in place). A hand-written subsection is a
level-3 heading whose title contains "hand-written", with everything up to the next heading of
level 2 or 3. Each goes to the end of the level-2 section of the same title in NEW (the end of the
file if NEW has no such section), in its old order, unless NEW already has a subsection of that
title. scripts/bench.sh runs it after writing BENCHMARKS.md, so dated measurements and their
analysis written by hand survive a regeneration of the generated tables.
"""
import re
import sys


def sections(text):
    """[(level-2 title, [(level-3 title, block)])] of the hand-written subsections of text."""
    out = {}
    order = []
    h2 = ""
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("## "):
            h2 = line
        if line.startswith("### ") and "hand-written" in line:
            j = i + 1
            while j < len(lines) and not re.match(r"#{2,3} ", lines[j]):
                j += 1
            if h2 not in out:
                out[h2] = []
                order.append(h2)
            out[h2].append((line, "\n".join(lines[i:j]).rstrip() + "\n"))
            i = j
            continue
        i += 1
    return [(h, out[h]) for h in order]


def merge(old, new):
    lines = new.split("\n")
    for h2, subs in sections(old):
        wanted = [(t, b) for t, b in subs if t not in lines]
        if not wanted:
            continue
        try:
            start = lines.index(h2)
            end = next((k for k in range(start + 1, len(lines)) if lines[k].startswith("## ")),
                       len(lines))
        except ValueError:
            end = len(lines)
        while end > 0 and lines[end - 1].strip() == "":
            end -= 1
        insert = []
        for _, block in wanted:
            insert += [""] + block.rstrip("\n").split("\n")
        if end < len(lines):
            insert.append("")
        lines[end:end] = insert
    return "\n".join(lines)


if __name__ == "__main__":
    old_path, new_path = sys.argv[1], sys.argv[2]
    with open(old_path, encoding="utf-8") as f:
        old = f.read()
    with open(new_path, encoding="utf-8") as f:
        new = f.read()
    with open(new_path, "w", encoding="utf-8") as f:
        f.write(merge(old, new))
