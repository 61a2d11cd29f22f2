package org.hvkit.core.internal;

import org.hvkit.api.toolstack.ConsoleChunk;

/** A domain's console output: the newest bytes in a ring, addressed by their offset since boot. */
final class GuestConsole {
    private static final int SIZE = 64 * 1024;
    /** Allocated on the first byte: most domains never write to their console. */
    private byte[] ring;
    private long written;

    synchronized void write(byte[] data, int off, int len) {
        if (len > 0 && ring == null) ring = new byte[SIZE];
        for (int i = 0; i < len; i++) ring[(int) (written++ % SIZE)] = data[off + i];
    }

    /** Bytes from {@code offset} (clamped to the oldest kept) to now. */
    synchronized ConsoleChunk read(long offset, boolean open) {
        long from = Math.max(offset, Math.max(0, written - SIZE));
        byte[] out = new byte[(int) Math.max(0, written - from)];
        for (int i = 0; i < out.length; i++) out[i] = ring[(int) ((from + i) % SIZE)];
        return new ConsoleChunk(out, written, open);
    }
}
