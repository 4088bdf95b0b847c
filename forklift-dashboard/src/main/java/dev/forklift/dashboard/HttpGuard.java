package dev.forklift.dashboard;

import com.sun.net.httpserver.HttpExchange;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Set;

/**
 * The dashboard's request checks, run before every handler: the Host header must name the loopback address the
 * server is bound to (no DNS rebinding), an Origin header, when present, must be this server's own origin (no
 * cross-site reads or posts), and the request must carry the token (query parameter {@code token}, header
 * {@code X-Forklift-Token} or the cookie the page sets). Thread-safe; immutable.
 */
final class HttpGuard {
    static final String COOKIE = "forklift_token";
    static final String HEADER = "X-Forklift-Token";

    private final byte[] token;
    private final Set<String> hosts;
    private final Set<String> origins;

    HttpGuard(final String token, final int port) {
        this.token = token.getBytes(StandardCharsets.US_ASCII);
        this.hosts = Set.of("127.0.0.1:" + port, "localhost:" + port, "[::1]:" + port);
        this.origins = Set.of("http://127.0.0.1:" + port, "http://localhost:" + port, "http://[::1]:" + port);
    }

    /**
     * @return null when the request may go on, else the status and reason to refuse it with.
     */
    Refusal check(final HttpExchange exchange) {
        final String host = exchange.getRequestHeaders().getFirst("Host");
        if (host == null || !hosts.contains(host.toLowerCase(java.util.Locale.ROOT))) {
            return new Refusal(421, "unexpected Host header: " + host);
        }
        final String origin = exchange.getRequestHeaders().getFirst("Origin");
        if (origin != null && !origins.contains(origin.toLowerCase(java.util.Locale.ROOT))) {
            return new Refusal(403, "cross-origin request refused: Origin " + origin);
        }
        if (!tokenMatches(presentedToken(exchange))) {
            return new Refusal(401, "missing or wrong token: open the URL the dashboard printed");
        }
        return null;
    }

    /** @return whether the request came with the token in its query (then the page sets the cookie). */
    String tokenFromQuery(final HttpExchange exchange) {
        return queryParameter(exchange.getRequestURI(), "token");
    }

    private String presentedToken(final HttpExchange exchange) {
        final String query = queryParameter(exchange.getRequestURI(), "token");
        if (query != null) {
            return query;
        }
        final String header = exchange.getRequestHeaders().getFirst(HEADER);
        if (header != null) {
            return header;
        }
        final List<String> cookies = exchange.getRequestHeaders().get("Cookie");
        if (cookies != null) {
            for (final String line : cookies) {
                for (final String cookie : line.split(";")) {
                    final String trimmed = cookie.trim();
                    if (trimmed.startsWith(COOKIE + "=")) {
                        return trimmed.substring(COOKIE.length() + 1);
                    }
                }
            }
        }
        return null;
    }

    private boolean tokenMatches(final String presented) {
        return presented != null
            && MessageDigest.isEqual(token, presented.getBytes(StandardCharsets.US_ASCII));
    }

    /** @return the decoded value of a query parameter, or null. */
    static String queryParameter(final URI uri, final String name) {
        final String query = uri.getRawQuery();
        if (query == null) {
            return null;
        }
        for (final String pair : query.split("&")) {
            final int eq = pair.indexOf('=');
            final String key = eq < 0 ? pair : pair.substring(0, eq);
            if (key.equals(name)) {
                return java.net.URLDecoder.decode(eq < 0 ? "" : pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    /** Why a request was refused. */
    record Refusal(int status, String reason) {
    }
}
