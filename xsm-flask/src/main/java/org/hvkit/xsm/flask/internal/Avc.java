package org.hvkit.xsm.flask.internal;

import java.util.concurrent.ConcurrentHashMap;
import org.hvkit.api.xsm.InitialSid;
import org.hvkit.api.xsm.SecurityClass;

/**
 * The access vector cache of one loaded policy: a direct-mapped table of the vectors of recently
 * asked (source SID, target SID, class) triples. A hit is a few loads and compares; a miss asks
 * the policy and replaces the slot. Entries are immutable, so the table needs no lock; a new
 * policy gets a new cache, which is how a load flushes it.
 */
final class Avc {
    /** The vectors of one triple: allowed, logged when granted ({@code auditallow}), logged when denied (all but {@code dontaudit}). */
    record Entry(int ssid, int tsid, int cls, long allowed, long auditAllow, long auditDeny) { }

    private static final int SLOTS = 1024;
    private final Entry[] slots = new Entry[SLOTS];
    private final Policy policy;
    private final SidTable sids;
    private final int unlabeledType;
    private final ConcurrentHashMap<Integer, Integer> types = new ConcurrentHashMap<>();

    Avc(Policy policy, SidTable sids) {
        this.policy = policy;
        this.sids = sids;
        this.unlabeledType = policy.typeOf(policy.initial.get(InitialSid.UNLABELED));
    }

    Entry lookup(int ssid, int tsid, SecurityClass c) {
        int h = (ssid * 0x9E3779B1 ^ tsid * 0x85EBCA77 ^ c.ordinal() * 0xC2B2AE3D);
        h ^= h >>> 15;
        int i = h & (SLOTS - 1);
        Entry e = slots[i];
        if (e != null && e.ssid == ssid && e.tsid == tsid && e.cls == c.ordinal()) return e;
        Policy.Vectors v = policy.vectors(typeOf(ssid), typeOf(tsid), c);
        e = new Entry(ssid, tsid, c.ordinal(), v.allowed(), v.auditAllow(), ~v.dontAudit());
        slots[i] = e;
        return e;
    }

    /** The type of a SID under this policy: unlabeled for one it does not know. */
    private int typeOf(int sid) {
        return types.computeIfAbsent(sid, s -> {
            String ctx = sids.context(s);
            if (ctx == null) return unlabeledType;
            try {
                return policy.typeOf(ctx);
            } catch (IllegalArgumentException e) {
                return unlabeledType;
            }
        });
    }
}
