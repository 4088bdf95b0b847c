package dev.forklift.cli;

import picocli.CommandLine;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * What {@code forklift --version} prints: the version, the git commit and the build timestamp, read from
 * {@code build.properties} (filled in by resource filtering) and {@code commit.properties} (written by the build
 * from git). A value the build could not fill in
 * (a build outside a git checkout has no commit) reads as {@code unknown}. Called by picocli in the command's JVM.
 */
public final class BuildInfo implements CommandLine.IVersionProvider {
    private static final String[] RESOURCES = {"build.properties", "commit.properties"};

    private final Properties properties;

    /** Reads the build's properties from the jar. */
    public BuildInfo() {
        this.properties = new Properties();
        for (final String resource : RESOURCES) {
            try (InputStream in = BuildInfo.class.getResourceAsStream(resource)) {
                if (in != null) {
                    properties.load(in);
                }
            } catch (final IOException ex) {
                throw new UncheckedIOException("cannot read " + resource + " of the forklift command", ex);
            }
        }
    }

    /** @return the version, such as {@code 0.1.0}. */
    public String version() {
        return value("version");
    }

    /** @return the abbreviated git commit, with {@code -dirty} when the tree had uncommitted changes. */
    public String commit() {
        return value("commit");
    }

    /** @return the build timestamp (ISO-8601). */
    public String timestamp() {
        return value("timestamp");
    }

    @Override
    public String[] getVersion() {
        return new String[] {
            "forklift " + version() + " (commit " + commit() + ", build timestamp " + timestamp() + ")",
            "java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ", "
                + System.getProperty("java.home") + ")"};
    }

    private String value(final String key) {
        final String value = properties.getProperty(key, "").strip();
        return value.isEmpty() || value.startsWith("${") ? "unknown" : value;
    }
}
