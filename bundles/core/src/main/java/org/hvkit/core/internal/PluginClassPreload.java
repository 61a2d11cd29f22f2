package org.hvkit.core.internal;

import java.util.Collection;
import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.wiring.BundleWiring;

/**
 * Loads every class of a plugin's bundle when its provider appears, before any hook runs.
 *
 * <p>A class is loaded (read, woven by the exit guard, defined, verified) the first time a hook
 * uses it; on a slow or loaded host that took longer than a hook's wall-clock bound, so a healthy
 * plugin could be evicted for the framework's work. Loading does not initialise, so no plugin code
 * runs here. Bounded by a class count and a time budget: a plugin bigger than that only loses the
 * head start for the rest.
 */
final class PluginClassPreload {
    static final int MAX_CLASSES = 4096;
    static final long BUDGET_NS = 5_000_000_000L;

    /** What a preload did, for the console. */
    record Result(String bundle, int loaded, int failed, long tookNs, boolean truncated) {
        String line(String provider) {
            return String.format(java.util.Locale.ROOT, "scheduler %s: %d classes of %s loaded ahead of its first hook in %.1f ms%s%s", provider, loaded, bundle,
                    tookNs / 1e6, failed > 0 ? " (" + failed + " could not be loaded: they fail when first used)" : "",
                    truncated ? " (stopped at the preload bound; the rest load on first use)" : "");
        }
    }

    private PluginClassPreload() {}

    /** Preloads the classes of the bundle that defines {@code plugin}; null outside a framework or for the core's own classes. */
    static Result of(Object plugin) {
        Bundle b = FrameworkUtil.getBundle(plugin.getClass());
        if (b == null || b == FrameworkUtil.getBundle(PluginClassPreload.class)) return null;
        BundleWiring w = b.adapt(BundleWiring.class);
        if (w == null) return null;
        long t0 = System.nanoTime();
        Collection<String> names = w.listResources("/", "*.class", BundleWiring.LISTRESOURCES_LOCAL | BundleWiring.LISTRESOURCES_RECURSE);
        ClassLoader cl = w.getClassLoader();
        int loaded = 0, failed = 0;
        boolean truncated = false;
        for (String res : names) {
            if (loaded + failed >= MAX_CLASSES || System.nanoTime() - t0 > BUDGET_NS) {
                truncated = true;
                break;
            }
            String name = res.substring(0, res.length() - ".class".length()).replace('/', '.');
            if (name.endsWith("module-info") || name.endsWith("package-info")) continue;
            try {
                Class.forName(name, false, cl);
                loaded++;
            } catch (ClassNotFoundException | LinkageError e) {
                failed++; // an optional import absent, a bad class: it fails when used, as it would have
            }
        }
        return new Result(b.getSymbolicName() + " " + b.getVersion(), loaded, failed, System.nanoTime() - t0, truncated);
    }
}
