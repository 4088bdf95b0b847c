package dev.forklift.sync;

import dev.forklift.ForkliftException;
import dev.forklift.process.ChildProcess;
import dev.forklift.process.ChildProcessBuilder;
import dev.forklift.process.ProcessTask;
import dev.forklift.process.TaskContext;
import dev.forklift.shm.SharedMemoryDirectory;
import dev.forklift.testing.Await;
import dev.forklift.testing.ProcessDeadline;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Shared values, arrays and segments between real child JVMs and an unrelated JVM: every claim crosses processes. */
@ProcessDeadline(seconds = 150)
class SharedValuesCrossProcessTest {
    static final String[] FAST_JVM = {"-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xss512k"};
    private static final Duration JOIN = Duration.ofSeconds(90);

    /** Adds 1 to each of its shared values {@code count} times, with their atomic adds, once the start flag is up. */
    public static final class Adder implements ProcessTask {
        private static final long serialVersionUID = 1L;

        @Override
        public void run(final TaskContext context) throws Exception {
            final SharedLong total = context.arg(0, SharedLong.class);
            final SharedInt ints = context.arg(1, SharedInt.class);
            final SharedDouble doubles = context.arg(2, SharedDouble.class);
            final SharedLongArray cells = context.arg(3, SharedLongArray.class);
            final SharedLong start = context.arg(4, SharedLong.class);
            final int count = context.arg(5, Integer.class);
            start.decrementAndGet();
            while (start.get() > 0) {
                Thread.onSpinWait();
            }
            for (int i = 0; i < count; i++) {
                total.getAndAdd(1);
                ints.incrementAndGet();
                doubles.addAndGet(1.0);
                cells.getAndAdd(i % cells.length(), 1);
            }
        }
    }

    /** Increments its shared long and array for ever (until killed), element 0 of the array after the long. */
    public static final class EndlessWriter implements ProcessTask {
        private static final long serialVersionUID = 1L;

        @Override
        public void run(final TaskContext context) {
            final SharedLong value = context.arg(0, SharedLong.class);
            final SharedLongArray array = context.arg(1, SharedLongArray.class);
            while (true) {
                value.incrementAndGet();
                array.getAndAdd(0, 1);
            }
        }
    }

    /** Creates a shared long and a segment named by its argument, says so through the flag, then waits to be killed. */
    public static final class OwnerThatDies implements ProcessTask {
        private static final long serialVersionUID = 1L;

        @Override
        public void run(final TaskContext context) throws Exception {
            final String name = context.arg(0, String.class);
            final SharedLong flag = context.arg(1, SharedLong.class);
            SharedLong.create(name, 7);
            SharedSegment.create(name, 4096);
            flag.set(1);
            Thread.sleep(600_000);
        }
    }

    @Test
    void processesAddingWithTheAtomicAddsGetExactlyTheSum() throws Exception {
        final int children = 3;
        final int count = 100_000;
        try (SharedLong total = SharedLong.create("sum-total");
             SharedInt ints = SharedInt.create("sum-ints");
             SharedDouble doubles = SharedDouble.create("sum-doubles");
             SharedLongArray cells = SharedLongArray.create("sum-cells", 7);
             SharedLong start = SharedLong.create("sum-start", children)) {
            final List<ChildProcessBuilder> builders = new ArrayList<>();
            for (int i = 0; i < children; i++) {
                builders.add(ChildProcess.builder(Adder.class).jvmOptions(FAST_JVM)
                    .args(total, ints, doubles, cells, start, count));
            }
            final List<ChildProcess> started = ChildProcessBuilder.startAll(builders);
            try {
                for (final ChildProcess child : started) {
                    child.joinAndCheck(JOIN);
                }
            } finally {
                started.forEach(ChildProcess::close);
            }
            assertThat(total.get()).isEqualTo((long) children * count);
            assertThat(ints.get()).isEqualTo(children * count);
            assertThat(doubles.get()).isEqualTo((double) children * count);
            assertThat(java.util.Arrays.stream(cells.toArray()).sum()).isEqualTo((long) children * count);
            for (int i = 0; i < cells.length(); i++) {
                final long perChild = (count - i + cells.length() - 1) / cells.length();
                assertThat(cells.get(i)).as("cell %d", i).isEqualTo(children * perChild);
            }
        }
    }

    @Test
    void aKilledWriterLeavesTheValuesWholeAndUsable() throws Exception {
        try (SharedLong value = SharedLong.create("killed-writer");
             SharedLongArray array = SharedLongArray.create("killed-writer", 2);
             ChildProcess writer = ChildProcess.builder(EndlessWriter.class).jvmOptions(FAST_JVM)
                 .args(value, array).start()) {
            Await.until(Duration.ofSeconds(60), () -> value.get() > 10_000, () -> "writer at " + value.get());
            writer.kill();
            final long seen = value.get();
            final long cell = array.get(0);
            // The writer adds to the long first: the array trails it by at most the one add in flight.
            assertThat(seen - cell).isBetween(0L, 1L);
            assertThat(value.addAndGet(1_000)).isEqualTo(seen + 1_000);
            assertThat(array.compareAndSet(0, cell, -5)).isTrue();
            assertThat(array.get(0)).isEqualTo(-5);
        }
    }

    @Test
    void aDeadOwnersObjectsAreReclaimedAndCannotBeOpenedAnyMore() throws Exception {
        try (SharedLong flag = SharedLong.create("owner-flag");
             ChildProcess owner = ChildProcess.builder(OwnerThatDies.class).jvmOptions(FAST_JVM)
                 .args("dying-owner", flag).start()) {
            Await.until(Duration.ofSeconds(60), () -> flag.get() == 1, () -> "owner ready");
            try (SharedLong opened = SharedLong.open("dying-owner")) {
                assertThat(opened.get()).isEqualTo(7);
                assertThat(opened.ownerPid()).isEqualTo(owner.pid());
                assertThat(opened.isOwner()).isFalse();
                owner.kill();
                SharedMemoryDirectory.current().reclaimStale();
                assertThat(Files.exists(opened.path())).isFalse();
                assertThat(opened.incrementAndGet()).as("the mapping stays usable").isEqualTo(8);
            }
            assertThatThrownBy(() -> SharedLong.open("dying-owner")).isInstanceOf(ForkliftException.class)
                .hasMessageContaining("'dying-owner'");
            assertThatThrownBy(() -> SharedSegment.open("dying-owner")).isInstanceOf(ForkliftException.class);
        }
    }

    @Test
    void anUnrelatedJvmOpensValuesArraysAndSegmentsByName() throws Exception {
        try (SharedLong counter = SharedLong.create("by-name-counter", 40);
             SharedDoubleArray weights = SharedDoubleArray.of("by-name-weights", 0.5, 1.5);
             SharedSegment segment = SharedSegment.create("by-name-segment", 64)) {
            segment.buffer().put("hello".getBytes(StandardCharsets.US_ASCII));
            final List<String> output = runUnrelated(OpenByNameMain.class.getName(), "by-name");
            assertThat(output).contains("segment hello", "counter 42", "weights 2.0");
            assertThat(counter.get()).isEqualTo(42);
            assertThat(weights.get(1)).isEqualTo(3.0);
            final ByteBuffer bytes = segment.buffer();
            final byte[] reply = new byte[5];
            bytes.get(8, reply);
            assertThat(new String(reply, StandardCharsets.US_ASCII)).isEqualTo("world");
        }
        assertThatThrownBy(() -> SharedLong.open("by-name-counter")).isInstanceOf(ForkliftException.class);
    }

    @Test
    void openingByNameChecksTheTypeAndNamesAreUniquePerKind() {
        try (SharedLong value = SharedLong.create("typed-value")) {
            assertThatThrownBy(() -> SharedInt.open("typed-value")).isInstanceOf(ForkliftException.class)
                .hasMessageContaining("holds long, not int");
            assertThatThrownBy(() -> SharedLong.create("typed-value")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("name=typed-value");
            assertThatThrownBy(() -> SharedLong.create("bad name")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("name=bad name");
            assertThat(SharedStateInspector.snapshot()).anySatisfy(info -> {
                assertThat(info.describe()).isEqualTo("value typed-value (long) = 0");
                assertThat(info.ownerPid()).isEqualTo(ProcessHandle.current().pid());
            });
        }
        assertThat(SharedStateInspector.snapshot()).noneMatch(info -> info.name().equals("typed-value"));
    }

    /** Runs a main class in a JVM started with a plain {@link ProcessBuilder}, not by Forklift. */
    static List<String> runUnrelated(final String mainClass, final String... args) throws Exception {
        final List<String> command = new ArrayList<>(List.of(
            ProcessHandle.current().info().command().orElse("java"), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
            "-cp", System.getProperty("java.class.path"), mainClass));
        command.addAll(List.of(args));
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("finished: %s", output).isTrue();
        assertThat(process.exitValue()).as("exit code, output: %s", output).isZero();
        return List.of(output.strip().split("\n"));
    }
}
