package org.hvkit.guests;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A tiny x86-64 assembler for the test guests: the few instructions they use, 64-bit registers,
 * labels with rel32 and abs64 fixups. Memory operands are always {@code [base + disp32]}.
 * It emits bytes for one segment loaded at a known guest-physical address ({@code origin}).
 */
public final class Asm {
    public static final int RAX = 0, RCX = 1, RDX = 2, RBX = 3, RSP = 4, RBP = 5, RSI = 6, RDI = 7,
            R8 = 8, R9 = 9, R10 = 10, R11 = 11, R12 = 12, R13 = 13, R14 = 14, R15 = 15;
    /** Condition codes for {@link #jcc}. */
    public static final int O = 0, NO = 1, B = 2, AE = 3, E = 4, NE = 5, BE = 6, A = 7, S = 8, NS = 9, L = 0xC, GE = 0xD, LE = 0xE, G = 0xF;

    private final long origin;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final Map<String, Long> labels = new HashMap<>();
    private record Fixup(int at, String label, boolean rel, int size) {}
    private final List<Fixup> fixups = new ArrayList<>();

    public Asm(long origin) {
        this.origin = origin;
    }

    /** The address of the next byte. */
    public long here() {
        return origin + out.size();
    }

    public Asm label(String name) {
        if (labels.put(name, here()) != null) throw new IllegalArgumentException("label " + name + " defined twice");
        return this;
    }

    public long address(String name) {
        Long a = labels.get(name);
        if (a == null) throw new IllegalArgumentException("undefined label " + name);
        return a;
    }

    private Asm b(int... bytes) {
        for (int x : bytes) out.write(x);
        return this;
    }

    private void imm32(long v) {
        for (int i = 0; i < 4; i++) out.write((int) (v >>> (8 * i)));
    }

    private void imm64(long v) {
        for (int i = 0; i < 8; i++) out.write((int) (v >>> (8 * i)));
    }

    private static int rex(boolean w, int reg, int rm) {
        return 0x40 | (w ? 8 : 0) | ((reg >> 3) & 1) << 2 | ((rm >> 3) & 1);
    }

    /** op reg, r/m (register direct), REX.W. */
    private Asm rr(int op, int reg, int rm) {
        return b(rex(true, reg, rm), op, 0xC0 | (reg & 7) << 3 | (rm & 7));
    }

    /** REX (when needed), opcode bytes, ModRM for [base + disp32]. */
    private Asm mem(boolean w, int[] op, int reg, int base, int disp) {
        int r = rex(w, reg, base);
        if (r != 0x40) out.write(r);
        for (int x : op) out.write(x);
        out.write(0x80 | (reg & 7) << 3 | (base & 7));
        if ((base & 7) == RSP) out.write(0x24);
        imm32(disp);
        return this;
    }

    // ---------------------------------------------------------------- moves

    public Asm movImm(int r, long imm) {
        b(rex(true, 0, r), 0xB8 + (r & 7));
        imm64(imm);
        return this;
    }

    public Asm movLabel(int r, String label) {
        b(rex(true, 0, r), 0xB8 + (r & 7));
        fixups.add(new Fixup(out.size(), label, false, 8));
        imm64(0);
        return this;
    }

    public Asm mov(int dst, int src) {
        return rr(0x89, src, dst);
    }

    /** mov [base + disp], src (64 bit). */
    public Asm store(int base, int disp, int src) {
        return mem(true, new int[] {0x89}, src, base, disp);
    }

    /** mov [base + disp], src (32 bit). */
    public Asm store32(int base, int disp, int src) {
        return mem(false, new int[] {0x89}, src, base, disp);
    }

    /** mov dst, [base + disp] (64 bit). */
    public Asm load(int dst, int base, int disp) {
        return mem(true, new int[] {0x8B}, dst, base, disp);
    }

    /** movzx dst, byte [base + disp]. */
    public Asm loadByte(int dst, int base, int disp) {
        return mem(true, new int[] {0x0F, 0xB6}, dst, base, disp);
    }

    // ---------------------------------------------------------------- arithmetic

    public Asm add(int dst, int src) { return rr(0x01, src, dst); }
    public Asm sub(int dst, int src) { return rr(0x29, src, dst); }
    public Asm and(int dst, int src) { return rr(0x21, src, dst); }
    public Asm or(int dst, int src) { return rr(0x09, src, dst); }
    public Asm xor(int dst, int src) { return rr(0x31, src, dst); }
    public Asm cmp(int a, int b2) { return rr(0x39, b2, a); }
    public Asm test(int a, int b2) { return rr(0x85, b2, a); }

    private Asm grp1(int ext, int r, int imm) {
        b(rex(true, 0, r), 0x81, 0xC0 | ext << 3 | (r & 7));
        imm32(imm);
        return this;
    }

    public Asm addImm(int r, int imm) { return grp1(0, r, imm); }
    public Asm subImm(int r, int imm) { return grp1(5, r, imm); }
    public Asm andImm(int r, int imm) { return grp1(4, r, imm); }
    public Asm cmpImm(int r, int imm) { return grp1(7, r, imm); }

    public Asm inc(int r) { return b(rex(true, 0, r), 0xFF, 0xC0 | (r & 7)); }
    public Asm dec(int r) { return b(rex(true, 0, r), 0xFF, 0xC8 | (r & 7)); }

    /** imul dst, src. */
    public Asm imul(int dst, int src) {
        return b(rex(true, dst, src), 0x0F, 0xAF, 0xC0 | (dst & 7) << 3 | (src & 7));
    }

    /** Unsigned rdx:rax / r: quotient in rax, remainder in rdx. */
    public Asm div(int r) { return b(rex(true, 0, r), 0xF7, 0xF0 | (r & 7)); }

    public Asm shlImm(int r, int n) { return b(rex(true, 0, r), 0xC1, 0xE0 | (r & 7), n); }
    public Asm shrImm(int r, int n) { return b(rex(true, 0, r), 0xC1, 0xE8 | (r & 7), n); }

    // ---------------------------------------------------------------- control flow

    public Asm jmp(String label) {
        b(0xE9);
        fixups.add(new Fixup(out.size(), label, true, 4));
        imm32(0);
        return this;
    }

    public Asm jcc(int cc, String label) {
        b(0x0F, 0x80 | cc);
        fixups.add(new Fixup(out.size(), label, true, 4));
        imm32(0);
        return this;
    }

    public Asm call(String label) {
        b(0xE8);
        fixups.add(new Fixup(out.size(), label, true, 4));
        imm32(0);
        return this;
    }

    /** jmp r (absolute, through a register). */
    public Asm jmpReg(int r) {
        if (r >= 8) b(0x41);
        return b(0xFF, 0xE0 | (r & 7));
    }

    public Asm ret() { return b(0xC3); }

    public Asm push(int r) {
        if (r >= 8) b(0x41);
        return b(0x50 + (r & 7));
    }

    public Asm pop(int r) {
        if (r >= 8) b(0x41);
        return b(0x58 + (r & 7));
    }

    // ---------------------------------------------------------------- system

    public Asm iretq() { return b(0x48, 0xCF); }
    public Asm hlt() { return b(0xF4); }
    public Asm ud2() { return b(0x0F, 0x0B); }
    public Asm cli() { return b(0xFA); }
    public Asm nop() { return b(0x90); }
    public Asm int3() { return b(0xCC); }
    public Asm rdtsc() { return b(0x0F, 0x31); }
    public Asm cpuid() { return b(0x0F, 0xA2); }
    /** out dx, al. */
    public Asm outDxAl() { return b(0xEE); }
    /** in al, dx. */
    public Asm inAlDx() { return b(0xEC); }
    /** lidt [r]. */
    public Asm lidt(int r) {
        if (r >= 8) b(0x41);
        if ((r & 7) == RSP || (r & 7) == RBP) throw new IllegalArgumentException("lidt through rsp/rbp not supported");
        return b(0x0F, 0x01, 0x18 | (r & 7));
    }

    /** rax = the 64-bit TSC (clobbers rdx). */
    public Asm rdtsc64() {
        rdtsc();
        shlImm(RDX, 32);
        return or(RAX, RDX);
    }

    // ---------------------------------------------------------------- data

    public Asm bytes(byte[] data) {
        out.write(data, 0, data.length);
        return this;
    }

    public Asm ascii(String s) {
        return bytes(s.getBytes(StandardCharsets.US_ASCII));
    }

    public Asm u64(long v) {
        imm64(v);
        return this;
    }

    public Asm align(int n) {
        while (out.size() % n != 0) out.write(0);
        return this;
    }

    public Asm space(int n) {
        for (int i = 0; i < n; i++) out.write(0);
        return this;
    }

    /** Resolves every fixup and returns the segment's bytes. */
    public byte[] assemble() {
        byte[] code = out.toByteArray();
        for (Fixup f : fixups) {
            long target = address(f.label);
            long v = f.rel ? target - (origin + f.at + f.size) : target;
            if (f.rel && (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE)) throw new IllegalStateException("jump to " + f.label + " out of range");
            for (int i = 0; i < f.size; i++) code[f.at + i] = (byte) (v >>> (8 * i));
        }
        return code;
    }
}
