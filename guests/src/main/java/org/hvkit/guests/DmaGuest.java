package org.hvkit.guests;

import static org.hvkit.guests.Asm.*;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code dma} test guest: programs the hvkit DMA engine (docs/dma-engine.md) from ring 3
 * through its BAR, which it finds with the ABI read PCI_BAR(0) (polled for up to 1 s after the
 * start delay, so a device attached just after create is found).
 *
 * <p>arg0 = mode, arg1 = start delay in ns (time for the host to change the domain, e.g. its
 * access), arg2 = fuzz rounds (default {@link #FUZZ_ROUNDS}), arg3 = copy length in bytes, a multiple
 * of 8 (default 64 KiB) in mode 0, the fuzz seed in mode 1.
 * <ul>
 * <li>mode 0: fills {@link #SRC} with a pattern, clears {@link #DST}, has the engine copy SRC to
 * DST and checks every qword; prints {@code dma: copy of 0x... bytes inside its memory: ok} (or
 * {@code FAILED} with the mismatches and the device's STATUS, ERROR and REASON). Then three DMAs
 * that must fault — a write to the first byte beyond its memory, a read from 1 MiB beyond it, a
 * write at 2^50 — each printed as {@code dma: <what>: status 0x.. error 0x.. reason 0x.. at 0x..}.</li>
 * <li>mode 1: the fuzz. Each round writes a random value (4 or 8 bytes) at a random offset of the
 * BAR, then SRC, DST and LEN with addresses from a table of interesting ones (its memory's end, the
 * hypercall and PCI windows, 1 and 4 GiB, 2^39, 2^48, the top of the address space, ...) plus or
 * minus an offset, or wholly random ones, then CMD (copy, or a random command one time in 16), reads
 * STATUS and clears it: six register writes and one DMA request per round. Destinations below
 * {@link #SRC} (its code, stack and page tables) are moved up by 1 GiB, so that it survives its own
 * copies. Prints {@code dma: fuzz: 0x.. rounds, 0x.. copies done, 0x.. refused}.</li>
 * <li>mode 3: one copy of arg3 bytes (default 4 KiB) to DST, a page its CPU never touches, so the
 * host can restrict its access first (mem-access and sharept); prints and reports STATUS, ERROR, REASON.</li>
 * <li>mode 2: a throughput run, arg2 copies (default 64) of arg3 bytes (default 1 MiB) SRC to DST, timed with NOW.</li>
 * </ul>
 * Reports: key 0 = 1 when the copy matched (0 otherwise, also when there is no device), keys 1-3 =
 * STATUS, ERROR, REASON after the copy, keys 4+3k, 5+3k, 6+3k = ERROR, REASON, ERRADDR of fault k;
 * key 16 = fuzz rounds done, 17 = copies done, 18 = refused; key 20-22 = bench ns, bytes, failed copies;
 * key 31 = the device's ID register.
 */
final class DmaGuest {
    private DmaGuest() {}

    static final long SRC = 0x400000, DST = 0x500000;
    static final int FUZZ_ROUNDS = 20_000;
    /** Qword at source address s holds s ^ PATTERN. */
    static final long PATTERN = 0xD3A0_1D5A_C0FF_EE00L;
    // engine registers (docs/dma-engine.md)
    static final int ID = 0x00, R_SRC = 0x08, R_DST = 0x10, LEN = 0x18, CMD = 0x20, STATUS = 0x28, ERROR = 0x30, ERRADDR = 0x38, REASON = 0x48;

    private static final class Texts {
        final Map<String, String> labels = new LinkedHashMap<>();

        /** Console write of {@code s}, whose bytes go with the program's data. */
        void say(Asm a, String s) {
            String l = labels.computeIfAbsent(s, k -> "txt" + labels.size());
            Guests.write(a, l, s.length());
        }

        void emit(Asm a) {
            for (var e : labels.entrySet()) a.label(e.getValue()).ascii(e.getKey());
        }
    }

    static byte[] image() {
        Asm a = Guests.user();
        Texts t = new Texts();
        a.mov(R13, RSI);
        a.load(R12, R15, Abi.ARG);
        a.load(RAX, R15, Abi.ARG + 8).test(RAX, RAX).jcc(E, "noDelay").store(R15, Abi.SLEEP, RAX).label("noDelay");
        // a device attached right after create (or by xl pci-attach) may come a little later: look for 1 s
        a.movImm(RBX, 100);
        a.label("lookForDevice").load(R14, R15, Abi.PCI_BAR).test(R14, R14).jcc(NE, "haveDevice");
        a.movImm(RAX, 10_000_000).store(R15, Abi.SLEEP, RAX).dec(RBX).jcc(NE, "lookForDevice");
        t.say(a, "dma: no PCI device (PCI_BAR(0) is 0)\n");
        a.xor(RAX, RAX).store(R15, Abi.REPORT, RAX).jmp("off");
        a.label("haveDevice");
        a.load(RAX, R14, ID).store(R15, Abi.REPORT + 31 * 8, RAX);
        a.mov(RBX, RAX);
        t.say(a, "dma: device id 0x");
        a.mov(RAX, RBX).call("hex");
        t.say(a, " at 0x");
        a.mov(RAX, R14).call("hex").movImm(RAX, '\n').store(R15, Abi.PUTC, RAX);
        a.cmpImm(R12, 1).jcc(E, "fuzz");
        a.cmpImm(R12, 2).jcc(E, "bench");
        a.cmpImm(R12, 3).jcc(E, "probe");
        copy(a, t);
        faults(a, t);
        a.jmp("off");
        fuzz(a, t);
        bench(a, t);
        probe(a, t);
        a.label("off").movImm(RAX, Abi.POWEROFF).store(R15, Abi.SHUTDOWN, RAX);
        a.label("spin").jmp("spin");
        hexSub(a);
        rndSub(a);
        pickSub(a);
        t.emit(a);
        a.align(8).label("table");
        // four entries filled at run time (around the end of its memory), then fixed ones
        for (int i = 0; i < 4; i++) a.u64(0);
        for (long v : new long[] {SRC, Abi.HC, Abi.PCI_BASE, 1L << 30, 1L << 32, 0xFEE00000L, 1L << 39, 1L << 48, 0xFFFF_FFFF_FFFF_F000L, 0x8000_0000_0000_0000L, 0x7FFF_FFFF_FFFF_F000L, 0}) a.u64(v);
        return Guests.build(a, false);
    }

    private static void reg(Asm a, int off, long v) {
        a.movImm(RAX, v).store(R14, off, RAX);
    }

    /** Mode 0, part 1: a copy inside its own memory, checked qword by qword. */
    private static void copy(Asm a, Texts t) {
        a.load(RBX, R15, Abi.ARG + 24).test(RBX, RBX).jcc(NE, "haveLen").movImm(RBX, 0x10000).label("haveLen");
        a.movImm(RDI, SRC).mov(RCX, RBX).shrImm(RCX, 3).movImm(R8, PATTERN);
        a.label("fill").mov(RAX, RDI).xor(RAX, R8).store(RDI, 0, RAX).addImm(RDI, 8).dec(RCX).jcc(NE, "fill");
        a.movImm(RDI, DST).mov(RCX, RBX).shrImm(RCX, 3).xor(RAX, RAX);
        a.label("clear").store(RDI, 0, RAX).addImm(RDI, 8).dec(RCX).jcc(NE, "clear");
        reg(a, CMD, 2);
        reg(a, R_SRC, SRC);
        reg(a, R_DST, DST);
        a.store(R14, LEN, RBX);
        reg(a, CMD, 1);
        a.load(RAX, R14, STATUS).store(R15, Abi.REPORT + 8, RAX);
        a.load(RAX, R14, ERROR).store(R15, Abi.REPORT + 16, RAX);
        a.load(RAX, R14, REASON).store(R15, Abi.REPORT + 24, RAX);
        a.movImm(RDI, DST).mov(RCX, RBX).shrImm(RCX, 3).movImm(R8, PATTERN).xor(R10, R10);
        a.label("check").mov(RAX, RDI).movImm(R9, DST - SRC).sub(RAX, R9).xor(RAX, R8).load(R9, RDI, 0).cmp(RAX, R9).jcc(E, "same").inc(R10).label("same");
        a.addImm(RDI, 8).dec(RCX).jcc(NE, "check");
        a.test(R10, R10).jcc(NE, "bad").load(RAX, R14, STATUS).andImm(RAX, 4).jcc(NE, "bad");
        a.movImm(RAX, 1).store(R15, Abi.REPORT, RAX);
        t.say(a, "dma: copy of 0x");
        a.mov(RAX, RBX).call("hex");
        t.say(a, " bytes inside its memory: ok\n");
        a.jmp("copied");
        a.label("bad").xor(RAX, RAX).store(R15, Abi.REPORT, RAX);
        t.say(a, "dma: copy FAILED: 0x");
        a.mov(RAX, R10).call("hex");
        t.say(a, " qwords differ,");
        status(a, t);
        a.label("copied");
    }

    /** Prints " status 0x.. error 0x.. reason 0x.. at 0x..\n" from the device's registers. */
    private static void status(Asm a, Texts t) {
        t.say(a, " status 0x");
        a.load(RAX, R14, STATUS).call("hex");
        t.say(a, " error 0x");
        a.load(RAX, R14, ERROR).call("hex");
        t.say(a, " reason 0x");
        a.load(RAX, R14, REASON).call("hex");
        t.say(a, " at 0x");
        a.load(RAX, R14, ERRADDR).call("hex");
        a.movImm(RAX, '\n').store(R15, Abi.PUTC, RAX);
    }

    /** Mode 0, part 2: DMAs beyond its memory and beyond the address width, each must fault. */
    private static void faults(Asm a, Texts t) {
        String[] what = {"write beyond its memory", "read beyond its memory", "write at 2^50"};
        for (int k = 0; k < 3; k++) {
            reg(a, CMD, 2);
            if (k == 1) a.mov(RAX, R13).addImm(RAX, 0x100000);
            else a.movImm(RAX, SRC);
            a.store(R14, R_SRC, RAX);
            if (k == 0) a.mov(RAX, R13);
            else if (k == 1) a.movImm(RAX, DST);
            else a.movImm(RAX, 1L << 50);
            a.store(R14, R_DST, RAX);
            reg(a, LEN, 0x1000);
            reg(a, CMD, 1);
            a.load(RAX, R14, ERROR).store(R15, Abi.REPORT + (4 + 3 * k) * 8, RAX);
            a.load(RAX, R14, REASON).store(R15, Abi.REPORT + (5 + 3 * k) * 8, RAX);
            a.load(RAX, R14, ERRADDR).store(R15, Abi.REPORT + (6 + 3 * k) * 8, RAX);
            t.say(a, "dma: " + what[k] + ":");
            status(a, t);
        }
    }

    /** Mode 1: the fuzz (see the class comment). rbx = rounds left, r10 = copies done, r11 = refused, r12 = the generator's state. */
    private static void fuzz(Asm a, Texts t) {
        a.label("fuzz");
        a.load(RBX, R15, Abi.ARG + 16).test(RBX, RBX).jcc(NE, "haveRounds").movImm(RBX, FUZZ_ROUNDS).label("haveRounds");
        a.load(R12, R15, Abi.ARG + 24).test(R12, R12).jcc(NE, "haveSeed").movImm(R12, 0x9E3779B97F4A7C15L).label("haveSeed");
        a.movLabel(RDI, "table");
        a.mov(RAX, R13).subImm(RAX, 8).store(RDI, 0, RAX);
        a.mov(RAX, R13).store(RDI, 8, RAX);
        a.mov(RAX, R13).addImm(RAX, 0x1000).store(RDI, 16, RAX);
        a.mov(RAX, R13).subImm(RAX, 0x1000).store(RDI, 24, RAX);
        a.xor(R10, R10).xor(R11, R11);
        a.label("round");
        // a random value at a random offset, 8 or 4 bytes
        a.call("rnd").mov(RDI, RAX).andImm(RDI, 0xFF8).add(RDI, R14);
        a.call("rnd").mov(RCX, RAX).andImm(RCX, 1).jcc(E, "w8").store32(RDI, 0, RAX).jmp("wDone").label("w8").store(RDI, 0, RAX).label("wDone");
        a.call("pick").store(R14, R_SRC, RAX);
        a.call("pick").movImm(RCX, SRC).cmp(RAX, RCX).jcc(AE, "dstOk").movImm(RCX, 1L << 30).add(RAX, RCX).label("dstOk").store(R14, R_DST, RAX);
        a.call("rnd").mov(RCX, RAX).andImm(RCX, 7).jcc(E, "lenSet").shrImm(RAX, 8).andImm(RAX, 0x7FFF).label("lenSet").store(R14, LEN, RAX);
        a.call("rnd").mov(RCX, RAX).andImm(RCX, 15).jcc(E, "cmdSet").movImm(RAX, 1).label("cmdSet").store(R14, CMD, RAX);
        a.load(RAX, R14, STATUS).mov(RCX, RAX).andImm(RCX, 4).jcc(NE, "refused");
        a.andImm(RAX, 2).jcc(E, "counted").inc(R10).jmp("counted");
        a.label("refused").inc(R11).label("counted");
        reg(a, CMD, 2);
        a.dec(RBX).jcc(NE, "round");
        a.load(RBX, R15, Abi.ARG + 16).test(RBX, RBX).jcc(NE, "haveDone").movImm(RBX, FUZZ_ROUNDS).label("haveDone");
        a.store(R15, Abi.REPORT + 16 * 8, RBX).store(R15, Abi.REPORT + 17 * 8, R10).store(R15, Abi.REPORT + 18 * 8, R11);
        t.say(a, "dma: fuzz: 0x");
        a.mov(RAX, RBX).call("hex");
        t.say(a, " rounds, 0x");
        a.mov(RAX, R10).call("hex");
        t.say(a, " copies done, 0x");
        a.mov(RAX, R11).call("hex");
        t.say(a, " refused\n");
        a.jmp("off");
    }

    /** Mode 2: arg2 copies (default 64) of arg3 bytes (default 1 MiB) from SRC to DST, timed with NOW. */
    private static void bench(Asm a, Texts t) {
        a.label("bench");
        a.load(RBX, R15, Abi.ARG + 16).test(RBX, RBX).jcc(NE, "haveCopies").movImm(RBX, 64).label("haveCopies");
        a.load(R12, R15, Abi.ARG + 24).test(R12, R12).jcc(NE, "haveBytes").movImm(R12, 1 << 20).label("haveBytes");
        a.xor(R10, R10).xor(R11, R11);
        reg(a, R_SRC, SRC);
        reg(a, R_DST, DST);
        a.store(R14, LEN, R12);
        a.load(R13, R15, Abi.NOW);
        a.label("benchLoop");
        reg(a, CMD, 1);
        a.load(RAX, R14, STATUS).andImm(RAX, 4).jcc(E, "benchOk").inc(R11).label("benchOk");
        reg(a, CMD, 2);
        a.add(R10, R12).dec(RBX).jcc(NE, "benchLoop");
        a.load(RAX, R15, Abi.NOW).sub(RAX, R13);
        a.store(R15, Abi.REPORT + 20 * 8, RAX).store(R15, Abi.REPORT + 21 * 8, R10).store(R15, Abi.REPORT + 22 * 8, R11);
        a.mov(RBX, RAX);
        t.say(a, "dma: bench: 0x");
        a.mov(RAX, R10).call("hex");
        t.say(a, " bytes in 0x");
        a.mov(RAX, RBX).call("hex");
        t.say(a, " ns, 0x");
        a.mov(RAX, R11).call("hex");
        t.say(a, " copies failed\n");
        a.jmp("off");
    }

    /**
     * Mode 3: one copy of arg3 bytes (default 4 KiB) from SRC (filled with the pattern) to DST,
     * which its CPU never touches (so the host may restrict DST's access meanwhile): reports keys
     * 1-3 (STATUS, ERROR, REASON) and prints them.
     */
    private static void probe(Asm a, Texts t) {
        a.label("probe");
        a.load(RBX, R15, Abi.ARG + 24).test(RBX, RBX).jcc(NE, "probeLen").movImm(RBX, 4096).label("probeLen");
        a.movImm(RDI, SRC).mov(RCX, RBX).shrImm(RCX, 3).movImm(R8, PATTERN);
        a.label("probeFill").mov(RAX, RDI).xor(RAX, R8).store(RDI, 0, RAX).addImm(RDI, 8).dec(RCX).jcc(NE, "probeFill");
        reg(a, CMD, 2);
        reg(a, R_SRC, SRC);
        reg(a, R_DST, DST);
        a.store(R14, LEN, RBX);
        reg(a, CMD, 1);
        a.load(RAX, R14, STATUS).store(R15, Abi.REPORT + 8, RAX);
        a.load(RAX, R14, ERROR).store(R15, Abi.REPORT + 16, RAX);
        a.load(RAX, R14, REASON).store(R15, Abi.REPORT + 24, RAX);
        t.say(a, "dma: copy to a page it does not touch:");
        status(a, t);
        a.jmp("off");
    }

    /** rax = the next xorshift64 value of r12. */
    private static void rndSub(Asm a) {
        a.label("rnd");
        a.mov(RAX, R12).shlImm(RAX, 13).xor(R12, RAX);
        a.mov(RAX, R12).shrImm(RAX, 7).xor(R12, RAX);
        a.mov(RAX, R12).shlImm(RAX, 17).xor(R12, RAX);
        a.mov(RAX, R12).ret();
    }

    /** rax = an address: a table entry plus or minus up to 64 KiB, a random 64-bit or a random 32-bit value. Clobbers rcx, rdi. */
    private static void pickSub(Asm a) {
        a.label("pick").call("rnd");
        a.mov(RCX, RAX).shrImm(RCX, 4).andImm(RCX, 3);
        a.cmpImm(RCX, 2).jcc(E, "pickDone");
        a.cmpImm(RCX, 3).jcc(NE, "pickTable").shlImm(RAX, 32).shrImm(RAX, 32).jmp("pickDone");
        a.label("pickTable").mov(RDI, RAX).andImm(RDI, 15).shlImm(RDI, 3);
        a.push(RCX).movLabel(RCX, "table").add(RDI, RCX).pop(RCX);
        a.shrImm(RAX, 16).andImm(RAX, 0xFFF8);
        a.cmpImm(RCX, 1).jcc(E, "pickMinus").load(RCX, RDI, 0).add(RAX, RCX).jmp("pickDone");
        a.label("pickMinus").load(RCX, RDI, 0).sub(RCX, RAX).mov(RAX, RCX);
        a.label("pickDone").ret();
    }

    /** "hex": prints rax in hexadecimal without leading zeros, built below rsp. Clobbers rax, rcx, rdi, r8, r9. */
    private static void hexSub(Asm a) {
        a.label("hex").push(R10);
        a.mov(R9, RAX).mov(RDI, RSP).subImm(RDI, 64).mov(R8, RDI).movImm(RCX, 16).xor(R10, R10);
        a.label("hexLoop").mov(RAX, R9).shrImm(RAX, 60).shlImm(R9, 4);
        a.cmpImm(RCX, 1).jcc(E, "hexEmit").test(RAX, RAX).jcc(NE, "hexEmit").test(R10, R10).jcc(E, "hexSkip");
        a.label("hexEmit").movImm(R10, 1);
        a.cmpImm(RAX, 10).jcc(B, "hexDigit").addImm(RAX, 'a' - 10 - '0').label("hexDigit").addImm(RAX, '0');
        a.store(RDI, 0, RAX).inc(RDI);
        a.label("hexSkip").dec(RCX).jcc(NE, "hexLoop");
        a.mov(RAX, RDI).sub(RAX, R8).shlImm(RAX, 48).or(RAX, R8).store(R15, Abi.WRITE, RAX);
        a.pop(R10).ret();
    }
}
