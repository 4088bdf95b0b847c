package dev.forklift.cluster;

import dev.forklift.ForkliftException;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Properties;

/**
 * A broker user and its password, kept in a file readable by its owner only ({@code 0600}): {@code forklift broker}
 * creates it, workers and callers read it. The file is a Java properties file with {@code user} and
 * {@code password}. Immutable; any thread, any process.
 *
 * @param user     the user name.
 * @param password the password.
 */
public record Credentials(String user, String password) {
    /** Environment variable naming the credentials file clients read when the URL names none. */
    public static final String FILE_ENV = "FORKLIFT_BROKER_CREDENTIALS";
    /** Default user name of a new credentials file. */
    public static final String DEFAULT_USER = "forklift";

    /** @return the default file: {@code ~/.forklift/broker.credentials}. */
    public static Path defaultFile() {
        return Path.of(System.getProperty("user.home"), ".forklift", "broker.credentials");
    }

    /**
     * Reads the file, or creates it with a fresh random password when absent (mode {@code 0600}, its directory
     * {@code 0700} when created here).
     *
     * @param file the file.
     * @return the credentials in it.
     * @throws ForkliftException if it cannot be read or written.
     */
    public static Credentials readOrCreate(final Path file) {
        if (Files.exists(file)) {
            return read(file);
        }
        final byte[] secret = new byte[24];
        new SecureRandom().nextBytes(secret);
        final Credentials made = new Credentials(DEFAULT_USER,
            Base64.getUrlEncoder().withoutPadding().encodeToString(secret));
        try {
            final Path dir = file.toAbsolutePath().getParent();
            if (!Files.exists(dir)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
            }
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, "# Forklift broker credentials: give this file (mode 0600) to workers and callers\n"
                + "user=" + made.user + "\npassword=" + made.password + "\n");
            return made;
        } catch (final FileAlreadyExistsException ex) {
            return read(file);
        } catch (final IOException ex) {
            throw new ForkliftException("cannot create the credentials file " + file + ": " + ex, ex);
        }
    }

    /**
     * @param file a credentials file.
     * @return its credentials.
     * @throws ForkliftException if it cannot be read or lacks user or password.
     */
    public static Credentials read(final Path file) {
        try {
            return parse(new StringReader(Files.readString(file)), file.toString());
        } catch (final IOException ex) {
            throw new ForkliftException("cannot read the broker credentials file " + file + ": " + ex, ex);
        }
    }

    private static Credentials parse(final Reader reader, final String origin) throws IOException {
        final Properties properties = new Properties();
        properties.load(reader);
        final String user = properties.getProperty("user");
        final String password = properties.getProperty("password");
        if (user == null || password == null) {
            throw new ForkliftException("the broker credentials file " + origin + " needs both user= and password=");
        }
        return new Credentials(user, password);
    }

    @Override
    public String toString() {
        return "Credentials[user=" + user + ", password=(hidden)]";
    }
}
