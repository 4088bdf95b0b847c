package dev.forklift.shm;

import dev.forklift.ForkliftException;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Run as another user by {@link OtherUserAccessTest}: tries to map a shared-memory file with {@link MappedFile#open}
 * and to list its directory, and prints one line per attempt: {@code open OK}, {@code open DENIED <cause>},
 * {@code list OK <count>} or {@code list DENIED <cause>}.
 */
public final class OpenProbe {
    private OpenProbe() {
    }

    /**
     * @param args the file to map, then the directory to list.
     */
    public static void main(final String[] args) {
        try (MappedFile file = MappedFile.open(Path.of(args[0]))) {
            System.out.println("open OK " + file.lengthBytes());
        } catch (final ForkliftException ex) {
            System.out.println("open DENIED " + ex.getCause());
        }
        int count = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(Path.of(args[1]))) {
            for (final Path ignored : entries) {
                count++;
            }
            System.out.println("list OK " + count);
        } catch (final IOException ex) {
            System.out.println("list DENIED " + ex);
        }
    }
}
