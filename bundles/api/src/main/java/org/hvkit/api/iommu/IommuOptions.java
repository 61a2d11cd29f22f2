package org.hvkit.api.iommu;

import java.util.Locale;

/**
 * The {@code iommu=} options (framework property {@value #PROPERTY}), parsed as Xen 4.2's
 * {@code parse_iommu_param}: a comma list, each item negated by a {@code no-} prefix, a boolean
 * word ({@code off}, {@code no}, {@code false}, {@code disable}, {@code 0} / {@code on} ...)
 * turning the IOMMU off or on. Read by the core (assignment) and by the DMA-remapping unit.
 *
 * @param enabled off: no device can be assigned (Xen: {@code iommu_enabled = 0})
 * @param force   {@code force}/{@code required}: no device is assignable while no unit is there
 * @param sharept the unit walks the domain's p2m (EPT/VT-d page-table sharing, Xen's default)
 * @param verbose {@code verbose} (and {@code debug}): say more in {@code xl dmesg}
 * @param debug   {@code debug}: also dump the VT-d entries of a faulting request
 * @since 1.1
 */
public record IommuOptions(boolean enabled, boolean force, boolean sharept, boolean verbose, boolean debug) {
    public static final String PROPERTY = "hvkit.iommu";
    /** Xen 4.2's defaults: enabled (the code's value; its comment says off), not forced, sharept. */
    public static final IommuOptions DEFAULT = new IommuOptions(true, false, true, false, false);
    /** Accepted and without effect here: parts of VT-d hvkit does not model. */
    private static final java.util.Set<String> IGNORED = java.util.Set.of("workaround_bios_bug", "snoop", "qinval", "intremap",
            "amd-iommu-perdev-intremap", "dom0-passthrough", "dom0-strict");

    /**
     * @throws IllegalArgumentException naming the property, the value and the word not understood
     *         (Xen ignores unknown words; a setting that does nothing here is refused instead)
     */
    public static IommuOptions parse(String value) {
        if (value == null || value.isBlank()) return DEFAULT;
        boolean enabled = DEFAULT.enabled, force = DEFAULT.force, sharept = DEFAULT.sharept, verbose = DEFAULT.verbose, debug = DEFAULT.debug;
        for (String raw : value.strip().split(",", -1)) {
            String s = raw.strip().toLowerCase(Locale.ROOT);
            boolean val = !s.startsWith("no-");
            if (!val) s = s.substring(3);
            switch (s) {
                case "off", "no", "false", "disable", "0" -> enabled = false;
                case "on", "yes", "true", "enable", "1" -> enabled = true;
                case "force", "required" -> force = val;
                case "sharept" -> sharept = val;
                case "verbose" -> verbose = val;
                case "debug" -> {
                    debug = val;
                    if (val) verbose = true;
                }
                default -> {
                    if (!IGNORED.contains(s)) {
                        throw new IllegalArgumentException(PROPERTY + "=" + value + ": '" + raw.strip() + "' is not an iommu= option; expected a comma list of"
                                + " on, off, force, required, sharept, verbose, debug (each may be given as no-...)");
                    }
                }
            }
        }
        return new IommuOptions(enabled, force, sharept, verbose, debug);
    }
}
