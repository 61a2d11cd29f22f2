package org.hvkit.benchmarks;

import java.util.HashMap;
import java.util.Map;

/** {@code key=value} command-line arguments. */
final class Args {
    private Args() {
    }

    static Map<String, String> parse(String[] args) {
        Map<String, String> m = new HashMap<>();
        for (String s : args) {
            int eq = s.indexOf('=');
            if (eq <= 0) throw new IllegalArgumentException("expected key=value, got '" + s + "'");
            m.put(s.substring(0, eq), s.substring(eq + 1));
        }
        return m;
    }
}
