package org.hvkit.core.internal;

import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.hvkit.api.platform.MachineLock;
import org.hvkit.api.platform.Platform;
import org.hvkit.api.toolstack.HypervisorException;

/**
 * Runs toolstack calls in machine context on threads of the core's own, while the caller waits.
 *
 * <p>A call can reach a scheduler hook (create, parameters, pool changes). If that hook never
 * returns, its thread is abandoned; the caller must not be that thread, or the operator's shell
 * would hang with it. So the caller waits here, and when the hook guard abandons the thread doing
 * its call, the caller gets the eviction as an error at once. An interrupted caller (Ctrl-C) stops
 * waiting; the call itself finishes in machine context, since stopping it half-way could leave
 * half a change.
 */
final class ToolstackCalls {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ToolstackCalls.class);
    private final Platform platform;
    private final MachineLock lock;
    private final AtomicInteger threads = new AtomicInteger();
    private final ExecutorService pool;
    private final Map<Thread, Call<?>> running = new ConcurrentHashMap<>();

    ToolstackCalls(Platform platform) {
        this.platform = platform;
        this.lock = platform.machineLock();
        this.pool = lock == null ? null
                : Executors.newCachedThreadPool(this::worker);
    }

    <T> T call(Callable<T> task) throws Exception {
        // without a seizable lock nothing is ever abandoned; inside machine context, run in place
        // once closed (the core is stopping: DS unbinds the schedulers after deactivate), run in place
        if (pool == null || pool.isShutdown() || lock.isHeldByCurrentThread()) return platform.call(task);
        Call<T> c = new Call<>(task);
        try {
            submit(c);
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            return platform.call(task);
        }
        try {
            return c.result.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Exception ex) throw ex;
            if (cause instanceof Error err) throw err;
            throw e;
        } catch (CancellationException e) {
            throw new HypervisorException(HypervisorException.Errno.EAGAIN, "the call was cancelled");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HypervisorException(HypervisorException.Errno.EAGAIN, "interrupted; the operation completes in the background");
        }
    }

    /** One toolstack call: its task, whether the task itself began, and the caller's answer. */
    private static final class Call<T> {
        final Callable<T> task;
        final CompletableFuture<T> result = new CompletableFuture<>();
        /** Set in machine context just before the task runs; what came before (the sim's catch-up of due events) is not the call's. */
        volatile boolean started;

        Call(Callable<T> task) {
            this.task = task;
        }
    }

    private <T> void submit(Call<T> c) {
        pool.execute(() -> {
            Thread me = Thread.currentThread();
            running.put(me, c);
            try {
                c.result.complete(platform.call(() -> {
                    c.started = true;
                    return c.task.call();
                }));
            } catch (MachineLock.Abandoned a) {
                // abandoned(me) answered the caller or passed the call on; this thread stays
                // abandoned, so it must not serve another call: ending the task with the error
                // ends the pool's worker (see worker), and the pool starts a fresh one when needed
                if (running.remove(me, c)) c.result.completeExceptionally(evicted());
                throw a;
            } catch (Throwable e) {
                c.result.completeExceptionally(e);
            } finally {
                running.remove(me, c);
            }
        });
    }

    /** A pool thread; an abandoned one ends quietly and is forgotten by the lock as it ends. */
    private Thread worker(Runnable r) {
        return Thread.ofPlatform().name("hvkit-toolstack-" + threads.incrementAndGet()).daemon()
                .uncaughtExceptionHandler((t, e) -> {
                    // only Abandoned leaves a task: every other error went to the caller
                    if (!(e instanceof MachineLock.Abandoned)) LOG.error("toolstack thread {} ended", t.getName(), e);
                })
                .unstarted(() -> {
                    try {
                        r.run();
                    } finally {
                        lock.forget(Thread.currentThread());
                    }
                });
    }

    private static HypervisorException evicted() {
        return new HypervisorException(HypervisorException.Errno.EAGAIN,
                "a scheduler hook did not return; its pool's scheduler was evicted (see xl dmesg) and this operation abandoned");
    }

    /**
     * The hook guard abandoned {@code t}. Machine context. If the stuck hook was the call's own, the
     * call fails now; if it ran before the call began (the simulated machine fires the events due
     * before a call, on the caller's thread), the call has not happened yet and goes to a fresh thread.
     */
    void abandoned(Thread t) {
        Call<?> c = running.remove(t);
        if (c == null) return;
        if (!c.started) {
            try {
                submit(c);
                return;
            } catch (java.util.concurrent.RejectedExecutionException closing) {
                // stopping: fail it below
            }
        }
        c.result.completeExceptionally(evicted());
    }

    void close() {
        if (pool != null) pool.shutdownNow();
    }
}
