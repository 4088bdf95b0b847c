package dev.forklift.dashboard;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** A hand-written HTTP/1.1 request, for headers a client library will not set (Host) and for raw responses. */
final class RawHttp {
    private RawHttp() {
    }

    /** A response: its status and its whole text (head and body). */
    record Response(int status, String text) {
    }

    static Response request(final int port, final String method, final String target,
        final Map<String, String> headers) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(20_000);
            final StringBuilder request = new StringBuilder();
            request.append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
            if (!headers.containsKey("Host")) {
                request.append("Host: 127.0.0.1:").append(port).append("\r\n");
            }
            headers.forEach((k, v) -> request.append(k).append(": ").append(v).append("\r\n"));
            request.append("Content-Length: 0\r\nConnection: close\r\n\r\n");
            final OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.US_ASCII));
            out.flush();
            final InputStream in = socket.getInputStream();
            final ByteArrayOutputStream response = new ByteArrayOutputStream();
            in.transferTo(response);
            final String text = response.toString(StandardCharsets.UTF_8);
            final int status = Integer.parseInt(text.substring(9, 12));
            return new Response(status, text);
        }
    }
}
