package org.hvkit.xsm.flask.internal;

import java.util.BitSet;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.hvkit.api.xsm.InitialSid;
import org.hvkit.api.xsm.SecurityClass;

/**
 * A compiled policy, immutable: its types, who may carry which (users, roles), the access vectors
 * of every (source type, target type, class) with a rule, the initial contexts and the socket
 * peers' labels. Built by {@link PolicyParser}.
 */
final class Policy {
    /** One peer mapping: {@code peercon user|group NAME context;}. */
    record PeerCon(boolean group, String name, String context) { }

    /** The vectors of one (source, target, class): what is allowed, what is logged when granted, what is not logged when denied. */
    record Vectors(long allowed, long auditAllow, long dontAudit) {
        static final Vectors NONE = new Vectors(0, 0, 0);
    }

    final String source;
    final Map<String, Integer> types;
    final String[] typeNames;
    final Map<String, Set<String>> userRoles;
    /** Each role's types; {@code object_r} (every type) is implicit, as in SELinux. */
    final Map<String, BitSet> roleTypes;
    final EnumMap<InitialSid, String> initial;
    final Map<Long, Vectors> rules;
    final List<PeerCon> peers;

    Policy(String source, Map<String, Integer> types, String[] typeNames, Map<String, Set<String>> userRoles, Map<String, BitSet> roleTypes,
            EnumMap<InitialSid, String> initial, Map<Long, Vectors> rules, List<PeerCon> peers) {
        this.source = source;
        this.types = types;
        this.typeNames = typeNames;
        this.userRoles = userRoles;
        this.roleTypes = roleTypes;
        this.initial = initial;
        this.rules = rules;
        this.peers = peers;
    }

    static long key(int stype, int ttype, SecurityClass c) {
        return (long) stype << 32 | (long) ttype << 8 | c.ordinal();
    }

    Vectors vectors(int stype, int ttype, SecurityClass c) {
        if (stype < 0 || ttype < 0) return Vectors.NONE;
        return rules.getOrDefault(key(stype, ttype, c), Vectors.NONE);
    }

    /** The type of a context valid here. @throws IllegalArgumentException saying what is wrong with it */
    int typeOf(String context) {
        String[] f = context.split(":", -1);
        if (f.length != 3) {
            throw new IllegalArgumentException(f.length > 3 ? "MLS levels are not supported (expected user:role:type)" : "expected user:role:type");
        }
        Set<String> roles = userRoles.get(f[0]);
        if (roles == null) throw new IllegalArgumentException("no user " + f[0] + " in policy " + source);
        if (!f[1].equals("object_r") && !roles.contains(f[1])) throw new IllegalArgumentException("user " + f[0] + " may not take role " + f[1]);
        Integer t = types.get(f[2]);
        if (t == null) throw new IllegalArgumentException("no type " + f[2] + " in policy " + source);
        if (!f[1].equals("object_r") && !roleTypes.get(f[1]).get(t)) throw new IllegalArgumentException("role " + f[1] + " may not take type " + f[2]);
        return t;
    }

    Optional<String> peerContext(String user, Set<String> groups) {
        for (PeerCon p : peers) if (!p.group() && p.name().equals(user)) return Optional.of(p.context());
        for (PeerCon p : peers) if (p.group() && groups.contains(p.name())) return Optional.of(p.context());
        return Optional.empty();
    }
}
