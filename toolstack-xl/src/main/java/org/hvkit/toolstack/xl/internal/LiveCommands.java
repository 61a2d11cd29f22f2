package org.hvkit.toolstack.xl.internal;

import java.io.PrintStream;
import java.util.List;
import org.hvkit.api.toolstack.Hypervisor;
import org.hvkit.api.toolstack.HypervisorException;

/** xl's commands that change a running domain's shape: vcpu-set and rename (4.2 main_vcpuset, main_rename). */
final class LiveCommands {
    private LiveCommands() {
    }

    /**
     * xl vcpu-set DOMAIN N. As in 4.2, xl's status is 0 even when the change is refused (vcpuset()
     * only prints): the messages are what tells.
     */
    static int vcpuSet(Hypervisor hv, List<String> a, PrintStream err) {
        long n = leadingNumber(a.get(1));
        if (n < 0) {
            err.println("Error: Invalid argument.");
            return 0;
        }
        Integer domid = XlCommand.findDomain(hv, a.get(0), err);
        if (domid == null) return 2;
        try {
            hv.setVcpusOnline(domid, (int) Math.min(n, Integer.MAX_VALUE));
        } catch (HypervisorException e) {
            err.println(LibxlLog.error(e.getMessage().startsWith("Requested ") ? LibxlLog.VCPU_ONLINE_MAX : LibxlLog.VCPU_ONLINE, e.getMessage()));
            err.println("libxl_set_vcpuonline failed domid=" + domid + " max_vcpus=" + n);
        }
        return 0;
    }

    /** strtoul's reading, with xl's only check (some digits were read): the leading decimal number, or -1. */
    static long leadingNumber(String s) {
        int i = 0;
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
        if (i < s.length() && s.charAt(i) == '+') i++;
        long v = 0;
        int start = i;
        while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            v = Math.min(v * 10 + (s.charAt(i) - '0'), 1L << 32);
            i++;
        }
        return i == start ? -1 : v;
    }

    /** libxl__domain_rename's line for a refused name: 4.2's for a name in use, else the closest (the commit). */
    static String renameLine(HypervisorException e) {
        return LibxlLog.error(e.getMessage().endsWith(" already exists.") ? LibxlLog.DOMAIN_RENAME_EXISTS : LibxlLog.DOMAIN_RENAME, e.getMessage());
    }

    /** xl rename DOMAIN NEWNAME. */
    static int rename(Hypervisor hv, List<String> a, PrintStream err) {
        Integer domid = XlCommand.findDomain(hv, a.get(0), err);
        if (domid == null) return 2;
        try {
            hv.renameDomain(domid, a.get(1));
        } catch (HypervisorException e) {
            err.println(renameLine(e));
            err.println("Can't rename domain '" + a.get(0) + "'.");
            return 1;
        }
        return 0;
    }
}
