package org.hvkit.platform.kvm.internal;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.hvkit.api.domain.ShutdownReason;
import org.hvkit.api.platform.GuestVcpu;
import org.hvkit.api.platform.VcpuPort;
import org.hvkit.api.timer.HvTimer;

/**
 * One KVM vCPU: its fd, its {@code kvm_run} mapping, its one-shot guest timer, and the handling of
 * its exits. Every field but {@link #inRun} and {@link #dead} is touched in machine context only.
 *
 * <p>A vCPU is entered by whichever carrier the core dispatched it on ({@link #owner}); the owner
 * keeps it until it has handled the exit, even when the core meanwhile took the vCPU off that
 * pCPU, so no two carriers ever use one vCPU fd or {@code kvm_run} at once.
 */
final class KvmVcpu implements GuestVcpu {
    /** What the carrier does after an exit. */
    static final int CONTINUE = 0, RESCHEDULE = 1;

    final KvmGuest guest;
    final int id;
    final VcpuPort port;
    private final Arena arena = Arena.ofShared();
    final int fd;
    /** struct kvm_run. */
    final MemorySegment run;
    private final MemorySegment regs;
    private final HvTimer timer;
    final int tscKhz;

    /** Inside KVM_RUN (or about to enter it); destroy waits until this is false. */
    volatile boolean inRun;
    /** Destroyed: no carrier may touch fd or run any more. */
    volatile boolean dead;
    /** The carrier that entered it last and has not finished handling its exit; machine context. */
    Carrier owner;
    /** Waiting in BLOCK or HLT for its timer. */
    private boolean blocked;
    /** The timer fired while the vCPU was not blocked: the next BLOCK returns at once. */
    private boolean eventPending;
    private boolean closed;
    /** An access held for the memory-access listener: none, an MMIO exit not completed, a fetch. */
    private static final int HELD_NONE = 0, HELD_MMIO = 1, HELD_EXEC = 2;
    private int heldKind;
    private long heldGpa, heldGla;
    private int heldLen, heldBits;
    private boolean heldWrite;
    /** Paused by a violation until the listener answers (not a guest block: the timer does not end it). */
    private boolean accessPaused;
    /**
     * The carrier's brief wait for the listener's answer, outside the machine lock (AnswerSpin):
     * an answer that comes within it is carried out on the carrier itself, with no park and wake.
     */
    private final AnswerSpin answer = new AnswerSpin();
    /** A page opened for one fetch (COMPLETE_ONCE), closed again at this vCPU's next exit, or -1. */
    private long reopenGfn = -1;
    /** Platform time of the first exit (a figure: create to first instruction). */
    long firstExitNs = -1;
    long exits;

    KvmVcpu(KvmGuest guest, int id, VcpuPort port, long entry) {
        this.guest = guest;
        this.id = id;
        this.port = port;
        KvmPlatform pf = guest.platform;
        int f = -1;
        MemorySegment r = null;
        try {
            f = Native.ioctl(guest.vmFd, Kvm.CREATE_VCPU, id, "KVM_CREATE_VCPU");
            r = Native.mmap(pf.kvm().vcpuMmapSize, Native.PROT_READ | Native.PROT_WRITE, Native.MAP_SHARED, f, 0);
            regs = arena.allocate(Kvm.SREGS_SIZE);
            Native.ioctl(f, Kvm.SET_CPUID2, guest.cpuidFor(id), "KVM_SET_CPUID2");
            MemorySegment mask = arena.allocate(12);
            mask.set(JAVA_INT, 0, 8);
            mask.set(JAVA_LONG.withByteAlignment(4), 4, pf.runSignalMask());
            Native.ioctl(f, Kvm.SET_SIGNAL_MASK, mask, "KVM_SET_SIGNAL_MASK");
            setupLongMode(f, entry);
            int khz = Native.ioctlRaw(f, Kvm.GET_TSC_KHZ, 0);
            // KVM_GET_TSC_KHZ can fail on old kernels: fall back to the nominal host clock (never 0: guests divide by it)
            tscKhz = khz > 0 ? khz : Math.max(pf.cpuModel().mhz(), 1000) * 1000;
        } catch (RuntimeException e) {
            if (r != null) Native.munmap(r);
            if (f >= 0) Native.close(f);
            arena.close();
            throw e;
        }
        fd = f;
        run = r;
        timer = pf.timers().createTimer(port.vcpuId() % pf.topology().nrCpus(), this::timerFired);
    }

    private static void segment(MemorySegment s, long off, long base, int limit, int sel, int type, int dpl, int db, int sys, int l, int g) {
        s.set(JAVA_LONG, off, base);
        s.set(JAVA_INT, off + 8, limit);
        s.set(JAVA_SHORT, off + 12, (short) sel);
        s.set(JAVA_BYTE, off + 14, (byte) type);
        s.set(JAVA_BYTE, off + 15, (byte) 1); // present
        s.set(JAVA_BYTE, off + 16, (byte) dpl);
        s.set(JAVA_BYTE, off + 17, (byte) db);
        s.set(JAVA_BYTE, off + 18, (byte) sys);
        s.set(JAVA_BYTE, off + 19, (byte) l);
        s.set(JAVA_BYTE, off + 20, (byte) g);
        s.set(JAVA_BYTE, off + 21, (byte) 0);
        s.set(JAVA_BYTE, off + 22, (byte) 0); // usable
    }

    /** 64-bit long mode, CPL 0, paging on, at the kernel entry (guest ABI v1). */
    private void setupLongMode(int f, long entry) {
        MemorySegment s = regs;
        Native.ioctl(f, Kvm.GET_SREGS, s, "KVM_GET_SREGS");
        segment(s, 0, 0, 0xFFFFFFFF, GuestAbi.SEL_KCODE, 0xB, 0, 0, 1, 1, 1); // cs
        for (long off : new long[] {24, 48, 72, 96, 120}) segment(s, off, 0, 0xFFFFFFFF, GuestAbi.SEL_KDATA, 0x3, 0, 1, 1, 0, 1); // ds es fs gs ss
        segment(s, 144, GuestAbi.TSS, 0x67, GuestAbi.SEL_TSS, 0xB, 0, 0, 0, 0, 0); // tr: busy 64-bit TSS
        s.set(JAVA_LONG, 192, GuestAbi.GDT);
        s.set(JAVA_SHORT, 200, (short) 0x37);
        s.set(JAVA_LONG, 208, 0);
        s.set(JAVA_SHORT, 216, (short) 0); // no IDT until the kernel loads one: a fault before is a triple fault
        s.set(JAVA_LONG, 224, 0x80000033L); // cr0: PG NE ET MP PE
        s.set(JAVA_LONG, 240, GuestAbi.PML4); // cr3
        s.set(JAVA_LONG, 248, 0x20L); // cr4: PAE
        s.set(JAVA_LONG, 264, 0x501L); // efer: LMA LME SCE
        Native.ioctl(f, Kvm.SET_SREGS, s, "KVM_SET_SREGS");
        MemorySegment r = regs.asSlice(0, Kvm.REGS_SIZE);
        r.fill((byte) 0);
        r.set(JAVA_LONG, Kvm.REGS_RIP, entry);
        r.set(JAVA_LONG, Kvm.REGS_RFLAGS, 0x2);
        r.set(JAVA_LONG, Kvm.REGS_RSP, GuestAbi.KERNEL_STACK_TOP - (long) id * GuestAbi.KERNEL_STACK_PER_VCPU);
        r.set(JAVA_LONG, Kvm.REGS_RDI, GuestAbi.CMDLINE);
        r.set(JAVA_LONG, Kvm.REGS_RSI, guest.memory.ramBytes());
        r.set(JAVA_LONG, 24, id); // rdx
        Native.ioctl(f, Kvm.SET_REGS, r, "KVM_SET_REGS");
    }

    @Override
    public VcpuPort port() {
        return port;
    }

    @Override
    public boolean wantsToRun() {
        return !blocked && !accessPaused;
    }

    // ------------------------------------------------------------------ timer and blocking

    private void timerFired(long now) {
        if (dead) return;
        if (blocked) {
            blocked = false;
            port.wake();
        } else {
            eventPending = true;
        }
    }

    /** BLOCK / HLT: wait for the timer unless it already fired. */
    private int block() {
        if (eventPending) {
            eventPending = false;
            return CONTINUE;
        }
        blocked = true;
        port.block();
        return RESCHEDULE;
    }

    // ------------------------------------------------------------------ exits

    /** Handles the exit KVM_RUN just returned. Machine context, by the owning carrier. */
    int handleExit() {
        exits++;
        if (firstExitNs < 0) firstExitNs = guest.platform.timers().now();
        int reason = run.get(JAVA_INT, Kvm.RUN_EXIT_REASON);
        guest.access.flushNote();
        if (reopenGfn >= 0) {
            guest.access.guard().reapply(reopenGfn);
            reopenGfn = -1;
        }
        return switch (reason) {
            case Kvm.EXIT_IO -> pio();
            case Kvm.EXIT_MMIO -> mmio();
            case Kvm.EXIT_HLT -> block();
            case Kvm.EXIT_SHUTDOWN -> crash("triple fault (KVM_EXIT_SHUTDOWN)");
            case Kvm.EXIT_INTERNAL_ERROR -> run.get(JAVA_INT, Kvm.RUN_INTERNAL_SUBERROR) == 1 && execFault() ? execResult : crash("KVM internal error, suberror " + run.get(JAVA_INT, Kvm.RUN_INTERNAL_SUBERROR)
                    + (run.get(JAVA_INT, Kvm.RUN_INTERNAL_SUBERROR) == 1 ? " (emulation failure)" : ""));
            case Kvm.EXIT_FAIL_ENTRY -> crash("VM entry failed, hardware reason 0x" + Long.toHexString(run.get(JAVA_LONG, Kvm.RUN_FAIL_ENTRY_REASON)));
            case Kvm.EXIT_DEBUG -> stepped();
            case Kvm.EXIT_SYSTEM_EVENT -> systemEvent(run.get(JAVA_INT, Kvm.RUN_SYSTEM_EVENT_TYPE));
            default -> crash("unexpected KVM exit reason " + reason);
        };
    }

    private int systemEvent(int type) {
        return switch (type) {
            case 1 -> shutdown(ShutdownReason.POWEROFF, "system event: shutdown");
            case 2 -> shutdown(ShutdownReason.REBOOT, "system event: reset");
            default -> crash("system event " + type);
        };
    }

    private int crash(String what) {
        String where = "";
        try {
            MemorySegment r = regs.asSlice(0, Kvm.REGS_SIZE);
            if (Native.ioctlRaw(fd, Kvm.GET_REGS, r) == 0) where = " at rip 0x" + Long.toHexString(r.get(JAVA_LONG, Kvm.REGS_RIP));
        } catch (RuntimeException e) {
            // the reason is enough
        }
        guest.crash("vcpu " + id + ": " + what + where);
        return RESCHEDULE;
    }

    private int shutdown(ShutdownReason reason, String detail) {
        guest.events.shutdown(reason, detail);
        return RESCHEDULE;
    }

    private int pio() {
        int out = run.get(JAVA_BYTE, Kvm.RUN_IO_DIRECTION);
        int size = run.get(JAVA_BYTE, Kvm.RUN_IO_SIZE);
        int portNr = Short.toUnsignedInt(run.get(JAVA_SHORT, Kvm.RUN_IO_PORT));
        int count = run.get(JAVA_INT, Kvm.RUN_IO_COUNT);
        long off = run.get(JAVA_LONG, Kvm.RUN_IO_DATA_OFFSET);
        long bytes = (long) size * count;
        if (off < 0 || off + bytes > run.byteSize()) return crash("malformed I/O exit");
        if (out == 1) {
            if (portNr == GuestAbi.PORT_CONSOLE || portNr == GuestAbi.PORT_COM1) {
                byte[] b = new byte[count];
                for (int i = 0; i < count; i++) b[i] = run.get(JAVA_BYTE, off + (long) i * size);
                guest.console(b, 0, count);
            } else {
                guest.strayPio++;
            }
        } else {
            run.asSlice(off, bytes).fill((byte) 0xFF);
            guest.strayPio++;
        }
        return CONTINUE;
    }

    private int mmio() {
        long gpa = run.get(JAVA_LONG, Kvm.RUN_MMIO_PHYS);
        int len = run.get(JAVA_INT, Kvm.RUN_MMIO_LEN);
        boolean write = run.get(JAVA_BYTE, Kvm.RUN_MMIO_IS_WRITE) != 0;
        if (len < 1 || len > 8) len = 8;
        long off = gpa - GuestAbi.HC_BASE;
        if (guest.access.isRam(gpa)) return ramAccess(gpa, len, write);
        if (KvmPci.inWindow(gpa)) return pciAccess(gpa, len, write);
        if (off < 0 || off >= GuestAbi.HC_SIZE) {
            guest.strayMmio++;
            if (!write) writeData(-1L, len);
            return CONTINUE;
        }
        if (write) {
            long v = 0;
            for (int i = len - 1; i >= 0; i--) v = (v << 8) | (run.get(JAVA_BYTE, Kvm.RUN_MMIO_DATA + i) & 0xFF);
            return hypercall(off, v);
        }
        writeData(read(off), len);
        return CONTINUE;
    }

    /** An access to the PCI window: to the device whose BAR is there (KvmPci), with the exit's own size. */
    private int pciAccess(long gpa, int len, boolean write) {
        int n = run.get(JAVA_INT, Kvm.RUN_MMIO_LEN);
        if (write) {
            long v = 0;
            for (int i = len - 1; i >= 0; i--) v = (v << 8) | (run.get(JAVA_BYTE, Kvm.RUN_MMIO_DATA + i) & 0xFF);
            guest.pci.write(gpa, n, v);
        } else {
            writeData(guest.pci.read(gpa, n), len);
        }
        return CONTINUE;
    }

    // ------------------------------------------------------------------ memory access (kvm.md §6)

    /** A guest access to RAM that its page protection stopped (an MMIO exit into RAM). */
    private int ramAccess(long gpa, int len, boolean write) {
        int bits = write ? org.hvkit.api.p2m.P2mAccess.WRITE : org.hvkit.api.p2m.P2mAccess.READ;
        return settle(guest.access.check(this, gpa, bits, -1), HELD_MMIO, gpa, len, write, bits, -1);
    }

    private int execResult;

    /**
     * An emulation failure that is a fetch from a no-access page (PVM's resumable exec fault):
     * true with {@link #execResult} set when it was one, false when it is a real failure.
     */
    private boolean execFault() {
        long rip = rip();
        if (rip < 0) return false;
        // the instruction may start in one page and run into the next
        for (long la : new long[] {rip, rip + 15}) {
            long gpa = translate(la);
            if (gpa < 0 || !guest.access.isRam(gpa) || !guest.access.fetchBlocked(gpa >>> 12)) continue;
            long gfn = gpa >>> 12;
            guest.access.execFaults++;
            if (guest.p2mPermits(gfn, org.hvkit.api.p2m.P2mAccess.EXEC)) {
                guest.access.allowExecOnly(gfn);
                execResult = CONTINUE;
            } else {
                execResult = settle(guest.access.check(this, gpa, org.hvkit.api.p2m.P2mAccess.EXEC, la), HELD_EXEC, gpa, 0, false,
                        org.hvkit.api.p2m.P2mAccess.EXEC, la);
            }
            return true;
        }
        return false;
    }

    /** Single-stepping a fetch let through once, with its page opened. */
    private static final int STEP_NONE = 0, STEP_THROUGH = 2;
    private int stepState;
    private long stepGfn = -1;
    /**
     * Whether KVM_SET_GUEST_DEBUG single-step works here (false once it failed). Not on PVM:
     * measured, the ioctl succeeds but the step's #DB is delivered into the guest (a triple fault
     * in a guest without an IDT) instead of a KVM_EXIT_DEBUG.
     */
    private static volatile boolean stepWorks = !Kvm.isPvm();

    /**
     * Lets the held fetch through once: the page is opened and the vCPU single-stepped, then the
     * page closed again at the debug exit; without single-step the page stays open until the vCPU's
     * next exit, whatever the guest runs from it meanwhile.
     */
    private void passOnce() {
        long gfn = heldGpa >>> 12;
        heldKind = HELD_NONE;
        if (!guest.access.fetchBlocked(gfn)) return;
        if (!beginStep(gfn, STEP_THROUGH, PageGuard.OPEN)) {
            guest.access.openOnce(gfn);
            reopenGfn = gfn;
        }
    }

    private boolean beginStep(long gfn, int state, int cls) {
        if (!stepWorks) {
            if (!stepRefusedSaid) {
                stepRefusedSaid = true;
                guest.events.log("mem-access: no single-step on this host (PVM delivers the step's #DB into the guest): a fetch let through once opens its page until the vCPU's next exit");
            }
            return false;
        }
        if (!setSingleStep(true)) {
            stepWorks = false;
            guest.events.log("mem-access: KVM_SET_GUEST_DEBUG single-step is not available here: an access let through once opens its page until the vCPU's next exit");
            return false;
        }
        guest.access.guard().openTo(gfn, cls);
        stepGfn = gfn;
        stepState = state;
        return true;
    }

    private void endStep() {
        setSingleStep(false);
        guest.access.guard().reapply(stepGfn);
        stepState = STEP_NONE;
        stepGfn = -1;
    }

    /** The single step finished: the fetch let through once is done, its page closes again. */
    private int stepped() {
        if (stepState != STEP_NONE) endStep();
        return CONTINUE;
    }

    private boolean stepRefusedSaid;

    private boolean setSingleStep(boolean on) {
        MemorySegment d = regs.asSlice(0, 72);
        d.fill((byte) 0);
        d.set(JAVA_INT, 0, on ? Kvm.GUESTDBG_ENABLE | Kvm.GUESTDBG_SINGLESTEP : 0);
        return Native.ioctlRaw(fd, Kvm.SET_GUEST_DEBUG, d) == 0;
    }

    /** Carries out what the handler decided for a stopped access. */
    private int settle(org.hvkit.api.memaccess.Verdict v, int kind, long gpa, int len, boolean write, int bits, long gla) {
        heldKind = kind;
        heldGpa = gpa;
        heldLen = len;
        heldWrite = write;
        heldBits = bits;
        heldGla = gla;
        return switch (v) {
            case CONTINUE -> {
                completeHeld(true);
                yield CONTINUE;
            }
            case PAUSE -> {
                accessPaused = true;
                yield awaitAnswer();
            }
            case CRASHED -> {
                heldKind = HELD_NONE;
                yield RESCHEDULE;
            }
        };
    }

    /**
     * Carries out the held access: an MMIO exit's read or write through the hypervisor's view (so
     * its effect is the guest's own); a fetch needs nothing but entering again, except when it is
     * let through once (the page is opened until this vCPU's next exit).
     */
    private void completeHeld(boolean once) {
        if (heldKind == HELD_MMIO) {
            if (heldWrite) {
                byte[] b = new byte[heldLen];
                for (int i = 0; i < heldLen; i++) b[i] = run.get(JAVA_BYTE, Kvm.RUN_MMIO_DATA + i);
                guest.access.guard().write(heldGpa, b);
            } else {
                byte[] b = new byte[heldLen];
                guest.access.guard().read(heldGpa, b);
                for (int i = 0; i < heldLen; i++) run.set(JAVA_BYTE, Kvm.RUN_MMIO_DATA + i, b[i]);
            }
        } else if (heldKind == HELD_EXEC && once) {
            passOnce();
        }
        heldKind = HELD_NONE;
    }

    /**
     * The listener answered (AccessEnforcement.resume). With {@code completeOnce} the access is
     * carried out whatever the page's access; else it is tried again against the p2m, which may be
     * a new violation (as a Xen vCPU re-executing its access faults again). Machine context.
     */
    void resumeHeld(boolean completeOnce) {
        if (!accessPaused || dead) return;
        if (answer.offer(completeOnce)) return; // its carrier waits for this answer: it carries it out
        if (heldKind == HELD_MMIO && !completeOnce) {
            org.hvkit.api.memaccess.Verdict v = guest.access.check(this, heldGpa, heldBits, heldGla);
            if (v == org.hvkit.api.memaccess.Verdict.PAUSE) return; // held again, for the new event
            if (v == org.hvkit.api.memaccess.Verdict.CRASHED) {
                heldKind = HELD_NONE;
                return;
            }
        }
        completeHeld(completeOnce || heldKind == HELD_MMIO);
        accessPaused = false;
        port.wake();
    }

    /**
     * The answer may come from the listener while the carrier spins for it ({@link AnswerSpin}):
     * then the access is carried out here and the vCPU enters again at once, without the park of
     * this carrier and the wake-up the listener's thread would otherwise send it (the two thread
     * hand-offs that made an event cost over twice a plain exit). Else the vCPU is paused for the
     * core and the answer resumes it later ({@link #resumeHeld}). Machine context, on the carrier.
     */
    private int awaitAnswer() {
        while (true) {
            int a = answer.await(guest.platform.lock(), this);
            if (dead) {
                // destroyed while the carrier spun without the lock: its fd and kvm_run are gone
                heldKind = HELD_NONE;
                accessPaused = false;
                return RESCHEDULE;
            }
            if (a == AnswerSpin.NONE) {
                port.block();
                return RESCHEDULE;
            }
            boolean once = a == AnswerSpin.COMPLETE_ONCE;
            if (heldKind == HELD_MMIO && !once) {
                // tried again against the p2m, as resumeHeld does: a new violation is a new event to wait for
                org.hvkit.api.memaccess.Verdict v = guest.access.check(this, heldGpa, heldBits, heldGla);
                if (v == org.hvkit.api.memaccess.Verdict.PAUSE) continue;
                if (v == org.hvkit.api.memaccess.Verdict.CRASHED) {
                    heldKind = HELD_NONE;
                    accessPaused = false;
                    return RESCHEDULE;
                }
            }
            completeHeld(once || heldKind == HELD_MMIO);
            accessPaused = false;
            return CONTINUE;
        }
    }

    /** The listener's answer, handed to the carrier if it spins for it; false when it must go through resumeHeld. Any thread. */
    boolean offerAnswer(boolean completeOnce) {
        return answer.offer(completeOnce);
    }

    /** Answers caught by the carrier's spin, spins that ran out, spins the back-off skipped (figures). Machine context. */
    long[] answerSpins() {
        return new long[] {answer.caught, answer.missed, answer.skipped};
    }

    /** Whether a violation holds this vCPU (tests). */
    boolean accessPaused() {
        return accessPaused;
    }

    private long rip() {
        try {
            MemorySegment r = regs.asSlice(0, Kvm.REGS_SIZE);
            return Native.ioctlRaw(fd, Kvm.GET_REGS, r) == 0 ? r.get(JAVA_LONG, Kvm.REGS_RIP) : -1;
        } catch (RuntimeException e) {
            return -1;
        }
    }

    /** Guest-physical address of linear {@code la} by the vCPU's page tables (KVM_TRANSLATE), or -1. */
    private long translate(long la) {
        MemorySegment t = regs.asSlice(0, 24);
        t.fill((byte) 0);
        t.set(JAVA_LONG, 0, la);
        if (Native.ioctlRaw(fd, Kvm.TRANSLATE, t) != 0 || t.get(JAVA_BYTE, 16) == 0) return -1;
        return t.get(JAVA_LONG, 8);
    }

    private void writeData(long v, int len) {
        for (int i = 0; i < len; i++) run.set(JAVA_BYTE, Kvm.RUN_MMIO_DATA + i, (byte) (v >>> (8 * i)));
    }

    private long read(long off) {
        if (off == GuestAbi.HC_NOW) return guest.platform.timers().now();
        if (off == GuestAbi.HC_TSC_KHZ) return tscKhz;
        if (off == GuestAbi.HC_VCPU_ID) return id;
        if (off == GuestAbi.HC_DOMID) return guest.domid;
        if (off == GuestAbi.HC_VCPUS_ONLINE) return guest.onlineMask();
        if (off == GuestAbi.HC_BALLOON_TARGET) return guest.balloonTarget();
        if (off >= GuestAbi.HC_ARG && off < GuestAbi.HC_ARG + 8L * GuestAbi.NR_ARGS && (off & 7) == 0) return guest.args[(int) ((off - GuestAbi.HC_ARG) / 8)];
        if (off >= GuestAbi.HC_PCI_BAR && off < GuestAbi.HC_PCI_BAR + 16L * GuestAbi.NR_PCI_BARS) return guest.pci.abiRead(off);
        return -1L;
    }

    private int hypercall(long off, long v) {
        if (off >= GuestAbi.HC_REPORT && off < GuestAbi.HC_REPORT + 8L * GuestAbi.NR_REPORTS) {
            guest.events.report((int) ((off - GuestAbi.HC_REPORT) / 8), v);
            return CONTINUE;
        }
        switch ((int) off) {
            case (int) GuestAbi.HC_PUTC -> guest.console(new byte[] {(byte) v}, 0, 1);
            case (int) GuestAbi.HC_WRITE -> {
                long gpa = v & 0xFFFF_FFFF_FFFFL;
                int len = (int) Math.min(v >>> 48, 4096);
                byte[] s = guest.memory.readBytes(gpa, len);
                if (s == null) guest.strayMmio++;
                else guest.console(s, 0, len);
            }
            case (int) GuestAbi.HC_SLEEP -> {
                setTimer(guest.platform.timers().now() + Math.max(v, 0));
                return block();
            }
            case (int) GuestAbi.HC_SET_TIMER -> setTimer(v);
            case (int) GuestAbi.HC_BALLOON_HOLD -> guest.balloonHold(v);
            case (int) GuestAbi.HC_BLOCK -> {
                return block();
            }
            case (int) GuestAbi.HC_YIELD -> {
                port.yield();
                return RESCHEDULE;
            }
            case (int) GuestAbi.HC_SHUTDOWN -> {
                ShutdownReason r = switch ((int) v) {
                    case 0 -> ShutdownReason.POWEROFF;
                    case 1 -> ShutdownReason.REBOOT;
                    case 2 -> ShutdownReason.SUSPEND;
                    case 4 -> ShutdownReason.WATCHDOG;
                    default -> ShutdownReason.CRASH;
                };
                return shutdown(r, "guest requested " + r.name().toLowerCase(java.util.Locale.ROOT) + " (code " + v + ")");
            }
            default -> guest.strayMmio++;
        }
        return CONTINUE;
    }

    /** SET_TIMER: absolute platform time; 0 cancels. A new deadline forgets an event not yet consumed. */
    private void setTimer(long deadline) {
        eventPending = false;
        if (deadline == 0) timer.stop();
        else timer.set(deadline);
    }

    // ------------------------------------------------------------------ save and restore

    /** No carrier holds it: it is outside KVM_RUN and its last exit was handled. Machine context. */
    boolean quiescent() {
        return !inRun && owner == null;
    }

    /**
     * Lets KVM finish an instruction whose MMIO or port I/O exit was handled but not yet completed
     * (KVM_RUN with immediate_exit returns before running guest code), so the saved RIP is past it.
     */
    private void completePendingIo() {
        run.set(JAVA_BYTE, Kvm.RUN_IMMEDIATE_EXIT, (byte) 1);
        try {
            Native.ioctlRaw(fd, Kvm.RUN, 0); // -1 EINTR is the expected answer
        } finally {
            run.set(JAVA_BYTE, Kvm.RUN_IMMEDIATE_EXIT, (byte) 0);
        }
    }

    /** Architectural state, then the ABI's device state: the one-shot timer (relative to now), BLOCK, a pending event. */
    void save(java.io.DataOutput out, long now) throws java.io.IOException {
        completePendingIo();
        VcpuState.save(fd, out);
        out.writeLong(timer.isActive() ? Math.max(0, timer.deadline() - now) : -1);
        out.writeBoolean(blocked);
        out.writeBoolean(eventPending);
    }

    void restore(java.io.DataInput in, long now) throws java.io.IOException {
        VcpuState.restore(fd, in);
        long timerIn = in.readLong();
        boolean b = in.readBoolean(), pending = in.readBoolean();
        if (timerIn < -1) throw new java.io.IOException("vcpu " + id + ": timer " + timerIn + " ns away");
        timer.stop();
        if (timerIn >= 0) timer.set(now + timerIn);
        blocked = b;
        eventPending = pending;
    }

    // ------------------------------------------------------------------ teardown

    /** Marks the vCPU destroyed and kicks it out of KVM_RUN. Machine context. */
    void markDead() {
        dead = true;
        timer.stop();
        Carrier c = owner;
        if (c != null) c.kick();
    }

    /** Waits (holding the machine lock; the carrier needs it not to leave KVM_RUN) until no carrier is inside KVM_RUN for it. */
    void awaitOutOfRun() {
        long start = System.nanoTime();
        long lastKick = start;
        while (inRun) {
            long now = System.nanoTime();
            if (now - lastKick > 1_000_000L) {
                Carrier c = owner;
                if (c != null) c.kick();
                lastKick = now;
            }
            if (now - start > 10_000_000_000L) {
                guest.platform.log("d" + guest.domid + " vcpu " + id + " did not leave KVM_RUN within 10 s; closing its fd anyway");
                return;
            }
            Thread.onSpinWait();
        }
    }

    void close() {
        if (closed) return;
        closed = true;
        Native.munmap(run);
        Native.close(fd);
        arena.close();
    }

    @Override
    public String toString() {
        return "d" + guest.domid + "v" + id;
    }
}
