package org.hvkit.guard.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.osgi.framework.Bundle;
import org.osgi.framework.launch.Framework;

/**
 * Lifecycle calls on the system bundle or the guard are refused, on any other bundle they go
 * through. The bundles here are proxies that record what reaches them; the real framework case is
 * ExitGuardIT's.
 */
class LifecycleWeaverTest {
    private static final String CALLS = WeavingLoader.FIXTURES + "LifecycleCalls";

    /** A bundle that answers its id and name and records every other call. */
    private static <T> T bundle(Class<T> type, long id, String bsn, List<String> calls) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (p, m, a) -> switch (m.getName()) {
            case "getBundleId" -> id;
            case "getSymbolicName" -> bsn;
            case "toString" -> bsn + " [" + id + "]";
            default -> {
                calls.add(m.getName() + (a == null ? "" : "/" + a.length));
                yield null;
            }
        }));
    }

    private static Throwable call(String method, Object target) throws Exception {
        Class<?> c = new WeavingLoader().loadClass(CALLS);
        for (Method m : c.getMethods()) {
            if (!m.getName().equals(method)) continue;
            try {
                m.invoke(null, target);
                return null;
            } catch (InvocationTargetException e) {
                return e.getCause();
            }
        }
        throw new AssertionError("no method " + method);
    }

    @ParameterizedTest(name = "{0} on bundle {1} ({2})")
    @CsvSource({
        "stop,          0, org.apache.felix.framework, Bundle.stop",
        "stopTransient, 0, org.apache.felix.framework, Bundle.stop",
        "update,        0, org.apache.felix.framework, Bundle.update",
        "uninstall,     7, org.hvkit.guard,            Bundle.uninstall",
        "stop,          7, org.hvkit.guard,            Bundle.stop",
    })
    void onTheSystemBundleOrTheGuardItIsRefused(String method, long id, String bsn, String label) throws Exception {
        List<String> reached = new ArrayList<>();
        Throwable t = call(method, bundle(Bundle.class, id, bsn, reached));
        assertInstanceOf(SecurityException.class, t);
        assertEquals("hvkit guard: refused " + label + " of " + bsn + " [" + id + "]" + WeavingLoader.WHERE, t.getMessage());
        assertTrue(reached.isEmpty(), "nothing reached the bundle: " + reached);
    }

    @ParameterizedTest(name = "{0} on another bundle goes through")
    @CsvSource({"stop, stop", "stopTransient, stop/1", "update, update", "uninstall, uninstall"})
    void onAnyOtherBundleItGoesThrough(String method, String expected) throws Exception {
        List<String> reached = new ArrayList<>();
        assertEquals(null, call(method, bundle(Bundle.class, 12, "org.example.plugin", reached)));
        assertEquals(List.of(expected), reached);
    }

    @ParameterizedTest(name = "Framework.stop on bundle {0}")
    @CsvSource({"0, true", "12, false"})
    void theFrameworkTypeIsCoveredToo(long id, boolean refused) throws Exception {
        List<String> reached = new ArrayList<>();
        Throwable t = call("stopFramework", bundle(Framework.class, id, "org.apache.felix.framework", reached));
        assertEquals(refused, t instanceof SecurityException, String.valueOf(t));
        assertEquals(refused ? List.of() : List.of("stop"), reached);
    }
}
