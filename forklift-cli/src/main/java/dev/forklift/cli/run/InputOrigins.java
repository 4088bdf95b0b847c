package dev.forklift.cli.run;

/** Where the records of a {@code forklift run} came from, by their index (from 0). Single-threaded. */
interface InputOrigins {
    /**
     * @param record the index of a record already read.
     * @return the file it was read from ({@code -} for standard input).
     */
    String file(long record);

    /**
     * @param record the index of a record already read.
     * @return its line number in that file, from 1.
     */
    long line(long record);

    /**
     * @param record the index of a record already read.
     * @return its file and line as a person reads them, such as {@code in.txt line 8} or
     * {@code standard input line 8}.
     */
    default String origin(final long record) {
        final String file = file(record);
        return (file.equals("-") ? "standard input" : file) + " line " + line(record);
    }
}
