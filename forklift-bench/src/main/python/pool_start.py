"""Peer of Forklift's pool start case: from creating multiprocessing Pool(2) with the spawn start method to the
first result.

Usage: python3 pool_start.py
Prints: ms=...
"""
import multiprocessing as mp
import time


def inc(x):
    return x + 1


def main():
    ctx = mp.get_context("spawn")
    start = time.perf_counter()
    pool = ctx.Pool(2)
    assert pool.apply(inc, (1,)) == 2
    ms = (time.perf_counter() - start) * 1000
    pool.terminate()
    pool.join()
    print(f"ms={ms:.1f}")


if __name__ == "__main__":
    main()
