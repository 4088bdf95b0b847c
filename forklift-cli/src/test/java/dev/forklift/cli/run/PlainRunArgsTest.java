package dev.forklift.cli.run;

import dev.forklift.cli.Main;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link PlainRunArgs} reads a command line exactly as picocli does, or declines: for every command line below, either
 * it declines, or every option and parameter field of the {@link RunCommand} it makes equals the field picocli sets
 * from the same command line, and the options a stopped run records are the ones picocli's parse result gives.
 */
class PlainRunArgsTest {
    /** Command lines the plain reading accepts: the fields must be picocli's. */
    private static final List<String[]> ACCEPTED = List.of(
        args("run", "--task", "a.B", "in.txt"),
        args("run", "--quiet", "--workers", "2", "--classpath", "x.jar:y", "--task", "a.B", "in.txt", "-"),
        args("run", "--workers=3", "--task=a.B", "--retries", "0", "--unordered", "a", "b", "c"),
        args("run", "in.txt", "--task", "a.B", "--timeout", "3s", "--heartbeat-timeout", "2s", "more.txt"),
        args("run", "--task", "a.B", "--max-rss", "64m", "--max-input-size", "4k", "--encoding", "ISO-8859-1",
            "--output", "out.txt", "--failed", "f.jsonl", "--state", "s.resume", "--warm", "in.txt"),
        args("run", "--task", "a.B", "--retry-failed", "f.jsonl"),
        args("run", "--task", "a.B", "--", "-weird-name", "--quiet"),
        args("run", "--workers", "+7", "--task", "a.B", "x"),
        args("run", "--workers", "0", "--task", "a.B", "x"),
        args("run", "--task", "a.B"),
        args("run"));
    /** Command lines it must leave to picocli: help, errors, and what it does not read. */
    private static final List<String[]> DECLINED = List.of(
        args("run", "--help"), args("run", "-h"), args("run", "--version"), args("run", "-V"),
        args("run", "--task", "a.B", "--task", "c.D", "x"), args("run", "--quiet", "--quiet", "--task", "a.B", "x"),
        args("run", "--task"), args("run", "--task="), args("run", "--task", "--quiet", "x"),
        args("run", "--workers", "two", "--task", "a.B", "x"), args("run", "--workers", "-1", "--task", "a.B", "x"),
        args("run", "--workers", "0x10", "--task", "a.B", "x"), args("run", "--quiet=true", "--task", "a.B", "x"),
        args("run", "--task", "a.B", "--resume", "s"), args("run", "--task", "a.B", "--broker", "tcp://h:1", "x"),
        args("run", "--task", "a.B", "--dashboard", "x"), args("run", "--task", "a.B", "--dashboard=0", "x"),
        args("run", "--task", "a.B", "--allow-actions", "x"), args("run", "--task", "a.B", "-x", "in.txt"),
        args("run", "--task", "a.B", "@args.txt"), args("run", "--task", "@a.B", "x"),
        args("run", "--tas", "a.B", "x"), args("run", "--task", "a.B", "--output", "a\0b", "x"),
        args("help", "run"), args("--help"), args("wordcount", "x"), args());

    @Test
    void everyCommandLineItReadsGivesTheFieldsPicocliGives() throws Exception {
        for (final String[] commandLine : ACCEPTED) {
            final PlainRunArgs plain = PlainRunArgs.parse(commandLine);
            assertThat(plain).as(String.join(" ", commandLine)).isNotNull();
            final RunCommand fromPlain = RunCommand.plain(plain, null, null);
            final CommandLine picocli = Main.newCommandLine(commandLine);
            final CommandLine.ParseResult parsed = picocli.parseArgs(commandLine).subcommand();
            final RunCommand fromPicocli = parsed.commandSpec().commandLine().getCommand();

            assertThat(optionFields(fromPlain)).as(String.join(" ", commandLine)).isEqualTo(optionFields(fromPicocli));
            assertThat(plain.matchedArgs()).as(String.join(" ", commandLine)).isEqualTo(matchedArgs(parsed));
        }
    }

    @Test
    void everyOtherCommandLineIsLeftToPicocli() {
        for (final String[] commandLine : DECLINED) {
            assertThat(PlainRunArgs.parse(commandLine)).as(String.join(" ", commandLine)).isNull();
        }
    }

    /** @return the values of the fields picocli sets (its options and parameters), by name. */
    private static Map<String, Object> optionFields(final RunCommand command) throws IllegalAccessException {
        final Map<String, Object> fields = new LinkedHashMap<>();
        for (final Field field : RunCommand.class.getDeclaredFields()) {
            if (field.isAnnotationPresent(CommandLine.Option.class)
                || field.isAnnotationPresent(CommandLine.Parameters.class)) {
                field.setAccessible(true);
                fields.put(field.getName(), Objects.requireNonNullElse(field.get(command), "<null>"));
            }
        }
        assertThat(fields).hasSizeGreaterThan(15);
        return fields;
    }

    /** @return what a stopped run records of picocli's parse (RunCommand.ownArgs), options only. */
    private static List<String> matchedArgs(final CommandLine.ParseResult parsed) {
        final List<String> args = new ArrayList<>();
        for (final CommandLine.Model.OptionSpec option : parsed.matchedOptions()) {
            if (option.arity().max() == 0) {
                args.add(option.longestName());
            } else {
                for (final String value : option.originalStringValues()) {
                    args.add(option.longestName());
                    args.add(value);
                }
            }
        }
        return args;
    }

    private static String[] args(final String... args) {
        return args;
    }
}
