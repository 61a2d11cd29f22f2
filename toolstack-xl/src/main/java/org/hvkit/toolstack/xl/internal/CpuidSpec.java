package org.hvkit.toolstack.xl.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * xl.cfg's {@code cpuid=} in a typed form, parsed only (the CPUID policy service applies it).
 * libxl form: {@code "host,tm=0,sse3=0,family=6"} — an optional first word naming the base,
 * then {@code name=value} items, the value one of {@code 0 1 x k s} for a feature or a number
 * for the numeric keys. xend form: a list of {@code "leaf[,subleaf]:reg=bits,..."} with
 * {@code eax..edx} and 32 characters of {@code 0 1 x k s}, bit 31 first.
 */
record CpuidSpec(String base, List<Feature> features, List<Leaf> leaves) {
    record Feature(String name, String value) { }

    record Leaf(long leaf, Long subleaf, String register, String bits) { }

    static final Set<String> NUMERIC = Set.of("apicidsize", "brandid", "clflush", "family", "localapicid", "maxleaf", "model", "nc",
            "proccount", "procpkg", "stepping", "maxhvleaf");

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_.-]*");
    private static final Pattern BITS = Pattern.compile("[01xks]{32}");

    /** The libxl form. */
    static CpuidSpec parseLibxl(String text) throws SpecException {
        String base = null;
        List<Feature> fs = new ArrayList<>();
        String[] items = text.split(",", -1);
        for (int i = 0; i < items.length; i++) {
            String item = items[i].strip();
            int eq = item.indexOf('=');
            if (eq < 0) {
                if (i == 0 && NAME.matcher(item).matches()) {
                    base = item;
                    continue;
                }
                throw new SpecException("cpuid: invalid item '" + item + "' in \"" + text + "\" (expected name=value)");
            }
            String name = item.substring(0, eq), value = item.substring(eq + 1);
            if (!NAME.matcher(name).matches()) throw new SpecException("cpuid: invalid feature name '" + name + "' in \"" + text + "\"");
            if (NUMERIC.contains(name)) {
                if (!value.matches("[0-9]+|0x[0-9a-fA-F]+")) {
                    throw new SpecException("cpuid: " + name + " needs a number, not '" + value + "', in \"" + text + "\"");
                }
            } else if (!value.matches("[01xks]")) {
                throw new SpecException("cpuid: value of " + name + " must be 0, 1, x, k or s, not '" + value + "', in \"" + text + "\"");
            }
            fs.add(new Feature(name, value));
        }
        return new CpuidSpec(base, List.copyOf(fs), List.of());
    }

    private static final Pattern XEND = Pattern.compile("((?:0x[0-9a-fA-F]+)|[0-9]+)(?:,((?:0x[0-9a-fA-F]+)|[0-9]+))?:(.*)");

    /** The xend form: the elements of the list. */
    static CpuidSpec parseXend(List<String> elements) throws SpecException {
        List<Leaf> ls = new ArrayList<>();
        for (String e : elements) {
            Matcher m = XEND.matcher(e.strip());
            if (!m.matches()) throw new SpecException("cpuid: invalid element \"" + e + "\" (expected leaf[,subleaf]:reg=bits,...)");
            long leaf = Long.decode(m.group(1));
            Long sub = m.group(2) == null ? null : Long.decode(m.group(2));
            for (String rb : m.group(3).split(",", -1)) {
                int eq = rb.indexOf('=');
                String reg = eq < 0 ? rb : rb.substring(0, eq);
                if (eq < 0 || !reg.matches("e[abcd]x")) throw new SpecException("cpuid: invalid register '" + rb + "' in \"" + e + "\"");
                String bits = rb.substring(eq + 1);
                if (!BITS.matcher(bits).matches()) {
                    throw new SpecException("cpuid: " + reg + " needs 32 characters of 0, 1, x, k, s in \"" + e + "\"");
                }
                ls.add(new Leaf(leaf, sub, reg, bits));
            }
        }
        return new CpuidSpec(null, List.of(), List.copyOf(ls));
    }
}
