package org.hvkit.hw.dma.internal;

import static org.hvkit.hw.dma.internal.DmaEngine.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.hvkit.api.pci.DmaPort;
import org.hvkit.api.pci.PciAddress;
import org.junit.jupiter.api.Test;

class DmaEngineTest {
    static final long BASE = 0x100000;
    final DmaEngine engine = new DmaEngine(PciAddress.parse("0000:03:00.0"));
    final WindowPort port = new WindowPort(BASE, 4 << 20);

    DmaEngineTest() {
        engine.connect(port);
        for (int i = 0; i < port.mem.length; i++) port.mem[i] = (byte) (i * 31 + 7);
    }

    void w(int off, long v) {
        engine.mmioWrite(0, off, 8, v);
    }

    long r(int off) {
        return engine.mmioRead(0, off, 8);
    }

    void copy(long src, long dst, long len) {
        w(SRC, src);
        w(DST, dst);
        w(LEN, len);
        w(CMD, CMD_COPY);
    }

    @Test
    void identifiesItselfAndUndefinedOffsetsReadAllOnes() {
        assertEquals(0x1_d3a0_1d5aL, r(ID));
        assertEquals(0x1d5a, engine.mmioRead(0, ID, 2));
        assertEquals(0xd3a0_1d5aL, engine.mmioRead(0, ID, 4));
        assertEquals(-1L, r(0x50));
        assertEquals(0xffffffffL, engine.mmioRead(0, 0x0c, 4)); // the high half of SRC is not a register
        assertEquals(-1L, r(0xff8));
        assertEquals(-1L, r(4096));
        assertEquals(-1L, engine.mmioRead(1, SRC, 8));
        assertEquals(0xffL, engine.mmioRead(0, -8, 1));
        assertEquals(-1L, engine.mmioRead(0, SRC, 3));
        w(0x50, 5);
        w(ID, 5);
        w(STATUS, 7);
        assertEquals(0x1_d3a0_1d5aL, r(ID));
        assertEquals(0, r(STATUS));
        assertEquals(0, r(CMD)); // write-only
    }

    @Test
    void narrowWritesReplaceTheLowBytes() {
        w(SRC, 0x1122_3344_5566_7788L);
        engine.mmioWrite(0, SRC, 4, 0xaabb_ccdd_eeffL);
        assertEquals(0x1122_3344_eeff_ccddL & 0xffff_ffff_0000_0000L | 0xccdd_eeffL, r(SRC));
        engine.mmioWrite(0, SRC, 1, 0x100);
        assertEquals(0x1122_3344_ccdd_ee00L, r(SRC));
        assertEquals(0xee00, engine.mmioRead(0, SRC, 2));
    }

    @Test
    void copiesWithinTheWindow() {
        byte[] before = port.mem.clone();
        copy(BASE + 5, BASE + (2 << 20) + 3, 10_000);
        assertEquals(STATUS_DONE, r(STATUS));
        assertEquals(ERR_NONE, r(ERROR));
        assertEquals(10_000, r(DONE));
        assertArrayEquals(Arrays.copyOfRange(before, 5, 10_005), Arrays.copyOfRange(port.mem, (2 << 20) + 3, (2 << 20) + 10_003));
        assertEquals(0, port.largest > CHUNK ? 1 : 0, "requests larger than a chunk");
        assertEquals(before[(2 << 20) + 2], port.mem[(2 << 20) + 2]);
        assertEquals(before[(2 << 20) + 10_003], port.mem[(2 << 20) + 10_003]);
    }

    @Test
    void aReadFaultWritesNothingAtOrAfterTheFaultingChunk() {
        byte[] before = port.mem.clone();
        long src = BASE + port.mem.length - 5000; // the second chunk runs off the window
        copy(src, BASE, 9000);
        assertEquals(STATUS_ERROR, r(STATUS));
        assertEquals(ERR_READ, r(ERROR));
        assertEquals(BASE + port.mem.length, r(ERRADDR));
        assertEquals(6, r(REASON));
        assertEquals(CHUNK, r(DONE));
        assertArrayEquals(Arrays.copyOfRange(before, port.mem.length - 5000, port.mem.length - 5000 + CHUNK), Arrays.copyOfRange(port.mem, 0, CHUNK));
        assertArrayEquals(Arrays.copyOfRange(before, CHUNK, 9000), Arrays.copyOfRange(port.mem, CHUNK, 9000));
    }

    @Test
    void aWriteFaultStopsAtTheFaultingAddress() {
        port.writableFrom = BASE + 0x3000;
        copy(BASE + 0x10000, BASE + 0x2f00, 0x1000);
        assertEquals(STATUS_ERROR, r(STATUS));
        assertEquals(ERR_WRITE, r(ERROR));
        assertEquals(BASE + 0x2f00, r(ERRADDR));
        assertEquals(5, r(REASON));
        assertEquals(0, r(DONE));
        // a destination that becomes read-only inside the chunk: the bytes before it were written
        port.writableFrom = BASE;
        w(CMD, CMD_CLEAR);
        assertEquals(0, r(STATUS));
        assertEquals(0, r(ERROR));
        port.writableFrom = BASE;
        WindowPort tail = port;
        copy(BASE, BASE + tail.mem.length - 100, 200);
        assertEquals(ERR_WRITE, r(ERROR));
        assertEquals(100, r(DONE));
        assertEquals(BASE + tail.mem.length, r(ERRADDR));
    }

    @Test
    void refusesBadLengthsAndCommands() {
        copy(BASE, BASE, 0);
        assertEquals(ERR_LENGTH, r(ERROR));
        assertEquals(STATUS_ERROR, r(STATUS));
        copy(BASE, BASE, MAX_LEN + 1);
        assertEquals(ERR_LENGTH, r(ERROR));
        copy(BASE, BASE, -1);
        assertEquals(ERR_LENGTH, r(ERROR));
        w(CMD, 3);
        assertEquals(ERR_COMMAND, r(ERROR));
        assertEquals(0, port.requests);
        copy(BASE, BASE + MAX_LEN, MAX_LEN);
        assertEquals(STATUS_DONE, r(STATUS));
        assertEquals(MAX_LEN, r(DONE));
        assertEquals(2L * MAX_LEN, port.bytes);
    }

    @Test
    void unassignedItFaultsWithReasonZero() {
        engine.connect(DmaPort.BLOCKED);
        copy(BASE, BASE + 0x1000, 16);
        assertEquals(ERR_READ, r(ERROR));
        assertEquals(BASE, r(ERRADDR));
        assertEquals(0, r(REASON));
        engine.connect(null);
        assertSame(DmaPort.BLOCKED, engine.port());
    }

    @Test
    void aSecondCommandDuringACopyIsRefusedAsBusy() {
        long[] seen = new long[2];
        port.onRead = () -> {
            port.onRead = () -> { };
            seen[0] = r(STATUS);
            w(CMD, CMD_COPY);
            seen[1] = r(ERROR);
        };
        copy(BASE, BASE + 0x10000, 100);
        assertEquals(STATUS_BUSY, seen[0]);
        assertEquals(ERR_BUSY, seen[1]);
        assertEquals(STATUS_DONE, r(STATUS)); // the first copy completed
        assertEquals(2, port.requests);
    }

    @Test
    void aResetDuringACopyStopsItAndClearsEverything() {
        byte[] before = port.mem.clone();
        port.onRead = engine::reset;
        copy(BASE, BASE + 0x10000, 3 * CHUNK);
        assertEquals(1, port.requests, "only the read in flight at the reset completes");
        for (int off = SRC; off <= REASON; off += 8) assertEquals(0, r(off), "register " + off);
        assertArrayEquals(before, port.mem);
    }

    @Test
    void aPortThatThrowsDoesNotEscapeIntoTheVcpu() {
        engine.connect(new DmaPort() {
            @Override
            public void read(long iova, byte[] dst, int off, int len) {
                throw new IllegalStateException("broken IOMMU");
            }

            @Override
            public void write(long iova, byte[] src, int off, int len) {
                throw new IllegalStateException("broken IOMMU");
            }
        });
        copy(BASE, BASE, 8);
        assertEquals(ERR_READ, r(ERROR));
        assertEquals(BASE, r(ERRADDR));
    }

    @Test
    void fuzzedRegisterAccessesStayBoundedAndNeverThrow() {
        SplittableRandom rnd = new SplittableRandom(17);
        int[] sizes = {1, 2, 4, 8, 3, 0, -1, 16};
        long maxBytesPerWrite = 0;
        for (int i = 0; i < 200_000; i++) {
            long off = switch (rnd.nextInt(4)) {
                case 0 -> rnd.nextInt(0x50) ;
                case 1 -> rnd.nextInt(11) * 8;
                case 2 -> rnd.nextLong();
                default -> rnd.nextInt(5000) - 100;
            };
            int size = sizes[rnd.nextInt(sizes.length)];
            long value = switch (rnd.nextInt(4)) {
                case 0 -> rnd.nextLong();
                case 1 -> BASE + rnd.nextInt(port.mem.length + 8192) - 4096;
                case 2 -> rnd.nextInt(3);
                default -> rnd.nextInt(MAX_LEN / 64 + 2);
            };
            int bar = rnd.nextInt(20) == 0 ? rnd.nextInt() : 0;
            long bytes = port.bytes;
            if (rnd.nextInt(8) == 0) engine.mmioWrite(0, CMD, 8, CMD_COPY); // so that many fuzzed settings are run
            else if (rnd.nextBoolean()) engine.mmioWrite(bar, off, size, value);
            else engine.mmioRead(bar, off, size);
            maxBytesPerWrite = Math.max(maxBytesPerWrite, port.bytes - bytes);
            if (rnd.nextInt(1000) == 0) engine.reset();
        }
        assertTrue(port.largest <= CHUNK, "a request of " + port.largest);
        assertTrue(maxBytesPerWrite <= 2L * MAX_LEN, "one BAR write moved " + maxBytesPerWrite);
        assertTrue(port.requests > 10_000, "the fuzz started copies: " + port.requests);
    }
}
