"""Peer of `forklift run --workers 2 --task UpperCaseTask FILE`, timed as a whole command: a spawn Pool(2) maps
str.upper over the lines of FILE and prints the results in input order.

Usage: python3 run_pool.py FILE
"""
import multiprocessing as mp
import sys


def upper(line):
    return line.upper()


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        lines = f.read().splitlines()
    ctx = mp.get_context("spawn")
    with ctx.Pool(2) as pool:
        for result in pool.map(upper, lines):
            print(result)


if __name__ == "__main__":
    main()
