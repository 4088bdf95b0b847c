#!/usr/bin/env python3
"""Prints the start-up stamps of Forklift processes (-Dforklift.startupTrace=FILE) as a timeline.

Usage: python3 startup_stamps.py FILE [--from WHAT]
Every line of FILE is "<epoch us> <pid> <role> <what>"; the timeline is in ms since the first stamp (or since the
last stamp whose text starts with WHAT, so that one pool of several can be read), one column per process.
"""
import sys


def main():
    path = sys.argv[1]
    start_mark = sys.argv[3] if len(sys.argv) > 3 and sys.argv[2] == "--from" else None
    rows = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split(" ", 3)
            if len(parts) == 4:
                rows.append((int(parts[0]), int(parts[1]), parts[2], parts[3]))
    rows.sort()
    if start_mark:
        marks = [r for r in rows if r[3].startswith(start_mark)]
        if marks:
            rows = [r for r in rows if r[0] >= marks[-1][0] or r[3] == "exec" and r[0] >= marks[-1][0] - 10_000_000]
    if not rows:
        return
    t0 = rows[0][0]
    names = {}
    for _, pid, role, _ in rows:
        names.setdefault(pid, "%s %d" % (role, pid))
    for us, pid, role, what in rows:
        print("%9.1f ms  %-26s %s" % ((us - t0) / 1000.0, names[pid], what))


if __name__ == "__main__":
    main()
