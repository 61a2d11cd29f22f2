package org.hvkit.platform.sim.internal;

import java.util.List;
import org.hvkit.api.pci.PciDevice;

/**
 * The DMA workload phase's driver: what a guest does with an assigned DMA engine through its BAR
 * (register offsets of docs/dma-engine.md): it fills the source with a pattern (a CPU write to
 * its own memory), programs SRC, DST, LEN, CMD, reads STATUS, and checks the destination against
 * the pattern. Outcomes go to the domain's reports ({@code hv reports}): key {@value #KEY_OK}
 * bytes copied and checked, {@value #KEY_FAULT} a fault (REASON << 8 | ERROR),
 * {@value #KEY_BAD} a copy that did not match, {@value #KEY_NODEV} no device assigned. Machine context.
 */
final class SimDma {
    static final int KEY_OK = 0xd0, KEY_FAULT = 0xd1, KEY_BAD = 0xd2, KEY_NODEV = 0xd3;
    static final int SRC = 0x08, DST = 0x10, LEN = 0x18, CMD = 0x20, STATUS = 0x28, ERROR = 0x30, ERRADDR = 0x38, REASON = 0x48;
    static final long STATUS_DONE = 2;
    /** A phase's copies per consumed slice, at most: each is up to 1 MiB, and machine context must stay short. */
    static final int MAX_OPS_PER_SLICE = 16;

    private SimDma() { }

    /** One copy by a vCPU of {@code g}; {@code seq} makes each copy's pattern different. */
    static void once(SimGuest g, Workload.Dma d, long seq) {
        List<PciDevice> devs = g.devices;
        if (devs.isEmpty()) {
            g.events.report(KEY_NODEV, 1);
            return;
        }
        PciDevice dev = devs.get(0);
        int len = (int) Math.min(d.len(), 1 << 20);
        byte[] pattern = new byte[len];
        long x = seq * 0x9E3779B97F4A7C15L + g.domid;
        for (int i = 0; i < len; i++) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            pattern[i] = (byte) x;
        }
        boolean filled = writeOwn(g, d.src(), pattern);
        dev.mmioWrite(0, SRC, 8, d.src());
        dev.mmioWrite(0, DST, 8, d.dst());
        dev.mmioWrite(0, LEN, 8, d.len());
        dev.mmioWrite(0, CMD, 8, 1);
        long status = dev.mmioRead(0, STATUS, 8);
        if (status == STATUS_DONE) {
            byte[] got = new byte[len];
            if (filled && readOwn(g, d.dst(), got) && java.util.Arrays.equals(got, pattern)) g.events.report(KEY_OK, len);
            else g.events.report(KEY_BAD, 1);
        } else {
            long error = dev.mmioRead(0, ERROR, 8), reason = dev.mmioRead(0, REASON, 8);
            g.events.report(KEY_FAULT, reason << 8 | error);
            if (g.dmaFaultsSaid++ < 3) {
                byte[] line = String.format("dma: copy %x -> %x (%d bytes) failed: ERROR %d REASON %d ERRADDR %x%n",
                        d.src(), d.dst(), d.len(), error, reason, dev.mmioRead(0, ERRADDR, 8)).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                g.events.console(line, 0, line.length);
            }
        }
        dev.mmioWrite(0, CMD, 8, 2); // clear STATUS and ERROR for the next
    }

    /** The guest's CPU writes its own RAM (what lies outside it is not written: a CPU cannot). */
    private static boolean writeOwn(SimGuest g, long gpa, byte[] b) {
        try {
            g.ram.write(gpa, b, 0, b.length);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static boolean readOwn(SimGuest g, long gpa, byte[] b) {
        try {
            g.ram.read(gpa, b, 0, b.length);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
