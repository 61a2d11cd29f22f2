package org.hvkit.toolstack.xl.internal;

import java.util.Optional;
import org.hvkit.api.toolstack.Hypervisor;
import org.hvkit.api.toolstack.PoolInfo;

/**
 * xl 4.2's cpupool qualifier: an all-digit argument is a pool id (strtoul, so never a name),
 * anything else a pool name. The pool must exist (libxl_cpupoolid_is_valid).
 */
final class PoolQualifier {
    /** xl's -ERROR_FAIL: the status of "unknown cpupool" where main returns it directly. */
    static final int UNKNOWN = 3;

    private PoolQualifier() {
    }

    static Optional<PoolInfo> resolve(Hypervisor hv, String q) {
        if (!q.isEmpty() && q.chars().allMatch(c -> c >= '0' && c <= '9')) {
            long id = strtoul(q);
            return hv.pools().stream().filter(p -> p.id() == id).findFirst();
        }
        return hv.pools().stream().filter(p -> p.name().equals(q)).findFirst();
    }

    /** {@link #resolve}, saying xl's "unknown cpupool" on {@code err} when there is none; null then. */
    static PoolInfo find(Hypervisor hv, String q, java.io.PrintStream err) {
        var p = resolve(hv, q);
        if (p.isEmpty()) err.println("unknown cpupool '" + q + "'");
        return p.orElse(null);
    }

    /**
     * The pools that {@code xl sched-SCHED} without a domain lists: every pool running {@code sched},
     * or only the one {@code -p} names; null (said on {@code err}) when that pool does not exist.
     */
    static java.util.List<PoolInfo> listed(Hypervisor hv, String sched, String pool, java.io.PrintStream err) {
        java.util.List<PoolInfo> pools = XlCommand.poolsOn(hv, sched);
        if (pool == null) return pools;
        PoolInfo p = find(hv, pool, err);
        return p == null ? null : pools.stream().filter(x -> x.id() == p.id()).toList();
    }

    /** strtoul on digits, truncated to uint32_t as xl stores it; saturates like strtoul. */
    private static long strtoul(String digits) {
        String d = digits.replaceFirst("^0+(?=.)", "");
        try {
            return Long.parseUnsignedLong(d) & 0xFFFF_FFFFL;
        } catch (NumberFormatException e) {
            return 0xFFFF_FFFFL;
        }
    }
}
