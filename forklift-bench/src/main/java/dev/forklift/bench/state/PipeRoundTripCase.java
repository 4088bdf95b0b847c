package dev.forklift.bench.state;

import dev.forklift.bench.BenchCase;
import dev.forklift.bench.PythonPeer;
import dev.forklift.bench.RoundTrips;
import dev.forklift.bench.queue.ChildJvms;
import dev.forklift.process.ChildProcess;
import dev.forklift.process.ProcessTask;
import dev.forklift.process.TaskContext;
import dev.forklift.queue.EndOfStreamException;
import dev.forklift.sync.Pipe;
import dev.forklift.sync.PipeConnection;

import java.time.Duration;
import java.util.Map;

/**
 * PIPE: round trips of the string "ping" between this JVM and a child JVM over a {@link Pipe} ({@code send} and
 * {@code receive}), median in microseconds. Peer: the same over a Python {@code Pipe()} ({@code send}/{@code recv}).
 */
public final class PipeRoundTripCase implements BenchCase {
    private static final int WARMUP = 20_000;
    private static final int COUNT = 20_000;

    /** Sends back every message it receives, until the other end closes. */
    public static final class Echo implements ProcessTask {
        private static final long serialVersionUID = 1L;

        @Override
        public void run(final TaskContext context) throws Exception {
            final PipeConnection connection = context.arg(0, PipeConnection.class);
            try {
                while (true) {
                    connection.send(connection.receive());
                }
            } catch (final EndOfStreamException end) {
                connection.close();
            }
        }
    }

    @Override
    public String name() {
        return "PIPE";
    }

    @Override
    public String description() {
        return "round trips of \"ping\" over a Pipe between 2 processes, send/receive, " + WARMUP + " warm-up + "
            + COUNT + " timed, median; peer Pipe() send/recv";
    }

    @Override
    public String unit() {
        return "us";
    }

    @Override
    public boolean higherIsBetter() {
        return false;
    }

    @Override
    public double targetRatio() {
        return 10;
    }

    @Override
    public String target() {
        return "<=1/10";
    }

    @Override
    public double runForklift() throws Exception {
        try (Pipe pipe = Pipe.create("bench-pipe", 16, 256);
             ChildProcess echo = ChildJvms.child(Echo.class, "echo", pipe.right()).start()) {
            final PipeConnection here = pipe.left();
            final RoundTrips rtts = RoundTrips.time(WARMUP, COUNT, () -> {
                here.send("ping");
                here.receive();
            });
            here.close();
            echo.joinAndCheck(Duration.ofSeconds(60));
            return rtts.medianNs() / 1e3;
        }
    }

    @Override
    public double runPeer() throws Exception {
        final Map<String, String> result = PythonPeer.run("mp_shared_state.py", 120, "pipe", "--count",
            String.valueOf(COUNT), "--warmup", "1000");
        return Double.parseDouble(result.get("median_us"));
    }
}
