package dev.forklift.process;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * How a child process ended.
 *
 * @param exitCode the process exit code as the operating system reports it (128 + n when signal n killed it).
 * @param signal   the signal that killed the process, when it died of one (9 for {@code kill -9}).
 * @param failure  the exception that ended the child's task, with the child's stack trace, when it threw one.
 */
public record ExitStatus(int exitCode, OptionalInt signal, Optional<RemoteTaskException> failure) {
    /** @return true when the task returned normally and the process exited with code 0. */
    public boolean isSuccess() {
        return exitCode == 0 && signal.isEmpty() && failure.isEmpty();
    }

    @Override
    public String toString() {
        final StringBuilder text = new StringBuilder("exitCode=").append(exitCode);
        signal.ifPresent(s -> text.append(" signal=").append(s).append(" (").append(Signals.name(s)).append(')'));
        failure.ifPresent(f -> text.append(" failure=").append(f.remoteClassName()).append(": ")
            .append(f.remoteMessage()));
        return text.toString();
    }
}
