package org.hvkit.guests;

import static org.hvkit.guests.Asm.*;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The test guests, assembled from the Java below into hvkit guest images (ABI v1). Each has a
 * tiny ring-0 stub (emulated on PVM, so kept to a handful of instructions) that drops to ring 3,
 * where the work runs natively; ring 3 talks to the hypervisor with 8-byte MMIO accesses to the
 * hypercall window. Register r15 holds the window's base in every user program.
 *
 * <p>{@code java org.hvkit.guests.Guests DIR} writes {@code DIR/<name>.hvk} for every guest.
 */
public final class Guests {
    private Guests() {}

    /** Every guest by name. */
    public static Map<String, Supplier<byte[]>> all() {
        Map<String, Supplier<byte[]>> m = new LinkedHashMap<>();
        m.put("hello", Guests::hello);
        m.put("burn", Guests::burn);
        m.put("pinger", Guests::pinger);
        m.put("cpuid", Guests::cpuid);
        m.put("hostile", Guests::hostile);
        return m;
    }

    /** Writes every guest image into {@code dir} as {@code <name>.hvk}; returns the directory. */
    public static Path writeAll(Path dir) throws IOException {
        Files.createDirectories(dir);
        for (var e : all().entrySet()) Files.write(dir.resolve(e.getKey() + ".hvk"), e.getValue().get());
        return dir;
    }

    public static void main(String[] args) throws IOException {
        Path dir = writeAll(Path.of(args.length > 0 ? args[0] : "target/guests"));
        System.out.println("wrote " + all().keySet() + " to " + dir);
    }

    // ------------------------------------------------------------------ building blocks

    /** Header + kernel + user segments. */
    static byte[] image(byte[] kernel, byte[] user, long entry) {
        int ko = 32, uo = 32 + kernel.length;
        ByteBuffer b = ByteBuffer.allocate(uo + user.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put("HVKITG01".getBytes(StandardCharsets.US_ASCII));
        b.putInt(ko).putInt(kernel.length).putInt(uo).putInt(user.length).putLong(entry);
        b.put(kernel).put(user);
        return b.array();
    }

    /**
     * The ring-0 stub: builds an iretq frame and enters the user program at {@link Abi#USER_BASE}
     * with rdi = command line, rsi = RAM size, rdx = vCPU id preserved; the user stack is
     * 64 KiB per vCPU below {@link Abi#USER_STACK_TOP}. With {@code garbagePorts} it first writes
     * junk to 64 I/O ports and reads them back (each one an emulated PIO exit).
     */
    static byte[] kernel(boolean garbagePorts) {
        return kernel(garbagePorts, false);
    }

    /**
     * The ring-0 stub: optionally junk to I/O ports, optionally XSAVE and AVX state enabled
     * (CR4.OSXSAVE, XCR0 = x87|SSE|AVX) when CPUID advertises XSAVE and AVX, then iretq to ring 3.
     */
    static byte[] kernel(boolean garbagePorts, boolean enableAvx) {
        Asm a = new Asm(Abi.KERNEL_BASE);
        a.label("entry");
        if (enableAvx) {
            a.mov(R9, RDX);
            a.movImm(RAX, 1).xor(RCX, RCX).cpuid();
            a.movImm(R10, (1L << 26) | (1L << 28)).and(R10, RCX).movImm(R11, (1L << 26) | (1L << 28)).cmp(R10, R11).jcc(NE, "noAvx");
            a.bytes(new byte[] {0x0F, 0x20, (byte) 0xE0});          // mov rax, cr4
            a.movImm(R10, 1L << 18).or(RAX, R10);                    // CR4.OSXSAVE
            a.bytes(new byte[] {0x0F, 0x22, (byte) 0xE0});          // mov cr4, rax
            a.xor(RCX, RCX).xor(RDX, RDX).movImm(RAX, 7);
            a.bytes(new byte[] {0x0F, 0x01, (byte) 0xD1});          // xsetbv: XCR0 = x87 | SSE | AVX
            a.label("noAvx");
            a.mov(RDX, R9);
        }
        if (garbagePorts) {
            a.mov(R8, RDX);
            a.movImm(RCX, 64);
            a.movImm(RDX, 0x1F0);
            a.label("ports");
            a.movImm(RAX, 0xA5);
            a.outDxAl();
            a.inAlDx();
            a.addImm(RDX, 0x1D);
            a.dec(RCX);
            a.jcc(NE, "ports");
            a.mov(RDX, R8);
        }
        a.movImm(RAX, Abi.SEL_UDATA).push(RAX);
        a.mov(RCX, RDX).shlImm(RCX, 16);
        a.movImm(RAX, Abi.USER_STACK_TOP).sub(RAX, RCX).push(RAX);
        a.movImm(RAX, 0x2).push(RAX); // rflags: IOPL 0, interrupts off
        a.movImm(RAX, Abi.SEL_UCODE).push(RAX);
        a.movImm(RAX, Abi.USER_BASE).push(RAX);
        a.iretq();
        return a.assemble();
    }

    static Asm user() {
        Asm a = new Asm(Abi.USER_BASE);
        a.movImm(R15, Abi.HC);
        return a;
    }

    /** Console write of the bytes at {@code label} (length {@code len}). */
    static void write(Asm a, String label, int len) {
        a.movLabel(RAX, label);
        a.movImm(RCX, (long) len << 48);
        a.or(RAX, RCX);
        a.store(R15, Abi.WRITE, RAX);
    }

    static byte[] build(Asm user, boolean garbagePorts) {
        return image(kernel(garbagePorts), user.assemble(), Abi.KERNEL_BASE);
    }

    // ------------------------------------------------------------------ guests

    /** Prints a greeting and its command line, then powers off. */
    public static byte[] hello() {
        Asm a = user();
        String msg = "Hello from hvkit guest on KVM (ring 3)\n";
        write(a, "msg", msg.length());
        // strlen(cmdline) in rcx, then print it on its own line
        a.mov(RBX, RDI).xor(RCX, RCX);
        a.label("len").loadByte(RAX, RBX, 0).test(RAX, RAX).jcc(E, "lenDone").inc(RBX).inc(RCX).jmp("len");
        a.label("lenDone");
        a.mov(R9, RCX);
        write(a, "pre", 7);
        a.shlImm(R9, 48).or(R9, RDI).store(R15, Abi.WRITE, R9);
        a.movImm(RAX, '\n').store(R15, Abi.PUTC, RAX);
        a.movImm(RAX, Abi.POWEROFF).store(R15, Abi.SHUTDOWN, RAX);
        a.label("spin").jmp("spin");
        a.label("msg").ascii(msg);
        a.label("pre").ascii("extra: ");
        return build(a, false);
    }

    /**
     * Spins in ring 3. arg0 = iterations per chunk (default 2^24), arg1 = chunks before power-off
     * (0 = forever), arg2 = 1 to yield after every chunk. Reports key 0 = chunks done, after every chunk;
     * key 1 = the VCPUS_ONLINE mask whenever it differs from the one this vCPU saw last (vcpu-set;
     * it looks every 16 chunks).
     * Its balloon: it uses only its first 4 MiB, so whenever BALLOON_TARGET changes it answers
     * BALLOON_HOLD with the target itself (xl mem-set). Reports key 2 = the target it last held.
     */
    public static byte[] burn() {
        Asm a = user();
        a.load(R14, R15, Abi.ARG).test(R14, R14).jcc(NE, "haveChunk").movImm(R14, 1L << 24).label("haveChunk");
        a.load(R12, R15, Abi.ARG + 8);
        a.load(R11, R15, Abi.ARG + 16);
        a.xor(R13, R13).xor(R10, R10).xor(R9, R9);
        a.label("outer").mov(RCX, R14);
        a.label("inner").dec(RCX).jcc(NE, "inner");
        a.inc(R13).store(R15, Abi.REPORT, R13);
        // the polls are exits: look only on chunks 1, 17, 33, ... so burning stays burning
        a.mov(RAX, R13).andImm(RAX, 15).cmpImm(RAX, 1).jcc(NE, "sameTarget");
        a.load(RAX, R15, Abi.VCPUS_ONLINE).cmp(RAX, R10).jcc(E, "sameOnline").mov(R10, RAX).store(R15, Abi.REPORT + 8, R10).label("sameOnline");
        a.load(RAX, R15, Abi.BALLOON_TARGET).cmp(RAX, R9).jcc(E, "sameTarget").mov(R9, RAX).store(R15, Abi.BALLOON_HOLD, R9)
                .store(R15, Abi.REPORT + 16, R9).label("sameTarget");
        a.test(R11, R11).jcc(E, "noYield").store(R15, Abi.YIELD, R11).label("noYield");
        a.test(R12, R12).jcc(E, "outer").cmp(R13, R12).jcc(B, "outer");
        a.movImm(RAX, Abi.POWEROFF).store(R15, Abi.SHUTDOWN, RAX);
        a.label("spin").jmp("spin");
        return build(a, false);
    }

    /**
     * Sleeps on its one-shot timer in a loop and measures with the TSC how late it wakes.
     * arg0 = period in ns (default 10 ms), arg1 = rounds before power-off (0 = forever).
     * Reports key 0 = rounds done, key 1 = wake latency in ns (TSC time from before the SLEEP
     * hypercall to after it, minus the period: includes the hypercall's exit and re-entry).
     */
    public static byte[] pinger() {
        Asm a = user();
        a.load(R14, R15, Abi.ARG).test(R14, R14).jcc(NE, "havePeriod").movImm(R14, 10_000_000).label("havePeriod");
        a.load(R12, R15, Abi.ARG + 8);
        a.load(R13, R15, Abi.TSC_KHZ);
        a.xor(RBX, RBX);
        a.label("loop");
        a.rdtsc64().mov(R8, RAX);
        a.store(R15, Abi.SLEEP, R14);
        a.rdtsc64().sub(RAX, R8);
        a.movImm(RCX, 1_000_000).imul(RAX, RCX).xor(RDX, RDX).div(R13);
        a.sub(RAX, R14);
        a.store(R15, Abi.REPORT + 8, RAX);
        a.inc(RBX).store(R15, Abi.REPORT, RBX);
        a.test(R12, R12).jcc(E, "loop").cmp(RBX, R12).jcc(B, "loop");
        a.movImm(RAX, Abi.POWEROFF).store(R15, Abi.SHUTDOWN, RAX);
        a.label("spin").jmp("spin");
        return build(a, false);
    }

    /**
     * Runs CPUID in ring 3: prints the vendor string, reports leaf 1 eax/ecx (keys 0, 1), then the
     * AVX probe (key 2): where CPUID advertises AVX and the OS side enabled it (OSXSAVE, XCR0 bits
     * 1-2 via XGETBV) it executes {@code vxorps ymm0,ymm0,ymm0} and reports 1, else 0; powers off.
     * A #UD on that instruction would crash the guest, so a report of 1 proves AVX ran.
     */
    public static byte[] cpuid() {
        Asm a = user();
        a.xor(RAX, RAX).xor(RCX, RCX).cpuid();
        a.movLabel(RDI, "vendor");
        a.store32(RDI, 0, RBX).store32(RDI, 4, RDX).store32(RDI, 8, RCX);
        write(a, "pre", 8);
        write(a, "vendor", 13);
        a.movImm(RAX, 1).xor(RCX, RCX).cpuid();
        a.store(R15, Abi.REPORT, RAX).store(R15, Abi.REPORT + 8, RCX);
        a.movImm(R10, (1L << 27) | (1L << 28)).and(R10, RCX).movImm(R11, (1L << 27) | (1L << 28)).cmp(R10, R11).jcc(NE, "noAvx");
        a.xor(RCX, RCX).bytes(new byte[] {0x0F, 0x01, (byte) 0xD0});  // xgetbv: XCR0 in edx:eax
        a.movImm(R10, 6).and(R10, RAX).movImm(R11, 6).cmp(R10, R11).jcc(NE, "noAvx");
        a.bytes(new byte[] {(byte) 0xC5, (byte) 0xFC, 0x57, (byte) 0xC0}); // vxorps ymm0, ymm0, ymm0
        a.movImm(RAX, 1).store(R15, Abi.REPORT + 16, RAX).jmp("done");
        a.label("noAvx").xor(RAX, RAX).store(R15, Abi.REPORT + 16, RAX);
        a.label("done");
        a.movImm(RAX, Abi.POWEROFF).store(R15, Abi.SHUTDOWN, RAX);
        a.label("spin").jmp("spin");
        a.label("pre").ascii("vendor: ");
        a.label("vendor").ascii("????????????\n");
        return image(kernel(false, true), a.assemble(), Abi.KERNEL_BASE);
    }

    /**
     * Misbehaves; arg0 picks how (default 0). Every mode ends by crashing itself:
     * 0 = garbage MMIO writes/reads to unbacked memory and unknown hypercalls, then ud2;
     * 1 = ud2; 2 = hlt in ring 3 (#GP); 3 = out to a port from ring 3 (#GP);
     * 4 = jump into guest-physical memory with no RAM behind it; 5 = jump to an unmapped address (#PF);
     * 6 = garbage to 64 I/O ports from ring 0, then ud2; 7 = spin forever (for destroy tests).
     * With no IDT, each fault escalates to a triple fault.
     */
    public static byte[] hostile() {
        Asm a = user();
        a.load(RBX, R15, Abi.ARG);
        for (int m = 1; m <= 7; m++) a.cmpImm(RBX, m).jcc(E, "m" + m);
        // mode 0 (and 6 after its ring-0 part): garbage MMIO
        a.label("m0");
        a.movImm(RCX, 200).movImm(RDI, 0x20000000L).movImm(RAX, 0xDEADBEEFCAFEL);
        a.label("g").store(RDI, 0, RAX).load(RDX, RDI, 8).addImm(RDI, 0x10040).dec(RCX).jcc(NE, "g");
        a.movImm(RCX, 16).mov(RDI, R15).addImm(RDI, 0x400);
        a.label("h").store(RDI, 0, RAX).load(RDX, RDI, 0x100).addImm(RDI, 8).dec(RCX).jcc(NE, "h");
        a.label("m1").label("m6").ud2();
        a.label("m2").hlt();
        a.label("m3").movImm(RDX, 0x80).outDxAl();
        a.label("m4").movImm(RAX, 0x30000000L).jmpReg(RAX);
        a.label("m5").movImm(RAX, 0x7F000000000L).jmpReg(RAX);
        a.label("m7").jmp("m7");
        return build(a, true);
    }
}
