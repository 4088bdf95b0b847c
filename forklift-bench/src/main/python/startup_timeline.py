"""Timeline of a whole command from its start to its exit, per process (the command-line JVM and every child
JVM), from the JVMs' own class-loading logs: each JVM is started with
-Xlog:class+load,startuptime:file=DIR/cl-%p.txt:timemillis,uptimemillis (through JAVA_TOOL_OPTIONS, which child
JVMs inherit), and the moments a milestone class is first loaded are printed in ms since the command started.

Usage: python3 startup_timeline.py COMMAND [ARG...]      e.g.  ./forklift run --task T in.txt
Prints one line per process and milestone; standard library only.
"""
import glob
import os
import re
import subprocess
import sys
import tempfile
import time

# (class, what its first load marks) for the command-line JVM, then for a child JVM.
PARENT = [
    ("dev.forklift.cli.Main", "main class loaded (JVM booted)"),
    ("picocli.CommandLine", "picocli"),
    ("dev.forklift.cli.run.RunCommand", "run command chosen"),
    ("dev.forklift.cli.wordcount.WordCountCommand", "wordcount command chosen"),
    ("dev.forklift.pool.PoolBuilder", "options parsed, pool built"),
    ("dev.forklift.pipeline.PipelineBuilder", "options parsed, pipeline built"),
    ("dev.forklift.process.internal.Launches", "children launched"),
    ("dev.forklift.pool.internal.ResultCollector", "result collector"),
]
CHILD = [
    ("dev.forklift.process.internal.ChildMain", "ChildMain loaded (JVM booted)"),
    ("dev.forklift.process.internal.WarmWorkerMain", "warm worker main"),
    ("dev.forklift.process.internal.Frames", "connecting (NIO, Unix socket loaded)"),
    ("dev.forklift.process.internal.ChildSpec", "spec received"),
    ("dev.forklift.process.internal.StatusBoard", "task and arguments decoded"),
    ("dev.forklift.pool.internal.WorkerLoop", "worker loop (ready)"),
    ("dev.forklift.pipeline.internal.ProducerTask", "producer task (ready)"),
    ("dev.forklift.pipeline.internal.StepRunner", "stage task (ready)"),
]
LINE = re.compile(r"^\[(\d+)ms\]\[(\d+)ms\] (\S+) source")


def main():
    logs = tempfile.mkdtemp(prefix="forklift-timeline-")
    env = dict(os.environ)
    env["JAVA_TOOL_OPTIONS"] = (env.get("JAVA_TOOL_OPTIONS", "") + " -Xlog:class+load:file=" + logs
                                + "/cl-%p.txt:timemillis,uptimemillis").strip()
    start_ms = time.time() * 1000
    subprocess.run(sys.argv[1:], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    end_ms = time.time() * 1000
    print(f"command: {' '.join(sys.argv[1:])}")
    print(f"{'process':>12} {'ms':>8}  event (ms since the command started)")
    rows = []
    for path in sorted(glob.glob(logs + "/cl-*.txt")):
        pid = path.rsplit("-", 1)[1].split(".")[0]
        seen = {}
        first = last = None
        count = 0
        with open(path) as f:
            for line in f:
                m = LINE.match(line)
                if not m:
                    continue
                wall, up, name = int(m.group(1)), int(m.group(2)), m.group(3)
                count += 1
                if first is None:
                    first = wall - up  # the JVM's start
                last = wall
                if name not in seen:
                    seen[name] = wall
        if first is None:
            continue
        if "org.codehaus.plexus.classworlds.launcher.Launcher" in seen:
            continue  # a build by the launcher
        role = "cli" if "dev.forklift.cli.Main" in seen else "child"
        pid = role + " " + pid
        rows.append((first - start_ms, pid, "JVM started"))
        for cls, label in (PARENT if role == "cli" else CHILD):
            if cls in seen:
                rows.append((seen[cls] - start_ms, pid, label))
        rows.append((last - start_ms, pid, f"last class loaded ({count} classes)"))
    for ms, pid, label in sorted(rows):
        print(f"{pid:>12} {ms:8.0f}  {label}")
    print(f"{'command':>12} {end_ms - start_ms:8.0f}  exited")


if __name__ == "__main__":
    main()
