package dev.forklift.pipeline.internal;

import dev.forklift.codec.Codec;
import dev.forklift.pipeline.Routing;
import dev.forklift.pipeline.Stage;

import java.util.ArrayList;
import java.util.List;

/**
 * One step of a pipeline as described by the builder: a group of processes with its fused stages, the routing of
 * its input, and the type and codec of its output. Mutable while the builder runs, read-only afterwards.
 */
public final class StepSpec {
    private final String name;
    private int processes;
    private final Routing inputRouting;
    private final List<String> stageNames = new ArrayList<>();
    private final List<Stage<Object, Object>> stages = new ArrayList<>();
    private Class<?> outputType;
    private Codec<?> outputCodec;

    /**
     * @param name         the step name (its processes' role).
     * @param processes    its process count.
     * @param inputRouting how items reach its processes.
     * @param inputType    the type of its input (its output until a stage is added).
     */
    public StepSpec(final String name, final int processes, final Routing inputRouting, final Class<?> inputType) {
        this.name = name;
        this.processes = processes;
        this.inputRouting = inputRouting;
        this.outputType = inputType;
    }

    /** @param count the process count. */
    public void processes(final int count) {
        this.processes = count;
    }

    /** Adds a fused stage, which sets the output type (and resets a codec chosen for the previous type). */
    public void addStage(final String stageName, final Stage<Object, Object> stage, final Class<?> type) {
        stageNames.add(stageName);
        stages.add(stage);
        outputType = type;
        outputCodec = null;
    }

    /** @param codec the codec of the output type. */
    public void outputCodec(final Codec<?> codec) {
        this.outputCodec = codec;
    }

    public String name() {
        return name;
    }

    public int processes() {
        return processes;
    }

    public Routing inputRouting() {
        return inputRouting;
    }

    public List<String> stageNames() {
        return List.copyOf(stageNames);
    }

    public List<Stage<Object, Object>> stages() {
        return new ArrayList<>(stages);
    }

    public Class<?> outputType() {
        return outputType;
    }

    public Codec<?> outputCodec() {
        return outputCodec;
    }
}
