package org.hvkit.toolstack.xl.internal;

/**
 * Memory sizes as {@code xl mem-max}/{@code mem-set} take them: a decimal number with an optional
 * unit {@code b}, {@code k}, {@code m} (the default), {@code g} or {@code t}, either case.
 */
final class MemSize {
    private MemSize() {
    }

    /** The size in KiB, or -1 when the text is not a size (bytes are rounded down to KiB). */
    static long parseKb(String text) {
        if (text == null || text.isEmpty()) return -1;
        int i = 0;
        while (i < text.length() && Character.isDigit(text.charAt(i))) i++;
        if (i == 0 || i > 18) return -1;
        long n = Long.parseLong(text.substring(0, i));
        String unit = text.substring(i).toLowerCase(java.util.Locale.ROOT);
        try {
            return switch (unit) {
                case "t" -> Math.multiplyExact(n, 1L << 30);
                case "g" -> Math.multiplyExact(n, 1L << 20);
                case "", "m" -> Math.multiplyExact(n, 1L << 10);
                case "k" -> n;
                case "b" -> n >> 10;
                default -> -1;
            };
        } catch (ArithmeticException e) {
            return -1;
        }
    }
}
