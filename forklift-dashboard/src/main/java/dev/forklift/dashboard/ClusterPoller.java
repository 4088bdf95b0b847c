package dev.forklift.dashboard;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Reads a {@link ClusterSource} on a daemon thread of its own, once a period (with a fixed delay, so a slow broker
 * never queues reads), and keeps the last read and the last error for the sampler, which puts them in each snapshot
 * without waiting. Computes each host's tasks done per second between reads. Bounded: one read at a time, the
 * hosts and queues of the last read only.
 */
final class ClusterPoller implements AutoCloseable {
    private static final double RATE_SMOOTHING = 0.4;

    private final ClusterSource source;
    private final ScheduledExecutorService thread;
    // Poller thread only.
    private final Map<String, double[]> lastHost = new HashMap<>();
    private long lastReadNs;

    private volatile ClusterView view;
    private volatile Map<String, Double> hostRates = Map.of();
    private volatile long readAtMs;
    private volatile String error;

    ClusterPoller(final ClusterSource source, final long periodMs) {
        this.source = source;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            final Thread t = new Thread(r, "forklift-dashboard-cluster");
            t.setDaemon(true);
            return t;
        });
        thread.scheduleWithFixedDelay(this::poll, 0, periodMs, TimeUnit.MILLISECONDS);
    }

    /** @return the last good read, or null before the first. */
    ClusterView view() {
        return view;
    }

    private void poll() {
        try {
            final ClusterView now = source.read();
            final long nowNs = System.nanoTime();
            final double elapsedS = lastReadNs == 0 ? 0 : (nowNs - lastReadNs) / 1e9;
            lastReadNs = nowNs;
            final Map<String, Double> rates = new HashMap<>();
            final Map<String, double[]> seen = new HashMap<>();
            for (final ClusterView.Host host : now.hosts()) {
                final double[] last = lastHost.get(host.name());
                double rate = 0;
                if (last != null && elapsedS > 0) {
                    final double instant = Math.max(0, (host.tasksDone() - last[0]) / elapsedS);
                    rate = RATE_SMOOTHING * instant + (1 - RATE_SMOOTHING) * last[1];
                }
                rates.put(host.name(), rate);
                seen.put(host.name(), new double[] {host.tasksDone(), rate});
            }
            lastHost.clear();
            lastHost.putAll(seen);
            hostRates = Map.copyOf(rates);
            view = now;
            readAtMs = System.currentTimeMillis();
            error = null;
        } catch (final Exception ex) {
            error = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
        } catch (final Error ex) {
            error = ex.toString(); // a missing class of the broker client: said on the page, the poller goes on
        }
    }

    /** @return the cluster part of a snapshot: name, age of the last read, error, hosts and queues. */
    Map<String, Object> json(final long nowMs) {
        final ClusterView current = view;
        final Map<String, Double> rates = hostRates;
        final Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("name", source.name());
        doc.put("readAgoMs", current == null ? null : nowMs - readAtMs);
        doc.put("error", error);
        final List<Object> hosts = new ArrayList<>();
        final List<Object> queues = new ArrayList<>();
        if (current != null) {
            for (final ClusterView.Host host : current.hosts()) {
                final Map<String, Object> h = new LinkedHashMap<>();
                h.put("name", host.name());
                h.put("pid", host.pid());
                h.put("workers", host.workers());
                h.put("workerPids", new ArrayList<Object>(host.workerPids()));
                h.put("tasksDone", host.tasksDone());
                h.put("tasksHeld", host.tasksHeld());
                h.put("doneRate", rates.getOrDefault(host.name(), 0.0));
                h.put("statusAgeMs", host.statusAgeMs() < 0 ? null : host.statusAgeMs());
                hosts.add(h);
            }
            for (final ClusterView.BrokerQueue queue : current.queues()) {
                final Map<String, Object> q = new LinkedHashMap<>();
                q.put("name", queue.name());
                q.put("messages", queue.messages());
                q.put("consumers", queue.consumers());
                queues.add(q);
            }
        }
        doc.put("hosts", hosts);
        doc.put("queues", queues);
        return doc;
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
