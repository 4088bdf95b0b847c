package dev.forklift;

import dev.forklift.testing.ProcessDeadline;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's Java blocks compile as written, against the core alone, without an unchecked or raw-type warning:
 * each top-level class of a block goes into a file of its own with the block's imports, as a reader would copy
 * it. The tour's parent then runs, with its producer and consumer in child JVMs.
 */
@ProcessDeadline(seconds = 120)
class ReadmeExamplesTest {
    private static final Pattern JAVA_BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern TOP_LEVEL_TYPE = Pattern.compile(
        "^(?:public )?(?:final )?(?:abstract )?(?:class|interface|record|enum) (\\w+)");

    @Test
    void theJavaBlocksOfTheReadmeCompileAndTheTourRuns(@TempDir final Path dir) throws Exception {
        final String readme = Files.readString(readme(), StandardCharsets.UTF_8);
        final Path sources = Files.createDirectories(dir.resolve("src"));
        final Path classes = Files.createDirectories(dir.resolve("classes"));
        final List<Path> files = new ArrayList<>();
        final Matcher block = JAVA_BLOCK.matcher(readme);
        while (block.find()) {
            files.addAll(writeClasses(block.group(1), sources));
        }
        assertThat(files).extracting(f -> f.getFileName().toString())
            .contains("Parent.java", "Producer.java", "Consumer.java", "Tour.java");

        compile(files, classes);

        final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        final Process parent = new ProcessBuilder(java, "-cp", classes + File.pathSeparator
            + System.getProperty("java.class.path"), "Parent").redirectErrorStream(true).start();
        final String output = new String(parent.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(parent.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(parent.exitValue()).as(output).isZero();
        assertThat(output).contains("line 1\n").contains("line 1000\n");
    }

    private static Path readme() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("README.md"))) {
            dir = dir.getParent();
        }
        assertThat(dir).as("a README.md above " + Path.of("").toAbsolutePath()).isNotNull();
        return dir.resolve("README.md");
    }

    /** Splits a block into its imports and top-level types; writes each type, with the imports, to its own file. */
    private static List<Path> writeClasses(final String block, final Path sources) throws Exception {
        final List<String> imports = new ArrayList<>();
        final List<Path> written = new ArrayList<>();
        String name = null;
        StringBuilder body = new StringBuilder();
        for (final String line : block.split("\n", -1)) {
            if (line.startsWith("import ")) {
                imports.add(line);
                continue;
            }
            final Matcher type = TOP_LEVEL_TYPE.matcher(line);
            if (type.find()) {
                if (name != null) {
                    written.add(write(sources, name, imports, body));
                    body = leadingComments(body);
                }
                name = type.group(1);
            }
            body.append(line).append('\n');
        }
        assertThat(name).as("a top-level class in the block:\n" + block).isNotNull();
        written.add(write(sources, name, imports, body));
        return written;
    }

    /** The comment lines at the end of what was collected belong to the next type. */
    private static StringBuilder leadingComments(final StringBuilder body) {
        final String[] lines = body.toString().split("\n", -1);
        int start = lines.length;
        while (start > 0 && (lines[start - 1].startsWith("//") || lines[start - 1].isBlank())) {
            start--;
        }
        final StringBuilder next = new StringBuilder();
        for (int i = start; i < lines.length; i++) {
            if (!lines[i].isEmpty()) {
                next.append(lines[i]).append('\n');
            }
        }
        body.setLength(0);
        return next;
    }

    private static Path write(final Path sources, final String name, final List<String> imports,
        final StringBuilder body) throws Exception {
        final Path file = sources.resolve(name + ".java");
        assertThat(file).as("two README classes named " + name).doesNotExist();
        Files.writeString(file, String.join("\n", imports) + "\n\n" + body, StandardCharsets.UTF_8);
        return file;
    }

    private static void compile(final List<Path> files, final Path classes) throws Exception {
        final JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        final DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager manager = compiler.getStandardFileManager(diagnostics, Locale.ROOT,
            StandardCharsets.UTF_8)) {
            final List<String> options = List.of("-classpath", System.getProperty("java.class.path"), "-d",
                classes.toString(), "-Xlint:unchecked,rawtypes,deprecation", "-Werror");
            final boolean compiled = compiler.getTask(null, manager, diagnostics, options, null,
                manager.getJavaFileObjectsFromPaths(files)).call();
            final String report = diagnostics.getDiagnostics().stream()
                .map(d -> d.getKind() + " " + (d.getSource() == null ? "" : d.getSource().getName()) + ":"
                    + d.getLineNumber() + ": " + d.getMessage(Locale.ROOT)).collect(Collectors.joining("\n"));
            assertThat(compiled).as(report).isTrue();
            assertThat(diagnostics.getDiagnostics()).as(report)
                .noneMatch(d -> d.getKind() == Diagnostic.Kind.WARNING || d.getKind() == Diagnostic.Kind.MANDATORY_WARNING);
        }
    }
}
