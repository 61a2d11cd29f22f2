package org.hvkit.platform.kvm.internal;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.hvkit.api.domain.ShutdownReason;
import org.hvkit.api.platform.Guest;
import org.hvkit.api.platform.GuestEvents;
import org.hvkit.api.platform.GuestSpec;
import org.hvkit.api.platform.GuestVcpu;

/**
 * One domain on KVM: a VM fd, its memory slot over the domain's {@link KvmGuestMemory}, and one
 * {@link KvmVcpu} per vCPU, entered in long mode at the image's kernel entry (guest ABI v1).
 * Created and destroyed in machine context.
 */
final class KvmGuest implements Guest {
    final KvmPlatform platform;
    /** The per-vCPU CPUID tables computed by the CPU-model policy, or null; freed with the guest. */
    private final Arena cpuidArena = Arena.ofShared();
    private final java.lang.foreign.MemorySegment[] cpuid;
    final int domid;
    final String name;
    final GuestEvents events;
    final KvmGuestMemory memory;
    final long[] args = new long[GuestAbi.NR_ARGS];
    final KvmVcpu[] vcpus;
    /** The BARs of assigned PCI devices (machine context) and the domain's RAM as DMA reaches it. */
    final KvmPci pci = new KvmPci(this);
    final KvmDmaTarget dma;
    /** Memory access enforcement: the p2m's access as page protection, violations to a handler. */
    KvmAccess access;
    /** Memory slots are being rebuilt: no carrier enters KVM_RUN for this guest meanwhile. */
    volatile boolean slotsChanging;
    int vmFd = -1;
    private boolean destroyed;
    /** Guest-physical accesses outside RAM and the hypercall window, and unknown ports (for the log). */
    long strayMmio, strayPio;

    KvmGuest(KvmPlatform platform, GuestSpec spec) {
        this.platform = platform;
        this.domid = spec.domainId();
        this.name = spec.name();
        this.events = spec.events();
        if (!(spec.memory() instanceof KvmGuestMemory m) || m.host == null) throw new IllegalArgumentException("memory of domain " + domid + " was not allocated by the KVM platform");
        this.memory = m;
        this.dma = new KvmDmaTarget(domid, m);
        if (m.sizeBytes() < GuestAbi.MIN_RAM) throw new IllegalArgumentException("memory: the kvm platform needs at least " + (GuestAbi.MIN_RAM >> 20) + " MiB per guest");
        String kernel = spec.options().get("kernel");
        if (kernel == null || kernel.isBlank()) throw new IllegalArgumentException("kernel: the kvm platform needs kernel=<hvkit guest image>");
        GuestImage image = GuestImage.load(java.nio.file.Path.of(kernel.strip()));
        String extra = spec.options().getOrDefault("extra", "");
        parseArgs(extra);
        try {
            cpuid = GuestCpuid.compute(platform.cpuidPolicy(), platform.guestCpuModel(), platform.kvm(), spec.options().get("cpuid"),
                    spec.vcpus().size(), cpuidArena, events, platform.cpuidVerbose());
        } catch (RuntimeException e) {
            cpuidArena.close();
            throw e;
        }
        vcpus = new KvmVcpu[spec.vcpus().size()];
        KvmAccess acc = null;
        try {
            vmFd = Native.ioctl(platform.kvm().fd, Kvm.CREATE_VM, 0, "KVM_CREATE_VM");
            Native.ioctlRaw(vmFd, Kvm.SET_TSS_ADDR, 0xFFFBD000L); // only used by Intel without unrestricted guest
            // the RAM the guest sees, in memory slots that follow the p2m's access (PageGuard)
            long slotSize = Math.min(m.host.byteSize(), GuestAbi.RAM_LIMIT);
            PageGuard guard = new PageGuard(vmFd, m.host, slotSize >>> 12, Math.max(1, platform.kvm().checkExtension(Kvm.CAP_NR_MEMSLOTS)), this::withVcpusOut);
            for (long t : new long[] {GuestAbi.PML4, GuestAbi.PDPT, GuestAbi.PD, GuestAbi.GDT, GuestAbi.TSS}) guard.keepReadable(t >>> 12);
            // and the kernel stacks: PVM emulates ring-0 code, and its emulator cannot pop an iretq
            // frame from a page with no slot (measured: an emulation failure)
            long stacks = GuestAbi.KERNEL_STACK_TOP - (long) spec.vcpus().size() * GuestAbi.KERNEL_STACK_PER_VCPU;
            for (long a = Math.max(0, stacks); a < GuestAbi.KERNEL_STACK_TOP; a += 4096) guard.keepReadable(a >>> 12);
            acc = new KvmAccess(this, m.p2m, guard, slotSize >>> 12);
            dma.guard(guard);
            writeBootStructures(image, extra);
            events.log("memory: " + (m.sizeBytes() >> 20) + " MiB: " + m.backing.note + "; obtained " + m.ordersSummary()
                    + " (read back with " + HostPageOrders.source() + ")");
            for (int i = 0; i < vcpus.length; i++) vcpus[i] = new KvmVcpu(this, i, spec.vcpus().get(i), image.entry());
        } catch (RuntimeException e) {
            access = acc;
            destroy();
            throw e;
        }
        access = acc;
    }

    private void parseArgs(String extra) {
        String[] words = extra.strip().isEmpty() ? new String[0] : extra.strip().split("\\s+");
        for (int i = 0; i < words.length && i < args.length; i++) {
            String w = words[i];
            int eq = w.indexOf('=');
            if (eq >= 0) w = w.substring(eq + 1);
            try {
                args[i] = parseNumber(w);
            } catch (NumberFormatException e) {
                args[i] = 0;
            }
        }
    }

    /** A decimal or 0x hex number, with an optional k/M/G (powers of 1000) or ns/us/ms/s suffix (in ns). */
    static long parseNumber(String w) {
        String s = w.toLowerCase(java.util.Locale.ROOT);
        long mul = 1;
        if (s.endsWith("ns")) s = s.substring(0, s.length() - 2);
        else if (s.endsWith("us")) { mul = 1_000; s = s.substring(0, s.length() - 2); }
        else if (s.endsWith("ms")) { mul = 1_000_000; s = s.substring(0, s.length() - 2); }
        else if (s.endsWith("s") && !s.startsWith("0x")) { mul = 1_000_000_000; s = s.substring(0, s.length() - 1); }
        else if (s.endsWith("k")) { mul = 1_000; s = s.substring(0, s.length() - 1); }
        else if (s.endsWith("m")) { mul = 1_000_000; s = s.substring(0, s.length() - 1); }
        else if (s.endsWith("g")) { mul = 1_000_000_000; s = s.substring(0, s.length() - 1); }
        long v = s.startsWith("0x") ? Long.parseUnsignedLong(s.substring(2), 16) : Long.parseLong(s);
        return v * mul;
    }

    /** Page tables, GDT, TSS, the image's segments and the command line, written into guest RAM. */
    private void writeBootStructures(GuestImage image, String extra) {
        MemorySegment low = memory.slice(0, GuestAbi.USER_BASE);
        low.fill((byte) 0);
        // identity map of the first GiB with 2 MiB pages: the first supervisor-only, the rest user
        // accessed (and, in the PD, dirty) bits preset: the walker never writes the tables, which a
        // listener may have write-protected with the rest of RAM
        low.set(JAVA_LONG, GuestAbi.PML4, GuestAbi.PDPT | 0x27);
        low.set(JAVA_LONG, GuestAbi.PDPT, GuestAbi.PD | 0x27);
        for (int i = 0; i < 512; i++) low.set(JAVA_LONG, GuestAbi.PD + i * 8L, ((long) i << 21) | (i == 0 ? 0xE3 : 0xE7));
        // GDT: null, kernel code64, kernel data, user data, user code64, 64-bit TSS (two slots)
        long g = GuestAbi.GDT;
        low.set(JAVA_LONG, g + 0x08, 0x00AF9B000000FFFFL);
        low.set(JAVA_LONG, g + 0x10, 0x00CF93000000FFFFL);
        low.set(JAVA_LONG, g + 0x18, 0x00CFF3000000FFFFL);
        low.set(JAVA_LONG, g + 0x20, 0x00AFFB000000FFFFL);
        long tss = GuestAbi.TSS;
        low.set(JAVA_LONG, g + 0x28, 0x67L | ((tss & 0xFFFFFFL) << 16) | (0x89L << 40) | (((tss >> 24) & 0xFF) << 56));
        low.set(JAVA_LONG, g + 0x30, tss >>> 32);
        // TSS: RSP0 = kernel stack top, no I/O bitmap
        low.set(JAVA_LONG.withByteAlignment(1), tss + 4, GuestAbi.KERNEL_STACK_TOP);
        low.set(JAVA_SHORT, tss + 102, (short) 104);
        MemorySegment.copy(image.kernel(), 0, low, JAVA_BYTE, GuestAbi.KERNEL_BASE, image.kernel().length);
        MemorySegment user = memory.slice(GuestAbi.USER_BASE, GuestAbi.CMDLINE + GuestAbi.CMDLINE_MAX - GuestAbi.USER_BASE);
        user.fill((byte) 0);
        MemorySegment.copy(image.user(), 0, user, JAVA_BYTE, 0, image.user().length);
        byte[] cmd = extra.getBytes(StandardCharsets.UTF_8);
        int n = (int) Math.min(cmd.length, GuestAbi.CMDLINE_MAX - 1);
        MemorySegment.copy(cmd, 0, user, JAVA_BYTE, GuestAbi.CMDLINE - GuestAbi.USER_BASE, n);
    }

    /** The toolstack's memory target (xl mem-set), bytes; the guest reads it as BALLOON_TARGET. */
    private long balloonTarget = -1;

    @Override
    public long memoryTarget(long targetBytes, long holdsBytes) {
        balloonTarget = Math.min(Math.max(targetBytes, GuestAbi.MIN_RAM), memory.ramBytes()) & ~0xFFFL;
        return holdsBytes; // the guest answers through BALLOON_HOLD when it gets to it
    }

    long balloonTarget() {
        return balloonTarget < 0 ? memory.ramBytes() : balloonTarget;
    }

    /** BALLOON_HOLD: the guest says it keeps only the first {@code bytes} of its RAM. */
    void balloonHold(long bytes) {
        long b = Math.min(Math.max(bytes, GuestAbi.MIN_RAM), memory.ramBytes()) & ~0xFFFL;
        events.memoryChanged(b);
    }

    /** VCPUS_ONLINE: bit i set while vCPU i is online (xl vcpu-set), for vCPUs 0..63. */
    long onlineMask() {
        long m = 0;
        for (int i = 0; i < Math.min(vcpus.length, 64); i++) if (vcpus[i].port().online()) m |= 1L << i;
        return m;
    }

    @Override
    public GuestVcpu vcpu(int i) {
        return vcpus[i];
    }

    // ------------------------------------------------------------------ save and restore (docs/save-format.md)

    private static final int STATE_MAGIC = 0x4B564D31; // "KVM1"
    private static final int PAGE = 4096;

    @Override
    public boolean quiescent() {
        for (KvmVcpu v : vcpus) if (!v.quiescent()) return false;
        return true;
    }

    /** "KVM1", vCPU count, RAM size; each vCPU's state; then RAM as (page number, 4 KiB) for every page that is not all zero, ended by -1. */
    @Override
    public void save(java.io.DataOutput out, long now) throws java.io.IOException {
        for (KvmVcpu v : vcpus) if (!v.quiescent()) throw new IllegalStateException("vcpu " + v.id + " is still held by its pCPU");
        out.writeInt(STATE_MAGIC);
        out.writeInt(vcpus.length);
        long size = memory.ramBytes();
        out.writeLong(size);
        for (KvmVcpu v : vcpus) v.save(out, now);
        long ram = Math.min(size, GuestAbi.RAM_LIMIT);
        MemorySegment all = memory.slice(0, ram);
        byte[] page = new byte[PAGE];
        for (long p = 0; p * PAGE < ram; p++) {
            int len = (int) Math.min(PAGE, ram - p * PAGE);
            MemorySegment src = all.asSlice(p * PAGE, len);
            MemorySegment.copy(src, JAVA_BYTE, 0, page, 0, len);
            if (allZero(page, len)) continue;
            out.writeInt((int) p);
            out.write(page, 0, len);
        }
        out.writeInt(-1);
    }

    private static boolean allZero(byte[] b, int len) {
        for (int i = 0; i < len; i++) if (b[i] != 0) return false;
        return true;
    }

    @Override
    public void restore(java.io.DataInput in, long now) throws java.io.IOException {
        beginIncoming();
        restoreState(in, now);
    }

    /** The boot structures written at creation are not the incoming guest's: cleared; the rest is fresh zero pages. */
    @Override
    public void beginIncoming() {
        long ram = Math.min(memory.ramBytes(), GuestAbi.RAM_LIMIT);
        memory.slice(0, Math.min(ram, GuestAbi.CMDLINE + GuestAbi.CMDLINE_MAX)).fill((byte) 0);
    }

    /** What {@link #save} wrote, or {@link #saveState} (its pages came before, by {@link #writePage}). */
    @Override
    public void restoreState(java.io.DataInput in, long now) throws java.io.IOException {
        if (in.readInt() != STATE_MAGIC) throw new java.io.IOException("not a KVM guest's state");
        int n = in.readInt();
        if (n != vcpus.length) throw new java.io.IOException("state of " + n + " vcpus for a domain of " + vcpus.length);
        long size = in.readLong();
        if (size != memory.ramBytes()) throw new java.io.IOException("state of " + size + " bytes of RAM for a domain of " + memory.ramBytes());
        for (KvmVcpu v : vcpus) v.restore(in, now);
        long ram = Math.min(size, GuestAbi.RAM_LIMIT);
        MemorySegment all = memory.slice(0, ram);
        byte[] page = new byte[PAGE];
        long last = -1;
        for (;;) {
            int p = in.readInt();
            if (p == -1) break;
            if (p < 0 || (long) p * PAGE >= ram || p <= last) throw new java.io.IOException("page " + p + " out of order or beyond RAM (" + ram / PAGE + " pages)");
            last = p;
            int len = (int) Math.min(PAGE, ram - (long) p * PAGE);
            in.readFully(page, 0, len);
            MemorySegment.copy(page, 0, all, JAVA_BYTE, (long) p * PAGE, len);
        }
    }

    // ------------------------------------------------------------------ live migration: pre-copy with dirty logging

    @Override
    public long migrationPages() {
        return Math.min(memory.ramBytes(), GuestAbi.RAM_LIMIT) / PAGE;
    }

    @Override
    public void logDirty(boolean on) {
        access.guard().logDirty(on);
    }

    @Override
    public void takeDirty(java.util.BitSet into) {
        access.guard().takeDirty(into);
    }

    @Override
    public boolean readPage(long page, byte[] dst) {
        return memory.copyPage(page, dst, true);
    }

    @Override
    public boolean writePage(long page, byte[] src) {
        return memory.copyPage(page, src, false);
    }

    /** {@link #save}'s record with no pages: they went in the pre-copy rounds and the stop-and-copy. */
    @Override
    public void saveState(java.io.DataOutput out, long now) throws java.io.IOException {
        for (KvmVcpu v : vcpus) if (!v.quiescent()) throw new IllegalStateException("vcpu " + v.id + " is still held by its pCPU");
        out.writeInt(STATE_MAGIC);
        out.writeInt(vcpus.length);
        out.writeLong(memory.ramBytes());
        for (KvmVcpu v : vcpus) v.save(out, now);
        out.writeInt(-1);
    }

    /** The guest crashed (triple fault, emulation failure, invalid exit): tell the core, once. */
    void crash(String detail) {
        platform.log("d" + domid + " crashed: " + detail);
        events.shutdown(ShutdownReason.CRASH, detail);
    }

    void console(byte[] b, int off, int len) {
        events.console(b, off, len);
    }

    /**
     * Runs {@code r} (memory slot changes) with every vCPU out of KVM_RUN: between deleting a slot
     * and creating its pieces a running vCPU would find its page tables or code in no slot and
     * triple-fault (measured on PVM). Kicks vCPUs in KVM_RUN and waits for them; any thread, also
     * machine context (a carrier handling an exit is not in KVM_RUN).
     */
    void withVcpusOut(Runnable r) {
        boolean outer = !slotsChanging;
        slotsChanging = true;
        try {
            for (KvmVcpu v : vcpus) {
                if (v == null || !v.inRun) continue;
                Carrier c = v.owner;
                if (c != null) c.kick();
                v.awaitOutOfRun();
            }
            r.run();
        } finally {
            if (outer) slotsChanging = false;
        }
    }

    /** Whether the p2m lets frame {@code gfn} be accessed with {@code bits}. */
    boolean p2mPermits(long gfn, int bits) {
        return memory.p2m.access(gfn).permits(bits);
    }

    boolean isDestroyed() {
        return destroyed;
    }

    /**
     * Kicks every vCPU out of KVM_RUN, waits until none is inside it, then closes the vCPU fds,
     * unmaps their kvm_run and closes the VM fd. Machine context. The memory mapping itself is
     * returned by {@link KvmGuestMemory#close}, which the core calls next.
     */
    /** The kvm_cpuid2 for vCPU {@code i}: the computed table, else what KVM supports. */
    java.lang.foreign.MemorySegment cpuidFor(int i) {
        return cpuid != null ? cpuid[i] : platform.kvm().supportedCpuid;
    }

    @Override
    public void destroy() {
        if (destroyed) return;
        destroyed = true;
        List<RuntimeException> errors = new ArrayList<>();
        try {
            if (access != null) access.destroyed();
        } catch (RuntimeException e) {
            errors.add(e);
        }
        pci.clear();
        for (KvmVcpu v : vcpus) {
            if (v != null) v.markDead();
        }
        for (KvmVcpu v : vcpus) {
            if (v == null) continue;
            try {
                v.awaitOutOfRun();
                v.close();
            } catch (RuntimeException e) {
                errors.add(e);
            }
        }
        cpuidArena.close();
        if (vmFd >= 0) {
            try {
                Native.close(vmFd);
            } catch (RuntimeException e) {
                errors.add(e);
            }
            vmFd = -1;
        }
        platform.guestGone(this);
        if (!errors.isEmpty()) platform.log("d" + domid + ": errors while tearing down: " + errors);
    }
}
