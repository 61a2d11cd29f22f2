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
        m.put("writer", Guests::writer);
        m.put("inject", Guests::inject);
        m.put("dma", DmaGuest::image);
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

    /** Where writer and inject keep their data: guest-physical 4 MiB up, above every segment of the ABI. */
    public static final long DATA_BASE = 0x400000;
    /** Default page count of writer. */
    public static final int WRITER_PAGES = 256;

    /**
     * Writes a known pattern over N pages in rounds, then reads them back and reports a checksum.
     * arg0 = start delay in ns (time for a listener to attach; 0 = none), arg1 = pages (default 256,
     * clamped to the RAM above {@link #DATA_BASE}), arg2 = rounds (default 4), arg3 = pause between
     * rounds in ns. Every qword at address a gets {@code a ^ ((round + 1) * 0x9E3779B97F4A7C15)};
     * round by round the pages are written in address order, 8 bytes at a time. Reports key 0 =
     * rounds done (after each), key 1 = checksum (FNV-style {@code c = c * 0x100000001B3 + q} over
     * every qword, read back after the last round), prints {@code writer: checksum <hex>}, powers
     * off. Its only writes are to the data pages and its stack, so nothing it writes is executed.
     */
    public static byte[] writer() {
        Asm a = user();
        a.load(R14, R15, Abi.ARG).test(R14, R14).jcc(E, "noDelay").store(R15, Abi.SLEEP, R14).label("noDelay");
        a.load(R12, R15, Abi.ARG + 8).test(R12, R12).jcc(NE, "havePages").movImm(R12, WRITER_PAGES).label("havePages");
        // clamp pages to (RAM - DATA_BASE) / 4096
        a.mov(RAX, RSI).movImm(RCX, DATA_BASE).sub(RAX, RCX).shrImm(RAX, 12).cmp(R12, RAX).jcc(BE, "fits").mov(R12, RAX).label("fits");
        a.test(R12, R12).jcc(E, "off");
        a.load(R13, R15, Abi.ARG + 16).test(R13, R13).jcc(NE, "haveRounds").movImm(R13, 4).label("haveRounds");
        a.load(R11, R15, Abi.ARG + 24);
        a.xor(RBX, RBX);
        a.label("round");
        a.mov(R8, RBX).inc(R8).movImm(RAX, 0x9E3779B97F4A7C15L).imul(R8, RAX);
        a.movImm(RDI, DATA_BASE).mov(RCX, R12).shlImm(RCX, 9);
        a.label("w").mov(RAX, RDI).xor(RAX, R8).store(RDI, 0, RAX).addImm(RDI, 8).dec(RCX).jcc(NE, "w");
        a.inc(RBX).store(R15, Abi.REPORT, RBX);
        a.test(R11, R11).jcc(E, "noGap").store(R15, Abi.SLEEP, R11).label("noGap");
        a.cmp(RBX, R13).jcc(B, "round");
        // checksum over what memory holds now
        a.movImm(RDI, DATA_BASE).mov(RCX, R12).shlImm(RCX, 9).xor(R9, R9).movImm(R10, 0x100000001B3L);
        a.label("c").imul(R9, R10).load(RAX, RDI, 0).add(R9, RAX).addImm(RDI, 8).dec(RCX).jcc(NE, "c");
        a.store(R15, Abi.REPORT + 8, R9);
        write(a, "pre", 17);
        printHex(a, R9);
        a.movImm(RAX, '\n').store(R15, Abi.PUTC, RAX);
        a.label("off").movImm(RAX, Abi.POWEROFF).store(R15, Abi.SHUTDOWN, RAX);
        a.label("spin").jmp("spin");
        a.label("pre").ascii("writer: checksum ");
        return build(a, false);
    }

    /** The checksum writer reports for {@code pages} and {@code rounds} (what its memory holds after the last round). */
    public static long writerChecksum(int pages, int rounds) {
        long pattern = rounds * 0x9E3779B97F4A7C15L, c = 0;
        for (long addr = DATA_BASE; addr < DATA_BASE + pages * 4096L; addr += 8) c = c * 0x100000001B3L + (addr ^ pattern);
        return c;
    }

    /**
     * Prints {@code reg} as 16 hex digits, built on the stack below rsp (a page that is written but
     * never executed). Clobbers rax, rcx, rdi, r8 and {@code reg}.
     */
    static void printHex(Asm a, int reg) {
        a.mov(RDI, RSP).subImm(RDI, 64).mov(R8, RDI).movImm(RCX, 16);
        a.label("hex").mov(RAX, reg).shrImm(RAX, 60).shlImm(reg, 4);
        a.cmpImm(RAX, 10).jcc(B, "digit").addImm(RAX, 'a' - 10 - '0').label("digit").addImm(RAX, '0');
        a.store(RDI, 0, RAX).inc(RDI).dec(RCX).jcc(NE, "hex");
        a.movImm(RAX, 16L << 48).or(RAX, R8).store(R15, Abi.WRITE, RAX);
    }

    /** Where inject puts its payload: a data page, never part of its image. */
    public static final long INJECT_PAGE = DATA_BASE + 0x10000;
    /** What the payload reports under key 1 when it ran. */
    public static final long INJECT_MARK = 0x494E4A454354L; // "INJECT"

    /**
     * Behaves as a stager: after a start delay (arg0, ns) it copies a small payload from its image
     * into the data page {@link #INJECT_PAGE} with ordinary stores and calls it there. The payload
     * reports {@link #INJECT_MARK} under key 1 and returns; inject then reports key 0 = 1, prints
     * {@code inject: payload ran} and powers off. Needs at least 5 MiB of RAM.
     */
    public static byte[] inject() {
        Asm a = user();
        a.load(R14, R15, Abi.ARG).test(R14, R14).jcc(E, "noDelay").store(R15, Abi.SLEEP, R14).label("noDelay");
        // copy [payload, payloadEnd) qword by qword
        a.movLabel(RSI, "payload").movImm(RDI, INJECT_PAGE).movImm(RCX, PAYLOAD_QWORDS);
        a.label("copy").load(RAX, RSI, 0).store(RDI, 0, RAX).addImm(RSI, 8).addImm(RDI, 8).dec(RCX).jcc(NE, "copy");
        // call it: push the return address, jump through a register
        a.movLabel(RAX, "back").push(RAX).movImm(RAX, INJECT_PAGE).jmpReg(RAX);
        a.label("back");
        a.movImm(RAX, 1).store(R15, Abi.REPORT, RAX);
        write(a, "ran", 20);
        a.movImm(RAX, Abi.POWEROFF).store(R15, Abi.SHUTDOWN, RAX);
        a.label("spin").jmp("spin");
        a.label("ran").ascii("inject: payload ran\n");
        a.align(8).label("payload");
        long start = a.here();
        a.movImm(RAX, INJECT_MARK).store(R15, Abi.REPORT + 8, RAX).ret();
        a.align(8);
        if (a.here() - start != PAYLOAD_QWORDS * 8L) throw new IllegalStateException("inject payload is " + (a.here() - start) + " bytes");
        return build(a, false);
    }

    private static final int PAYLOAD_QWORDS = 3;
}
