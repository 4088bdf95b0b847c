package dev.forklift.cli.run;

import dev.forklift.pipeline.FailureRecord;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The little JSON that {@code forklift run --failed} writes and {@code --retry-failed} reads: one flat object per
 * line whose values are strings, whole numbers or null. Stateless; any thread.
 */
final class Json {
    private Json() {
    }

    /**
     * @param fields the fields, in order; values are strings, numbers or null.
     * @return one JSON object on one line.
     */
    static String object(final Map<String, ?> fields) {
        final StringBuilder out = new StringBuilder("{");
        for (final Map.Entry<String, ?> field : fields.entrySet()) {
            if (out.length() > 1) {
                out.append(',');
            }
            quote(field.getKey(), out);
            out.append(':');
            final Object value = field.getValue();
            if (value == null) {
                out.append("null");
            } else if (value instanceof Number) {
                out.append(value);
            } else {
                quote(value.toString(), out);
            }
        }
        return out.append('}').toString();
    }

    /** Quotes as every JSON line of the project does ({@link FailureRecord#quote}). */
    private static void quote(final String text, final StringBuilder out) {
        out.append(FailureRecord.quote(text));
    }

    /**
     * Parses one flat JSON object.
     *
     * @param text the object.
     * @return its fields in order: strings, {@link Long}s, {@link Double}s, {@link Boolean}s or null.
     * @throws IllegalArgumentException if the text is not such an object; the message says where.
     */
    static Map<String, Object> parseObject(final String text) {
        final Parser parser = new Parser(text);
        final Map<String, Object> fields = new LinkedHashMap<>();
        parser.skipSpace();
        parser.expect('{');
        parser.skipSpace();
        if (parser.peek() == '}') {
            parser.pos++;
        } else {
            while (true) {
                parser.skipSpace();
                final String key = parser.string();
                parser.skipSpace();
                parser.expect(':');
                parser.skipSpace();
                fields.put(key, parser.value());
                parser.skipSpace();
                if (parser.peek() == ',') {
                    parser.pos++;
                    continue;
                }
                parser.expect('}');
                break;
            }
        }
        parser.skipSpace();
        if (parser.pos != text.length()) {
            throw parser.error("text after the object");
        }
        return fields;
    }

    private static final class Parser {
        final String text;
        int pos;

        Parser(final String text) {
            this.text = text;
        }

        char peek() {
            if (pos >= text.length()) {
                throw error("unexpected end");
            }
            return text.charAt(pos);
        }

        void expect(final char c) {
            if (peek() != c) {
                throw error("expected '" + c + "'");
            }
            pos++;
        }

        void skipSpace() {
            while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
                pos++;
            }
        }

        Object value() {
            final char c = peek();
            if (c == '"') {
                return string();
            }
            if (text.startsWith("null", pos)) {
                pos += 4;
                return null;
            }
            if (text.startsWith("true", pos)) {
                pos += 4;
                return Boolean.TRUE;
            }
            if (text.startsWith("false", pos)) {
                pos += 5;
                return Boolean.FALSE;
            }
            final int start = pos;
            while (pos < text.length() && "+-0123456789.eE".indexOf(text.charAt(pos)) >= 0) {
                pos++;
            }
            final String number = text.substring(start, pos);
            try {
                return number.matches("-?\\d+") ? (Object) Long.parseLong(number) : (Object) Double.parseDouble(number);
            } catch (final NumberFormatException ex) {
                pos = start;
                throw error("expected a value");
            }
        }

        String string() {
            expect('"');
            final StringBuilder out = new StringBuilder();
            while (true) {
                final char c = peek();
                pos++;
                if (c == '"') {
                    return out.toString();
                }
                if (c != '\\') {
                    out.append(c);
                    continue;
                }
                final char escaped = peek();
                pos++;
                switch (escaped) {
                    case '"', '\\', '/' -> out.append(escaped);
                    case 'n' -> out.append('\n');
                    case 'r' -> out.append('\r');
                    case 't' -> out.append('\t');
                    case 'b' -> out.append('\b');
                    case 'f' -> out.append('\f');
                    case 'u' -> {
                        if (pos + 4 > text.length()) {
                            throw error("short \\u escape");
                        }
                        try {
                            out.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16));
                        } catch (final NumberFormatException ex) {
                            throw error("bad \\u escape");
                        }
                        pos += 4;
                    }
                    default -> throw error("bad escape '\\" + escaped + "'");
                }
            }
        }

        IllegalArgumentException error(final String what) {
            return new IllegalArgumentException(what + " at character " + (pos + 1));
        }
    }
}
