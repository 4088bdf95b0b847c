package dev.forklift.pipeline.internal;

import dev.forklift.pipeline.ErrorPolicy;
import dev.forklift.pipeline.FailureRecord;
import dev.forklift.pipeline.PipelineFailedException;
import dev.forklift.pipeline.PipelineResult;
import dev.forklift.pipeline.Sink;
import dev.forklift.process.ChildProcess;
import dev.forklift.process.ChildProcessBuilder;
import dev.forklift.process.ExitStatus;
import dev.forklift.process.ProcessTable;
import dev.forklift.process.internal.StartupTrace;
import dev.forklift.queue.EndOfStreamException;
import dev.forklift.queue.Queue;
import dev.forklift.queue.internal.SharedQueue;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One run of a pipeline, in the parent: builds the queues, starts the processes, supervises them on a daemon
 * thread (events, end-of-stream per step, crashes) and feeds the sink on the calling thread.
 */
public final class JobRun {
    /** The role of a pipeline's producers: the name PipelineBuilder gives its first step. */
    static final String PRODUCER_ROLE = "producer";
    private static final long SELF_PID = ProcessHandle.current().pid();
    private static final Duration TERMINATE_GRACE = Duration.ofSeconds(2);
    private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(30);
    /**
     * How often the supervisor looks at the processes when no event comes: the delay between the last process
     * of a step exiting and the end-of-stream of the next queue.
     */
    private static final long SUPERVISOR_POLL_MS = 5;
    /**
     * The parent's wait on the sink queue: parks of at most 2 ms, never the long sleeps of the default strategy,
     * so the last results and the end of the stream are seen within 2 ms (about 500 wake-ups a second while the
     * pipeline runs, well under 1 % of a core).
     */
    private static final dev.forklift.queue.WaitStrategy SINK_WAIT = dev.forklift.queue.WaitStrategy.backoff(200,
        100, 1_000, 2_000_000);

    /**
     * The supervisor's wait on the events queue: parks only (1 ms, then 2 ms, up to the poll's end), no spin or
     * yield phase. With the default strategy each 5 ms poll began with 200 spins and 100 yields: the supervisor
     * took 0.37-0.44 s of CPU over a word count of 4 x 250 MB on 2 busy cores, 0.18-0.25 s with this wait
     * (docs/benchmarks.md, "Word count: whole commands on 2 cores").
     */
    private static final dev.forklift.queue.WaitStrategy EVENTS_WAIT = dev.forklift.queue.WaitStrategy.backoff(0, 0,
        1_000_000, 2_000_000);

    /**
     * Slots of the events queue. Creating a queue writes one word per slot, so each slot's page is faulted in:
     * with 4096 slots of 64 KiB this took 111 ms of a tiny word count's start (class-load timeline, load 20);
     * 256 slots are plenty for progress every MiB per producer, and a full queue only makes a producer wait for
     * the supervisor, which drains it every few milliseconds.
     */
    private static final int EVENTS_CAPACITY = 256;

    private final JobConfig config;
    private final List<Queue<?>> queues = new CopyOnWriteArrayList<>();
    private final List<List<Queue<Envelope>>> outputs = new ArrayList<>();
    private final List<List<ChildProcess>> stepChildren = new CopyOnWriteArrayList<>();
    private final List<ChildProcess> children = new CopyOnWriteArrayList<>();
    private final List<FailureRecord> failures = new CopyOnWriteArrayList<>();
    private final AtomicLong bytesRead = new AtomicLong();
    private final AtomicLong itemsRead = new AtomicLong();
    private final AtomicLong sourcesDone = new AtomicLong();
    private volatile FailureRecord stopped;
    private volatile Throwable stoppedCause;
    private Queue<Event> events;
    /** The events queue as the shared ring it is: its positions, and the repair of a dead writer's slots. */
    private SharedQueue<Event> eventsRing;
    private BufferedWriter deadLetters;
    // Producer restarts (single-step pipelines with producerRestarts > 0):
    private final boolean restartable;
    private final RestartLedger ledger;
    private final Set<ChildProcess> replaced = ConcurrentHashMap.newKeySet();
    private Queue<Integer> firstAssignments;
    private final AtomicLong producerRestarts = new AtomicLong();
    private long duplicatesDropped;

    /**
     * Test seam, null in production: called by the supervisor after it looked for failed processes and before it
     * checks whether every process of the current step exited, with that step's processes. A test makes a
     * process die in that window by waiting for it here.
     */
    static volatile Consumer<List<ChildProcess>> beforeStepEndCheck;

    /** @param config the pipeline's description. */
    public JobRun(final JobConfig config) {
        this.config = config;
        this.restartable = config.producerRestarts() > 0 && config.steps().size() == 1;
        this.ledger = new RestartLedger(config.sources().size(), config.producerRestarts());
    }

    /**
     * Runs to the end; see {@code Pipeline.run}.
     *
     * @param sink the sink, closed at the end.
     * @return the result.
     * @throws InterruptedException if interrupted; the run is stopped first.
     */
    @SuppressWarnings("unchecked")
    public PipelineResult run(final Sink<?> sink) throws InterruptedException {
        final Sink<Object> target = (Sink<Object>) sink;
        final long startNs = System.nanoTime();
        final ProcessTable.Self self = ProcessTable.self().role(config.name()).state("starting");
        Thread supervisor = null;
        long delivered = 0;
        // The producers' JVMs boot while the queues are made and the plans serialized; the launches take them.
        try (dev.forklift.process.internal.Prelaunch producers = dev.forklift.process.internal.Prelaunch.start(
            config.steps().get(0).processes(), config.steps().get(0).name(), null, config.jvmOptions(),
            ProducerTask.class.getName())) {
            openDeadLetters();
            config.sources().stream().filter(ParentFed.class::isInstance).forEach(s -> ((ParentFed) s).prepare());
            startProcesses();
            producers.close(); // the JVMs no launch took
            config.sources().stream().filter(ParentFed.class::isInstance).forEach(s -> ((ParentFed) s).startFeeding());
            self.state("running");
            supervisor = new Thread(this::supervise, "forklift-pipeline-" + config.name());
            supervisor.setDaemon(true);
            supervisor.start();
            delivered = feedSink(target, self);
            StartupTrace.stamp("pipeline: sink drained");
        } catch (final InterruptedException ex) {
            stop(new FailureRecord("pipeline", "", -1, SELF_PID, "interrupted"), ex);
            throw ex;
        } finally {
            if (supervisor != null && stopped == null) {
                supervisor.join(JOIN_TIMEOUT.toMillis());
            }
            finishRun(target, supervisor);
        }
        if (stopped != null) {
            throw new PipelineFailedException(stopped, stoppedCause);
        }
        self.state("done");
        return new PipelineResult(delivered, itemsRead.get(), bytesRead.get(), sourcesDone.get(),
            List.copyOf(failures), Duration.ofNanos(System.nanoTime() - startNs), producerRestarts.get(),
            duplicatesDropped);
    }

    /**
     * Stops the run: closes every queue and terminates every process. Idempotent.
     *
     * @param reason  why, for the failure record.
     * @param timeout the longest time to wait for the processes.
     */
    public void abort(final String reason, final Duration timeout) {
        stop(new FailureRecord("pipeline", "", -1, SELF_PID, reason), null);
        final long deadlineNs = System.nanoTime() + timeout.toNanos();
        for (final ChildProcess child : children) {
            final long leftNs = Math.max(0, deadlineNs - System.nanoTime());
            child.terminate(Duration.ofNanos(Math.min(leftNs, TERMINATE_GRACE.toNanos())));
        }
    }

    /**
     * Starts the JVMs of a pipeline's producers before the pipeline exists, as its run does first thing: a run with
     * the same JVM options and the default class path started while they are offered takes them instead of launching
     * its own ({@link dev.forklift.process.internal.Prelaunch}). Called by a run, and by a command line before it has
     * parsed its options. Never blocks on the JVMs; launches nothing when prelaunching is off.
     *
     * @param count      how many producers.
     * @param jvmOptions the pipeline's JVM options ({@code PipelineBuilder.jvmOptions}).
     * @return the prelaunch; close it to destroy the JVMs no producer took.
     */
    public static dev.forklift.process.internal.Prelaunch prelaunchProducers(final int count,
        final List<String> jvmOptions) {
        return dev.forklift.process.internal.Prelaunch.start(count, PRODUCER_ROLE, null, jvmOptions,
            ProducerTask.class.getName());
    }

    /**
     * Classes of a producer's plan (its serialized argument) besides the job's own: their serialization descriptors are
     * what {@link #warmPlanEncoding} prepares.
     */
    static final List<String> PLAN_CLASSES = List.of("dev.forklift.pipeline.internal.StepPlan",
        "dev.forklift.pipeline.internal.StepPlan$Form", "dev.forklift.pipeline.internal.ProducerTask",
        "dev.forklift.pipeline.internal.EnvelopeCodec", "dev.forklift.pipeline.internal.EventCodec",
        "dev.forklift.pipeline.Routing", "dev.forklift.pipeline.Routing$Kind", "dev.forklift.pipeline.ErrorPolicy",
        "dev.forklift.pipeline.ErrorPolicy$Kind", "dev.forklift.queue.internal.SharedQueue",
        "dev.forklift.queue.internal.QueueRef", "dev.forklift.queue.internal.QueueTimeouts",
        "dev.forklift.queue.internal.QueueTimeouts$Form", "dev.forklift.queue.WaitStrategy",
        "dev.forklift.codec.internal.BuiltInCodecs$Fixed", "java.util.CollSer");

    /**
     * Prepares, on a daemon thread, what encoding a producer's plan first costs a JVM: the serialization descriptor of
     * each class of the plan (the JDK generates a constructor accessor class per serializable class, and computes the
     * serial version of a class that declares none). A command line calls it when it launches its producers early,
     * so that this runs while it parses its options: 108 ms of a tiny word count's parent between its queues and the
     * producer's spec, under load 6, most of it the plan's encoding (docs/benchmarks.md, "Word count over tiny
     * files"). Never blocks, never throws; a class not found is skipped (the encoding then does it as before).
     *
     * @param jobClassNames the job's own classes in the plan (its stages, codecs, sources).
     */
    public static void warmPlanEncoding(final List<String> jobClassNames) {
        final List<String> names = new ArrayList<>(PLAN_CLASSES);
        names.addAll(jobClassNames);
        final ClassLoader loader = Thread.currentThread().getContextClassLoader();
        final Thread warm = new Thread(() -> {
            for (final String name : names) {
                try {
                    final java.io.ObjectStreamClass descriptor = java.io.ObjectStreamClass.lookup(
                        Class.forName(name, false, loader));
                    if (descriptor != null) {
                        descriptor.getSerialVersionUID();
                    }
                } catch (final ClassNotFoundException | RuntimeException | LinkageError ignored) {
                    // the encoding prepares it itself
                }
            }
        }, "forklift-plan-encoding-warm-up");
        warm.setDaemon(true);
        warm.start();
    }

    /** Starts one fresh producer for the given sources, on its own assignment queue. */
    private void startProducer(final List<Integer> indices) {
        final StepSpec step = config.steps().get(0);
        final Queue<Integer> assignments = track(Queue.builder(Integer.class)
            .name(config.name() + "-sources-r" + producerRestarts.get()).capacity(Math.max(1, indices.size()))
            .maxMessageBytes(16).build());
        for (final int index : indices) {
            if (!assignments.offer(index)) {
                throw new IllegalStateException("assignment queue full at source " + index);
            }
        }
        final StepPlan plan = new StepPlan(step.name(), step.stageNames(), step.stages(), config.sources(),
            assignments, null, outputs.get(0), dev.forklift.pipeline.Routing.shared(), events, config.policy());
        final ChildProcess child = ChildProcess.builder(ProducerTask.class).role(step.name())
            .name(config.name() + "-" + step.name() + "-r" + producerRestarts.incrementAndGet()).args(plan)
            .jvmOptions(config.jvmOptions().toArray(new String[0])).output(config.output()).start();
        children.add(child);
        stepChildren.get(0).add(child);
        assignments.close();
    }

    private void startProcesses() {
        final int sourceCount = config.sources().size();
        final Queue<Integer> assignments = track(Queue.builder(Integer.class).name(config.name() + "-sources")
            .capacity(sourceCount).maxMessageBytes(16).build());
        firstAssignments = assignments;
        events = track(Queue.builder(Event.class).name(config.name() + "-events")
            .codec(new EventCodec()).capacity(EVENTS_CAPACITY).maxMessageBytes(64 * 1024).waitStrategy(EVENTS_WAIT)
            .build());
        eventsRing = (SharedQueue<Event>) events;
        final List<StepSpec> steps = config.steps();
        for (int k = 0; k < steps.size(); k++) {
            final boolean last = k == steps.size() - 1;
            final StepSpec next = last ? null : steps.get(k + 1);
            final int count = next != null && next.inputRouting().isPartitioned() ? next.processes() : 1;
            final List<Queue<Envelope>> out = new ArrayList<>();
            for (int p = 0; p < count; p++) {
                out.add(track(Queue.builder(Envelope.class)
                    .name(config.name() + "-" + (last ? "sink" : next.name() + "-" + p))
                    .codec(new EnvelopeCodec(steps.get(k).outputCodec())).capacity(config.queueCapacity())
                    .waitStrategy(last ? SINK_WAIT : dev.forklift.queue.WaitStrategy.defaultStrategy())
                    .maxMessageBytes(config.maxMessageBytes()).build()));
            }
            outputs.add(out);
        }
        StartupTrace.stamp("pipeline: queues made");
        for (int i = 0; i < sourceCount; i++) {
            if (!assignments.offer(i)) {
                throw new IllegalStateException("assignment queue full at source " + i);
            }
        }
        final List<ChildProcessBuilder> builders = new ArrayList<>();
        final List<Integer> stepOf = new ArrayList<>();
        for (int k = 0; k < steps.size(); k++) {
            final StepSpec step = steps.get(k);
            for (int i = 0; i < step.processes(); i++) {
                final Queue<Envelope> input = k == 0 ? null
                    : outputs.get(k - 1).get(step.inputRouting().isPartitioned() ? i : 0);
                final StepPlan plan = new StepPlan(step.name(), step.stageNames(), step.stages(),
                    k == 0 ? config.sources() : null, k == 0 ? assignments : null, input, outputs.get(k),
                    k + 1 < steps.size() ? steps.get(k + 1).inputRouting() : dev.forklift.pipeline.Routing.shared(),
                    events, config.policy());
                builders.add(ChildProcess.builder(k == 0 ? ProducerTask.class : StageTask.class).role(step.name())
                    .name(config.name() + "-" + step.name() + "-" + i).args(plan)
                    .jvmOptions(config.jvmOptions().toArray(new String[0])).output(config.output()));
                stepOf.add(k);
            }
            stepChildren.add(new CopyOnWriteArrayList<>());
        }
        final List<ChildProcess> started = ChildProcessBuilder.startAll(builders);
        children.addAll(started);
        for (int c = 0; c < started.size(); c++) {
            stepChildren.get(stepOf.get(c)).add(started.get(c));
        }
        assignments.close(); // Every index is on it: producers drain it, then see the end.
    }

    private long feedSink(final Sink<Object> sink, final ProcessTable.Self self) throws InterruptedException {
        final Queue<Envelope> sinkQueue = outputs.get(outputs.size() - 1).get(0);
        final List<Envelope> buffer = new ArrayList<>();
        final long[] seenPosition = new long[restartable ? config.sources().size() : 0];
        final int[] seenOrdinal = new int[seenPosition.length];
        java.util.Arrays.fill(seenPosition, Long.MIN_VALUE);
        long delivered = 0;
        while (stopped == null) {
            final Envelope envelope;
            try {
                envelope = sinkQueue.take();
            } catch (final EndOfStreamException ex) {
                break;
            } catch (final dev.forklift.codec.CodecException ex) {
                // an item the parent cannot decode is gone (its slot is released): it fails alone, per the policy
                onFailure(new FailureRecord("sink", "", -1, SELF_PID, Event.describe(ex)), ex);
                continue;
            }
            if (restartable && envelope.source() >= 0 && envelope.source() < seenPosition.length) {
                // Items of one source come in (position, ordinal) order from its producer; a restarted producer
                // reads the source again from its start, after every item of the dead one: drop what was seen.
                final int s = envelope.source();
                if (envelope.position() < seenPosition[s]
                    || envelope.position() == seenPosition[s] && envelope.ordinal() <= seenOrdinal[s]) {
                    duplicatesDropped++;
                    continue;
                }
                seenPosition[s] = envelope.position();
                seenOrdinal[s] = envelope.ordinal();
            }
            if (config.ordered()) {
                buffer.add(envelope);
            } else {
                delivered += deliver(sink, envelope) ? 1 : 0;
                self.addItemsDone(1);
            }
        }
        if (config.ordered() && stopped == null) {
            buffer.sort(Comparator.comparingInt((Envelope e) -> e.source() < 0 ? Integer.MAX_VALUE : e.source())
                .thenComparingLong(Envelope::position));
            for (final Envelope envelope : buffer) {
                delivered += deliver(sink, envelope) ? 1 : 0;
                self.addItemsDone(1);
            }
        }
        return delivered;
    }

    private boolean deliver(final Sink<Object> sink, final Envelope envelope) {
        try {
            sink.accept(envelope.payload());
            return true;
        } catch (final Exception | Error ex) {
            onFailure(new FailureRecord("sink", sourceName(envelope.source()), envelope.position(), SELF_PID,
                Event.describe(ex)), ex);
            return false;
        }
    }

    private void supervise() {
        final List<StepSpec> steps = config.steps();
        int next = 0;
        try {
            while (stopped == null && next < steps.size()) {
                final Event first = events.poll(SUPERVISOR_POLL_MS, TimeUnit.MILLISECONDS);
                if (first != null) {
                    handle(first);
                }
                drainEvents();
                final ChildProcess failed = children.stream().filter(c -> !replaced.contains(c))
                    .filter(c -> c.exitStatus().map(status -> !status.isSuccess()).orElse(false)).findFirst()
                    .orElse(null);
                if (failed != null) {
                    // A failure it reported before exiting is the better record; what it announced, the restart's.
                    readEventsPutBefore(failed);
                    if (stopped != null) {
                        return;
                    }
                    if (restartable && stepChildren.get(0).contains(failed)) {
                        replaced.add(failed);
                        replaceProducer(failed);
                        continue;
                    }
                    stop(new FailureRecord(stepOf(failed), "", -1, failed.pid(), "process " + failed.name()
                        + " ended: " + failed.exitStatus().map(Object::toString).orElse("unknown")
                        + failed.failure().map(f -> " (" + f.getMessage() + ")").orElse("")),
                        failed.failure().orElse(null));
                    return;
                }
                final Consumer<List<ChildProcess>> hook = beforeStepEndCheck;
                if (hook != null) {
                    hook.accept(stepChildren.get(next));
                }
                if (stepEnded(stepChildren.get(next))) {
                    readEventsPast(eventsRing.tailPosition());
                    if (next == 0 && restartable && (sweepUnfinishedSources() || stopped != null)) {
                        continue;
                    }
                    StartupTrace.stamp("pipeline: a step's processes exited");
                    outputs.get(next).forEach(Queue::close);
                    next++;
                }
            }
        } catch (final InterruptedException ex) {
            Thread.currentThread().interrupt();
        } catch (final RuntimeException ex) {
            stop(new FailureRecord("pipeline", "", -1, SELF_PID, "supervisor failed: " + Event.describe(ex)), ex);
        }
    }

    /**
     * @return true when every process of the step exited and each that failed was replaced. Each status is read
     * once: a process that dies after the look for failed processes is not taken for one that ended well (that
     * would start the end-of-run sweep's producer for its source, and its death, handled next round, another).
     */
    private boolean stepEnded(final List<ChildProcess> step) {
        for (final ChildProcess child : step) {
            final Optional<ExitStatus> status = child.exitStatus();
            if (status.isEmpty() || !status.get().isSuccess() && !replaced.contains(child)) {
                return false;
            }
        }
        return true;
    }

    /** A producer died without reporting: its source (if it had one) goes to a fresh producer, or fails. */
    private void replaceProducer(final ChildProcess dead) {
        final int held = ledger.producerDied(dead.pid());
        if (held < 0) {
            // Idle, or its announcement is not read yet (it died between taking a source and announcing it, or
            // the announcement is still behind another producer's event): the sweep at the end restarts it.
            return;
        }
        final String why = "producer " + dead.name() + " (pid " + dead.pid() + ") died reading it: "
            + dead.exitStatus().map(Object::toString).orElse("unknown");
        if (config.sources().get(held) instanceof ParentFed || !ledger.chargeRestart(held)) {
            giveUp(held, dead.pid(), why);
            return;
        }
        startProducer(List.of(held));
    }

    /**
     * When every producer has exited: sources nobody finished (their producer died before announcing them, or no
     * producer was left to take them) go to one fresh producer, each counted as a restart of the source unless
     * it is still on the first assignment queue (no producer took it). @return true if one was started.
     */
    private boolean sweepUnfinishedSources() {
        final Set<Integer> neverTaken = new HashSet<>();
        try {
            Integer index;
            while ((index = firstAssignments.poll()) != null) { // every producer of that queue has exited
                neverTaken.add(index);
            }
        } catch (final EndOfStreamException drained) {
            // every source was taken
        }
        final RestartLedger.Sweep sweep = ledger.sweep(neverTaken);
        for (final int index : sweep.givenUp()) {
            giveUp(index, SELF_PID, "no producer finished it after " + config.producerRestarts() + " restarts");
        }
        if (sweep.toRead().isEmpty()) {
            return false;
        }
        startProducer(sweep.toRead());
        return true;
    }

    private void giveUp(final int index, final long pid, final String why) {
        ledger.giveUp(index);
        onFailure(new FailureRecord("read", sourceName(index), -1, pid, why + " (producerRestarts="
            + config.producerRestarts() + ")"), null);
    }

    private String stepOf(final ChildProcess child) {
        for (int k = 0; k < stepChildren.size(); k++) {
            if (stepChildren.get(k).contains(child)) {
                return config.steps().get(k).name();
            }
        }
        return "pipeline";
    }

    /**
     * Reads every event a dead process put before it died. Its events can sit behind a slot of the events queue
     * that it (killed while putting) or another producer claimed and did not publish yet: consumers read in order.
     * Its own slots are torn at once, then the queue is read up to where its tail is now.
     */
    private void readEventsPutBefore(final ChildProcess dead) throws InterruptedException {
        eventsRing.repairSlotsHeldBy(dead.pid());
        readEventsPast(eventsRing.tailPosition());
    }

    /**
     * Handles events until every slot before {@code mark} was read (or skipped, torn). Waits only on a live
     * process that claimed a slot before the mark and is still writing it; one that died meanwhile has its slot
     * repaired by this wait after the queue's repair time.
     */
    private void readEventsPast(final long mark) throws InterruptedException {
        drainEvents();
        while (stopped == null && eventsRing.headPosition() < mark) {
            final Event event;
            try {
                event = events.poll(SUPERVISOR_POLL_MS, TimeUnit.MILLISECONDS);
            } catch (final EndOfStreamException closed) {
                return;
            }
            if (event != null) {
                handle(event);
            }
        }
    }

    private void drainEvents() {
        Event event;
        while ((event = events.poll()) != null) {
            handle(event);
        }
    }

    private void handle(final Event event) {
        if (event.isFailure()) {
            if (stopped != null) {
                return; // Failures while stopping are consequences, not causes.
            }
            onFailure(new FailureRecord(event.stage(), sourceName(event.source()), event.position(), event.pid(),
                event.error()), null);
        } else {
            final int index = event.sourceIndex();
            if (index >= 0 && event.sourcesDone() > 0) {
                ledger.sourceDone(event.pid(), index);
            } else if (index >= 0) {
                ledger.sourceStarted(event.pid(), index);
            }
            bytesRead.addAndGet(event.bytesRead());
            itemsRead.addAndGet(event.itemsRead());
            sourcesDone.addAndGet(event.sourcesDone());
            config.listener().onProgress(event.bytesRead(), event.itemsRead(), 0, event.sourcesDone());
        }
    }

    private void onFailure(final FailureRecord record, final Throwable cause) {
        failures.add(record);
        config.listener().onProgress(0, 0, 1, 0);
        writeDeadLetter(record);
        if (config.policy().isFailFast()) {
            stop(record, cause);
        }
    }

    private synchronized void stop(final FailureRecord record, final Throwable cause) {
        if (stopped != null) {
            return;
        }
        stoppedCause = cause;
        stopped = record;
        queues.forEach(Queue::close);
    }

    private void finishRun(final Sink<Object> sink, final Thread supervisor) {
        if (stopped != null) {
            for (final ChildProcess child : children) {
                child.terminate(TERMINATE_GRACE);
            }
        } else {
            for (final ChildProcess child : children) {
                try {
                    child.join(JOIN_TIMEOUT);
                } catch (final InterruptedException ex) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            StartupTrace.stamp("pipeline: processes joined");
            if (events != null) {
                drainEvents();
            }
        }
        children.forEach(ChildProcess::close);
        if (supervisor != null) {
            supervisor.interrupt();
        }
        queues.forEach(Queue::close);
        config.sources().stream().filter(ParentFed.class::isInstance).forEach(s -> ((ParentFed) s).stopFeeding());
        try {
            sink.close();
        } catch (final Exception ex) {
            if (stopped == null) {
                stop(new FailureRecord("sink", "", -1, SELF_PID, "close failed: " + Event.describe(ex)), ex);
            }
        }
        closeDeadLetters();
    }

    private String sourceName(final int index) {
        return index >= 0 && index < config.sources().size() ? config.sources().get(index).name() : "";
    }

    private void openDeadLetters() {
        if (config.policy().kind() != ErrorPolicy.Kind.DEAD_LETTER) {
            return;
        }
        try {
            deadLetters = Files.newBufferedWriter(config.policy().deadLetterFile(), StandardCharsets.UTF_8);
        } catch (final IOException ex) {
            throw new IllegalArgumentException("cannot create dead-letter file " + config.policy().deadLetterFile()
                + ": " + ex.getMessage(), ex);
        }
    }

    private synchronized void writeDeadLetter(final FailureRecord record) {
        if (deadLetters == null) {
            return;
        }
        try {
            deadLetters.write(record.toJson());
            deadLetters.write('\n');
            deadLetters.flush();
        } catch (final IOException ex) {
            stop(new FailureRecord("dead-letter", record.source(), record.position(), SELF_PID,
                "cannot write dead-letter file: " + ex.getMessage()), ex);
        }
    }

    private synchronized void closeDeadLetters() {
        if (deadLetters != null) {
            try {
                deadLetters.close();
            } catch (final IOException ignored) {
                // Flushed after every record already.
            }
            deadLetters = null;
        }
    }

    private <Q extends Queue<?>> Q track(final Q queue) {
        queues.add(queue);
        return queue;
    }
}
