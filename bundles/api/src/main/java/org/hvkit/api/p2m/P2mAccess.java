package org.hvkit.api.p2m;

import java.util.Locale;

/**
 * The access a guest has to a frame: Xen 4.2's {@code hvmmem_access_t} list, in its order (the
 * ordinal is the {@code HVMMEM_access_*} value), without {@code default}, which callers resolve
 * through {@link P2m#defaultAccess()}.
 *
 * <p>{@link #RX2RW} enforces r-x and becomes rw on the first write with no event; {@link #N2RWX}
 * enforces no access and becomes rwx on the first access of any kind, with an event that does not
 * pause the vCPU. Both conversions are made by whoever handles violations (the mem-access bundle),
 * not by the table.
 */
public enum P2mAccess {
    N, R, W, RW, X, RX, WX, RWX, RX2RW, N2RWX;

    /** Bit of a read in {@link #permits(int)} and in access masks. */
    public static final int READ = 1;
    /** Bit of a write. */
    public static final int WRITE = 2;
    /** Bit of an instruction fetch. */
    public static final int EXEC = 4;

    /** Xen's name: {@code n r w rw x rx wx rwx rx2rw n2rwx}. */
    public String xenName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The {@code HVMMEM_access_*} value (0 to 9). */
    public int hvmmemValue() {
        return ordinal();
    }

    /** The r/w/x bits enforced now: {@code rx2rw} enforces rx, {@code n2rwx} nothing. */
    public int bits() {
        return switch (this) {
            case RX2RW -> READ | EXEC;
            case N2RWX -> 0;
            default -> ordinal();
        };
    }

    /** Whether an access with the bits {@code mask} (of {@link #READ}, {@link #WRITE}, {@link #EXEC}) passes without a violation. */
    public boolean permits(int mask) {
        return (mask & ~bits()) == 0;
    }

    /** The access with Xen's name {@code s} (case-insensitive), e.g. {@code rx2rw}. */
    public static P2mAccess parse(String s) {
        if (s != null) {
            for (P2mAccess a : values()) if (a.xenName().equalsIgnoreCase(s.strip())) return a;
        }
        throw new IllegalArgumentException("access must be one of n r w rw x rx wx rwx rx2rw n2rwx, not " + (s == null ? "nothing" : "'" + s + "'"));
    }

    /** The access with {@code HVMMEM_access_*} value {@code v} (0 to 9). */
    public static P2mAccess ofHvmmem(int v) {
        if (v < 0 || v >= values().length) throw new IllegalArgumentException("HVMMEM access value must be 0 to 9, not " + v);
        return values()[v];
    }
}
