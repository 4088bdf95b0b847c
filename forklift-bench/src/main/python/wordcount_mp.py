"""Word count with Python multiprocessing: 4 producer processes + 1 consumer over one multiprocessing.Queue.

Each producer reads its files (round robin) line by line, counts the words of each batch of 10,000 lines in a
collections.Counter and puts the Counter on the queue; the consumer merges them into one Counter. Words: maximal
runs of Unicode letters and digits, lower-cased (re [^\\W_]+ over line.lower(); same as Forklift's rule on text
without numeric signs such as '²' and without combining marks). Standard library only.

Usage: python3 wordcount_mp.py [--producers N] FILE...
Prints on its last line: bytes=... words=... distinct=... seconds=... mb_per_s=...
"""
import collections
import multiprocessing as mp
import os
import re
import sys
import time

WORD = re.compile(r"[^\W_]+")
BATCH_LINES = 10_000


def producer(files, queue):
    for path in files:
        with open(path, encoding="utf-8", errors="replace") as f:
            batch = collections.Counter()
            lines = 0
            for line in f:
                batch.update(WORD.findall(line.lower()))
                lines += 1
                if lines == BATCH_LINES:
                    queue.put(batch)
                    batch = collections.Counter()
                    lines = 0
            if batch:
                queue.put(batch)
    queue.put(None)


def consumer(queue, producers, results):
    total = collections.Counter()
    done = 0
    while done < producers:
        batch = queue.get()
        if batch is None:
            done += 1
        else:
            total.update(batch)
    results.put((sum(total.values()), len(total)))


def main(argv):
    producers = 4
    if len(argv) > 1 and argv[0] == "--producers":
        producers = int(argv[1])
        argv = argv[2:]
    files = argv
    size = sum(os.path.getsize(f) for f in files)
    start = time.perf_counter()
    queue = mp.Queue()
    results = mp.Queue()
    workers = [mp.Process(target=producer, args=(files[i::producers], queue)) for i in range(producers)]
    merger = mp.Process(target=consumer, args=(queue, producers, results))
    for p in workers + [merger]:
        p.start()
    words, distinct = results.get()
    for p in workers + [merger]:
        p.join()
    seconds = time.perf_counter() - start
    print(f"bytes={size} words={words} distinct={distinct} seconds={seconds:.3f} mb_per_s={size / 1e6 / seconds:.2f}")


if __name__ == "__main__":
    main(sys.argv[1:])
