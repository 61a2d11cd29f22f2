package org.hvkit.sched.credit1.internal;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Priority order, FIFO within a priority, yield placement, the post-accounting sort, the work bitmaps. */
class RunqueueTest {
    private final long[] queued = CpuBits.create(4), credit = CpuBits.create(4);
    private final Runqueue rq = new Runqueue(2, queued, credit);
    private final FakeCore.FakeDomain dom = new FakeCore.FakeDomain(1);
    private int n;

    private CsVcpu v(int pri) {
        CsVcpu s = new CsVcpu(new FakeCore.FakeVcpu(dom, n, n++), null);
        s.pri = pri;
        return s;
    }

    private List<CsVcpu> order() {
        List<CsVcpu> r = new ArrayList<>();
        for (CsVcpu s = rq.head.next; s != rq.head; s = s.next) r.add(s);
        return r;
    }

    @Test
    void higherPriorityFirstAndFifoWithin() {
        CsVcpu o1 = v(CsVcpu.PRI_OVER), u1 = v(CsVcpu.PRI_UNDER), b = v(CsVcpu.PRI_BOOST), u2 = v(CsVcpu.PRI_UNDER), o2 = v(CsVcpu.PRI_OVER);
        for (CsVcpu s : List.of(o1, u1, b, u2, o2)) rq.insert(s);
        assertEquals(List.of(b, u1, u2, o1, o2), order());
        assertEquals(5, rq.size);
        assertEquals(3, rq.withCredit);
    }

    @Test
    void aYielderGoesBehindTheFirstLowerPriorityVcpu() {
        CsVcpu u1 = v(CsVcpu.PRI_UNDER), o1 = v(CsVcpu.PRI_OVER), o2 = v(CsVcpu.PRI_OVER), y = v(CsVcpu.PRI_UNDER);
        rq.insert(u1);
        rq.insert(o1);
        rq.insert(o2);
        y.yielding = true;
        rq.insert(y);
        assertEquals(List.of(u1, o1, y, o2), order());
    }

    @Test
    void aYielderAloneInItsClassGoesToTheTailWhenNothingIsLower() {
        CsVcpu u1 = v(CsVcpu.PRI_UNDER), y = v(CsVcpu.PRI_UNDER);
        rq.insert(u1);
        y.yielding = true;
        rq.insert(y);
        assertEquals(List.of(u1, y), order());
    }

    @Test
    void sortMovesCreditedVcpusAheadKeepingOrder() {
        CsVcpu a = v(CsVcpu.PRI_OVER), b = v(CsVcpu.PRI_OVER), c = v(CsVcpu.PRI_OVER), d = v(CsVcpu.PRI_OVER);
        for (CsVcpu s : List.of(a, b, c, d)) rq.insert(s);
        rq.reprioritise(c, CsVcpu.PRI_UNDER);
        rq.reprioritise(a, CsVcpu.PRI_UNDER);
        assertEquals(2, rq.withCredit);
        rq.sort();
        assertEquals(List.of(a, c, b, d), order());
    }

    @Test
    void bitmapsFollowTheContents() {
        CsVcpu o = v(CsVcpu.PRI_OVER), u = v(CsVcpu.PRI_UNDER);
        assertFalse(CpuBits.get(queued, 2));
        rq.insert(o);
        assertTrue(CpuBits.get(queued, 2));
        assertFalse(CpuBits.get(credit, 2));
        rq.insert(u);
        assertTrue(CpuBits.get(credit, 2));
        rq.remove(u);
        assertFalse(CpuBits.get(credit, 2));
        rq.remove(o);
        assertFalse(CpuBits.get(queued, 2));
        assertTrue(rq.isEmpty());
    }
}
