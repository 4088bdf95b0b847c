"""Peer of Forklift's pool submit case: ProcessPoolExecutor(2), submit() per task, then result() of each.

Usage: python3 pool_submit.py N
Prints: tasks_per_s=... seconds=...
"""
import sys
import time
from concurrent.futures import ProcessPoolExecutor


def inc(x):
    return x + 1


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
    with ProcessPoolExecutor(2) as pool:
        list(pool.map(inc, range(1000)))  # start and warm the workers
        start = time.perf_counter()
        futures = [pool.submit(inc, i) for i in range(n)]
        total = sum(f.result() for f in futures)
        seconds = time.perf_counter() - start
    assert total == n * (n + 1) // 2
    print(f"tasks_per_s={n / seconds:.0f} seconds={seconds:.3f}")


if __name__ == "__main__":
    main()
