package dev.forklift.dashboard;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.forklift.pool.FailedTask;
import dev.forklift.pool.Pool;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.LongPredicate;
import java.util.function.Supplier;

/**
 * A live web page of Forklift's jobs, processes, queues, throughput and failures, served by the JDK's own HTTP
 * server ({@code com.sun.net.httpserver}) with Server-Sent Events and plain JavaScript.
 *
 * <p>Two modes: {@link #forHost()} shows every running job of the current user on this host, read from the
 * shared-memory boards as {@code forklift ps} reads them (it never touches a job's hot path); {@link #forThisJob()}
 * shows the jobs of this process only and can add its pools' failed tasks ({@link Builder#failedTasks}).
 *
 * <p>With {@link Builder#cluster}, the same page also shows a cluster's worker hosts and broker queues (the dashboard
 * itself depends on no broker client: the caller supplies a {@link ClusterSource}).
 *
 * <p>Endpoints: {@code /} (the page), {@code /api/snapshot} (JSON), {@code /api/history} (ten minutes of
 * throughput), {@code /api/failed} and {@code /api/failed.jsonl} (failed tasks), {@code /events} (SSE: one
 * snapshot a second from the one sampler all viewers share), {@code /metrics} (Prometheus text format), and, only
 * when actions are allowed, {@code POST /api/actions/...} (retry failed, kill, recycle, thread dump, flight
 * recording).
 *
 * <p>Safe by default: it binds 127.0.0.1 only; every request needs the random token of the printed URL
 * ({@link #url()}); the Host header must name the loopback address and an Origin header this server (no DNS
 * rebinding, no cross-site requests); it is read-only unless actions are allowed; memory is bounded (a fixed
 * history, capped failures, exited processes and viewers, a bounded thread pool).
 *
 * <p>Cost: the sampler reads the boards only while someone looks (an SSE viewer connected, or a data request
 * within the last few sample periods); a dashboard nobody watches does no work beyond a listening socket.
 *
 * <p>Threads: {@link Builder#start()} returns once the server listens; the sampler and the HTTP threads are
 * daemons. {@link #close()} stops them; idempotent.
 */
public final class Dashboard implements AutoCloseable {
    /** Most SSE viewers at a time (each holds one HTTP thread). */
    public static final int MAX_VIEWERS = 16;
    private static final int SSE_QUEUE = 4;
    private static final long PING_MS = 15_000;

    private final HttpServer server;
    private final ThreadPoolExecutor executor;
    private final Sampler sampler;
    private final HttpGuard guard;
    private final String token;
    private final boolean actionsAllowed;
    private final WorkerActions workerActions;
    private final Supplier<String> retryFailed;
    private final AtomicInteger viewers = new AtomicInteger();
    private volatile boolean closed;

    private Dashboard(final Builder builder) throws IOException {
        this.actionsAllowed = builder.allowActions;
        this.retryFailed = builder.retryFailed;
        final byte[] random = new byte[16];
        new SecureRandom().nextBytes(random);
        this.token = HexFormat.of().formatHex(random);
        this.sampler = new Sampler(builder.jobFilter, builder.failedTasks, builder.mode, builder.allowActions,
            builder.samplePeriodMs, builder.cluster);
        this.workerActions = new WorkerActions(sampler);
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), builder.port), 32);
        this.guard = new HttpGuard(token, server.getAddress().getPort());
        // Core size = maximum: a pool grows past its core size only once its queue is full, and each SSE viewer
        // holds a thread for as long as it watches; idle threads time out.
        this.executor = new ThreadPoolExecutor(MAX_VIEWERS + 8, MAX_VIEWERS + 8, 30, TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(64), r -> {
                final Thread thread = new Thread(r, "forklift-dashboard-http");
                thread.setDaemon(true);
                return thread;
            });
        executor.allowCoreThreadTimeOut(true);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** @return a builder of a dashboard of every running job of the current user on this host. */
    public static Builder forHost() {
        return new Builder("host", owner -> true);
    }

    /** @return a builder of a dashboard of the jobs of this process (its pools, queues and children). */
    public static Builder forThisJob() {
        final long self = ProcessHandle.current().pid();
        return new Builder("job", owner -> owner == self);
    }

    /** @return the URL to open, with the token: {@code http://127.0.0.1:PORT/?token=...}. */
    public String url() {
        return "http://127.0.0.1:" + port() + "/?token=" + token;
    }

    /** @return the port the server listens on. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** @return the token every request must carry. */
    public String token() {
        return token;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        sampler.close();
        server.stop(0);
        executor.shutdownNow();
    }

    // ---- routing ----------------------------------------------------------------------------------------------

    private void handle(final HttpExchange exchange) throws IOException {
        try (exchange) {
            final HttpGuard.Refusal refusal = guard.check(exchange);
            if (refusal != null) {
                send(exchange, refusal.status(), "text/plain; charset=utf-8", refusal.reason());
                return;
            }
            final String path = exchange.getRequestURI().getPath();
            final String method = exchange.getRequestMethod();
            if (path.startsWith("/api/") || "/metrics".equals(path)) {
                sampler.demand(); // someone looks: the sampler runs (and is fresh) for a few periods more
            }
            if (path.startsWith("/api/actions/")) {
                action(exchange, method, path.substring("/api/actions/".length()));
                return;
            }
            if (!"GET".equals(method) && !"HEAD".equals(method)) {
                send(exchange, 405, "text/plain; charset=utf-8", "method not allowed: " + method);
                return;
            }
            switch (path) {
                case "/":
                case "/index.html":
                    page(exchange);
                    break;
                case "/api/snapshot":
                    send(exchange, 200, "application/json", sampler.snapshotJson());
                    break;
                case "/api/history":
                    send(exchange, 200, "application/json", sampler.historyJson());
                    break;
                case "/api/failed":
                    send(exchange, 200, "application/json", failedJson());
                    break;
                case "/api/failed.jsonl":
                    exchange.getResponseHeaders().set("Content-Disposition", "attachment; filename=failed.jsonl");
                    send(exchange, 200, "application/x-ndjson", failedJsonLines());
                    break;
                case "/events":
                    events(exchange);
                    break;
                case "/metrics":
                    send(exchange, 200, "text/plain; version=0.0.4; charset=utf-8",
                        PrometheusText.render(sampler.pools(), sampler.queues(), sampler.clusterView()));
                    break;
                default:
                    staticResource(exchange, path);
            }
        } catch (final IOException | UncheckedIOException ex) {
            // the viewer went away
        }
    }

    private void page(final HttpExchange exchange) throws IOException {
        final String fromQuery = guard.tokenFromQuery(exchange);
        if (fromQuery != null) {
            exchange.getResponseHeaders().add("Set-Cookie",
                HttpGuard.COOKIE + "=" + fromQuery + "; Path=/; HttpOnly; SameSite=Strict");
        }
        sendResource(exchange, "static/index.html", "text/html; charset=utf-8");
    }

    private void staticResource(final HttpExchange exchange, final String path) throws IOException {
        switch (path) {
            case "/static/app.js":
                sendResource(exchange, "static/app.js", "text/javascript; charset=utf-8");
                return;
            case "/static/app.css":
                sendResource(exchange, "static/app.css", "text/css; charset=utf-8");
                return;
            case "/static/uPlot.js":
                sendClasspath(exchange, "META-INF/resources/webjars/uplot/1.6.30/dist/uPlot.iife.min.js",
                    "text/javascript; charset=utf-8");
                return;
            case "/static/uPlot.css":
                sendClasspath(exchange, "META-INF/resources/webjars/uplot/1.6.30/dist/uPlot.min.css",
                    "text/css; charset=utf-8");
                return;
            default:
                send(exchange, 404, "text/plain; charset=utf-8", "not found: " + path);
        }
    }

    // ---- SSE ----------------------------------------------------------------------------------------------------

    private void events(final HttpExchange exchange) throws IOException {
        if (viewers.incrementAndGet() > MAX_VIEWERS) {
            viewers.decrementAndGet();
            send(exchange, 503, "text/plain; charset=utf-8", "too many viewers: at most " + MAX_VIEWERS);
            return;
        }
        final BlockingQueue<String> pending = new ArrayBlockingQueue<>(SSE_QUEUE);
        final Consumer<String> listener = json -> {
            while (!pending.offer(json)) {
                pending.poll(); // a slow viewer skips snapshots rather than holding memory
            }
        };
        sampler.addListener(listener);
        try {
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
            exchange.sendResponseHeaders(200, 0);
            final OutputStream out = exchange.getResponseBody();
            write(out, "retry: 2000\n");
            final String first = sampler.snapshotJson();
            write(out, "event: snapshot\ndata: " + first + "\n\n");
            while (!closed) {
                final String json = pending.poll(PING_MS, TimeUnit.MILLISECONDS);
                if (json == first) {
                    continue; // a sample that ended between the listener's start and the first send: sent already
                }
                write(out, json == null ? ": ping\n\n" : "event: snapshot\ndata: " + json + "\n\n");
            }
        } catch (final InterruptedException ex) {
            Thread.currentThread().interrupt();
        } finally {
            sampler.removeListener(listener);
            viewers.decrementAndGet();
        }
    }

    private static void write(final OutputStream out, final String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    // ---- failures -----------------------------------------------------------------------------------------------

    private String failedJson() {
        final List<Object> list = new ArrayList<>();
        for (final FailedTask task : sampler.failedTasks()) {
            list.add(Sampler.failureJson(task));
        }
        return Json.of(list);
    }

    private String failedJsonLines() {
        final StringBuilder out = new StringBuilder();
        for (final FailedTask task : sampler.failedTasks()) {
            out.append(Json.of(Sampler.failureJson(task))).append('\n');
        }
        return out.toString();
    }

    // ---- actions ------------------------------------------------------------------------------------------------

    private void action(final HttpExchange exchange, final String method, final String name) throws IOException {
        if (!actionsAllowed) {
            send(exchange, 403, "text/plain; charset=utf-8",
                "read-only dashboard: start it with --allow-actions to " + name);
            return;
        }
        if (!"POST".equals(method)) {
            send(exchange, 405, "text/plain; charset=utf-8", "actions need POST");
            return;
        }
        try {
            final String pidText = HttpGuard.queryParameter(exchange.getRequestURI(), "pid");
            switch (name) {
                case "retry-failed":
                    if (!"yes".equals(HttpGuard.queryParameter(exchange.getRequestURI(), "confirm"))) {
                        send(exchange, 400, "text/plain; charset=utf-8", "confirm=yes is required to retry");
                    } else if (retryFailed == null) {
                        send(exchange, 501, "text/plain; charset=utf-8", "this job cannot retry its failed tasks");
                    } else {
                        retry(exchange);
                    }
                    break;
                case "kill":
                    send(exchange, 200, "text/plain; charset=utf-8", workerActions.kill(parsePid(pidText)));
                    break;
                case "recycle":
                    send(exchange, 200, "text/plain; charset=utf-8", workerActions.recycle(parsePid(pidText)));
                    break;
                case "thread-dump":
                    send(exchange, 200, "text/plain; charset=utf-8", workerActions.threadDump(parsePid(pidText)));
                    break;
                case "flight-recording":
                    final String seconds = HttpGuard.queryParameter(exchange.getRequestURI(), "seconds");
                    final long pid = parsePid(pidText);
                    final byte[] recording = workerActions.flightRecording(pid,
                        seconds == null ? 10 : Integer.parseInt(seconds));
                    exchange.getResponseHeaders().set("Content-Disposition",
                        "attachment; filename=worker-" + pid + ".jfr");
                    sendBytes(exchange, 200, "application/octet-stream", recording);
                    break;
                default:
                    send(exchange, 404, "text/plain; charset=utf-8", "no such action: " + name);
            }
        } catch (final IllegalArgumentException ex) {
            send(exchange, 400, "text/plain; charset=utf-8", ex.getMessage());
        } catch (final InterruptedException ex) {
            Thread.currentThread().interrupt();
            send(exchange, 503, "text/plain; charset=utf-8", "interrupted");
        }
    }

    private void retry(final HttpExchange exchange) throws IOException {
        final String message;
        try {
            message = retryFailed.get();
        } catch (final UnsupportedOperationException ex) {
            send(exchange, 501, "text/plain; charset=utf-8", String.valueOf(ex.getMessage()));
            return;
        } catch (final IllegalStateException ex) {
            send(exchange, 409, "text/plain; charset=utf-8", String.valueOf(ex.getMessage()));
            return;
        }
        send(exchange, 200, "text/plain; charset=utf-8", message);
    }

    private static long parsePid(final String text) {
        try {
            return Long.parseLong(Objects.requireNonNull(text, "pid"));
        } catch (final NumberFormatException | NullPointerException ex) {
            throw new IllegalArgumentException("pid must be a number: pid=" + text);
        }
    }

    // ---- responses ----------------------------------------------------------------------------------------------

    private static void send(final HttpExchange exchange, final int status, final String type, final String body)
        throws IOException {
        sendBytes(exchange, status, type, body.getBytes(StandardCharsets.UTF_8));
    }

    private static void sendBytes(final HttpExchange exchange, final int status, final String type,
        final byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        exchange.getResponseHeaders().set("X-Frame-Options", "DENY");
        exchange.getResponseHeaders().set("Referrer-Policy", "no-referrer");
        exchange.getResponseHeaders().set("Content-Security-Policy",
            "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:");
        if ("HEAD".equals(exchange.getRequestMethod())) {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            exchange.getResponseBody().write(body);
        }
    }

    private static void sendResource(final HttpExchange exchange, final String name, final String type)
        throws IOException {
        sendClasspath(exchange, "dev/forklift/dashboard/" + name, type);
    }

    private static void sendClasspath(final HttpExchange exchange, final String name, final String type)
        throws IOException {
        try (InputStream in = Dashboard.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                send(exchange, 404, "text/plain; charset=utf-8", "missing resource: " + name);
                return;
            }
            sendBytes(exchange, 200, type, in.readAllBytes());
        }
    }

    /** Configures and starts a {@link Dashboard}. Not thread-safe; use from one thread. */
    public static final class Builder {
        private final String mode;
        private final LongPredicate jobFilter;
        private int port;
        private boolean allowActions;
        private Supplier<List<FailedTask>> failedTasks = List::of;
        private Supplier<String> retryFailed;
        private long samplePeriodMs = 1_000;
        private ClusterSource cluster;

        private Builder(final String mode, final LongPredicate jobFilter) {
            this.mode = mode;
            this.jobFilter = jobFilter;
        }

        /**
         * @param port the port on 127.0.0.1; 0 (the default) picks a free one.
         * @return this.
         */
        public Builder port(final int port) {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port must be in 0..65535: port=" + port);
            }
            this.port = port;
            return this;
        }

        /**
         * @param allow whether the page may act: retry failed tasks, kill or recycle a worker, take a thread dump or
         *              a flight recording. Default false (read-only).
         * @return this.
         */
        public Builder allowActions(final boolean allow) {
            this.allowActions = allow;
            return this;
        }

        /**
         * @param pools the pools whose failed tasks the page lists (their {@link Pool#failedTasks()}).
         * @return this.
         */
        public Builder failedTasksOf(final Pool... pools) {
            final List<Pool> list = List.of(pools);
            return failedTasks(() -> {
                final List<FailedTask> all = new ArrayList<>();
                for (final Pool pool : list) {
                    all.addAll(pool.failedTasks());
                }
                return all;
            });
        }

        /**
         * @param source the failed tasks to list, read once per sample by the sampler thread.
         * @return this.
         */
        public Builder failedTasks(final Supplier<List<FailedTask>> source) {
            this.failedTasks = Objects.requireNonNull(source, "source");
            return this;
        }

        /**
         * @param action runs when a viewer confirms "retry all failed" (actions allowed only), on an HTTP thread;
         *               returns a message for the viewer (200); may throw {@link UnsupportedOperationException}
         *               (answered 501) or {@link IllegalStateException} (409, such as a job that is finishing).
         * @return this.
         */
        public Builder retryFailed(final Supplier<String> action) {
            this.retryFailed = Objects.requireNonNull(action, "action");
            return this;
        }

        /**
         * Adds the cluster view: the page, {@code /api/snapshot}, {@code /events} and {@code /metrics} then also show
         * the cluster's worker hosts and broker queues, read by a thread of the dashboard's own once a sample period.
         *
         * @param source the cluster, such as the CLI's reader of a broker's status.
         * @return this.
         */
        public Builder cluster(final ClusterSource source) {
            this.cluster = Objects.requireNonNull(source, "source");
            return this;
        }

        /**
         * @param periodMs how often the sampler reads the boards, in ms (default 1000); at least 100.
         * @return this.
         */
        public Builder samplePeriodMs(final long periodMs) {
            if (periodMs < 100) {
                throw new IllegalArgumentException("periodMs must be at least 100: periodMs=" + periodMs);
            }
            this.samplePeriodMs = periodMs;
            return this;
        }

        /**
         * @return the started dashboard, listening on 127.0.0.1.
         * @throws UncheckedIOException if the port cannot be bound.
         */
        public Dashboard start() {
            try {
                return new Dashboard(this);
            } catch (final IOException ex) {
                throw new UncheckedIOException("could not start the dashboard on 127.0.0.1:" + port + ": "
                    + ex.getMessage(), ex);
            }
        }
    }
}
