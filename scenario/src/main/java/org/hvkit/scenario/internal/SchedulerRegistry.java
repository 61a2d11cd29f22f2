package org.hvkit.scenario.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.hvkit.api.sched.SchedulerProvider;

/**
 * Scheduler providers by {@code optName}. On a plain JVM the known schedulers are looked up by
 * class name (so this module compiles and runs before, or without, a scheduler module); inside
 * OSGi the Gogo command adds the providers of the service registry. A scenario may also name a
 * provider class directly ({@code "scheduler": "com.example.MyProvider"}).
 */
public final class SchedulerRegistry {
    /** The schedulers this kit ships, by Xen's {@code sched=} name. */
    public static final Map<String, String> KNOWN = Map.of(
            "credit", "org.hvkit.sched.credit1.internal.Credit1Provider",
            "credit2", "org.hvkit.sched.credit2.internal.Credit2Provider");
    /** The core's built-in round robin: always there, needs no provider. */
    public static final String BUILT_IN = "rr-fallback";

    private final List<SchedulerProvider> registered = new CopyOnWriteArrayList<>();
    private final boolean reflective;

    public SchedulerRegistry(boolean reflective) {
        this.reflective = reflective;
    }

    /** A registry that finds the shipped schedulers on the class path. */
    public static SchedulerRegistry classPath() {
        return new SchedulerRegistry(true);
    }

    public void add(SchedulerProvider p) {
        registered.add(p);
    }

    public void remove(SchedulerProvider p) {
        registered.remove(p);
    }

    /** True when {@code name} can be resolved (the built-in always can). */
    public boolean available(String name) {
        try {
            return BUILT_IN.equals(name) || find(name) != null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * The provider for {@code name}, or null for the core's built-in.
     *
     * @throws IllegalArgumentException naming what is available
     */
    public SchedulerProvider find(String name) {
        if (BUILT_IN.equals(name)) return null;
        for (SchedulerProvider p : registered) if (p.optName().equals(name)) return p;
        if (reflective) {
            String cls = KNOWN.getOrDefault(name, name.contains(".") ? name : null);
            if (cls != null) {
                try {
                    Object o = Class.forName(cls, true, SchedulerRegistry.class.getClassLoader()).getDeclaredConstructor().newInstance();
                    if (o instanceof SchedulerProvider p) return p;
                    throw new IllegalArgumentException(cls + " is not a " + SchedulerProvider.class.getName());
                } catch (ClassNotFoundException e) {
                    // fall through to the message below
                } catch (ReflectiveOperationException e) {
                    throw new IllegalArgumentException("scheduler " + name + ": cannot instantiate " + cls + ": " + e, e);
                }
            }
        }
        throw new IllegalArgumentException("scheduler \"" + name + "\" is not available (have: " + String.join(", ", names()) + ")");
    }

    /** What can be resolved now. */
    public List<String> names() {
        Map<String, Boolean> n = new LinkedHashMap<>();
        for (SchedulerProvider p : registered) n.put(p.optName(), true);
        if (reflective) {
            for (var e : KNOWN.entrySet()) {
                try {
                    Class.forName(e.getValue(), false, SchedulerRegistry.class.getClassLoader());
                    n.put(e.getKey(), true);
                } catch (ClassNotFoundException | LinkageError ignored) {
                    // not on the class path
                }
            }
        }
        n.put(BUILT_IN, true);
        return List.copyOf(n.keySet());
    }
}
