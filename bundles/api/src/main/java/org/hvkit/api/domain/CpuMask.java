package org.hvkit.api.domain;

import java.util.Arrays;
import java.util.function.IntPredicate;
import java.util.stream.IntStream;

/**
 * An immutable set of physical CPU numbers (a Xen cpumap), with Xen's range-list syntax.
 *
 * <p>{@link #parse(String, int)} reads what xl accepts for {@code cpus=} and {@code vcpu-pin}:
 * {@code all}, single numbers, ranges {@code 2-5}, exclusions {@code ^3}, comma separated, applied
 * left to right; {@code node:N}/{@code nodes:N} items are resolved by the caller's topology through
 * {@link #parse(String, int, IntPredicateByNode)}. {@link #toRangeList()} writes the canonical form
 * ({@code 0-3,8}) that {@code xl vcpu-list} prints.
 */
public final class CpuMask {
    private static final long[] NO_WORDS = new long[0];
    /** The empty mask. */
    public static final CpuMask EMPTY = new CpuMask(NO_WORDS);

    private final long[] words;
    private final int cardinality;

    private CpuMask(long[] words) {
        int last = words.length;
        while (last > 0 && words[last - 1] == 0) last--;
        this.words = last == words.length ? words : Arrays.copyOf(words, last);
        int c = 0;
        for (long w : this.words) c += Long.bitCount(w);
        this.cardinality = c;
    }

    /** The mask holding exactly the given CPUs. */
    public static CpuMask of(int... cpus) {
        Builder b = builder();
        for (int c : cpus) b.set(c);
        return b.build();
    }

    /** CPUs {@code from} to {@code to}, both inclusive. */
    public static CpuMask range(int from, int to) {
        return builder().setRange(from, to).build();
    }

    /** CPUs 0 to {@code n - 1}. */
    public static CpuMask firstN(int n) {
        return n <= 0 ? EMPTY : range(0, n - 1);
    }

    public static Builder builder() {
        return new Builder();
    }

    public boolean contains(int cpu) {
        int w = cpu >>> 6;
        return cpu >= 0 && w < words.length && (words[w] & (1L << cpu)) != 0;
    }

    public int cardinality() {
        return cardinality;
    }

    public boolean isEmpty() {
        return cardinality == 0;
    }

    /** The lowest CPU in the mask that is {@code >= from}, or -1. */
    public int nextSetBit(int from) {
        if (from < 0) from = 0;
        int w = from >>> 6;
        if (w >= words.length) return -1;
        long word = words[w] & (-1L << from);
        while (true) {
            if (word != 0) return (w << 6) + Long.numberOfTrailingZeros(word);
            if (++w == words.length) return -1;
            word = words[w];
        }
    }

    /** The lowest CPU, or -1 when empty. */
    public int first() {
        return nextSetBit(0);
    }

    /** The highest CPU, or -1 when empty. */
    public int last() {
        return words.length == 0 ? -1 : (words.length - 1) * 64 + 63 - Long.numberOfLeadingZeros(words[words.length - 1]);
    }

    /** The next CPU after {@code cpu} in the mask, wrapping around; -1 when empty. */
    public int cycle(int cpu) {
        int n = nextSetBit(cpu + 1);
        return n >= 0 ? n : first();
    }

    public CpuMask and(CpuMask o) {
        long[] r = new long[Math.min(words.length, o.words.length)];
        for (int i = 0; i < r.length; i++) r[i] = words[i] & o.words[i];
        return new CpuMask(r);
    }

    public CpuMask or(CpuMask o) {
        long[] r = Arrays.copyOf(words, Math.max(words.length, o.words.length));
        for (int i = 0; i < o.words.length; i++) r[i] |= o.words[i];
        return new CpuMask(r);
    }

    public CpuMask andNot(CpuMask o) {
        long[] r = words.clone();
        for (int i = 0; i < Math.min(r.length, o.words.length); i++) r[i] &= ~o.words[i];
        return new CpuMask(r);
    }

    public boolean intersects(CpuMask o) {
        for (int i = 0; i < Math.min(words.length, o.words.length); i++) if ((words[i] & o.words[i]) != 0) return true;
        return false;
    }

    /** Whether every CPU of this mask is in {@code o}. */
    public boolean isSubsetOf(CpuMask o) {
        for (int i = 0; i < words.length; i++) {
            long ow = i < o.words.length ? o.words[i] : 0;
            if ((words[i] & ~ow) != 0) return false;
        }
        return true;
    }

    public CpuMask with(int cpu) {
        return builder().or(this).set(cpu).build();
    }

    public CpuMask without(int cpu) {
        return builder().or(this).clear(cpu).build();
    }

    public IntStream stream() {
        return IntStream.iterate(first(), c -> c >= 0, c -> nextSetBit(c + 1));
    }

    public int[] toArray() {
        return stream().toArray();
    }

    /** Canonical range list, {@code 0-3,8}; the empty mask is the empty string. */
    public String toRangeList() {
        StringBuilder sb = new StringBuilder();
        int c = first();
        while (c >= 0) {
            int end = c;
            while (contains(end + 1)) end++;
            if (!sb.isEmpty()) sb.append(',');
            sb.append(c);
            if (end > c) sb.append('-').append(end);
            c = nextSetBit(end + 1);
        }
        return sb.toString();
    }

    /**
     * How {@code xl vcpu-list} shows an affinity on a host of {@code nrCpus} pCPUs:
     * {@code any cpu} when every CPU is in it, {@code none} when empty, else the range list.
     */
    public String toXlAffinity(int nrCpus) {
        if (isEmpty()) return "none";
        if (nrCpus > 0 && CpuMask.firstN(nrCpus).isSubsetOf(this)) return "any cpu";
        return toRangeList();
    }

    /** Resolves {@code node:N} items: whether a CPU belongs to a NUMA node. */
    @FunctionalInterface
    public interface IntPredicateByNode {
        /** The CPUs of node {@code node}, or null when there is no such node. */
        CpuMask cpusOfNode(int node);
    }

    /** Parses a CPU list for a host of {@code nrCpus} pCPUs; node items are rejected. */
    public static CpuMask parse(String text, int nrCpus) {
        return parse(text, nrCpus, node -> null);
    }

    /**
     * Parses Xen's CPU list syntax: comma-separated items, each {@code all}, {@code N},
     * {@code N-M}, {@code node:N}, {@code nodes:N-M}, optionally prefixed with {@code ^} to remove.
     *
     * @throws IllegalArgumentException naming the offending item, for a bad item or a CPU that is
     *         not below {@code nrCpus}
     */
    public static CpuMask parse(String text, int nrCpus, IntPredicateByNode nodes) {
        if (text == null || text.isBlank()) throw new IllegalArgumentException("empty CPU list");
        Builder b = builder();
        for (String raw : text.split(",", -1)) {
            String item = raw.strip();
            boolean remove = item.startsWith("^");
            if (remove) item = item.substring(1);
            if (item.isEmpty()) throw new IllegalArgumentException("invalid cpumap item '" + raw + "' in '" + text + "'");
            CpuMask part;
            if (item.equals("all")) {
                part = firstN(nrCpus);
            } else if (item.startsWith("node:") || item.startsWith("nodes:")) {
                int[] r = parseRange(item.substring(item.indexOf(':') + 1), raw, text);
                Builder nb = builder();
                for (int n = r[0]; n <= r[1]; n++) {
                    CpuMask m = nodes.cpusOfNode(n);
                    if (m == null) throw new IllegalArgumentException("no such NUMA node " + n + " in '" + text + "'");
                    nb.or(m);
                }
                part = nb.build();
            } else {
                int[] r = parseRange(item, raw, text);
                if (r[1] >= nrCpus) {
                    throw new IllegalArgumentException("cpu " + r[1] + " out of range (host has " + nrCpus + " cpus) in '" + text + "'");
                }
                part = range(r[0], r[1]);
            }
            if (remove) b.andNot(part); else b.or(part);
        }
        return b.build();
    }

    private static int[] parseRange(String s, String raw, String text) {
        int dash = s.indexOf('-');
        try {
            int a = Integer.parseInt(dash < 0 ? s : s.substring(0, dash));
            int z = dash < 0 ? a : Integer.parseInt(s.substring(dash + 1));
            if (a < 0 || z < a) throw new NumberFormatException();
            return new int[] {a, z};
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid cpumap item '" + raw.strip() + "' in '" + text + "'");
        }
    }

    public CpuMask filter(IntPredicate keep) {
        Builder b = builder();
        stream().filter(keep).forEach(b::set);
        return b.build();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CpuMask m && Arrays.equals(words, m.words);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(words);
    }

    @Override
    public String toString() {
        return "[" + toRangeList() + "]";
    }

    /** A mutable builder; not thread-safe. */
    public static final class Builder {
        private long[] w = new long[1];

        private void grow(int word) {
            if (word >= w.length) w = Arrays.copyOf(w, Math.max(word + 1, w.length * 2));
        }

        public Builder set(int cpu) {
            if (cpu < 0) throw new IllegalArgumentException("negative cpu " + cpu);
            grow(cpu >>> 6);
            w[cpu >>> 6] |= 1L << cpu;
            return this;
        }

        public Builder clear(int cpu) {
            if (cpu >= 0 && (cpu >>> 6) < w.length) w[cpu >>> 6] &= ~(1L << cpu);
            return this;
        }

        public Builder setRange(int from, int to) {
            for (int c = from; c <= to; c++) set(c);
            return this;
        }

        public Builder or(CpuMask m) {
            grow(m.words.length - 1);
            for (int i = 0; i < m.words.length; i++) w[i] |= m.words[i];
            return this;
        }

        public Builder andNot(CpuMask m) {
            for (int i = 0; i < Math.min(w.length, m.words.length); i++) w[i] &= ~m.words[i];
            return this;
        }

        public CpuMask build() {
            return new CpuMask(w.clone());
        }
    }
}
