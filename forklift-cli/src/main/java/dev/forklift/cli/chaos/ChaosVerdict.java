package dev.forklift.cli.chaos;

/**
 * Whether a {@code forklift chaos} run passed, from its counts, and the text of its {@code result:} line. A run
 * passes only when it did not stall, its workloads did not fail, and no input was lost, duplicated or wrong; and
 * when no pool input failed after its retries or was cancelled: a pool input has 10 attempts against kills of its
 * workers and its task never throws, so a failed input is a fault of the pool (a spurious crash, say), and a
 * cancellation outside the shutdown after a stall is one too. Lines of pipeline sources given up after their
 * producer restarts are not counted here: they are the restart budget doing what it is set to do, each with a
 * failure record. Immutable; computed by the command's main thread.
 *
 * @param stalled            no result arrived for the stall limit.
 * @param stallLimitSeconds  the stall limit, for the message.
 * @param error              what ended a workload, or null.
 * @param lost               inputs of either workload with no outcome.
 * @param duplicates         extra outcomes of either workload.
 * @param wrong              pool results with a wrong value.
 * @param poolFailed         pool inputs that failed after their retries.
 * @param poolCancelled      pool inputs cancelled (only the shutdown after a stall cancels any).
 */
record ChaosVerdict(boolean stalled, long stallLimitSeconds, Throwable error, long lost, long duplicates, long wrong,
                    long poolFailed, long poolCancelled) {
    /** @return true when the run passed. */
    boolean ok() {
        return !stalled && error == null && lost == 0 && duplicates == 0 && wrong == 0 && poolFailed == 0
            && poolCancelled == 0;
    }

    /** @return the text after {@code result:}. */
    String line() {
        if (stalled) {
            return "FAILED: no progress for " + stallLimitSeconds + " s (a hang)";
        }
        if (error != null) {
            return "FAILED: " + error;
        }
        if (ok()) {
            return "OK (lost 0, duplicates 0)";
        }
        return "FAILED (lost " + lost + ", duplicates " + duplicates + (wrong == 0 ? "" : ", wrong " + wrong)
            + (poolFailed == 0 ? "" : ", pool inputs failed after retries " + poolFailed)
            + (poolCancelled == 0 ? "" : ", pool inputs cancelled " + poolCancelled) + ")";
    }
}
