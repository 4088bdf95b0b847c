package dev.forklift.pipeline.internal;

/** A failure inside one of the fused stages of a process, naming the stage. */
final class StageFailure extends Exception {
    private static final long serialVersionUID = 1L;
    private final String stage;

    StageFailure(final String stage, final Throwable cause) {
        super(stage + ": " + cause, cause);
        this.stage = stage;
    }

    String stage() {
        return stage;
    }
}
