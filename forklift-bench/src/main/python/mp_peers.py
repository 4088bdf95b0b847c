"""Python multiprocessing peers of the Forklift benchmark cases (standard library only).

Each mode runs its sides in separate OS processes (start method fork) and prints one line of
key=value pairs, the last line of the output, which the Java harness reads:

  queue    --size B --producers P --consumers C --count N   mp.Queue, P producer and C consumer processes
  pipe     --size B --count N                               Pipe(duplex=False) send_bytes/recv_bytes
  obj      --count N                                        mp.Queue carrying a small tuple
  pingpong --count N --warmup W                             ping-pong over Pipe(), 16 B, RTT median and p99
  idle     --seconds S                                      CPU of a consumer blocked in Queue.get()

Throughput is timed from a barrier that every process passes to the last get() of the consumers.
"""
import argparse
import multiprocessing as mp
import os
import statistics
import time


def _queue_producer(q, barrier, payload, count):
    barrier.wait()
    for _ in range(count):
        q.put(payload)


def _queue_consumer(q, barrier, count, done):
    barrier.wait()
    for _ in range(count):
        q.get()
    done.put(time.perf_counter())


def run_queue(size, producers, consumers, count):
    ctx = mp.get_context("fork")
    q = ctx.Queue()
    done = ctx.Queue()
    barrier = ctx.Barrier(producers + consumers + 1)
    payload = b"x" * size
    per_producer = count // producers
    total = per_producer * producers
    per_consumer = [total // consumers + (1 if i < total % consumers else 0) for i in range(consumers)]
    procs = [ctx.Process(target=_queue_producer, args=(q, barrier, payload, per_producer)) for _ in range(producers)]
    procs += [ctx.Process(target=_queue_consumer, args=(q, barrier, n, done)) for n in per_consumer]
    for p in procs:
        p.start()
    barrier.wait()
    start = time.perf_counter()
    end = max(done.get() for _ in range(consumers))
    for p in procs:
        p.join()
    seconds = end - start
    print(f"name=queue size={size} producers={producers} consumers={consumers} count={total} "
          f"seconds={seconds:.4f} msgs_per_s={total / seconds:.1f} mb_per_s={total * size / seconds / 1e6:.2f}")


def _pipe_sender(conn, barrier, payload, count):
    barrier.wait()
    for _ in range(count):
        conn.send_bytes(payload)


def run_pipe(size, count):
    ctx = mp.get_context("fork")
    reader, writer = ctx.Pipe(duplex=False)
    barrier = ctx.Barrier(2)
    sender = ctx.Process(target=_pipe_sender, args=(writer, barrier, b"x" * size, count))
    sender.start()
    barrier.wait()
    start = time.perf_counter()
    for _ in range(count):
        reader.recv_bytes()
    seconds = time.perf_counter() - start
    sender.join()
    print(f"name=pipe size={size} count={count} seconds={seconds:.4f} msgs_per_s={count / seconds:.1f} "
          f"mb_per_s={count * size / seconds / 1e6:.2f}")


def _obj_producer(q, barrier, count):
    barrier.wait()
    for i in range(count):
        q.put((i, 21.5, "sensor-17"))


def run_obj(count):
    ctx = mp.get_context("fork")
    q = ctx.Queue()
    barrier = ctx.Barrier(2)
    producer = ctx.Process(target=_obj_producer, args=(q, barrier, count))
    producer.start()
    barrier.wait()
    start = time.perf_counter()
    for _ in range(count):
        q.get()
    seconds = time.perf_counter() - start
    producer.join()
    print(f"name=obj count={count} seconds={seconds:.4f} msgs_per_s={count / seconds:.1f}")


def _echo(conn, total):
    for _ in range(total):
        conn.send_bytes(conn.recv_bytes())


def run_pingpong(count, warmup):
    ctx = mp.get_context("fork")
    parent, child = ctx.Pipe()
    echo = ctx.Process(target=_echo, args=(child, count + warmup))
    echo.start()
    payload = b"x" * 16
    for _ in range(warmup):
        parent.send_bytes(payload)
        parent.recv_bytes()
    rtts = []
    clock = time.perf_counter_ns
    for _ in range(count):
        t0 = clock()
        parent.send_bytes(payload)
        parent.recv_bytes()
        rtts.append(clock() - t0)
    echo.join()
    rtts.sort()
    median = statistics.median(rtts) / 1000.0
    p99 = rtts[min(len(rtts) - 1, int(len(rtts) * 0.99))] / 1000.0
    print(f"name=pingpong count={count} median_us={median:.2f} p99_us={p99:.2f}")


def _cpu_ticks(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime, fields 14 and 15 of stat


def _idle_consumer(q, ready):
    ready.set()
    q.get()


def run_idle(seconds):
    ctx = mp.get_context("fork")
    q = ctx.Queue()
    ready = ctx.Event()
    consumer = ctx.Process(target=_idle_consumer, args=(q, ready))
    consumer.start()
    ready.wait()
    time.sleep(0.5)
    hz = os.sysconf("SC_CLK_TCK")
    t0 = time.perf_counter()
    c0 = _cpu_ticks(consumer.pid)
    time.sleep(seconds)
    c1 = _cpu_ticks(consumer.pid)
    elapsed = time.perf_counter() - t0
    q.put(b"stop")
    consumer.join()
    percent = (c1 - c0) / hz / elapsed * 100.0
    print(f"name=idle seconds={elapsed:.3f} cpu_percent={percent:.3f}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["queue", "pipe", "obj", "pingpong", "idle"])
    parser.add_argument("--size", type=int, default=16)
    parser.add_argument("--producers", type=int, default=1)
    parser.add_argument("--consumers", type=int, default=1)
    parser.add_argument("--count", type=int, default=200_000)
    parser.add_argument("--warmup", type=int, default=1_000)
    parser.add_argument("--seconds", type=float, default=10.0)
    args = parser.parse_args()
    if args.mode == "queue":
        run_queue(args.size, args.producers, args.consumers, args.count)
    elif args.mode == "pipe":
        run_pipe(args.size, args.count)
    elif args.mode == "obj":
        run_obj(args.count)
    elif args.mode == "pingpong":
        run_pingpong(args.count, args.warmup)
    else:
        run_idle(args.seconds)


if __name__ == "__main__":
    main()
