"""Peer of Forklift's pool map cases: multiprocessing.Pool(2).map over N ints.

Usage: python3 pool_map.py N CHUNKSIZE   (CHUNKSIZE 0: Pool.map's default, len / (4 * workers) rounded up)
Prints: tasks_per_s=... seconds=...
"""
import sys
import time
from multiprocessing import Pool


def inc(x):
    return x + 1


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    chunksize = int(sys.argv[2]) if len(sys.argv) > 2 else 0
    data = list(range(n))
    with Pool(2) as pool:
        pool.map(inc, range(1000))  # start and warm the workers
        start = time.perf_counter()
        result = pool.map(inc, data) if chunksize == 0 else pool.map(inc, data, chunksize)
        seconds = time.perf_counter() - start
    assert len(result) == n and result[-1] == n
    print(f"tasks_per_s={n / seconds:.0f} seconds={seconds:.3f}")


if __name__ == "__main__":
    main()
