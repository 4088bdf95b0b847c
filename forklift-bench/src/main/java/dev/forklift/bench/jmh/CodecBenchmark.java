package dev.forklift.bench.jmh;

import dev.forklift.codec.AllowList;
import dev.forklift.codec.Codec;
import dev.forklift.codec.Codecs;
import dev.forklift.codec.ObjectCodec;
import dev.forklift.bench.queue.Reading;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * Encode plus decode of one value through a direct buffer, as a queue does: the record fast path against Java
 * serialization for the same record, and the {@code byte[]} and {@code String} fast paths. Run with
 * {@code ./forklift bench jmh CodecBenchmark}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class CodecBenchmark {
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(4096);
    private final Reading reading = new Reading(42, 21.5, "sensor-17");
    private final byte[] bytes = new byte[16];
    private final String text = "sensor-17 reading";
    private Codec<Reading> recordCodec;
    private Codec<Reading> objectCodec;
    private Codec<Object> dynamicCodec;

    @Setup
    public void setUp() {
        recordCodec = Codecs.forType(Reading.class, AllowList.defaults());
        objectCodec = new ObjectCodec<>(Reading.class, AllowList.defaults());
        dynamicCodec = Codecs.forType(Object.class, AllowList.defaults().allow(Reading.class));
    }

    private <T> T roundTrip(final Codec<T> codec, final T value) {
        buffer.clear();
        codec.encode(value, buffer);
        buffer.flip();
        return codec.decode(buffer);
    }

    @Benchmark
    public Reading recordFastPath() {
        return roundTrip(recordCodec, reading);
    }

    @Benchmark
    public Reading recordJavaSerialization() {
        return roundTrip(objectCodec, reading);
    }

    @Benchmark
    public Object recordThroughDynamicCodec() {
        return roundTrip(dynamicCodec, reading);
    }

    @Benchmark
    public byte[] bytes16() {
        return roundTrip(Codecs.bytes(), bytes);
    }

    @Benchmark
    public String utf8() {
        return roundTrip(Codecs.utf8(), text);
    }
}
