package org.hvkit.sched.credit1.internal;

/**
 * The active lists and Xen's csched_acct: every time slice the pool's credit is shared out among
 * the active vCPUs in proportion to their domains' weights, limited by caps, with any surplus
 * handed on to the domains that can still use it.
 */
final class CreditAccounting {
    /** What accounting does to vCPUs beyond their credit (runqueues and pCPUs are the scheduler's). */
    interface Effects {
        void setPriority(CsVcpu s, int pri);

        void park(CsVcpu s);

        void unpark(CsVcpu s);
    }

    /** Sentinel of the active-domain list, in accounting order. */
    private final CsDomain head = new CsDomain(null, 0, 0);
    /** Sum over active vCPUs of their domain's weight. */
    long totalWeight;
    /** Credits left over after the last period (negative when vCPUs overdrew). */
    long creditBalance;
    /** Incremented by every accounting; pCPUs re-sort their runqueues when it moves on. */
    long epoch;
    int activeDomains;

    CreditAccounting() {
        head.activeNext = head;
        head.activePrev = head;
    }

    /** A vCPU found running joins the active list (and its domain the domain list) and starts earning. */
    void start(CsVcpu s) {
        CsDomain d = s.dom;
        s.active = true;
        if (d.activeHead == null) {
            s.activeNext = s.activePrev = s;
            d.activeHead = s;
        } else {
            CsVcpu tail = d.activeHead.activePrev;
            s.activePrev = tail;
            s.activeNext = d.activeHead;
            tail.activeNext = s;
            d.activeHead.activePrev = s;
        }
        d.activeVcpus++;
        totalWeight += d.weight;
        if (!d.active) {
            d.active = true;
            linkDomainBefore(d, head);
            activeDomains++;
        }
    }

    /** A vCPU leaves the active list: it has banked more than it can use, or it is going away. */
    void stop(CsVcpu s) {
        CsDomain d = s.dom;
        s.active = false;
        if (s.activeNext == s) {
            d.activeHead = null;
        } else {
            s.activePrev.activeNext = s.activeNext;
            s.activeNext.activePrev = s.activePrev;
            if (d.activeHead == s) d.activeHead = s.activeNext;
        }
        s.activeNext = s.activePrev = null;
        d.activeVcpus--;
        totalWeight -= d.weight;
        if (d.activeVcpus == 0 && d.active) removeDomain(d);
    }

    void removeDomain(CsDomain d) {
        if (!d.active) return;
        d.activePrev.activeNext = d.activeNext;
        d.activeNext.activePrev = d.activePrev;
        d.activeNext = d.activePrev = null;
        d.active = false;
        activeDomains--;
    }

    /** The weight of a domain changes: active vCPUs carry the new weight in the total. */
    void reweigh(CsDomain d, int weight) {
        totalWeight += (long) (weight - d.weight) * d.activeVcpus;
        d.weight = weight;
    }

    private void linkDomainBefore(CsDomain d, CsDomain at) {
        d.activeNext = at;
        d.activePrev = at.activePrev;
        at.activePrev.activeNext = d;
        at.activePrev = d;
    }

    /** One accounting period over {@code ncpus} pCPUs with {@code perTslice} credits each. */
    void account(int ncpus, int perTslice, Effects fx) {
        epoch++;
        long weightTotal = totalWeight;
        if (weightTotal == 0 || ncpus == 0) {
            creditBalance = 0;
            return;
        }
        long weightLeft = weightTotal;
        long creditTotal = (long) perTslice * ncpus;
        long owed = creditBalance < 0 ? -creditBalance : 0;
        creditTotal += owed;
        long balance = 0;
        boolean someWantExtra = false;

        for (CsDomain d = head.activeNext; d != head; ) {
            CsDomain nextDom = d.activeNext;
            int n = d.activeVcpus;
            long wn = (long) d.weight * n;
            weightLeft -= wn;

            // what the domain could use at most: all of its active vCPUs' pCPU time, its cap
            long peak = (long) n * perTslice;
            if (owed > 0) peak += ceilDiv(owed * wn, weightTotal);
            long capShare = 0;
            if (d.cap != 0) {
                long creditCap = ceilDiv((long) d.cap * perTslice, 100);
                if (creditCap < peak) peak = creditCap;
                capShare = ceilDiv(creditCap, n);
            }
            // what its weight entitles it to
            long fair = ceilDiv(creditTotal * wn, weightTotal);
            if (fair < peak) {
                someWantExtra = true;
            } else {
                // more than it can use: the rest goes to the domains not yet visited
                if (weightLeft != 0) creditTotal += ceilDiv((fair - peak) * weightTotal, weightLeft);
                if (someWantExtra) moveToHead(d);
                fair = peak;
            }
            long perVcpu = ceilDiv(fair, n);

            CsVcpu s = d.activeHead;
            for (int i = 0; i < n; i++) {
                CsVcpu nextV = s.activeNext; // saved first: stop() unlinks s
                long credit = s.credit + perVcpu;
                if (credit < 0) {
                    fx.setPriority(s, CsVcpu.PRI_OVER);
                    if (d.cap != 0 && credit < -capShare && !s.parked) fx.park(s);
                    if (credit < -perTslice) credit = -perTslice;
                } else {
                    fx.setPriority(s, CsVcpu.PRI_UNDER);
                    if (s.parked) fx.unpark(s);
                    if (credit > perTslice) {
                        // banked more than a slice: stop earning until it runs at a tick again
                        stop(s);
                        credit /= 2;
                    }
                }
                s.credit = (int) credit;
                balance += credit;
                s = nextV;
            }
            d = nextDom;
        }
        creditBalance = balance;
    }

    private void moveToHead(CsDomain d) {
        d.activePrev.activeNext = d.activeNext;
        d.activeNext.activePrev = d.activePrev;
        linkDomainBefore(d, head.activeNext);
    }

    /** Active domains in accounting order (dump and tests). */
    CsDomain firstDomain() {
        return head.activeNext == head ? null : head.activeNext;
    }

    CsDomain nextDomain(CsDomain d) {
        return d.activeNext == head ? null : d.activeNext;
    }

    static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }
}
