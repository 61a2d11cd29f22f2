package org.hvkit.api.p2m;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * A p2m's totals: backed entries per order, frames per type (unbacked ones included, up to
 * {@link P2m#maxPages()}), backed frames per access, and the default access for new frames.
 */
public record P2mCounts(Map<PageOrder, Long> entriesByOrder, Map<P2mType, Long> pagesByType, Map<P2mAccess, Long> pagesByAccess, P2mAccess defaultAccess) {
    public P2mCounts {
        entriesByOrder = frozen(PageOrder.class, entriesByOrder);
        pagesByType = frozen(P2mType.class, pagesByType);
        pagesByAccess = frozen(P2mAccess.class, pagesByAccess);
    }

    /** Backed frames (every type but {@link P2mType#UNBACKED}). */
    public long backedPages() {
        long n = 0;
        for (var e : pagesByType.entrySet()) if (e.getKey() != P2mType.UNBACKED) n += e.getValue();
        return n;
    }

    private static <K extends Enum<K>> Map<K, Long> frozen(Class<K> k, Map<K, Long> m) {
        EnumMap<K, Long> c = new EnumMap<>(k);
        for (K key : k.getEnumConstants()) c.put(key, m.getOrDefault(key, 0L));
        return Collections.unmodifiableMap(c);
    }
}
