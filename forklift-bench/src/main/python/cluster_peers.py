"""The Python peers of the cluster cases (./forklift bench cluster): Ray and Celery on Redis, all on 127.0.0.1.

Runs in the peers' virtualenv (cluster_peers_setup.sh). `serve` starts the peers once and then reads one command
a line from standard input, answering each with one line `ok key=value...` (or `error ...`), so that the bench
can interleave the peers' runs with Forklift's in the same minutes:

  ray-map N         ray.util.multiprocessing.Pool(2).map(inc, range(N)), default chunking; timed: the map call
  celery-chunks N   inc.chunks(zip(range(N)), 1000).group().apply_async().get(); timed: send and collect
  celery-delay N    [inc.delay(i) for i in range(N)], then .get() each; timed: all sends and all gets
  quit

Each answer carries rate (tasks or items per second) and seconds; every result list is checked. The Celery worker
(prefork, 2 children) runs with acks_late and prefetch 1 ("safe"), its broker and result backend one Redis
(--appendonly yes --appendfsync everysec) bound to 127.0.0.1 on a free port. Ray is started with num_cpus=2 on
127.0.0.1 (RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER=0, node address 127.0.0.1, no dashboard).

`worker` (internal) runs the Celery worker; `python cluster_peers.py serve ray,celery` starts only the peers named.
"""
import os
import re
import socket
import subprocess
import sys
import tempfile
import time

os.environ.setdefault("RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER", "0")
os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")

CHUNK = 1000


def inc(x):
    return x + 1


def celery_app(redis_url):
    from celery import Celery
    app = Celery("forklift_peer", broker=redis_url, backend=redis_url)
    app.conf.update(
        task_acks_late=True,
        worker_prefetch_multiplier=1,
        task_serializer="json",
        result_serializer="json",
        accept_content=["json"],
        broker_connection_retry_on_startup=True,
        worker_hijack_root_logger=False,
    )
    app.task(name="forklift_peer.inc")(inc)
    return app


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Redis:
    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="forklift-peer-redis-")
        self.port = free_port()
        self.process = subprocess.Popen(
            ["redis-server", "--bind", "127.0.0.1", "--port", str(self.port), "--dir", self.dir,
             "--appendonly", "yes", "--appendfsync", "everysec", "--save", "", "--protected-mode", "yes"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 20
        while time.time() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start on 127.0.0.1:%d" % self.port)

    def url(self):
        return "redis://127.0.0.1:%d/0" % self.port

    def close(self):
        self.process.terminate()
        self.process.wait(10)


class CeleryPeer:
    def __init__(self):
        self.redis = Redis()
        self.app = celery_app(self.redis.url())
        self.worker = subprocess.Popen(
            [sys.executable, os.path.abspath(__file__), "worker", self.redis.url()],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        task = self.app.tasks["forklift_peer.inc"]
        if task.delay(1).get(timeout=60) != 2:
            raise RuntimeError("celery worker answered wrongly")

    def chunks(self, n):
        task = self.app.tasks["forklift_peer.inc"]
        start = time.perf_counter()
        nested = task.chunks(zip(range(n)), CHUNK).group().apply_async().get(timeout=600)
        seconds = time.perf_counter() - start
        flat = [y for chunk in nested for y in chunk]
        if len(flat) != n or flat[-1] != n:
            raise RuntimeError("wrong chunk results")
        return n, seconds

    def delay(self, n):
        task = self.app.tasks["forklift_peer.inc"]
        start = time.perf_counter()
        pending = [task.delay(i) for i in range(n)]
        total = sum(r.get(timeout=600) for r in pending)
        seconds = time.perf_counter() - start
        if total != n * (n + 1) // 2:
            raise RuntimeError("wrong delay results")
        return n, seconds

    def close(self):
        self.worker.terminate()
        try:
            self.worker.wait(20)
        except subprocess.TimeoutExpired:
            self.worker.kill()
        self.redis.close()


class RayPeer:
    def __init__(self):
        import ray
        from ray.util.multiprocessing import Pool
        self.ray = ray
        ray.init(num_cpus=2, include_dashboard=False, _node_ip_address="127.0.0.1", log_to_driver=False)
        self.pool = Pool(2)
        self.pool.map(inc, range(10_000))

    def map(self, n):
        start = time.perf_counter()
        results = self.pool.map(inc, range(n))
        seconds = time.perf_counter() - start
        if len(results) != n or results[-1] != n:
            raise RuntimeError("wrong map results")
        return n, seconds

    def close(self):
        self.pool.terminate()
        self.ray.shutdown()


def own_pids():
    """This process and all its descendants, from /proc."""
    parents = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open("/proc/%s/stat" % entry) as stat:
                    parents[int(entry)] = int(stat.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                pass
    own = {os.getpid()}
    grew = True
    while grew:
        added = {pid for pid, parent in parents.items() if parent in own} - own
        own |= added
        grew = bool(added)
    return own


def listening_beyond_loopback():
    """The sockets this process and its descendants listen on outside 127.0.0.1 and ::1 (`ss -ltnp`)."""
    own = own_pids()
    lines = subprocess.run(["ss", "-ltnpH"], capture_output=True, text=True, check=True).stdout.splitlines()
    exposed = []
    for line in lines:
        fields = line.split()
        address = fields[3].rsplit(":", 1)[0].strip("[]")
        pids = {int(p) for p in re.findall(r"pid=(\d+)", line)}
        if pids & own and address not in ("127.0.0.1", "::1", "::ffff:127.0.0.1"):
            exposed.append("%s (%s)" % (fields[3], fields[-1]))
    return exposed


def serve(names):
    peers = {}
    try:
        started = time.perf_counter()
        if "ray" in names:
            peers["ray"] = RayPeer()
        if "celery" in names:
            peers["celery"] = CeleryPeer()
        exposed = listening_beyond_loopback()
        if exposed:
            raise RuntimeError("a peer listens beyond 127.0.0.1: " + ", ".join(exposed))
        print("ok started=%s seconds=%.2f" % (",".join(peers), time.perf_counter() - started), flush=True)
        for line in sys.stdin:
            words = line.split()
            if not words:
                continue
            if words[0] == "quit":
                break
            try:
                n = int(words[1])
                if words[0] == "ray-map":
                    done, seconds = peers["ray"].map(n)
                elif words[0] == "celery-chunks":
                    done, seconds = peers["celery"].chunks(n)
                elif words[0] == "celery-delay":
                    done, seconds = peers["celery"].delay(n)
                else:
                    raise ValueError("unknown command " + words[0])
                print("ok rate=%.1f seconds=%.3f n=%d" % (done / seconds, seconds, done), flush=True)
            except Exception as ex:  # report and go on: one failed case must not end the others
                print("error %s: %s" % (type(ex).__name__, str(ex).replace("\n", " ")), flush=True)
    finally:
        for peer in peers.values():
            try:
                peer.close()
            except Exception:
                pass


def main():
    if len(sys.argv) >= 3 and sys.argv[1] == "worker":
        app = celery_app(sys.argv[2])
        app.worker_main(["worker", "--pool", "prefork", "--concurrency", "2", "--loglevel", "WARNING",
                         "--without-gossip", "--without-mingle", "--without-heartbeat"])
        return
    if len(sys.argv) >= 2 and sys.argv[1] == "serve":
        serve(sys.argv[2].split(",") if len(sys.argv) >= 3 else ["ray", "celery"])
        return
    print(__doc__)
    sys.exit(2)


if __name__ == "__main__":
    main()
