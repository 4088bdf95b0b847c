package dev.forklift.pool.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads the resident set size of a process from {@code /proc/<pid>/status} (its {@code VmRSS} line, in KiB), as the
 * operating system counts it: the heap, the JVM's own memory and everything else the process has in RAM.
 *
 * <p>Any process of the same user may call it, from any thread; it reads one small file and never blocks on
 * anything else. Where {@code /proc} is missing it reports nothing rather than throwing.
 */
final class RssReader {
    private RssReader() {
    }

    /**
     * @param pid a process id.
     * @return its resident set in bytes, or -1 when it cannot be read (process gone, no {@code /proc}).
     */
    static long residentBytes(final long pid) {
        final String status;
        try {
            status = Files.readString(Path.of("/proc", Long.toString(pid), "status"), StandardCharsets.US_ASCII);
        } catch (final IOException | RuntimeException ex) {
            return -1;
        }
        return parseVmRss(status);
    }

    /**
     * @param status the text of a {@code /proc/<pid>/status} file.
     * @return the {@code VmRSS} value in bytes, or -1 when there is none.
     */
    static long parseVmRss(final String status) {
        final int at = status.indexOf("VmRSS:");
        if (at < 0) {
            return -1;
        }
        int i = at + "VmRSS:".length();
        while (i < status.length() && (status.charAt(i) == ' ' || status.charAt(i) == '\t')) {
            i++;
        }
        long kib = 0;
        boolean digits = false;
        while (i < status.length() && Character.isDigit(status.charAt(i))) {
            kib = kib * 10 + (status.charAt(i) - '0');
            digits = true;
            i++;
        }
        return digits ? kib * 1024 : -1;
    }
}
