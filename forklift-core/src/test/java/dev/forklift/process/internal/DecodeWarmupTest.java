package dev.forklift.process.internal;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.ObjectOutputStream;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

/** The sample a child decodes to warm its object stream ({@link DecodeWarmup}). */
class DecodeWarmupTest {
    @Test
    void theSampleDecodesThroughTheAllowListPathToWhatItNames() throws Exception {
        assertThat(DecodeWarmup.decodeSample()).isEqualTo(DecodeWarmup.SAMPLE);
    }

    @Test
    void theSampleIsWhatThisJdkWritesForIt() throws Exception {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(DecodeWarmup.SAMPLE);
        }
        assertThat(Base64.getEncoder().encodeToString(bytes.toByteArray())).isEqualTo(DecodeWarmup.SAMPLE_BASE64);
    }
}
