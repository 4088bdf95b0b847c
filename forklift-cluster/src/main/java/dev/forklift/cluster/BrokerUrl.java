package dev.forklift.cluster;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A broker URL as Forklift takes it: an Artemis connector URL ({@code tcp://host:61616}, with any Artemis
 * transport option such as {@code sslEnabled=true&trustStorePath=...}) plus where the credentials come from:
 * {@code credentials=FILE} in the query, else the file named by {@value Credentials#FILE_ENV}, else
 * {@link Credentials#defaultFile()} when it exists, else none (the broker refuses anonymous users unless started
 * with {@code --insecure}). {@code user=} and {@code password=} are accepted too but leave the password in
 * process listings. Immutable.
 *
 * @param artemisUrl  the URL handed to the Artemis client, without Forklift's own parameters.
 * @param credentials the credentials, or null for anonymous.
 */
public record BrokerUrl(String artemisUrl, Credentials credentials) {
    /**
     * @param url the URL as given by the user.
     * @return the parsed URL.
     * @throws IllegalArgumentException if it is blank or not {@code tcp://}.
     */
    public static BrokerUrl parse(final String url) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("broker URL must not be blank: broker=" + url);
        }
        if (!url.startsWith("tcp://")) {
            throw new IllegalArgumentException("broker URL must start with tcp:// (for example tcp://127.0.0.1:61616):"
                + " broker=" + url);
        }
        final int query = url.indexOf('?');
        final String base = query < 0 ? url : url.substring(0, query);
        final List<String> kept = new ArrayList<>();
        String user = null;
        String password = null;
        String file = null;
        if (query >= 0) {
            for (final String param : url.substring(query + 1).split("&")) {
                if (param.startsWith("credentials=")) {
                    file = param.substring("credentials=".length());
                } else if (param.startsWith("user=")) {
                    user = param.substring("user=".length());
                } else if (param.startsWith("password=")) {
                    password = param.substring("password=".length());
                } else if (!param.isEmpty()) {
                    kept.add(param);
                }
            }
        }
        Credentials credentials = null;
        if (user != null) {
            credentials = new Credentials(user, password == null ? "" : password);
        } else if (file != null) {
            credentials = Credentials.read(Path.of(file));
        } else if (System.getenv(Credentials.FILE_ENV) != null) {
            credentials = Credentials.read(Path.of(System.getenv(Credentials.FILE_ENV)));
        } else if (Files.isReadable(Credentials.defaultFile())) {
            credentials = Credentials.read(Credentials.defaultFile());
        }
        return new BrokerUrl(kept.isEmpty() ? base : base + "?" + String.join("&", kept), credentials);
    }
}
