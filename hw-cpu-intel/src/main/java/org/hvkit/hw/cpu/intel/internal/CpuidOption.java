package org.hvkit.hw.cpu.intel.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import org.hvkit.api.cpu.CpuidOptionException;

/**
 * The parsed {@code cpuid=} option: both of xl.cfg's forms reduce to feature settings (by the
 * feature table), numeric field settings and raw register bits outside the feature table.
 */
final class CpuidOption {
    /** A feature setting: its canonical name and one of {@code 1 0 x k s}. */
    record Setting(String feature, char value, String source) {
    }

    /** A register bit the feature table does not name, set by the xend form. */
    record RawBit(int leaf, int subleaf, int reg, int bit, char value, String source) {
    }

    /** A numeric key of the libxl form, e.g. {@code family=6}. */
    record Numeric(String key, int value, String source) {
    }

    /** Numeric keys and their largest value. */
    static final Map<String, Integer> NUMERIC_MAX = new LinkedHashMap<>();

    static {
        NUMERIC_MAX.put("apicidsize", 15);
        NUMERIC_MAX.put("brandid", 255);
        NUMERIC_MAX.put("clflush", 255);
        NUMERIC_MAX.put("family", 15 + 255);
        NUMERIC_MAX.put("localapicid", 255);
        NUMERIC_MAX.put("maxleaf", 0xFF);
        NUMERIC_MAX.put("maxhvleaf", 0xFF);
        NUMERIC_MAX.put("model", 255);
        NUMERIC_MAX.put("nc", 255);
        NUMERIC_MAX.put("proccount", 255);
        NUMERIC_MAX.put("procpkg", 63);
        NUMERIC_MAX.put("stepping", 15);
    }

    static final String[] REGS = {"eax", "ebx", "ecx", "edx"};

    /** The first word of the libxl form: {@code host} or a model name; null if absent. */
    String base;
    final List<Setting> settings = new ArrayList<>();
    final List<RawBit> raw = new ArrayList<>();
    final Map<String, Numeric> numeric = new LinkedHashMap<>();

    /**
     * Parses the option's elements. {@code isModel} tells whether a first word names a model;
     * {@code modelNames} is listed in the error when it does not.
     */
    static CpuidOption parse(List<String> elements, Predicate<String> isModel, List<String> modelNames) {
        CpuidOption o = new CpuidOption();
        if (elements == null) return o;
        int n = elements.size();
        for (int e = 0; e < n; e++) {
            String text = elements.get(e);
            int elem = n > 1 ? e + 1 : 0;
            if (text == null || text.isBlank()) {
                if (n == 1) continue;
                throw new CpuidOptionException(text == null ? "" : text, elem, 1, "empty element");
            }
            if (text.indexOf(':') >= 0) o.parseXend(text, elem);
            else o.parseLibxl(text, elem, e == 0, isModel, modelNames);
        }
        return o;
    }

    /** A piece of {@code text}: the trimmed string and its 1-based column. */
    private record Piece(String s, int col) {
    }

    private static List<Piece> split(String text, int from, int to, char sep) {
        List<Piece> out = new ArrayList<>();
        int start = from;
        for (int i = from; i <= to; i++) {
            if (i == to || text.charAt(i) == sep) {
                int a = start, b = i;
                while (a < b && Character.isWhitespace(text.charAt(a))) a++;
                while (b > a && Character.isWhitespace(text.charAt(b - 1))) b--;
                out.add(new Piece(text.substring(a, b), a + 1));
                start = i + 1;
            }
        }
        return out;
    }

    private static String quote(String s) {
        return "\"" + s + "\"";
    }

    private void parseLibxl(String text, int elem, boolean firstElement, Predicate<String> isModel, List<String> modelNames) {
        List<Piece> items = split(text, 0, text.length(), ',');
        for (int i = 0; i < items.size(); i++) {
            Piece it = items.get(i);
            if (it.s.isEmpty()) throw new CpuidOptionException(text, elem, it.col, "empty item");
            int eq = it.s.indexOf('=');
            if (eq < 0) {
                String word = it.s;
                if (Feature.byName(word) != null || NUMERIC_MAX.containsKey(word.toLowerCase(Locale.ROOT)))
                    throw new CpuidOptionException(text, elem, it.col, "expected name=value, got " + quote(word));
                if (i > 0 || !firstElement)
                    throw new CpuidOptionException(text, elem, it.col,
                            word.equalsIgnoreCase("host") || isModel.test(word) ? quote(word) + " must be the first item" : "expected name=value, got " + quote(word));
                if (!word.equalsIgnoreCase("host") && !isModel.test(word))
                    throw new CpuidOptionException(text, elem, it.col, "unknown CPU model " + quote(word) + "; known: host" + (modelNames.isEmpty() ? "" : ", " + String.join(", ", modelNames)));
                base = word.equalsIgnoreCase("host") ? "host" : word;
                continue;
            }
            String name = it.s.substring(0, eq).trim();
            String value = it.s.substring(eq + 1).trim();
            int valueCol = it.col + eq + 1;
            while (valueCol - 1 < text.length() && Character.isWhitespace(text.charAt(valueCol - 1))) valueCol++;
            if (name.isEmpty()) throw new CpuidOptionException(text, elem, it.col, "missing name before " + quote("="));
            String key = name.toLowerCase(Locale.ROOT);
            if (NUMERIC_MAX.containsKey(key)) {
                int max = NUMERIC_MAX.get(key);
                long v = parseNumber(value);
                if (v < 0) throw new CpuidOptionException(text, elem, valueCol, "value of " + key + " must be a number, not " + quote(value));
                if (v > max) throw new CpuidOptionException(text, elem, valueCol, key + " must be 0.." + max + ", not " + value);
                numeric.put(key, new Numeric(key, (int) v, it.s));
                continue;
            }
            Feature f = Feature.byName(name);
            if (f == null) throw new CpuidOptionException(text, elem, it.col, "unknown CPUID feature " + quote(name));
            if (value.length() != 1 || "10xks".indexOf(Character.toLowerCase(value.charAt(0))) < 0)
                throw new CpuidOptionException(text, elem, valueCol, "value of " + name + " must be 0, 1, x, k or s, not " + quote(value));
            settings.add(new Setting(f.name(), Character.toLowerCase(value.charAt(0)), it.s));
        }
    }

    private void parseXend(String text, int elem) {
        int colon = text.indexOf(':');
        List<Piece> head = split(text, 0, colon, ',');
        if (head.size() > 2) throw new CpuidOptionException(text, elem, head.get(2).col, "expected leaf[,subleaf] before \":\"");
        Piece leafP = head.get(0);
        long leaf = parseNumber(leafP.s);
        if (leaf < 0 || leaf > 0xFFFFFFFFL) throw new CpuidOptionException(text, elem, leafP.col, "leaf " + quote(leafP.s) + " is not a number");
        long sub = 0;
        if (head.size() == 2) {
            Piece subP = head.get(1);
            sub = parseNumber(subP.s);
            if (sub < 0 || sub > 0xFFFFFFFFL) throw new CpuidOptionException(text, elem, subP.col, "subleaf " + quote(subP.s) + " is not a number");
        }
        List<Piece> regs = split(text, colon + 1, text.length(), ',');
        for (Piece r : regs) {
            if (r.s.isEmpty()) throw new CpuidOptionException(text, elem, r.col, "empty register setting");
            int eq = r.s.indexOf('=');
            if (eq < 0) throw new CpuidOptionException(text, elem, r.col, "expected reg=bits, got " + quote(r.s));
            String regName = r.s.substring(0, eq).trim().toLowerCase(Locale.ROOT);
            int reg = List.of(REGS).indexOf(regName);
            if (reg < 0) throw new CpuidOptionException(text, elem, r.col, "unknown register " + quote(r.s.substring(0, eq).trim()) + "; expected eax, ebx, ecx or edx");
            String bits = r.s.substring(eq + 1);
            int bitsCol = r.col + eq + 1;
            if (bits.length() != 32)
                throw new CpuidOptionException(text, elem, bitsCol, regName + " needs 32 bit characters (bit 31 first), got " + bits.length());
            for (int i = 0; i < 32; i++) {
                char c = Character.toLowerCase(bits.charAt(i));
                int bit = 31 - i;
                if ("10xks".indexOf(c) < 0)
                    throw new CpuidOptionException(text, elem, bitsCol + i, "bit " + bit + " of " + regName + " is " + quote(String.valueOf(bits.charAt(i))) + "; expected 1, 0, x, k or s");
                if (c == 'x') continue;
                String source = String.format("0x%08x,%d:%s bit %d=%c", leaf, sub, regName, bit, c);
                Feature f = Feature.at((int) leaf, (int) sub, reg, bit);
                if (f != null) settings.add(new Setting(f.name(), c, source));
                else raw.add(new RawBit((int) leaf, (int) sub, reg, bit, c, source));
            }
        }
    }

    /** A non-negative decimal or 0x-hex number, or -1. */
    static long parseNumber(String s) {
        try {
            if (s.startsWith("0x") || s.startsWith("0X")) return s.length() > 2 && s.length() <= 10 ? Long.parseLong(s.substring(2), 16) : -1;
            if (s.isEmpty() || s.length() > 10 || !s.chars().allMatch(Character::isDigit)) return -1;
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
