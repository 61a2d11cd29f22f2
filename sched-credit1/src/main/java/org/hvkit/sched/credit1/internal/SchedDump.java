package org.hvkit.sched.credit1.internal;

import java.io.PrintWriter;

/** The debug dump (Xen console key 'r'): settings, idlers, active vCPUs, then each pCPU's runqueue. */
final class SchedDump {
    private SchedDump() {
    }

    static void dump(Credit1Scheduler s, PrintWriter out) {
        PoolSettings ps = s.settings;
        CreditAccounting a = s.acct;
        out.println("Scheduler: SMP Credit Scheduler (credit)");
        out.println("info:");
        row(out, "ncpus", String.valueOf(s.ncpus));
        row(out, "master", String.valueOf(s.master));
        row(out, "credit", String.valueOf((long) ps.creditsPerTslice() * s.ncpus));
        row(out, "credit balance", String.valueOf(a.creditBalance));
        row(out, "weight", String.valueOf(a.totalWeight));
        row(out, "runq_sort", String.valueOf(a.epoch));
        row(out, "default-weight", "256");
        row(out, "tslice", ps.tsliceMs() + "ms");
        row(out, "ratelimit", ps.ratelimitUs() + "us");
        row(out, "credits per msec", String.valueOf(PoolSettings.CREDITS_PER_MSEC));
        row(out, "ticks per tslice", String.valueOf(ps.ticksPerTslice()));
        row(out, "migration delay", "0us");
        out.println("idlers: " + CpuBits.toRangeList(s.idlers));
        out.println("active vcpus:");
        int i = 1;
        for (CsDomain d = a.firstDomain(); d != null; d = a.nextDomain(d)) {
            CsVcpu v = d.activeHead;
            for (int k = 0; k < d.activeVcpus; k++, v = v.activeNext) out.printf("\t%3d: %s%n", i++, v);
        }
        for (CsPcpu p : s.pcpus) {
            if (p == null) continue;
            CsVcpu cur = s.running(p.cpu);
            out.printf("CPU[%02d] sort=%d%n", p.cpu, p.sortedEpoch);
            out.printf("\trun: %s%n", cur == null ? "[idle] pri=" + CsVcpu.PRI_IDLE : cur);
            int k = 1;
            for (CsVcpu q = p.rq.head.next; q != p.rq.head; q = q.next) out.printf("\t%3d: %s%n", k++, q);
        }
    }

    private static void row(PrintWriter out, String name, String value) {
        out.printf("\t%-19s= %s%n", name, value);
    }
}
