package dev.forklift.pipeline.internal;

import dev.forklift.pipeline.ErrorPolicy;
import dev.forklift.pipeline.ProgressListener;
import dev.forklift.pipeline.Source;
import dev.forklift.process.ChildOutput;

import java.util.List;

/** Everything a pipeline was built with; immutable. */
public record JobConfig(String name, List<Source<Object>> sources, List<StepSpec> steps, int queueCapacity,
                        int maxMessageBytes, ErrorPolicy policy, boolean ordered, ProgressListener listener,
                        List<String> jvmOptions, int producerRestarts, ChildOutput output) {
}
