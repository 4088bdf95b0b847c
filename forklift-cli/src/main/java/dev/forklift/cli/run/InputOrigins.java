package dev.forklift.cli.run;

/** Where the inputs of a {@code forklift run} came from, by their index in the run (from 0). Single-threaded. */
interface InputOrigins {
    /**
     * @param index the index of an input already read.
     * @return the file it was read from ({@code -} for standard input).
     */
    String file(long index);

    /**
     * @param index the index of an input already read.
     * @return its line number in that file, from 1.
     */
    long line(long index);
}
