package org.hvkit.api.xsm;

import java.util.concurrent.Callable;

/**
 * The subject of the operations a thread performs: a toolstack that serves other users (the xl
 * socket) binds each request's subject around the work; everything else is {@link Subject#DOMAIN0}.
 * A scoped value, so it ends with the call and cannot leak into a later request.
 */
public final class Caller {
    private static final ScopedValue<Subject> CURRENT = ScopedValue.newInstance();

    private Caller() {
    }

    /** The bound subject, else {@link Subject#DOMAIN0}. */
    public static Subject current() {
        return CURRENT.orElse(Subject.DOMAIN0);
    }

    /** Runs {@code task} as {@code subject}. */
    public static <T> T call(Subject subject, Callable<T> task) throws Exception {
        return ScopedValue.where(CURRENT, subject).call(task::call);
    }

    /** Runs {@code task} as {@code subject}. */
    public static void run(Subject subject, Runnable task) {
        ScopedValue.where(CURRENT, subject).run(task);
    }
}
