package org.hvkit.platform.kvm.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * An hvkit guest image (ABI v1): a 32-byte header, then the kernel segment (loaded at
 * {@link GuestAbi#KERNEL_BASE}) and the user segment (loaded at {@link GuestAbi#USER_BASE}).
 *
 * <pre>
 *  0  magic "HVKITG01"
 *  8  u32 kernel offset in the file   12  u32 kernel size
 * 16  u32 user offset in the file     20  u32 user size
 * 24  u64 entry point (guest-physical, inside the kernel segment)
 * </pre>
 */
record GuestImage(byte[] kernel, byte[] user, long entry) {
    static GuestImage load(Path file) {
        byte[] b;
        try {
            b = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("kernel=" + file + ": cannot read: " + e.getMessage(), e);
        }
        return parse(b, "kernel=" + file);
    }

    static GuestImage parse(byte[] b, String what) {
        if (b.length < GuestAbi.HEADER_SIZE || !Arrays.equals(b, 0, 8, GuestAbi.IMAGE_MAGIC, 0, 8)) {
            throw new IllegalArgumentException(what + ": not an hvkit guest image (no HVKITG01 header)");
        }
        ByteBuffer h = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        int ko = h.getInt(8), ks = h.getInt(12), uo = h.getInt(16), us = h.getInt(20);
        long entry = h.getLong(24);
        if (ko < 0 || ks < 0 || uo < 0 || us < 0 || (long) ko + ks > b.length || (long) uo + us > b.length) {
            throw new IllegalArgumentException(what + ": segment outside the file");
        }
        if (ks > GuestAbi.USER_BASE - GuestAbi.KERNEL_BASE) throw new IllegalArgumentException(what + ": kernel segment larger than 1 MiB");
        if (us > GuestAbi.CMDLINE - GuestAbi.USER_BASE) throw new IllegalArgumentException(what + ": user segment larger than " + ((GuestAbi.CMDLINE - GuestAbi.USER_BASE) >> 10) + " KiB");
        if (entry < GuestAbi.KERNEL_BASE || entry >= GuestAbi.KERNEL_BASE + ks) throw new IllegalArgumentException(what + ": entry point 0x" + Long.toHexString(entry) + " is outside the kernel segment");
        return new GuestImage(Arrays.copyOfRange(b, ko, ko + ks), Arrays.copyOfRange(b, uo, uo + us), entry);
    }
}
