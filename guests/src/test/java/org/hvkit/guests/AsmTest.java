package org.hvkit.guests;

import static org.hvkit.guests.Asm.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** Encodings checked against GNU as (objdump of the same instructions). */
class AsmTest {
    private static byte[] bytes(int... b) {
        byte[] r = new byte[b.length];
        for (int i = 0; i < b.length; i++) r[i] = (byte) b[i];
        return r;
    }

    @Test
    void encodings() {
        assertArrayEquals(bytes(0x49, 0xBF, 0, 0, 0xE0, 0x3F, 0, 0, 0, 0), new Asm(0).movImm(R15, 0x3FE00000L).assemble());
        assertArrayEquals(bytes(0x4D, 0x8B, 0xB7, 0, 9, 0, 0), new Asm(0).load(R14, R15, 0x900).assemble());
        assertArrayEquals(bytes(0x49, 0x89, 0x87, 8, 1, 0, 0), new Asm(0).store(R15, 0x108, RAX).assemble());
        assertArrayEquals(bytes(0x48, 0x0F, 0xAF, 0xC1), new Asm(0).imul(RAX, RCX).assemble());
        assertArrayEquals(bytes(0x49, 0xF7, 0xF5), new Asm(0).div(R13).assemble());
        assertArrayEquals(bytes(0x4C, 0x29, 0xC0), new Asm(0).sub(RAX, R8).assemble());
        assertArrayEquals(bytes(0x48, 0xC1, 0xE2, 0x20), new Asm(0).shlImm(RDX, 32).assemble());
        assertArrayEquals(bytes(0x48, 0x0F, 0xB6, 0x83, 0, 0, 0, 0), new Asm(0).loadByte(RAX, RBX, 0).assemble());
        assertArrayEquals(bytes(0x48, 0x89, 0x84, 0x24, 8, 0, 0, 0), new Asm(0).store(RSP, 8, RAX).assemble());
        assertArrayEquals(bytes(0x48, 0xCF), new Asm(0).iretq().assemble());
        assertArrayEquals(bytes(0x41, 0xFF, 0xE3), new Asm(0).jmpReg(R11).assemble());
        // a backward jcc: jne to itself is -6
        assertArrayEquals(bytes(0x0F, 0x85, 0xFA, 0xFF, 0xFF, 0xFF), new Asm(0x1000).label("x").jcc(NE, "x").assemble());
    }

    @Test
    void imagesHaveTheHeader() {
        for (var e : Guests.all().entrySet()) {
            ByteBuffer b = ByteBuffer.wrap(e.getValue().get()).order(ByteOrder.LITTLE_ENDIAN);
            assertEquals("HVKITG01", new String(b.array(), 0, 8, java.nio.charset.StandardCharsets.US_ASCII), e.getKey());
            assertEquals(Abi.KERNEL_BASE, b.getLong(24), e.getKey());
            assertEquals(b.capacity(), b.getInt(16) + b.getInt(20), e.getKey());
        }
    }
}
