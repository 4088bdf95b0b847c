"""Python multiprocessing peers of the Forklift sync benchmark cases (standard library only, start method fork).

Each mode prints one line of key=value pairs, the last line of the output, which the Java harness reads:

  lock    --count N   uncontended Lock acquire+release in one process           ops_per_s
  counter --count N   two processes each add 1 to a Value under its lock N times  incs_per_s
  barrier --count N   two processes pass a Barrier(2) N times                    rounds_per_s
  event   --count N --warmup W   ping-pong over two Events between two processes   median_us p99_us
  dict    --count N   two processes each set+get a Manager().dict() N times       ops_per_s (set+get = 2 ops)

Throughput is timed from a barrier every process passes to the end of the slowest worker.
"""
import argparse
import multiprocessing as mp
import statistics
import time


def run_lock(count):
    lock = mp.get_context("fork").Lock()
    for _ in range(min(count, 100_000)):
        lock.acquire()
        lock.release()
    start = time.perf_counter()
    for _ in range(count):
        lock.acquire()
        lock.release()
    seconds = time.perf_counter() - start
    print(f"name=lock count={count} seconds={seconds:.4f} ops_per_s={count / seconds:.1f}")


def _adder(value, barrier, count, done):
    barrier.wait()
    for _ in range(count):
        with value.get_lock():
            value.value += 1
    done.put(time.perf_counter())


def run_counter(count):
    ctx = mp.get_context("fork")
    value = ctx.Value("q", 0)
    barrier = ctx.Barrier(3)
    done = ctx.Queue()
    procs = [ctx.Process(target=_adder, args=(value, barrier, count, done)) for _ in range(2)]
    for p in procs:
        p.start()
    barrier.wait()
    start = time.perf_counter()
    end = max(done.get() for _ in procs)
    for p in procs:
        p.join()
    if value.value != 2 * count:
        raise SystemExit(f"lost increments: {value.value} != {2 * count}")
    seconds = end - start
    print(f"name=counter count={2 * count} seconds={seconds:.4f} incs_per_s={2 * count / seconds:.1f}")


def _party(rounds_barrier, barrier, count, done):
    barrier.wait()
    for _ in range(count):
        rounds_barrier.wait()
    done.put(time.perf_counter())


def run_barrier(count):
    ctx = mp.get_context("fork")
    rounds_barrier = ctx.Barrier(2)
    barrier = ctx.Barrier(3)
    done = ctx.Queue()
    procs = [ctx.Process(target=_party, args=(rounds_barrier, barrier, count, done)) for _ in range(2)]
    for p in procs:
        p.start()
    barrier.wait()
    start = time.perf_counter()
    end = max(done.get() for _ in procs)
    for p in procs:
        p.join()
    seconds = end - start
    print(f"name=barrier count={count} seconds={seconds:.4f} rounds_per_s={count / seconds:.1f}")


def _echo(ping, pong, total):
    for _ in range(total):
        ping.wait()
        ping.clear()
        pong.set()


def run_event(count, warmup):
    ctx = mp.get_context("fork")
    ping, pong = ctx.Event(), ctx.Event()
    echo = ctx.Process(target=_echo, args=(ping, pong, count + warmup))
    echo.start()
    samples = []
    for i in range(count + warmup):
        start = time.perf_counter_ns()
        ping.set()
        pong.wait()
        pong.clear()
        if i >= warmup:
            samples.append(time.perf_counter_ns() - start)
    echo.join()
    samples.sort()
    median = statistics.median(samples) / 1e3
    p99 = samples[int(len(samples) * 0.99)] / 1e3
    print(f"name=event count={count} median_us={median:.2f} p99_us={p99:.2f}")


def _dict_worker(shared, barrier, worker, count, done):
    barrier.wait()
    for i in range(count):
        key = f"k{worker}-{i % 1000}"
        shared[key] = i
        shared.get(key)
    done.put(time.perf_counter())


def run_dict(count):
    ctx = mp.get_context("fork")
    with ctx.Manager() as manager:
        shared = manager.dict()
        barrier = ctx.Barrier(3)
        done = ctx.Queue()
        procs = [ctx.Process(target=_dict_worker, args=(shared, barrier, w, count, done)) for w in range(2)]
        for p in procs:
            p.start()
        barrier.wait()
        start = time.perf_counter()
        end = max(done.get() for _ in procs)
        for p in procs:
            p.join()
    seconds = end - start
    ops = 2 * 2 * count
    print(f"name=dict count={ops} seconds={seconds:.4f} ops_per_s={ops / seconds:.1f}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["lock", "counter", "barrier", "event", "dict"])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--warmup", type=int, default=1_000)
    args = parser.parse_args()
    if args.mode == "lock":
        run_lock(args.count)
    elif args.mode == "counter":
        run_counter(args.count)
    elif args.mode == "barrier":
        run_barrier(args.count)
    elif args.mode == "event":
        run_event(args.count, args.warmup)
    else:
        run_dict(args.count)


if __name__ == "__main__":
    main()
