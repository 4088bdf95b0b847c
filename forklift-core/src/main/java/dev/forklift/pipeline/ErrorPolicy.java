package dev.forklift.pipeline;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.Objects;

/**
 * What a pipeline does when a source cannot be read or a stage throws. One policy per pipeline; every failure
 * becomes a {@link FailureRecord} (stage, source, position, error) first.
 *
 * <ul>
 *   <li>{@link #failFast()}: the first failure stops the whole pipeline: queues are closed, processes stopped,
 *       and {@link Pipeline#run} throws {@link PipelineFailedException} carrying the record.</li>
 *   <li>{@link #skipAndRecord()}: the failed item (or the rest of the failed source) is skipped; the pipeline
 *       goes on and {@link PipelineResult#failures()} lists the records.</li>
 *   <li>{@link #deadLetter(Path)}: as skip-and-record, and the parent also appends each record as one JSON line
 *       to the file (created or truncated when the pipeline starts).</li>
 * </ul>
 *
 * A process that crashes (killed, out of memory) loses the items it held; that always stops the pipeline, under
 * every policy, since what was lost cannot be named. Immutable and serializable.
 *
 * @serial exclude
 */
public final class ErrorPolicy implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The kind of policy. */
    public enum Kind {
        /** Stop at the first failure. */
        FAIL_FAST,
        /** Skip and keep a record. */
        SKIP_AND_RECORD,
        /** Skip, keep a record, and write it to a dead-letter file. */
        DEAD_LETTER
    }

    private final Kind kind;
    private final String deadLetterFile;

    private ErrorPolicy(final Kind kind, final String deadLetterFile) {
        this.kind = kind;
        this.deadLetterFile = deadLetterFile;
    }

    /** @return the fail-fast policy (the default). */
    public static ErrorPolicy failFast() {
        return new ErrorPolicy(Kind.FAIL_FAST, null);
    }

    /** @return the skip-and-record policy. */
    public static ErrorPolicy skipAndRecord() {
        return new ErrorPolicy(Kind.SKIP_AND_RECORD, null);
    }

    /**
     * @param file the JSON-lines file the parent writes failure records to.
     * @return the dead-letter policy.
     */
    public static ErrorPolicy deadLetter(final Path file) {
        return new ErrorPolicy(Kind.DEAD_LETTER, Objects.requireNonNull(file, "file").toString());
    }

    /** @return the kind of policy. */
    public Kind kind() {
        return kind;
    }

    /** @return true when a failure stops the pipeline. */
    public boolean isFailFast() {
        return kind == Kind.FAIL_FAST;
    }

    /** @return the dead-letter file, or null for the other policies. */
    public Path deadLetterFile() {
        return deadLetterFile == null ? null : Path.of(deadLetterFile);
    }

    @Override
    public String toString() {
        return kind == Kind.DEAD_LETTER ? "dead-letter(" + deadLetterFile + ")" : kind.name().toLowerCase(java.util.Locale.ROOT);
    }
}
