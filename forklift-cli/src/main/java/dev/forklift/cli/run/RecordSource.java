package dev.forklift.cli.run;

import java.io.IOException;

/**
 * Where the inputs of a {@code forklift run} come from, one record at a time: the lines of the input files
 * ({@link LineSource}) or the inputs of a {@code --failed} file ({@link FailedInputs}). Records are numbered from 0
 * in the order they are read; a record is an input, or a {@link RejectedLine} marker for a line that could not be
 * read. Used by the thread that feeds the pool only.
 */
interface RecordSource extends InputOrigins, AutoCloseable {
    /**
     * Reads the next record.
     *
     * @param wanted false to skip it cheaply (when resuming): it is counted, not decoded, and "" is returned.
     * @return the record, or null after the last one.
     * @throws IOException if a file cannot be read.
     */
    String next(boolean wanted) throws IOException;

    /** @return how many records were read so far: the index of the next record. */
    long recordsRead();

    /** @return true once {@link #next} has returned null. */
    boolean exhausted();

    @Override
    void close() throws IOException;
}
