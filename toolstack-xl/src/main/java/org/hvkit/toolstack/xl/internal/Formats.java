package org.hvkit.toolstack.xl.internal;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.hvkit.api.domain.DomainInfo;
import org.hvkit.api.domain.RunState;
import org.hvkit.api.domain.VcpuInfo;
import org.hvkit.api.toolstack.PhysInfo;

/** xl's output formats, byte for byte as Xen 4.2 prints them (xen.md §5). */
final class Formats {
    private Formats() {
    }

    static final String LIST_HEADER = "Name                                        ID   Mem VCPUs\tState\tTime(s)";

    /** {@code xl list -v} adds the UUID, the shutdown reason code and the security label. */
    static final String LIST_HEADER_VERBOSE = LIST_HEADER + "   UUID                            Reason-Code\tSecurity Label";

    /** {@code xl list -Z} adds the security label. */
    static final String LIST_HEADER_CONTEXT = LIST_HEADER + "   Security Label";

    /** A verbose row: the plain row, the UUID, the reason code in hex ({@code -} unless shut down), the label ({@code -} without FLASK). */
    static String listRowVerbose(DomainInfo d, String label) {
        String reason = d.shutdown() && d.shutdownReason() != null
                ? String.format(Locale.ROOT, "%8x", d.shutdownReason().code()) : String.format(Locale.ROOT, "%8s", "-");
        return listRow(d) + " " + d.uuid() + " " + reason + labelColumn(label);
    }

    /** What -v and -Z append: two spaces and the label, or {@code -} when there is none. */
    static String labelColumn(String label) {
        return "  " + (label == null ? "-" : label);
    }

    static String listRow(DomainInfo d) {
        return String.format(Locale.ROOT, "%-40s %5d %5d %5d     %s  %8.1f", d.name(), d.id(), d.memoryMb(), d.onlineVcpus(),
                d.stateString(), d.cpuTimeNs() / 1e9);
    }

    static final String VCPU_HEADER = String.format(Locale.ROOT, "%-32s %5s %5s %5s %5s %9s %s", "Name", "ID", "VCPU", "CPU", "State", "Time(s)", "CPU Affinity");

    static String vcpuRow(VcpuInfo v, int nrCpus) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-32s %5d %5d", v.domainName(), v.domainId(), v.vcpuId()));
        if (!v.online()) {
            sb.append(String.format(Locale.ROOT, "%5c %3c%cp ", '-', '-', '-'));
        } else {
            sb.append(String.format(Locale.ROOT, "%5d %3c%c- ", v.processor(), v.state() == RunState.RUNNING ? 'r' : '-',
                    v.state() == RunState.BLOCKED ? 'b' : '-'));
        }
        sb.append(String.format(Locale.ROOT, "%9.1f  ", v.cpuTimeNs() / 1e9));
        sb.append(v.hardAffinity().toXlAffinity(nrCpus));
        return sb.toString();
    }

    static String infoLine(String name, Object value) {
        return String.format(Locale.ROOT, "%-23s: %s", name, value);
    }

    static String hwCaps(int[] words) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < words.length; i++) {
            if (i > 0) sb.append(':');
            sb.append(String.format(Locale.ROOT, "%08x", words[i]));
        }
        return sb.toString();
    }

    /** The {@code xl info} lines in 4.2's order. */
    static List<String> info(PhysInfo p, Map<String, String> host) {
        return info(p, host, null);
    }

    /**
     * The {@code xl info} lines; with {@code freePerNode} (bytes, by node: {@code -n}) the
     * cpu_topology and numa_info blocks after free_cpus.
     */
    static List<String> info(PhysInfo p, Map<String, String> host, long[] freePerNode) {
        boolean numa = freePerNode != null;
        var t = p.topology();
        java.util.ArrayList<String> out = new java.util.ArrayList<>();
        out.add(infoLine("host", host.get("host")));
        out.add(infoLine("release", host.get("release")));
        out.add(infoLine("version", host.get("version")));
        out.add(infoLine("machine", host.get("machine")));
        out.add(infoLine("nr_cpus", t.nrCpus()));
        out.add(infoLine("max_cpu_id", t.nrCpus() - 1));
        out.add(infoLine("nr_nodes", t.nrNodes()));
        out.add(infoLine("cores_per_socket", t.coresPerSocket()));
        out.add(infoLine("threads_per_core", t.threadsPerCore()));
        out.add(infoLine("cpu_mhz", p.cpuMhz()));
        out.add(infoLine("hw_caps", hwCaps(p.hwCaps())));
        StringBuilder caps = new StringBuilder(String.format(Locale.ROOT, "%-23s:", "virt_caps"));
        for (String c : p.virtCaps().split(" ")) if (!c.isBlank()) caps.append(' ').append(c);
        out.add(caps.toString());
        out.add(infoLine("total_memory", p.totalMemoryMb()));
        out.add(infoLine("free_memory", p.freeMemoryMb()));
        out.add(infoLine("sharing_freed_memory", 0));
        out.add(infoLine("sharing_used_memory", 0));
        out.add(infoLine("free_cpus", p.freeCpus()));
        if (numa) {
            out.add("cpu_topology           :");
            out.add("cpu:    core    socket     node");
            for (int c = 0; c < t.nrCpus(); c++) {
                out.add(String.format(Locale.ROOT, "%3d:    %4d     %4d     %4d", c, t.coreInSocket(c), t.socketOf(c), t.nodeOf(c)));
            }
            out.add("numa_info              :");
            out.add("node:    memsize    memfree    distances");
            for (int n = 0; n < t.nrNodes(); n++) {
                long size = t.nodeMemoryBytes(n) >> 20;
                long free = n < freePerNode.length ? freePerNode[n] >> 20 : 0;
                StringBuilder d = new StringBuilder();
                for (int m = 0; m < t.nrNodes(); m++) d.append(m == 0 ? "" : ",").append(t.distance(n, m));
                out.add(String.format(Locale.ROOT, "%4d:    %6d     %6d      %s", n, size, free, d));
            }
        }
        out.add(infoLine("xen_major", 4));
        out.add(infoLine("xen_minor", 2));
        out.add(infoLine("xen_extra", "-hvkit"));
        out.add(infoLine("xen_caps", p.platform().equals("kvm") ? "hvm-3.0-x86_64" : "hvkit-sim-x86_64"));
        out.add(infoLine("xen_scheduler", p.scheduler()));
        out.add(infoLine("xen_pagesize", 4096));
        out.add(infoLine("platform_params", "virt_start=0xffff800000000000"));
        out.add(infoLine("xen_changeset", "unavailable"));
        out.add(infoLine("xen_commandline", "sched=" + p.scheduler() + " platform=" + p.platform()));
        out.add(infoLine("cc_compiler", "javac " + Runtime.version().feature()));
        out.add(infoLine("cc_compile_by", host.get("user")));
        out.add(infoLine("cc_compile_domain", ""));
        out.add(infoLine("cc_compile_date", ""));
        out.add(infoLine("xend_config_format", 4));
        out.add(infoLine("hvkit_platform", p.platform() + " (" + p.platformLine() + ")"));
        return out;
    }

    /** xl's uptime text: {@code [D day(s), ]HH:MM:SS}, or without seconds in the short form. */
    static String uptime(long secs, boolean brief) {
        long day = secs / 86400, hour = secs % 86400 / 3600, min = secs % 3600 / 60, sec = secs % 60;
        String days = day > 1 ? day + " days, " : day == 1 ? "1 day, " : "";
        return brief ? String.format(Locale.ROOT, "%s%2d:%02d", days, hour, min)
                : String.format(Locale.ROOT, "%s%2d:%02d:%02d", days, hour, min, sec);
    }

    static String creditPoolLine(String pool, Map<String, Long> params) {
        return "Cpupool " + pool + ": tslice=" + params.get("tslice_ms") + "ms ratelimit=" + params.get("ratelimit_us") + "us";
    }

    static final String CREDIT_HEADER = String.format(Locale.ROOT, "%-33s %4s %6s %4s", "Name", "ID", "Weight", "Cap");

    static String creditRow(String name, int id, long weight, long cap) {
        return String.format(Locale.ROOT, "%-33s %4d %6d %4d", name, id, weight, cap);
    }
}
