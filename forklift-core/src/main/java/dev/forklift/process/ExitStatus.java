package dev.forklift.process;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * How a child process ended. Immutable; built by the parent when it learns of the child's exit.
 *
 * @param exitCode         the process exit code as the operating system reports it (128 + n when signal n killed it).
 * @param signal           the signal that killed the process, when it died of one (9 for {@code kill -9}); only
 *                         reported when the child did not report an outcome and the code is 129..159.
 * @param failure          the exception that ended the child's task, with the child's stack trace, when it threw one.
 * @param outcomeReported  true when the child reported the end of its task (returned or threw) to the parent; false
 *                         when it died or called {@code System.exit} before its task ended.
 */
public record ExitStatus(int exitCode, OptionalInt signal, Optional<RemoteTaskException> failure,
                         boolean outcomeReported) {
    /** @return true when the task returned normally, reported so, and the process exited with code 0. */
    public boolean isSuccess() {
        return exitCode == 0 && signal.isEmpty() && failure.isEmpty() && outcomeReported;
    }

    @Override
    public String toString() {
        final StringBuilder text = new StringBuilder("exitCode=").append(exitCode);
        signal.ifPresent(s -> text.append(" signal=").append(s).append(" (").append(Signals.name(s)).append(')'));
        failure.ifPresent(f -> text.append(" failure=").append(f.remoteClassName()).append(": ")
            .append(f.remoteMessage()));
        if (!outcomeReported) {
            text.append(" outcomeReported=false");
        }
        return text.toString();
    }
}
