package org.hvkit.api.cpu;

import java.util.StringJoiner;

/** The {@code hw_caps} line of {@code xl info}. */
public final class HwCaps {
    private HwCaps() {
    }

    /** The words as {@code xl info} prints them: each as eight lower-case hex digits, joined by {@code :}. */
    public static String format(int[] words) {
        StringJoiner j = new StringJoiner(":");
        for (int w : words) j.add(String.format("%08x", w));
        return j.toString();
    }
}
