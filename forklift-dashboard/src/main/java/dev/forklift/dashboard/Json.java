package dev.forklift.dashboard;

import java.util.Collection;
import java.util.Map;

/**
 * A minimal JSON writer for the dashboard's documents (objects of strings, numbers, booleans, lists and maps).
 * Not thread-safe; one per document.
 */
final class Json {
    private final StringBuilder out = new StringBuilder(4096);

    /** @return the value as JSON text. */
    static String of(final Object value) {
        final Json json = new Json();
        json.value(value);
        return json.out.toString();
    }

    private void value(final Object value) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof String) {
            string((String) value);
        } else if (value instanceof Double || value instanceof Float) {
            final double d = ((Number) value).doubleValue();
            if (Double.isFinite(d)) {
                out.append(Math.round(d * 1000) / 1000.0);
            } else {
                out.append("null");
            }
        } else if (value instanceof Number || value instanceof Boolean) {
            out.append(value);
        } else if (value instanceof Map) {
            out.append('{');
            boolean first = true;
            for (final Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                string(String.valueOf(entry.getKey()));
                out.append(':');
                value(entry.getValue());
            }
            out.append('}');
        } else if (value instanceof Collection) {
            out.append('[');
            boolean first = true;
            for (final Object item : (Collection<?>) value) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                value(item);
            }
            out.append(']');
        } else if (value instanceof double[]) {
            out.append('[');
            final double[] array = (double[]) value;
            for (int i = 0; i < array.length; i++) {
                if (i > 0) {
                    out.append(',');
                }
                value(array[i]);
            }
            out.append(']');
        } else {
            string(value.toString());
        }
    }

    private void string(final String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            final char c = s.charAt(i);
            switch (c) {
                case '"': out.append("\\\""); break;
                case '\\': out.append("\\\\"); break;
                case '\n': out.append("\\n"); break;
                case '\r': out.append("\\r"); break;
                case '\t': out.append("\\t"); break;
                default:
                    if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == 0x2028 || c == 0x2029) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
            }
        }
        out.append('"');
    }
}
