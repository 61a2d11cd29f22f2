package org.hvkit.platform.kvm.internal;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.Optional;

/**
 * The few libc calls the KVM platform needs, as FFM downcalls. Every call that can fail captures
 * errno into a per-thread segment. No call is linked {@code critical}: {@code KVM_RUN} may stay in
 * the kernel for a whole slice and must not hold off safepoints.
 */
final class Native {
    static final int O_RDWR = 2, O_CLOEXEC = 0x80000;
    static final int PROT_NONE = 0, PROT_READ = 1, PROT_WRITE = 2;
    static final int MAP_SHARED = 1, MAP_PRIVATE = 2, MAP_FIXED = 0x10, MAP_ANONYMOUS = 0x20, MAP_NORESERVE = 0x4000, MAP_HUGETLB = 0x40000;
    /** MAP_HUGETLB with 1 GiB pages (log2 of the size in bits 26-31). */
    static final int MAP_HUGE_1GB = 30 << 26;
    static final int MADV_HUGEPAGE = 14, MADV_POPULATE_WRITE = 23;
    static final int EINTR = 4, EAGAIN = 11;
    static final int SIG_BLOCK = 0, SIG_UNBLOCK = 1, SIG_SETMASK = 2;
    static final int CLOCK_MONOTONIC = 1, TIMER_ABSTIME = 1, SIGEV_THREAD_ID = 4;
    /** glibc's sigset_t is 1024 bits. */
    static final long SIGSET_BYTES = 128;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final MemoryLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final ThreadLocal<MemorySegment> STATE = ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(CAPTURE));

    private static final MethodHandle OPEN = capture("open", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle CLOSE = capture("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle IOCTL_L = variadic("ioctl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG));
    private static final MethodHandle IOCTL_P = variadic("ioctl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS));
    private static final MethodHandle MMAP = capture("mmap", FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG));
    private static final MethodHandle MUNMAP = capture("munmap", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle MADVISE = capture("madvise", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final MethodHandle MMAP_AT = capture("mmap", FunctionDescriptor.of(ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG));
    private static final MethodHandle MPROTECT = capture("mprotect", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    static final int MADV_DONTNEED = 4;
    private static final MethodHandle SCHED_SETAFFINITY = capture("sched_setaffinity", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS));
    private static final MethodHandle SCHED_GETAFFINITY = capture("sched_getaffinity", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS));
    private static final MethodHandle GETTID = plain("gettid", FunctionDescriptor.of(JAVA_INT));
    private static final MethodHandle GETPID = plain("getpid", FunctionDescriptor.of(JAVA_INT));
    private static final MethodHandle TGKILL = capture("tgkill", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle PTHREAD_SIGMASK = plain("pthread_sigmask", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle SIGTIMEDWAIT = capture("sigtimedwait", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS));
    private static final MethodHandle TIMER_CREATE = capture("timer_create", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle TIMER_SETTIME = capture("timer_settime", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle TIMER_DELETE = capture("timer_delete", FunctionDescriptor.of(JAVA_INT, ADDRESS));

    private Native() {}

    private static MemorySegment find(String name) {
        Optional<MemorySegment> s = LIBC.find(name);
        if (s.isEmpty()) {
            // glibc < 2.34 keeps the POSIX timers in librt
            s = SymbolLookup.libraryLookup("librt.so.1", Arena.global()).find(name);
        }
        return s.orElseThrow(() -> new UnsatisfiedLinkError("libc has no " + name));
    }

    private static MethodHandle capture(String name, FunctionDescriptor fd) {
        return LINKER.downcallHandle(find(name), fd, Linker.Option.captureCallState("errno"));
    }

    private static MethodHandle variadic(String name, FunctionDescriptor fd) {
        return LINKER.downcallHandle(find(name), fd, Linker.Option.firstVariadicArg(2), Linker.Option.captureCallState("errno"));
    }

    private static MethodHandle plain(String name, FunctionDescriptor fd) {
        return LINKER.downcallHandle(find(name), fd);
    }

    /** errno of the last captured call on this thread. */
    static int errno() {
        return (int) ERRNO.get(STATE.get(), 0L);
    }

    static RuntimeException fail(String what) {
        int e = errno();
        return new NativeException(what + ": errno " + e, e);
    }

    /** A failed system call, with its errno. */
    static final class NativeException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int errno;

        NativeException(String message, int errno) {
            super(message);
            this.errno = errno;
        }
    }

    static int open(String path, int flags) {
        try (Arena a = Arena.ofConfined()) {
            int fd = (int) OPEN.invokeExact(STATE.get(), a.allocateFrom(path), flags);
            if (fd < 0) throw fail("open " + path);
            return fd;
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    static void close(int fd) {
        try {
            int r = (int) CLOSE.invokeExact(STATE.get(), fd);
            if (r < 0) throw fail("close " + fd);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** ioctl with an integer argument; returns the result, or -1 with {@link #errno()} set. */
    static int ioctlRaw(int fd, long req, long arg) {
        try {
            return (int) IOCTL_L.invokeExact(STATE.get(), fd, req, arg);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** ioctl with a pointer argument; returns the result, or -1 with {@link #errno()} set. */
    static int ioctlRaw(int fd, long req, MemorySegment arg) {
        try {
            return (int) IOCTL_P.invokeExact(STATE.get(), fd, req, arg);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    static int ioctl(int fd, long req, long arg, String what) {
        int r = ioctlRaw(fd, req, arg);
        if (r < 0) throw fail(what);
        return r;
    }

    static int ioctl(int fd, long req, MemorySegment arg, String what) {
        int r = ioctlRaw(fd, req, arg);
        if (r < 0) throw fail(what);
        return r;
    }

    /** mmap; the segment has the mapping's size. */
    static MemorySegment mmap(long size, int prot, int flags, int fd, long offset) {
        try {
            MemorySegment p = (MemorySegment) MMAP.invokeExact(STATE.get(), MemorySegment.NULL, size, prot, flags, fd, offset);
            if (p.address() == -1L) throw fail("mmap " + size + " bytes");
            return p.reinterpret(size);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** mmap at {@code address} (with MAP_FIXED in {@code flags}: replacing what is there); the segment has the mapping's size. */
    static MemorySegment mmapAt(long address, long size, int prot, int flags, int fd, long offset) {
        try {
            MemorySegment p = (MemorySegment) MMAP_AT.invokeExact(STATE.get(), address, size, prot, flags, fd, offset);
            if (p.address() == -1L) throw fail("mmap " + size + " bytes at 0x" + Long.toHexString(address));
            return p.reinterpret(size);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** madvise; returns 0, or the errno it failed with (advice is a hint: callers decide what a failure means). */
    static int madvise(MemorySegment s, int advice) {
        try {
            int r = (int) MADVISE.invokeExact(STATE.get(), s, s.byteSize(), advice);
            return r < 0 ? errno() : 0;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    static void munmap(MemorySegment s) {
        try {
            int r = (int) MUNMAP.invokeExact(STATE.get(), s, s.byteSize());
            if (r < 0) throw fail("munmap");
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    static void mprotect(MemorySegment s, int prot) {
        try {
            int r = (int) MPROTECT.invokeExact(STATE.get(), s, s.byteSize(), prot);
            if (r < 0) throw fail("mprotect");
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Pins the calling thread to one host CPU. */
    static void pinToCpu(int hostCpu) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment set = a.allocate(128);
            set.set(JAVA_LONG, (hostCpu / 64) * 8L, 1L << (hostCpu % 64));
            int r = (int) SCHED_SETAFFINITY.invokeExact(STATE.get(), 0, 128L, set);
            if (r < 0) throw fail("sched_setaffinity cpu " + hostCpu);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** The host CPUs this process may run on. */
    static java.util.BitSet allowedCpus() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment set = a.allocate(128);
            int r = (int) SCHED_GETAFFINITY.invokeExact(STATE.get(), 0, 128L, set);
            if (r < 0) throw fail("sched_getaffinity");
            return java.util.BitSet.valueOf(set.toArray(JAVA_LONG));
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    static int gettid() {
        try {
            return (int) GETTID.invokeExact();
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    static int getpid() {
        try {
            return (int) GETPID.invokeExact();
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Sends {@code sig} to one thread; false when the thread is gone (ESRCH). */
    static boolean tgkill(int pid, int tid, int sig) {
        try {
            return (int) TGKILL.invokeExact(STATE.get(), pid, tid, sig) == 0;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** A sigset_t holding just {@code sig}. */
    static MemorySegment sigset(Arena a, int sig) {
        MemorySegment s = a.allocate(SIGSET_BYTES);
        s.set(JAVA_LONG, 0, 1L << (sig - 1));
        return s;
    }

    /**
     * Blocks {@code sig} in the calling thread and returns the first 64 bits of the signal mask it
     * had before (the mask {@code KVM_RUN} should run with, minus {@code sig}).
     */
    static long blockSignal(int sig) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment old = a.allocate(SIGSET_BYTES);
            int r = (int) PTHREAD_SIGMASK.invokeExact(SIG_BLOCK, sigset(a, sig), old);
            if (r != 0) throw new NativeException("pthread_sigmask: " + r, r);
            return old.get(JAVA_LONG, 0) & ~(1L << (sig - 1));
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Unblocks {@code sig} in the calling thread. */
    static void unblockSignal(int sig) {
        try (Arena a = Arena.ofConfined()) {
            int r = (int) PTHREAD_SIGMASK.invokeExact(SIG_UNBLOCK, sigset(a, sig), MemorySegment.NULL);
            if (r != 0) throw new NativeException("pthread_sigmask: " + r, r);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Takes pending instances of {@code sig} off the calling thread without waiting; returns how many. */
    static int drainSignal(MemorySegment set, MemorySegment zeroTimespec) {
        int n = 0;
        try {
            while ((int) SIGTIMEDWAIT.invokeExact(STATE.get(), set, MemorySegment.NULL, zeroTimespec) > 0) n++;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
        return n;
    }

    /** A POSIX timer on CLOCK_MONOTONIC that sends {@code sig} to thread {@code tid}; returns the timer_t. */
    static MemorySegment timerCreate(int sig, int tid) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment ev = a.allocate(64);
            ev.set(JAVA_INT, 8, sig);
            ev.set(JAVA_INT, 12, SIGEV_THREAD_ID);
            ev.set(JAVA_INT, 16, tid);
            MemorySegment out = a.allocate(8);
            int r = (int) TIMER_CREATE.invokeExact(STATE.get(), CLOCK_MONOTONIC, ev, out);
            if (r < 0) throw fail("timer_create");
            return MemorySegment.ofAddress(out.get(JAVA_LONG, 0));
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /**
     * Arms {@code timer} at the absolute CLOCK_MONOTONIC time {@code deadlineNs} (0 disarms).
     * {@code spec} is a 32-byte itimerspec scratch segment of the caller.
     */
    static void timerSetAbs(MemorySegment timer, long deadlineNs, MemorySegment spec) {
        spec.set(JAVA_LONG, 0, 0);
        spec.set(JAVA_LONG, 8, 0);
        spec.set(JAVA_LONG, 16, deadlineNs / 1_000_000_000L);
        spec.set(JAVA_LONG, 24, deadlineNs % 1_000_000_000L);
        try {
            int r = (int) TIMER_SETTIME.invokeExact(STATE.get(), timer, deadlineNs == 0 ? 0 : TIMER_ABSTIME, spec, MemorySegment.NULL);
            if (r < 0) throw fail("timer_settime");
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    static void timerDelete(MemorySegment timer) {
        try {
            int r = (int) TIMER_DELETE.invokeExact(STATE.get(), timer);
            if (r < 0) throw fail("timer_delete");
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }
}
