package org.hvkit.core.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import org.hvkit.api.toolstack.GuestReport;

/** What one domain's guest reported, per key: running statistics and the newest values for percentiles. */
final class ReportStats {
    private static final int KEEP = 100_000;

    private static final class Key {
        long count, last, min = Long.MAX_VALUE, max = Long.MIN_VALUE, sum;
        long[] recent = new long[64];
        int n;

        void add(long v) {
            count++;
            last = v;
            min = Math.min(min, v);
            max = Math.max(max, v);
            sum += v;
            if (n == recent.length && n < KEEP) recent = Arrays.copyOf(recent, Math.min(KEEP, n * 2));
            recent[n < KEEP ? n++ : (int) ((count - 1) % KEEP)] = v;
        }
    }

    /** Small keys (every key of the KVM guest ABI) by index: a report on the exit path touches one array, not a tree. */
    private static final int DIRECT = 64;
    private final Key[] direct = new Key[DIRECT];
    private final TreeMap<Integer, Key> keys = new TreeMap<>();

    synchronized void add(int key, long value) {
        Key k;
        if (key >= 0 && key < DIRECT) {
            k = direct[key];
            if (k == null) {
                k = new Key();
                direct[key] = k;
                keys.put(key, k);
            }
        } else {
            k = keys.computeIfAbsent(key, x -> new Key());
        }
        k.add(value);
    }

    synchronized List<GuestReport> snapshot() {
        List<GuestReport> out = new ArrayList<>();
        keys.forEach((k, s) -> {
            long[] v = Arrays.copyOf(s.recent, s.n);
            Arrays.sort(v);
            long p50 = v.length == 0 ? 0 : v[(v.length - 1) / 2], p99 = v.length == 0 ? 0 : v[(int) Math.ceil(v.length * 0.99) - 1];
            out.add(new GuestReport(k, s.count, s.last, s.min, s.max, (double) s.sum / s.count, p50, p99));
        });
        return out;
    }
}
