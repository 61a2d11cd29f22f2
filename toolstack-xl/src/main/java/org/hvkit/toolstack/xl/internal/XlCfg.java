package org.hvkit.toolstack.xl.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A parsed xl.cfg file: settings in file order, the last assignment of a key winning, as libxlu
 * keeps them. Values are {@link Value}s: a string, a number (kept as written), or a list.
 */
final class XlCfg {
    /** A value and where it was written. */
    sealed interface Value permits Str, Num, Lst {
        int line();
    }

    record Str(String text, int line) implements Value { }

    /** A number as written (decimal, 0-prefixed octal or 0x hex); the consumer interprets it. */
    record Num(String text, int line) implements Value {
        long toLong() {
            String t = text.toLowerCase();
            if (t.startsWith("0x")) return Long.parseLong(t.substring(2), 16);
            if (t.length() > 1 && t.startsWith("0")) return Long.parseLong(t.substring(1), 8);
            return Long.parseLong(t);
        }
    }

    record Lst(List<Value> items, int line) implements Value { }

    final String source;
    private final Map<String, Value> settings = new LinkedHashMap<>();

    XlCfg(String source) {
        this.source = source;
    }

    void set(String key, Value v) {
        settings.remove(key);
        settings.put(key, v);
    }

    void append(String key, Value v) {
        Value old = settings.get(key);
        if (old == null) {
            set(key, v instanceof Lst ? v : new Lst(List.of(v), v.line()));
            return;
        }
        List<Value> items = new ArrayList<>(old instanceof Lst l ? l.items() : List.of(old));
        if (v instanceof Lst l) items.addAll(l.items()); else items.add(v);
        set(key, new Lst(items, old.line()));
    }

    Value get(String key) {
        return settings.get(key);
    }

    Map<String, Value> settings() {
        return Collections.unmodifiableMap(settings);
    }
}
