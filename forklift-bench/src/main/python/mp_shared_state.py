"""Python multiprocessing peers of the shared-state benchmark cases (standard library only, start method fork).

Prints one line of key=value pairs, the last line of the output, which the Java harness reads:

  value    --count N --processes P    P processes each add 1 to an mp.Value('q') N times under its lock
  pipe     --count N --warmup W       round trips of the string "ping" over a duplex Pipe(): send()/recv(), median
"""
import argparse
import multiprocessing as mp
import statistics
import time


def _value_adder(value, barrier, count):
    barrier.wait()
    for _ in range(count):
        with value.get_lock():
            value.value += 1


def run_value(count, processes):
    ctx = mp.get_context("fork")
    value = ctx.Value("q", 0)
    barrier = ctx.Barrier(processes + 1)
    procs = [ctx.Process(target=_value_adder, args=(value, barrier, count)) for _ in range(processes)]
    for p in procs:
        p.start()
    barrier.wait()
    start = time.perf_counter()
    for p in procs:
        p.join()
    seconds = time.perf_counter() - start
    total = count * processes
    assert value.value == total, (value.value, total)
    print(f"name=value processes={processes} count={total} seconds={seconds:.4f} ops_per_s={total / seconds:.1f}")


def _echo(conn, total):
    for _ in range(total):
        conn.send(conn.recv())


def run_pipe(count, warmup):
    ctx = mp.get_context("fork")
    here, there = ctx.Pipe()
    echo = ctx.Process(target=_echo, args=(there, count + warmup))
    echo.start()
    message = "ping"
    for _ in range(warmup):
        here.send(message)
        here.recv()
    rtts = []
    for _ in range(count):
        t0 = time.perf_counter_ns()
        here.send(message)
        here.recv()
        rtts.append(time.perf_counter_ns() - t0)
    echo.join()
    rtts.sort()
    print(f"name=pipe count={count} median_us={statistics.median(rtts) / 1e3:.2f} "
          f"p99_us={rtts[int(len(rtts) * 0.99)] / 1e3:.2f}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["value", "pipe"])
    parser.add_argument("--count", type=int, default=200_000)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--warmup", type=int, default=1_000)
    args = parser.parse_args()
    if args.mode == "value":
        run_value(args.count, args.processes)
    else:
        run_pipe(args.count, args.warmup)


if __name__ == "__main__":
    main()
