package org.hvkit.guard.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Defines the fixture classes the way the guard's hook would see them: each one's bytes go
 * through {@link ExitWeaver} first. Nothing of the fixtures package is ever loaded unwoven.
 */
final class WeavingLoader extends ClassLoader {
    static final String FIXTURES = "org.hvkit.guard.fixtures.";
    static final String WHERE = " in a test (bundle test 0.0.0, id 99): a plugin may not end the JVM";

    private final Map<String, byte[]> generated = new HashMap<>();
    final Map<String, ExitWeaver.Result> results = new HashMap<>();

    WeavingLoader() {
        super(WeavingLoader.class.getClassLoader());
    }

    /** Makes {@code name} load from these bytes (woven first) instead of the class path. */
    WeavingLoader with(String name, byte[] classFile) {
        generated.put(name, classFile);
        return this;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (!name.startsWith(FIXTURES)) return super.loadClass(name, resolve);
        synchronized (getClassLoadingLock(name)) {
            Class<?> c = findLoadedClass(name);
            if (c == null) {
                byte[] original = generated.containsKey(name) ? generated.get(name) : read(name);
                ExitWeaver.Result r = ExitWeaver.weave(original, WHERE, getParent());
                if (r != null) results.put(name, r);
                byte[] b = r == null ? original : r.bytes();
                c = defineClass(name, b, 0, b.length);
            }
            if (resolve) resolveClass(c);
            return c;
        }
    }

    /** The class file of a fixture as compiled, unwoven. */
    byte[] readFixture(String name) throws ClassNotFoundException {
        return read(name);
    }

    private byte[] read(String name) throws ClassNotFoundException {
        try (InputStream in = getParent().getResourceAsStream(name.replace('.', '/') + ".class")) {
            if (in == null) throw new ClassNotFoundException(name);
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
