package org.hvkit.sched.credit1.internal;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import org.hvkit.api.domain.CpuMask;
import org.junit.jupiter.api.Test;

/** csched_acct arithmetic on bare accounting state: fair shares, caps, surplus, clamps, active-list exits. */
class AccountingTest {
    private final CreditAccounting acct = new CreditAccounting();
    private final List<CsVcpu> parked = new ArrayList<>(), unparked = new ArrayList<>();
    private final CreditAccounting.Effects fx = new CreditAccounting.Effects() {
        @Override public void setPriority(CsVcpu s, int pri) { s.pri = pri; }
        @Override public void park(CsVcpu s) { s.parked = true; parked.add(s); }
        @Override public void unpark(CsVcpu s) { s.parked = false; unparked.add(s); }
    };
    private int uid;

    private CsVcpu[] activeDomain(int weight, int cap, int vcpus) {
        FakeCore.FakeDomain fd = new FakeCore.FakeDomain(uid + 1);
        CsDomain d = new CsDomain(fd, weight, cap);
        CsVcpu[] r = new CsVcpu[vcpus];
        for (int i = 0; i < vcpus; i++) {
            FakeCore.FakeVcpu v = new FakeCore.FakeVcpu(fd, i, uid++);
            v.hard = CpuMask.of(0);
            r[i] = new CsVcpu(v, d);
            acct.start(r[i]);
        }
        return r;
    }

    @Test
    void weightsShareTheCreditProportionally() {
        CsVcpu a = activeDomain(512, 0, 1)[0], b = activeDomain(256, 0, 1)[0];
        assertEquals(768, acct.totalWeight);
        acct.account(1, 300, fx);
        assertEquals(200, a.credit);
        assertEquals(100, b.credit);
        assertEquals(CsVcpu.PRI_UNDER, a.pri);
        assertEquals(300, acct.creditBalance);
    }

    @Test
    void perVcpuShareIsRoundedUp() {
        CsVcpu[] d = activeDomain(256, 0, 3);
        CsVcpu other = activeDomain(256, 0, 1)[0];
        acct.account(2, 300, fx); // 600 credits, 3/4 of the weight: fair 450, 150 per vCPU
        for (CsVcpu s : d) assertEquals(150, s.credit);
        for (CsVcpu s : d) s.credit = -5;
        other.credit = -5;
        acct.account(1, 10, fx); // 10 credits: fair ceil(7.5) = 8 over 3 vCPUs: ceil(2.67) = 3 each; other ceil(2.5) = 3
        for (CsVcpu s : d) assertEquals(-2, s.credit);
        assertEquals(-2, other.credit);
    }

    @Test
    void aCappedDomainsSurplusGoesToTheOthers() {
        CsVcpu capped = activeDomain(256, 20, 1)[0], free = activeDomain(256, 0, 1)[0];
        acct.account(1, 300, fx);
        // cap 20 % of 300 = 60; fair 150 -> surplus 90 spread over the remaining weight: total 300 + 180
        assertEquals(60, capped.credit);
        assertEquals(240, free.credit);
    }

    @Test
    void aDomainThatCannotUseItsShareMovesToTheHeadAfterOneThatWantsMore() {
        CsVcpu[] hungry = activeDomain(256, 0, 1);
        CsVcpu[] capped = activeDomain(256, 10, 1);
        acct.account(1, 300, fx);
        assertSame(capped[0].dom, acct.firstDomain());
        assertSame(hungry[0].dom, acct.nextDomain(acct.firstDomain()));
    }

    @Test
    void creditsAreClampedAndBankersLeaveTheActiveList() {
        CsVcpu over = activeDomain(256, 0, 1)[0], rich = activeDomain(256, 0, 1)[0];
        over.credit = -1000;
        rich.credit = 250;
        acct.account(1, 300, fx);
        assertEquals(-300, over.credit, "clamped at minus one slice");
        assertEquals(CsVcpu.PRI_OVER, over.pri);
        assertEquals(200, rich.credit, "(250 + 150) / 2");
        assertFalse(rich.active);
        assertEquals(256, acct.totalWeight);
        assertEquals(-100, acct.creditBalance);
    }

    @Test
    void aNegativeBalanceIsHandedOutNextTime() {
        CsVcpu a = activeDomain(256, 0, 1)[0], b = activeDomain(256, 0, 1)[0];
        acct.creditBalance = -100;
        acct.account(1, 300, fx);
        assertEquals(200, a.credit, "(300 + 100) / 2");
        assertEquals(200, b.credit);
    }

    @Test
    void capParksBelowTheCapShareAndUnparksWhenCreditReturns() {
        CsVcpu s = activeDomain(256, 50, 1)[0];
        s.credit = -300; // plus its capped share 150: -150, not below minus the cap share
        acct.account(1, 300, fx);
        assertTrue(parked.isEmpty(), "exactly minus the cap share is not parked");
        s.credit = -301;
        acct.account(1, 300, fx);
        assertEquals(List.of(s), parked);
        assertEquals(-151, s.credit);
        acct.account(1, 300, fx);
        assertEquals(-1, s.credit);
        assertTrue(unparked.isEmpty());
        acct.account(1, 300, fx);
        assertEquals(List.of(s), unparked);
        assertEquals(CsVcpu.PRI_UNDER, s.pri);
    }

    @Test
    void noActiveWeightResetsTheBalance() {
        acct.creditBalance = -50;
        long epoch = acct.epoch;
        acct.account(4, 300, fx);
        assertEquals(0, acct.creditBalance);
        assertEquals(epoch + 1, acct.epoch);
    }
}
