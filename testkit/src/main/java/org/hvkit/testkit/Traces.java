package org.hvkit.testkit;

import java.util.ArrayList;
import java.util.List;

/** Measurements taken from a recorded trace. */
public final class Traces {
    private Traces() {
    }

    /**
     * Wake-to-run latencies of one vCPU, in ns, in order: for every WAKE, the time until that vCPU
     * next starts running; wakes before {@code fromNs} are skipped (warm-up).
     */
    public static List<Long> wakeLatencies(List<TraceEvent> trace, int domid, int vcpu, long fromNs) {
        List<Long> out = new ArrayList<>();
        long wake = -1;
        for (TraceEvent e : trace) {
            if (e.domid() != domid || e.vcpu() != vcpu) continue;
            if (e.kind() == TraceEvent.Kind.WAKE) wake = e.timeNs();
            else if (e.kind() == TraceEvent.Kind.RUN && wake >= 0) {
                if (wake >= fromNs) out.add(e.timeNs() - wake);
                wake = -1;
            }
        }
        return out;
    }
}
