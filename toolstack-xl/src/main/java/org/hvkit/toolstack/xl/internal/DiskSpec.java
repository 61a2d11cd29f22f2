package org.hvkit.toolstack.xl.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A disk spec (xen.md §7.4) in the typed form of libxl_device_disk. The scanner follows the 4.2
 * grammar: at each position the longest matching item wins (ties go to the earlier item below):
 * leading blanks; {@code format=}, {@code cdrom}, {@code devtype=}, {@code access=},
 * {@code backendtype=}, {@code vdev=}, {@code script=}; {@code target=} (eats the rest); an
 * unknown {@code key=}; the deprecated xend prefixes ({@code raw: qcow: qcow2: vhd:} set the
 * format, {@code iscsi: nbd: enbd: drbd:} a block script, {@code tapdisk: tap: tap2: aio: ioemu:
 * file: phy:} are ignored) which match up to the end of the spec; an unknown prefix; and the
 * positional parameters target, format, vdev[:devtype], access.
 */
final class DiskSpec {
    /** libxl_disk_backend and libxl_disk_format, by their libxl names. */
    enum Backend { UNKNOWN, PHY, TAP, QDISK }

    enum Format { UNKNOWN, QCOW, QCOW2, VHD, RAW, EMPTY }

    String pdevPath;
    String vdev;
    Backend backend = Backend.UNKNOWN;
    Format format = Format.UNKNOWN;
    String script;
    int removable;
    int readwrite = 1;
    int isCdrom;
    int backendDomid;

    private final String source;
    private String spec = "";
    private boolean hadDeprPrefix;
    private boolean accessSet;
    private final List<String> errors = new ArrayList<>();

    private DiskSpec(String source) {
        this.source = source;
    }

    /** Parses one disk spec from an xl.cfg {@code disk=} list (or the command line). */
    static DiskSpec parse(String source, String spec) throws SpecException {
        return parse(source, List.of(spec));
    }

    /** Parses specs given as several words that together describe one disk (xl block-attach). */
    static DiskSpec parse(String source, List<String> specs) throws SpecException {
        DiskSpec d = new DiskSpec(source);
        for (String s : specs) {
            d.spec = s;
            if (!d.scan(s)) break;
        }
        if (d.errors.isEmpty()) d.finish();
        if (!d.errors.isEmpty()) throw new SpecException(String.join("\n", d.errors));
        return d;
    }

    private void finish() {
        if (format == Format.UNKNOWN) format = Format.RAW;
        if (isCdrom != 0) {
            removable = 1;
            readwrite = 0;
            if (pdevPath == null || pdevPath.isEmpty()) format = Format.EMPTY;
        }
        if (vdev == null) {
            err(null, "no vdev specified");
            return;
        }
        if (pdevPath == null && removable == 0) err(null, "no target specified (and device not removable)");
    }

    private void err(String near, String message) {
        errors.add(source + ": config parsing error in disk specification: " + message
                + (near != null ? ": near `" + near + "'" : "") + " in `" + spec + "'");
    }

    private static final Pattern KEYED = Pattern.compile("(format|devtype|access|backendtype|vdev|script)=([^,]*)(,?)");
    private static final Pattern UNKNOWN_KEY = Pattern.compile("[a-z][-a-z0-9]*=,?");
    private static final Pattern PREFIX = Pattern.compile("(raw|qcow2?|vhd|iscsi|nbd|enbd|drbd|tapdisk|tap2?|aio|ioemu|file|phy):");
    private static final Pattern UNKNOWN_PREFIX = Pattern.compile("([a-z][a-z0-9]*:)([^a-z0-9]|[a-z0-9][^:])");
    private static final Pattern POSITIONAL = Pattern.compile("[^=,]*,|[^=,]+,?");

    /** Scans one spec; false when scanning must stop (an error that ends the parse). */
    private boolean scan(String s) {
        int p = 0;
        while (p < s.length()) {
            char c = s.charAt(p);
            if (c == ' ' || c == '\t' || c == '\n') {
                p++;
                continue;
            }
            String rest = s.substring(p);
            // candidates in rule order, longest wins, the earlier on a tie
            int best = -1, bestRule = -1;
            Matcher keyed = KEYED.matcher(rest);
            int[] len = new int[7];
            len[0] = rest.startsWith("cdrom,") ? 6 : rest.startsWith("cdrom") ? 5 : -1;
            len[1] = keyed.lookingAt() ? keyed.end() : -1;
            len[2] = rest.startsWith("target=") ? rest.length() : -1;
            Matcher unknownKey = UNKNOWN_KEY.matcher(rest);
            len[3] = unknownKey.lookingAt() ? unknownKey.end() : -1;
            Matcher prefix = PREFIX.matcher(rest);
            len[4] = prefix.lookingAt() ? rest.length() : -1;
            Matcher unknownPrefix = UNKNOWN_PREFIX.matcher(rest);
            len[5] = unknownPrefix.lookingAt() ? unknownPrefix.end() : -1;
            Matcher positional = POSITIONAL.matcher(rest);
            len[6] = positional.lookingAt() && positional.end() > 0 ? positional.end() : -1;
            for (int r = 0; r < len.length; r++) { // cdrom and the keyed items never start alike
                if (len[r] > best) {
                    best = len[r];
                    bestRule = r;
                }
            }
            if (bestRule < 0) {
                err(rest, "bad disk syntax");
                return false;
            }
            String text = rest.substring(0, best);
            switch (bestRule) {
                case 0 -> isCdrom = 1;
                case 1 -> {
                    String key = keyed.group(1), value = keyed.group(2);
                    switch (key) {
                        case "format" -> setFormat(value);
                        case "devtype" -> {
                            if (value.equals("cdrom")) isCdrom = 1;
                            else err(text, "unknown value for type");
                        }
                        case "access" -> setAccess(value);
                        case "backendtype" -> setBackend(value);
                        case "vdev" -> vdev = save("vdev", vdev, value);
                        default -> script = save("script", script, value);
                    }
                }
                case 2 -> {
                    String value = rest.substring("target=".length());
                    if (value.endsWith(",")) value = value.substring(0, value.length() - 1);
                    pdevPath = save("target", pdevPath, value);
                }
                case 3 -> err(text, "unknown parameter");
                case 4 -> {
                    String name = prefix.group(1);
                    hadDeprPrefix = true;
                    switch (name) {
                        case "raw", "qcow", "qcow2", "vhd" -> setFormat(name);
                        case "iscsi", "nbd", "enbd", "drbd" -> script = save("script", script, "block-" + name);
                        default -> { } // tapdisk:, tap:, tap2:, aio:, ioemu:, file:, phy: are accepted and ignored
                    }
                    best = prefix.end();
                }
                case 5 -> {
                    err(unknownPrefix.group(1), "unknown deprecated disk prefix");
                    return false;
                }
                default -> {
                    if (!positional(text.endsWith(",") ? text.substring(0, text.length() - 1) : text)) return false;
                }
            }
            p += best;
        }
        return true;
    }

    private boolean positional(String t) {
        if (!errors.isEmpty()) return true; // earlier errors may just lead to later ones
        if (pdevPath == null) {
            pdevPath = save("target", pdevPath, t);
        } else if (!hadDeprPrefix && format == Format.UNKNOWN) {
            if (pdevPath.isEmpty() && vdevAndDevtype(t)) format = Format.EMPTY;
            else setFormat(t);
        } else if (vdev == null) {
            if (!vdevAndDevtype(t)) vdev = save("vdev", vdev, t);
        } else if (!accessSet) {
            accessSet = true;
            setAccess(t);
        } else {
            err(t, "too many positional parameters");
            return false;
        }
        return true;
    }

    /** The deprecated {@code <vdev>:<devtype>} form; false (doing nothing) when there is no colon. */
    private boolean vdevAndDevtype(String t) {
        int colon = t.lastIndexOf(':');
        if (colon < 0) return false;
        vdev = save("vdev", vdev, t.substring(0, colon));
        String type = t.substring(colon + 1);
        if (type.equals("cdrom")) isCdrom = 1;
        else if (type.equals("disk")) isCdrom = 0;
        else err(type, "unknown deprecated type");
        return true;
    }

    private String save(String what, String old, String value) {
        if (old != null && !old.isEmpty()) {
            err(value, what + " respecified");
            return old;
        }
        return value;
    }

    private void setFormat(String v) {
        Format f = switch (v) {
            case "", "raw" -> Format.RAW;
            case "qcow" -> Format.QCOW;
            case "qcow2" -> Format.QCOW2;
            case "vhd" -> Format.VHD;
            case "empty" -> Format.EMPTY;
            default -> null;
        };
        if (f == null) err(v, "unknown value for format");
        else if (format != Format.UNKNOWN && format != f) err(v, "format respecified");
        else format = f;
    }

    private void setAccess(String v) {
        switch (v) {
            case "", "rw", "w" -> readwrite = 1;
            case "r", "ro" -> readwrite = 0;
            default -> err(v, "unknown value for access");
        }
    }

    private void setBackend(String v) {
        Backend b = switch (v) {
            case "phy" -> Backend.PHY;
            case "tap" -> Backend.TAP;
            case "qdisk" -> Backend.QDISK;
            default -> null;
        };
        if (b == null) err(v, "unknown value for backendtype");
        else if (backend != Backend.UNKNOWN && backend != b) err(v, "backend respecified");
        else backend = b;
    }

    /** The libxl_device_disk fields as xl 4.2's {@code -N block-attach} prints them. */
    Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("backend_domid", backendDomid);
        m.put("pdev_path", pdevPath);
        m.put("vdev", vdev);
        m.put("backend", backend);
        m.put("format", format);
        m.put("script", script);
        m.put("removable", removable);
        m.put("readwrite", readwrite);
        m.put("is_cdrom", isCdrom);
        return m;
    }
}
