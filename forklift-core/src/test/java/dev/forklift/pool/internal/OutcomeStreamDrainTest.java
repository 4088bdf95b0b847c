package dev.forklift.pool.internal;

import dev.forklift.pool.TaskFailedException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link OutcomeStream#drainResults}: every result once, in input order, and a failure stops at its input. */
class OutcomeStreamDrainTest {
    /** Delivers each chunk's results later, on another thread, whole chunks at once or one by one. */
    private static OutcomeStream stream(final List<Integer> inputs, final int failing) {
        return new OutcomeStream((chunk, sink) -> {
            final Thread later = new Thread(() -> {
                final Object[] values = new Object[chunk.length];
                boolean fails = false;
                for (int i = 0; i < chunk.length; i++) {
                    values[i] = (Integer) chunk[i] * 10;
                    fails |= (Integer) chunk[i] == failing;
                }
                if (!fails) {
                    sink.deliverAll(0, values, null);
                    return;
                }
                for (int i = chunk.length - 1; i >= 0; i--) {
                    sink.deliver(i, (Integer) chunk[i] == failing ? null : values[i],
                        (Integer) chunk[i] == failing ? new IllegalStateException("bad " + failing) : null);
                    sink.flush();
                }
            });
            later.start();
        }, inputs.iterator(), true, 3, 7);
    }

    @Test
    void everyResultOnceInInputOrder() {
        final List<Integer> inputs = IntStream.range(0, 20).boxed().collect(Collectors.toList());
        final OutcomeStream stream = stream(inputs, -1);
        final List<Object> results = new ArrayList<>();
        while (stream.drainResults(results)) {
            continue;
        }
        assertThat(results).isEqualTo(inputs.stream().map(x -> x * 10).collect(Collectors.toList()));
    }

    @Test
    void aFailedInputThrowsWithItsIndexAfterTheResultsBeforeIt() {
        final List<Integer> inputs = IntStream.range(0, 20).boxed().collect(Collectors.toList());
        final OutcomeStream stream = stream(inputs, 7);
        final List<Object> results = new ArrayList<>();
        assertThatThrownBy(() -> {
            while (stream.drainResults(results)) {
                continue;
            }
        }).isInstanceOf(TaskFailedException.class).satisfies(e -> assertThat(((TaskFailedException) e).index())
            .isEqualTo(7));
        assertThat(results).containsExactly(0, 10, 20, 30, 40, 50, 60);
    }

    @Test
    void aFailedLastInputOfAChunkThrowsWithItsIndex() {
        final List<Integer> inputs = IntStream.range(0, 20).boxed().collect(Collectors.toList());
        final OutcomeStream stream = stream(inputs, 8);
        final List<Object> results = new ArrayList<>();
        assertThatThrownBy(() -> {
            while (stream.drainResults(results)) {
                continue;
            }
        }).isInstanceOf(TaskFailedException.class).satisfies(e -> assertThat(((TaskFailedException) e).index())
            .isEqualTo(8));
        assertThat(results).containsExactly(0, 10, 20, 30, 40, 50, 60, 70);
    }

    /** A chunk's results in two halves (the first one given as a whole-array delivery would be): all, in order. */
    @Test
    void aChunkDeliveredInPartsKeepsEveryResultInOrder() {
        final List<Integer> inputs = IntStream.range(0, 20).boxed().collect(Collectors.toList());
        final OutcomeStream stream = new OutcomeStream((chunk, sink) -> {
            final Object[] second = new Object[chunk.length - 1];
            for (int i = 1; i < chunk.length; i++) {
                second[i - 1] = (Integer) chunk[i] * 10;
            }
            sink.deliverAll(1, second, null);
            sink.deliverAll(0, new Object[] {(Integer) chunk[0] * 10}, null);
        }, inputs.iterator(), true, 4, 8);
        final List<Object> results = new ArrayList<>();
        while (stream.drainResults(results)) {
            continue;
        }
        assertThat(results).isEqualTo(inputs.stream().map(x -> x * 10).collect(Collectors.toList()));
    }

    /** The chunk sender gets the inputs without a copy; consuming results never changes them (retries need them). */
    @Test
    void consumingResultsLeavesTheSendersInputsIntact() {
        final List<Integer> inputs = IntStream.range(0, 12).boxed().collect(Collectors.toList());
        final List<Object[]> sent = new ArrayList<>();
        final OutcomeStream ordered = new OutcomeStream((chunk, sink) -> {
            sent.add(chunk);
            final Object[] values = new Object[chunk.length];
            for (int i = 0; i < chunk.length; i++) {
                values[i] = (Integer) chunk[i] + 1;
            }
            sink.deliverAll(0, values, null);
        }, inputs.iterator(), true, 4, 8);
        final List<Object> results = new ArrayList<>();
        while (ordered.hasNext()) {
            results.add(ordered.next().result());
        }
        assertThat(results).hasSize(12);
        final List<Integer> again = IntStream.range(0, 12).boxed().collect(Collectors.toList());
        final OutcomeStream second = new OutcomeStream((chunk, sink) -> {
            sent.add(chunk);
            for (int i = 0; i < chunk.length; i++) {
                sink.deliver(i, (Integer) chunk[i] + 1, null);
            }
            sink.flush();
        }, again.iterator(), false, 4, 8);
        while (second.hasNext()) {
            second.next();
        }
        assertThat(sent).allSatisfy(chunk -> assertThat(chunk).doesNotContainNull());
        assertThat(sent.stream().mapToInt(chunk -> chunk.length).sum()).isEqualTo(24);
    }

    @Test
    void intResultsDeliveredPackedReadInOrderThroughEveryPath() {
        final List<Integer> inputs = IntStream.range(0, 20).boxed().collect(Collectors.toList());
        final List<Integer> expected = inputs.stream().map(x -> x * 10).collect(Collectors.toList());
        // map: whole chunks of ints kept packed in the result list
        final MapResultList drained = new MapResultList(20);
        final OutcomeStream forMap = packedStream(inputs, true);
        while (forMap.drainResults(drained)) {
            continue;
        }
        assertThat(drained.finish()).isSameAs(drained).isEqualTo(expected);
        // a plain list, imap and imapUnordered: boxed as read
        final List<Object> plain = new ArrayList<>();
        final OutcomeStream forList = packedStream(inputs, true);
        while (forList.drainResults(plain)) {
            continue;
        }
        assertThat(plain).isEqualTo(expected);
        final OutcomeStream ordered = packedStream(inputs, true);
        final List<Object> read = new ArrayList<>();
        while (ordered.hasNext()) {
            read.add(ordered.nextResult());
        }
        assertThat(read).isEqualTo(expected);
        final OutcomeStream unordered = packedStream(inputs, false);
        final List<Object> any = new ArrayList<>();
        while (unordered.hasNext()) {
            any.add(unordered.nextResult());
        }
        assertThat(any).containsExactlyInAnyOrderElementsOf(expected);
    }

    /** Delivers each chunk's results as packed ints, later, on another thread. */
    private static OutcomeStream packedStream(final List<Integer> inputs, final boolean ordered) {
        return new OutcomeStream((chunk, sink) -> {
            final Thread later = new Thread(() -> {
                final int[] values = new int[chunk.length];
                for (int i = 0; i < chunk.length; i++) {
                    values[i] = (Integer) chunk[i] * 10;
                }
                sink.deliverInts(values);
            });
            later.start();
        }, inputs.iterator(), ordered, 3, 7);
    }
}
