package dev.forklift.process.internal;

import dev.forklift.process.ChildStartException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Launches the JVMs of several children at once, without waiting for their handshakes: children that asked for a
 * warm worker get one from their key's warm host when one is spare ({@link WarmHostClient}); the rest are launched
 * in parallel (each launch, a fork and exec plus the archive decision and two pump threads, takes 5 to 13 ms, and
 * the children of a pool used to be launched one after the other).
 *
 * <p>Internal; not API. Called from the parent's starting thread.
 */
public final class Launches {
    static final ExecutorService LAUNCHERS = Executors.newCachedThreadPool(r -> {
        final Thread thread = new Thread(r, "forklift-launch");
        thread.setDaemon(true);
        return thread;
    });

    private Launches() {
    }

    /**
     * @param plans the children.
     * @return their handles, in order, each launched or leased (call {@code awaitReady} next).
     * @throws ChildStartException if one cannot be launched; those launched are killed first.
     */
    public static List<ChildProcessImpl> launchAll(final List<LaunchPlan> plans) {
        final ChildProcessImpl[] children = new ChildProcessImpl[plans.size()];
        StartupTrace.stamp("launch all: " + plans.size());
        try {
            leaseWarm(plans, children);
            final List<CompletableFuture<Void>> launches = new ArrayList<>();
            int first = -1;
            for (int i = 0; i < plans.size(); i++) {
                if (children[i] != null) {
                    continue;
                }
                if (first < 0) {
                    first = i; // launched on this thread, beside the others
                    continue;
                }
                final int index = i;
                launches.add(CompletableFuture.runAsync(
                    () -> children[index] = ChildProcessImpl.launch(plans.get(index)), LAUNCHERS));
            }
            RuntimeException failure = null;
            if (first >= 0) {
                try {
                    children[first] = ChildProcessImpl.launch(plans.get(first));
                } catch (final RuntimeException ex) {
                    failure = ex;
                }
            }
            for (final CompletableFuture<Void> launch : launches) {
                try {
                    launch.join();
                } catch (final CompletionException ex) {
                    if (failure == null) {
                        failure = ex.getCause() instanceof RuntimeException ? (RuntimeException) ex.getCause()
                            : new ChildStartException("cannot launch a child: " + ex.getCause(), ex.getCause());
                    }
                }
            }
            if (failure != null) {
                throw failure;
            }
        } catch (final RuntimeException ex) {
            Arrays.stream(children).filter(c -> c != null).forEach(ChildProcessImpl::killIfLaunched);
            throw ex;
        }
        return List.of(children);
    }

    /** Leases warm workers for the children that may take one, grouped by key. */
    private static void leaseWarm(final List<LaunchPlan> plans, final ChildProcessImpl[] children) {
        final Map<String, List<Integer>> byKey = new LinkedHashMap<>();
        final List<ChildProcessImpl> adopted = new ArrayList<>();
        for (int i = 0; i < plans.size(); i++) {
            final WarmPrelease.Spare spare = WarmPrelease.claim(plans.get(i));
            if (spare != null) {
                StartupTrace.stamp("preleased worker taken by " + plans.get(i).name());
                children[i] = ChildProcessImpl.adopt(plans.get(i), spare);
                adopted.add(children[i]);
            } else if (WarmHostClient.eligible(plans.get(i))) {
                final Optional<String> key = WarmHostClient.keyOf(plans.get(i));
                final int index = i;
                key.ifPresent(k -> byKey.computeIfAbsent(k, x -> new ArrayList<>()).add(index));
            }
        }
        ChildProcessImpl.sendSpecsTogether(adopted);
        for (final List<Integer> indices : byKey.values()) {
            final List<ChildProcessImpl> prepared = new ArrayList<>();
            for (final int index : indices) {
                prepared.add(ChildProcessImpl.prepare(plans.get(index)));
            }
            StartupTrace.stamp("lease asked");
            final List<WarmProcess> leased = WarmHostClient.lease(prepared, plans.get(indices.get(0)));
            StartupTrace.stamp("lease answered");
            for (int j = 0; j < indices.size(); j++) {
                if (leased.get(j) != null) {
                    prepared.get(j).attachWarm(leased.get(j));
                    children[indices.get(j)] = prepared.get(j);
                } else {
                    prepared.get(j).abandon();
                }
            }
        }
    }
}
