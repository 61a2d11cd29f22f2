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
    private final Platform platform;
    private final MachineLock lock;
    private final AtomicInteger threads = new AtomicInteger();
    private final ExecutorService pool;
    private final Map<Thread, CompletableFuture<?>> running = new ConcurrentHashMap<>();

    ToolstackCalls(Platform platform) {
        this.platform = platform;
        this.lock = platform.machineLock();
        this.pool = lock == null ? null
                : Executors.newCachedThreadPool(r -> Thread.ofPlatform().name("hvkit-toolstack-" + threads.incrementAndGet()).daemon().unstarted(r));
    }

    <T> T call(Callable<T> task) throws Exception {
        // without a seizable lock nothing is ever abandoned; inside machine context, run in place
        // once closed (the core is stopping: DS unbinds the schedulers after deactivate), run in place
        if (pool == null || pool.isShutdown() || lock.isHeldByCurrentThread()) return platform.call(task);
        CompletableFuture<T> f = new CompletableFuture<>();
        try {
            pool.execute(() -> {
            Thread me = Thread.currentThread();
            running.put(me, f);
            try {
                f.complete(platform.call(task));
            } catch (MachineLock.Abandoned a) {
                // the caller was told when it happened
            } catch (Throwable e) {
                f.completeExceptionally(e);
            } finally {
                running.remove(me, f);
                lock.forget(me);
            }
            });
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            return platform.call(task);
        }
        try {
            return f.get();
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof Exception ex) throw ex;
            if (c instanceof Error err) throw err;
            throw e;
        } catch (CancellationException e) {
            throw new HypervisorException(HypervisorException.Errno.EAGAIN, "the call was cancelled");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HypervisorException(HypervisorException.Errno.EAGAIN, "interrupted; the operation completes in the background");
        }
    }

    /** The hook guard abandoned {@code t}: the call it ran fails now. Machine context. */
    void abandoned(Thread t) {
        CompletableFuture<?> f = running.remove(t);
        if (f != null) {
            f.completeExceptionally(new HypervisorException(HypervisorException.Errno.EAGAIN,
                    "a scheduler hook did not return; its pool's scheduler was evicted (see xl dmesg) and this operation abandoned"));
        }
    }

    void close() {
        if (pool != null) pool.shutdownNow();
    }
}
