package org.hvkit.toolstack.xl.internal;

import java.io.PrintStream;

/**
 * A PCI pass-through spec {@code [DDDD:]BB:DD.F[@VSLOT][,KEY=VALUE...]} (xl.cfg {@code pci=},
 * {@code xl pci-attach}), all numbers hex: domain up to ffff, bus and device up to ff, function
 * 0-7 or {@code *} (every function), virtual slot up to ff. Keys {@code msitranslate},
 * {@code power_mgmt}, {@code permissive} take integers; an unknown key is reported, not fatal.
 */
record PciSpec(int domain, int bus, int dev, int func, boolean allFunctions, int vslot,
        Integer msitranslate, Integer powerMgmt, Integer permissive) {

    /** The device as {@code xl pci-list} shows it: {@code DDDD:BB:DD.F}. */
    String bdf() {
        return String.format("%04x:%02x:%02x.%01x", domain, bus, dev, func);
    }

    private enum State { DOMAIN, BUS, DEV, FUNC, VSLOT, OPTIONS_K, OPTIONS_V, TERMINAL }

    /** Parses a spec; unknown option keys are reported on {@code report} with {@code source}. */
    static PciSpec parse(String source, String str, PrintStream report) throws SpecException {
        SpecException bad = new SpecException("malformed BDF specification \"" + str + "\"");
        State state = State.DOMAIN;
        long dom = 0, bus = 0, dev = 0, func = 0, vslot = 0;
        boolean all = false;
        Integer msi = null, pm = null, perm = null;
        String s = str + '\0';
        int tok = 0;
        String optkey = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (state) {
                case DOMAIN -> {
                    if (c == ':') {
                        state = State.BUS;
                        dom = hex(s.substring(tok, i), 0xffff, bad);
                        tok = i + 1;
                    }
                }
                case BUS -> {
                    if (c == ':') {
                        state = State.DEV;
                        bus = hex(s.substring(tok, i), 0xff, bad);
                        tok = i + 1;
                    } else if (c == '.') { // BB:DD.F: what was read as the domain is the bus
                        state = State.FUNC;
                        if ((dom & ~0xff) != 0) throw bad;
                        bus = dom;
                        dom = 0;
                        dev = hex(s.substring(tok, i), 0xff, bad);
                        tok = i + 1;
                    }
                }
                case DEV -> {
                    if (c == '.') {
                        state = State.FUNC;
                        dev = hex(s.substring(tok, i), 0xff, bad);
                        tok = i + 1;
                    }
                }
                case FUNC -> {
                    if (c == '\0' || c == '@' || c == ',') {
                        state = c == '\0' ? State.TERMINAL : c == '@' ? State.VSLOT : State.OPTIONS_K;
                        String t = s.substring(tok, i);
                        if (t.equals("*")) all = true;
                        else func = hex(t, 0x7, bad);
                        tok = i + 1;
                    }
                }
                case VSLOT -> {
                    if (c == '\0' || c == ',') {
                        state = c == ',' ? State.OPTIONS_K : State.TERMINAL;
                        vslot = hex(s.substring(tok, i), 0xff, bad);
                        tok = i + 1;
                    }
                }
                case OPTIONS_K -> {
                    if (c == '=') {
                        state = State.OPTIONS_V;
                        optkey = s.substring(tok, i);
                        tok = i + 1;
                    }
                }
                case OPTIONS_V -> {
                    if (c == ',' || c == '\0') {
                        state = c == ',' ? State.OPTIONS_K : State.TERMINAL;
                        int v = atoi(s.substring(tok, i));
                        switch (optkey) {
                            case "msitranslate" -> msi = v;
                            case "power_mgmt" -> pm = v;
                            case "permissive" -> perm = v;
                            default -> report.println(source + ": Unknown PCI BDF option: " + optkey);
                        }
                        tok = i + 1;
                    }
                }
                default -> { }
            }
        }
        if (tok != s.length() || state != State.TERMINAL) throw bad;
        return new PciSpec((int) dom, (int) bus, (int) dev, (int) func, all, (int) vslot, msi, pm, perm);
    }

    private static long hex(String t, long mask, SpecException bad) throws SpecException {
        if (t.isEmpty() || t.length() > 16 || !t.matches("[0-9a-fA-F]+")) throw bad;
        long v = Long.parseUnsignedLong(t, 16);
        if ((v & ~mask) != 0) throw bad;
        return v;
    }

    /** C's atoi: leading blanks, an optional sign, digits; anything else ends the number. */
    static int atoi(String t) {
        int i = 0, sign = 1;
        long v = 0;
        while (i < t.length() && Character.isWhitespace(t.charAt(i))) i++;
        if (i < t.length() && (t.charAt(i) == '-' || t.charAt(i) == '+')) sign = t.charAt(i++) == '-' ? -1 : 1;
        while (i < t.length() && Character.isDigit(t.charAt(i)) && v < Integer.MAX_VALUE) v = v * 10 + (t.charAt(i++) - '0');
        return (int) (sign * Math.min(v, Integer.MAX_VALUE));
    }
}
