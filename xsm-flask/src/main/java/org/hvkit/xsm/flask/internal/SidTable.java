package org.hvkit.xsm.flask.internal;

import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Security identifiers: one int per context string, for the module's lifetime, so SIDs held by the
 * core stay meaningful across policy loads (a context the new policy lacks reads as unlabeled).
 */
final class SidTable {
    static final int MAX = 1 << 16;
    private final ConcurrentHashMap<String, Integer> ids = new ConcurrentHashMap<>();
    private volatile String[] contexts = new String[64];
    private int count;

    int intern(String context) {
        Integer id = ids.get(context);
        if (id != null) return id;
        synchronized (this) {
            id = ids.get(context);
            if (id != null) return id;
            if (count >= MAX) throw new IllegalArgumentException("more than " + MAX + " security contexts in use");
            String[] c = contexts;
            if (count == c.length) c = Arrays.copyOf(c, c.length * 2);
            c[count] = context;
            contexts = c;
            ids.put(context, count);
            return count++;
        }
    }

    /** The context of {@code sid}, or null for a SID never given out. */
    String context(int sid) {
        String[] c = contexts;
        return sid >= 0 && sid < c.length ? c[sid] : null;
    }
}
