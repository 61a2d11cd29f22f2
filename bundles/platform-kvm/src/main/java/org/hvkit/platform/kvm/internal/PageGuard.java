package org.hvkit.platform.kvm.internal;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Per-page interception on KVM by protecting the host mapping of guest RAM (kvm.md §6): KVM's MMU
 * notifiers drop the guest's mappings of a page whose host protection shrinks, and the next guest
 * access that the host mapping no longer allows comes back to the VMM instead of completing.
 *
 * <p>What each denial needs, since KVM ignores {@code PROT_EXEC} on the host mapping: writes alone
 * are caught with {@code PROT_READ} (a write exits as MMIO with its data; reads and fetches run);
 * reads or instruction fetches need {@code PROT_NONE}, which also turns every permitted read and
 * write of the page into an exit that the VMM completes ({@link #read}, {@link #write}). On this
 * project's PVM host a fetch from a {@code PROT_NONE} page is a resumable
 * {@code KVM_EXIT_INTERNAL_ERROR}; hardware KVM is expected to report {@code -EFAULT} with
 * {@code KVM_EXIT_MEMORY_FAULT} instead (see {@code docs/architecture.md}).
 *
 * <p>The hypervisor's own accesses to protected pages go through {@code /proc/self/mem}, which
 * the kernel lets a process use on its own mappings whatever their protection (FOLL_FORCE), so a
 * page the guest may not touch never faults the JVM. Thread-safe (its own monitor, taken last).
 */
final class PageGuard implements AutoCloseable {
    static final long PAGE = 4096;
    /** Denial bits, as Xen's access bits: a read, a write, an instruction fetch. */
    static final int READ = 1, WRITE = 2, EXEC = 4;

    private final MemorySegment ram;
    /** Denied bits per 4 KiB page; 0 = unprotected. */
    private final byte[] deny;
    private long protectedPages;
    private FileChannel mem;
    /** mprotect calls made (a figure). */
    long mprotects;

    PageGuard(MemorySegment ram) {
        this.ram = ram;
        this.deny = new byte[(int) (ram.byteSize() / PAGE)];
    }

    long pages() {
        return deny.length;
    }

    /** The denied bits of page {@code gfn}, 0 when the page is not guarded or not RAM. */
    synchronized int denied(long gfn) {
        return gfn >= 0 && gfn < deny.length ? deny[(int) gfn] : 0;
    }

    synchronized boolean anyProtected() {
        return protectedPages > 0;
    }

    /** The host protection that enforces {@code denied}. */
    static int hostProt(int denied) {
        if ((denied & (READ | EXEC)) != 0) return Native.PROT_NONE;
        if ((denied & WRITE) != 0) return Native.PROT_READ;
        return Native.PROT_READ | Native.PROT_WRITE;
    }

    /**
     * Denies {@code bits} on pages [first, first + count) (replacing what was denied), with one
     * mprotect per run of pages whose host protection changes.
     */
    synchronized void set(long first, long count, int bits) {
        if (first < 0 || count < 0 || first + count > deny.length) {
            throw new IllegalArgumentException("pages " + first + "+" + count + " outside the guest's " + deny.length + " pages of RAM");
        }
        int prot = hostProt(bits);
        long runStart = -1;
        for (long g = first; g <= first + count; g++) {
            boolean change = g < first + count && hostProt(deny[(int) g]) != prot;
            if (change && runStart < 0) runStart = g;
            if (!change && runStart >= 0) {
                Native.mprotect(ram.asSlice(runStart * PAGE, (g - runStart) * PAGE), prot);
                mprotects++;
                runStart = -1;
            }
        }
        for (long g = first; g < first + count; g++) {
            int old = deny[(int) g];
            if (old == 0 && bits != 0) protectedPages++;
            if (old != 0 && bits == 0) protectedPages--;
            deny[(int) g] = (byte) bits;
        }
    }

    /**
     * Gives page {@code gfn} the host protection {@code prot} without changing what is recorded as
     * denied (a page opened for one step; {@link KvmAccess#reprotect} puts it back).
     */
    synchronized void openTo(long gfn, int prot) {
        Native.mprotect(ram.asSlice(gfn * PAGE, PAGE), prot);
        mprotects++;
    }

    /** Applies page {@code gfn}'s recorded protection again (after {@link #openTo}). */
    synchronized void reapply(long gfn) {
        Native.mprotect(ram.asSlice(gfn * PAGE, PAGE), hostProt(deny[(int) gfn]));
        mprotects++;
    }

    /** Lifts every protection (a listener went away, the domain is torn down). */
    synchronized void clear() {
        if (protectedPages > 0) set(0, deny.length, 0);
    }

    /** Reads guest RAM at {@code off} into {@code dst}, whatever the guest's protection. */
    synchronized void read(long off, byte[] dst) {
        if (!covers(off, dst.length)) throw new IllegalArgumentException("read of " + dst.length + " bytes at 0x" + Long.toHexString(off) + " outside RAM");
        if (!guarded(off, dst.length)) {
            MemorySegment.copy(ram, java.lang.foreign.ValueLayout.JAVA_BYTE, off, dst, 0, dst.length);
            return;
        }
        try {
            ByteBuffer b = ByteBuffer.wrap(dst);
            while (b.hasRemaining()) if (mem().read(b, ram.address() + off + b.position()) <= 0) throw new IOException("short read");
        } catch (IOException e) {
            throw new IllegalStateException("reading guest RAM at 0x" + Long.toHexString(off) + " through /proc/self/mem: " + e.getMessage(), e);
        }
    }

    /** Writes {@code src} into guest RAM at {@code off}, whatever the guest's protection. */
    synchronized void write(long off, byte[] src) {
        if (!covers(off, src.length)) throw new IllegalArgumentException("write of " + src.length + " bytes at 0x" + Long.toHexString(off) + " outside RAM");
        if (!guarded(off, src.length)) {
            MemorySegment.copy(src, 0, ram, java.lang.foreign.ValueLayout.JAVA_BYTE, off, src.length);
            return;
        }
        try {
            ByteBuffer b = ByteBuffer.wrap(src);
            while (b.hasRemaining()) if (mem().write(b, ram.address() + off + b.position()) <= 0) throw new IOException("short write");
        } catch (IOException e) {
            throw new IllegalStateException("writing guest RAM at 0x" + Long.toHexString(off) + " through /proc/self/mem: " + e.getMessage(), e);
        }
    }

    private boolean covers(long off, long len) {
        return off >= 0 && len >= 0 && off + len <= ram.byteSize();
    }

    /** Whether any page of [off, off + len) has a protection the JVM would fault on. */
    synchronized boolean guarded(long off, long len) {
        if (protectedPages == 0 || len == 0) return false;
        for (long g = off / PAGE; g <= (off + len - 1) / PAGE; g++) if (deny[(int) g] != 0) return true;
        return false;
    }

    private FileChannel mem() throws IOException {
        if (mem == null) mem = FileChannel.open(Path.of("/proc/self/mem"), StandardOpenOption.READ, StandardOpenOption.WRITE);
        return mem;
    }

    @Override
    public synchronized void close() {
        if (mem != null) {
            try {
                mem.close();
            } catch (IOException e) {
                // nothing to do: the fd is gone either way
            }
            mem = null;
        }
    }
}
