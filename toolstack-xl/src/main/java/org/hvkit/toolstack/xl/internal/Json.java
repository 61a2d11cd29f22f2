package org.hvkit.toolstack.xl.internal;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A small JSON writer in the layout libxl's generated {@code *_to_json} functions produce with
 * yajl 1 (what Xen 4.2 builds against) beautifying: four-space indent, {@code "key": value}, and
 * yajl 1's close always starting a new line, so an empty array or map is {@code [}, newline,
 * an empty line, the indent, {@code ]}. Values: null, String, Number, Boolean, an enum (its
 * lowercase name, as libxl's {@code *_to_string} gives IDL values), {@code Map<String, ?>} (kept
 * in its iteration order) and {@code List<?>}.
 */
final class Json {
    private Json() {
    }

    static String write(Object v) {
        StringBuilder sb = new StringBuilder();
        write(sb, v, 0);
        return sb.toString();
    }

    private static void indent(StringBuilder sb, int depth) {
        sb.append("    ".repeat(depth));
    }

    private static void write(StringBuilder sb, Object v, int depth) {
        if (v == null) {
            sb.append("null");
        } else if (v instanceof String s) {
            string(sb, s);
        } else if (v instanceof Enum<?> e) {
            string(sb, e.name().toLowerCase(Locale.ROOT));
        } else if (v instanceof Number || v instanceof Boolean) {
            sb.append(v);
        } else if (v instanceof Map<?, ?> m) {
            if (m.isEmpty()) {
                sb.append("{\n\n");
                indent(sb, depth);
                sb.append('}');
                return;
            }
            sb.append("{\n");
            int i = 0;
            for (var e : m.entrySet()) {
                indent(sb, depth + 1);
                string(sb, String.valueOf(e.getKey()));
                sb.append(": ");
                write(sb, e.getValue(), depth + 1);
                if (++i < m.size()) sb.append(',');
                sb.append('\n');
            }
            indent(sb, depth);
            sb.append('}');
        } else if (v instanceof List<?> l) {
            if (l.isEmpty()) {
                sb.append("[\n\n");
                indent(sb, depth);
                sb.append(']');
                return;
            }
            sb.append("[\n");
            for (int i = 0; i < l.size(); i++) {
                indent(sb, depth + 1);
                write(sb, l.get(i), depth + 1);
                if (i + 1 < l.size()) sb.append(',');
                sb.append('\n');
            }
            indent(sb, depth);
            sb.append(']');
        } else {
            string(sb, v.toString());
        }
    }

    private static void string(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    // yajl_string_encode: other control characters as a u00XX escape, hex digits uppercase
                    if (c < 0x20) sb.append(String.format(Locale.ROOT, "\\u%04X", (int) c));
                    else sb.append(c);
                }
            }
        }
        sb.append('"');
    }
}
