package org.hvkit.hw.dma.internal;

import java.util.List;
import java.util.Objects;
import org.hvkit.api.pci.DmaFaultException;
import org.hvkit.api.pci.DmaPort;
import org.hvkit.api.pci.PciAddress;
import org.hvkit.api.pci.PciBar;
import org.hvkit.api.pci.PciDevice;

/**
 * The DMA engine of docs/dma-engine.md: a memory-to-memory copy started by a BAR write and done
 * when that write returns. Every memory access goes through the connected {@link DmaPort}.
 *
 * <p>Hostile input: any offset, size and value is taken; what the register set does not define
 * reads as all ones and is ignored. A copy is at most {@link #MAX_LEN} bytes in {@link #CHUNK}-byte
 * chunks, so a BAR write holds its vCPU for a bounded time. Register state is guarded by
 * {@code this}; the copy itself runs outside the lock (a second CMD meanwhile gets ERROR busy,
 * register reads see STATUS busy), so no vCPU waits on another's copy.
 */
public final class DmaEngine implements PciDevice {
    public static final int VENDOR = 0x1d5a;
    public static final int DEVICE = 0xd3a0;
    public static final int VERSION = 1;
    public static final long BAR_SIZE = 4096;
    public static final int MAX_LEN = 1 << 20;
    public static final int CHUNK = 4096;

    public static final int ID = 0x00, SRC = 0x08, DST = 0x10, LEN = 0x18, CMD = 0x20, STATUS = 0x28,
            ERROR = 0x30, ERRADDR = 0x38, DONE = 0x40, REASON = 0x48;
    public static final long CMD_COPY = 1, CMD_CLEAR = 2;
    public static final long STATUS_BUSY = 1, STATUS_DONE = 2, STATUS_ERROR = 4;
    public static final long ERR_NONE = 0, ERR_READ = 1, ERR_WRITE = 2, ERR_LENGTH = 3, ERR_COMMAND = 4, ERR_BUSY = 5;

    private final PciAddress address;
    private final List<PciBar> bars = List.of(new PciBar(0, BAR_SIZE));
    /** The copy buffer: used only by the one copy that holds STATUS busy. */
    private final byte[] buffer = new byte[CHUNK];
    private volatile DmaPort port = DmaPort.BLOCKED;

    // registers, guarded by this
    private long src, dst, len, status, error, errAddr, done, reason;
    /** Bumped by reset: a copy that started before a reset stops at its next chunk and reports nothing. */
    private long generation;
    /** A copy holds the buffer; unlike STATUS busy a reset does not clear this, so two copies never share it. */
    private boolean running;

    public DmaEngine(PciAddress address) {
        this.address = Objects.requireNonNull(address, "address");
    }

    @Override
    public PciAddress address() {
        return address;
    }

    @Override
    public int vendorId() {
        return VENDOR;
    }

    @Override
    public int deviceId() {
        return DEVICE;
    }

    @Override
    public String description() {
        return "hvkit DMA engine (memory-to-memory copy, up to 1 MiB per command)";
    }

    @Override
    public List<PciBar> bars() {
        return bars;
    }

    @Override
    public long mmioRead(int bar, long offset, int size) {
        if (!valid(bar, offset, size)) return size == 1 || size == 2 || size == 4 ? mask(size, -1L) : -1L;
        long v;
        synchronized (this) {
            v = switch ((int) offset) {
                case ID -> (long) VERSION << 32 | (long) DEVICE << 16 | VENDOR;
                case SRC -> src;
                case DST -> dst;
                case LEN -> len;
                case CMD -> 0; // write-only
                case STATUS -> status;
                case ERROR -> error;
                case ERRADDR -> errAddr;
                case DONE -> done;
                case REASON -> reason;
                default -> -1L;
            };
        }
        return mask(size, v);
    }

    @Override
    public void mmioWrite(int bar, long offset, int size, long value) {
        if (!valid(bar, offset, size)) return;
        long v = mask(size, value);
        long keep = size == 8 ? 0 : -1L << (size * 8); // a narrow write replaces the low bytes only
        long gen;
        long s, d, n;
        synchronized (this) {
            switch ((int) offset) {
                case SRC -> src = src & keep | v;
                case DST -> dst = dst & keep | v;
                case LEN -> len = len & keep | v;
                case CMD -> { }
                default -> { return; } // read-only or undefined: ignored
            }
            if (offset != CMD) return;
            if (running) { // another vCPU's copy is running: refuse, don't wait
                error = ERR_BUSY;
                status |= STATUS_ERROR;
                return;
            }
            if (v == CMD_CLEAR) {
                status = 0;
                error = ERR_NONE;
                return;
            }
            error = ERR_NONE;
            errAddr = 0;
            done = 0;
            reason = 0;
            if (v != CMD_COPY) {
                fail(ERR_COMMAND);
                return;
            }
            if (len < 1 || len > MAX_LEN) {
                fail(ERR_LENGTH);
                return;
            }
            status = STATUS_BUSY;
            running = true;
            gen = generation;
            s = src;
            d = dst;
            n = len;
        }
        try {
            copy(gen, s, d, (int) n);
        } finally {
            synchronized (this) {
                running = false;
            }
        }
    }

    /** Runs one copy; only the caller that set {@code running} gets here, so the buffer is its own. */
    private void copy(long gen, long s, long d, int n) {
        int copied = 0;
        long code = ERR_NONE, at = 0;
        int why = 0;
        while (copied < n) {
            int chunk = Math.min(CHUNK, n - copied);
            DmaPort p = port;
            synchronized (this) {
                if (generation != gen) return; // reset meanwhile: the copy is gone with the registers
            }
            long from = s + copied, to = d + copied; // wraps as a 64-bit bus address does; the IOMMU checks it
            try {
                p.read(from, buffer, 0, chunk);
            } catch (DmaFaultException e) {
                code = ERR_READ;
                at = e.iova();
                why = e.reason();
                break;
            } catch (RuntimeException e) { // an IOMMU that breaks must not take the vCPU's thread with it
                code = ERR_READ;
                at = from;
                break;
            }
            synchronized (this) {
                if (generation != gen) return;
            }
            try {
                p.write(to, buffer, 0, chunk);
            } catch (DmaFaultException e) {
                code = ERR_WRITE;
                at = e.iova();
                why = e.reason();
                long part = e.iova() - to; // bytes of this chunk the port wrote before the fault
                if (part > 0 && part < chunk) copied += (int) part;
                break;
            } catch (RuntimeException e) {
                code = ERR_WRITE;
                at = to;
                break;
            }
            copied += chunk;
        }
        synchronized (this) {
            if (generation != gen) return;
            done = copied;
            if (code == ERR_NONE) {
                status = STATUS_DONE;
            } else {
                error = code;
                errAddr = at;
                reason = why;
                status = STATUS_ERROR;
            }
        }
    }

    /** Called with the lock held. */
    private void fail(long code) {
        error = code;
        status = STATUS_ERROR;
    }

    @Override
    public void connect(DmaPort port) {
        this.port = port == null ? DmaPort.BLOCKED : port;
    }

    /** The port the device does DMA through now (BLOCKED when not assigned). */
    public DmaPort port() {
        return port;
    }

    @Override
    public synchronized void reset() {
        generation++;
        src = dst = len = status = error = errAddr = done = reason = 0;
    }

    private static boolean valid(int bar, long offset, int size) {
        return bar == 0 && (size == 1 || size == 2 || size == 4 || size == 8)
                && offset >= 0 && offset < BAR_SIZE && (offset & 7) == 0;
    }

    private static long mask(int size, long v) {
        return size >= 8 || size <= 0 ? v : v & ((1L << (size * 8)) - 1);
    }

    @Override
    public String toString() {
        return "DMA engine " + address;
    }
}
