package org.hvkit.toolstack.xl.internal;

import java.io.PrintStream;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * A vif spec (xen.md §7.5) in the typed form of libxl_device_nic, with the {@code rate=} grammar
 * {@code <N>[GMK]{B|b}/s[@<N>[m|u][s]]}: the rate in bytes (or bits, divided by 8) per second,
 * 1 to 2^32-1 before the unit; the replenishment interval in seconds (no unit), ms or us, default
 * 50 ms, at most 2^32-1 us; the credit per interval is rate × interval / 10^6 and a product that
 * does not fit 64 unsigned bits is a "rate overflow".
 */
final class VifSpec {
    enum NicType { VIF_IOEMU, VIF }

    int backendDomid;
    int devid;
    int mtu;
    String model;
    final int[] mac = new int[6];
    String ip;
    String bridge;
    String ifname;
    String script;
    NicType nictype;
    long rateBytesPerInterval;
    int rateIntervalUsecs;

    /** How a backend domain name becomes an id (null: no such domain). */
    interface Domains extends Function<String, Integer> { }

    /**
     * One element of xl.cfg's {@code vif=} list, read as xl 4.2 reads it: comma-separated
     * {@code key=value} items, an item without {@code =} ends the spec. Keys xl ignores (and
     * unknown ones) are reported on {@code warn} instead of being dropped silently.
     */
    static VifSpec parseCfg(String source, String spec, int devid, Domains domains, PrintStream warn) throws SpecException {
        VifSpec n = new VifSpec();
        n.devid = devid;
        for (String item : spec.split(",")) {
            if (item.isEmpty()) continue; // strtok skips empty fields
            String p = item.replaceFirst("^ +", "");
            int eq = p.indexOf('=');
            if (eq < 0) break;
            String key = p.substring(0, eq), value = p.substring(eq + 1);
            switch (key) {
                case "model" -> n.model = value;
                case "mac" -> n.macFixed(value);
                case "bridge" -> n.bridge = value;
                case "type" -> n.nictype = value.equals("ioemu") ? NicType.VIF_IOEMU : NicType.VIF;
                case "ip" -> n.ip = value;
                case "script" -> n.script = value;
                case "vifname" -> n.ifname = value;
                case "backend" -> n.backend(value, domains, warn);
                case "rate" -> n.rate(source, value);
                case "accel" -> warn.println("the accel parameter for vifs is currently not supported");
                default -> warn.println("warning: " + source + ": vif: unknown key '" + key + "' ignored in `" + spec + "'");
            }
        }
        return n;
    }

    /** The words after the domain of {@code xl network-attach}: each one {@code key=value}. */
    static VifSpec parseArgs(List<String> words, Domains domains, PrintStream warn) throws SpecException {
        VifSpec n = new VifSpec();
        for (String w : words) {
            int eq = w.indexOf('=');
            String key = eq < 0 ? w : w.substring(0, eq), value = eq < 0 ? null : w.substring(eq + 1);
            if (value == null) throw new SpecException("unrecognized argument `" + w + "'");
            switch (key) {
                case "type" -> {
                    if (value.equals("vif")) n.nictype = NicType.VIF;
                    else if (value.equals("ioemu")) n.nictype = NicType.VIF_IOEMU;
                    else throw new SpecException("Invalid parameter `type'.");
                }
                case "mac" -> n.macTokens(value);
                case "bridge" -> n.bridge = value;
                case "ip" -> n.ip = value;
                case "script" -> n.script = value;
                case "backend" -> n.backend(value, domains, warn);
                case "vifname" -> n.ifname = value;
                case "model" -> n.model = value;
                case "rate" -> n.rate("command line", value);
                case "accel" -> { }
                default -> throw new SpecException("unrecognized argument `" + w + "'");
            }
        }
        return n;
    }

    private void backend(String value, Domains domains, PrintStream warn) {
        Integer id = domains.apply(value);
        if (id == null) {
            warn.println("Specified backend domain does not exist, defaulting to Dom0");
            id = 0;
        }
        backendDomid = id;
    }

    private static final Pattern MAC = Pattern.compile("[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}");

    /** xl.cfg's form: six two-digit hex bytes separated by colons. */
    private void macFixed(String v) throws SpecException {
        if (!MAC.matcher(v).matches()) throw new SpecException("Invalid parameter `mac'.");
        for (int i = 0; i < 6; i++) mac[i] = Integer.parseInt(v.substring(i * 3, i * 3 + 2), 16);
    }

    /** network-attach's form: up to six hex numbers separated by colons, each at most ff. */
    private void macTokens(String v) throws SpecException {
        int i = 0;
        for (String tok : v.split(":")) {
            if (tok.isEmpty()) continue;
            if (i == 6) break;
            int end = 0;
            while (end < tok.length() && Character.digit(tok.charAt(end), 16) >= 0) end++;
            if (end == 0) throw new SpecException("Invalid parameter `mac'.");
            long val = Long.parseLong(tok.substring(0, Math.min(end, 12)), 16);
            if (val > 255) throw new SpecException("Invalid parameter `mac'.");
            mac[i++] = (int) val;
        }
    }

    private static final Pattern RATE = Pattern.compile("[0-9]+[GMK]?[Bb]/s");
    private static final Pattern INTERVAL = Pattern.compile("[0-9]+[mu]?s?");
    private static final long UINT32_MAX = 0xffffffffL;

    /** Parses {@code rate=}; sets the two rate fields. */
    void rate(String source, String rate) throws SpecException {
        long[] r = parseRate(source, rate);
        rateBytesPerInterval = r[0];
        rateIntervalUsecs = (int) r[1];
    }

    /** {@code {bytes per interval (unsigned), interval in us}}. */
    static long[] parseRate(String source, String rate) throws SpecException {
        int at = rate.indexOf('@');
        String bytes = at < 0 ? rate : rate.substring(0, at);
        String interval = at < 0 ? null : rate.substring(at + 1);
        if (bytes.isEmpty()) throw vifErr(source, "no rate specified", bytes);
        if (!RATE.matcher(bytes).matches()) throw vifErr(source, "invalid rate", bytes);
        int[] pos = {0};
        long perSec = strtoul(bytes, pos);
        if (perSec == 0 || perSec > UINT32_MAX) throw vifErr(source, "invalid rate", bytes);
        char u = bytes.charAt(pos[0]);
        if (u == 'G') perSec *= 1_000_000_000L;
        else if (u == 'M') perSec *= 1_000_000L;
        else if (u == 'K') perSec *= 1_000L;
        if (u == 'G' || u == 'M' || u == 'K') u = bytes.charAt(pos[0] + 1);
        if (u == 'b') perSec /= 8;
        long usecs = 50_000;
        if (interval != null) {
            if (interval.isEmpty()) throw vifErr(source, "no replenishment interval specified", bytes);
            if (!INTERVAL.matcher(interval).matches()) throw vifErr(source, "invalid replenishment interval", interval);
            pos[0] = 0;
            long t = strtoul(interval, pos);
            if (t == 0 || t > UINT32_MAX) throw vifErr(source, "invalid replenishment interval", interval);
            char c = pos[0] < interval.length() ? interval.charAt(pos[0]) : '\0';
            if (c == 's' || c == '\0') t *= 1_000_000L;
            else if (c == 'm') t *= 1_000L;
            if (t > UINT32_MAX) throw vifErr(source, "replenishment interval too high", interval);
            usecs = t;
        }
        BigInteger max = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
        BigInteger bps = new BigInteger(Long.toUnsignedString(perSec));
        if (bps.compareTo(max.divide(BigInteger.valueOf(usecs))) > 0) throw vifErr(source, "rate overflow", bytes);
        long perInterval = bps.multiply(BigInteger.valueOf(usecs)).divide(BigInteger.valueOf(1_000_000)).longValue();
        return new long[] {perInterval, usecs};
    }

    /** C's strtoul with base 0 on a decimal/octal digit run (the patterns exclude hex). */
    private static long strtoul(String s, int[] pos) {
        int i = pos[0], start = i;
        while (i < s.length() && Character.isDigit(s.charAt(i))) i++;
        String digits = s.substring(start, i);
        int radix = 10;
        if (digits.length() > 1 && digits.charAt(0) == '0') {
            radix = 8;
            int j = 1;
            while (j < digits.length() && digits.charAt(j) < '8') j++;
            digits = digits.substring(0, j);
            i = start + j;
        }
        pos[0] = i;
        BigInteger v = new BigInteger(digits, radix);
        return v.bitLength() > 63 ? Long.MAX_VALUE : v.longValue();
    }

    private static SpecException vifErr(String source, String msg, String text) {
        return new SpecException(source + ": config parsing error in vif: " + msg + " in `" + text + "'");
    }

    String macString() {
        return String.format("%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
    }

    /** The libxl_device_nic fields as xl 4.2's {@code -N network-attach} prints them. */
    Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("backend_domid", backendDomid);
        m.put("devid", devid);
        m.put("mtu", mtu);
        m.put("model", model);
        m.put("mac", macString());
        m.put("ip", ip);
        m.put("bridge", bridge);
        m.put("ifname", ifname);
        m.put("script", script);
        m.put("nictype", nictype);
        m.put("rate_bytes_per_interval", new BigInteger(Long.toUnsignedString(rateBytesPerInterval)));
        m.put("rate_interval_usecs", Integer.toUnsignedLong(rateIntervalUsecs));
        return m;
    }
}
