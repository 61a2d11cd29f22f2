package org.hvkit.xsm.flask.internal;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.hvkit.api.xsm.InitialSid;
import org.hvkit.api.xsm.Permission;
import org.hvkit.api.xsm.PolicyException;
import org.hvkit.api.xsm.SecurityClass;
import org.hvkit.xsm.flask.internal.Lexer.Token;

/**
 * Reads the FLASK policy subset (docs/architecture.md, "XSM and FLASK") into a {@link Policy}, or
 * refuses it whole with the first problem's file and line. Declarations may follow their use:
 * statements are read first, then resolved in the order types, roles, users, contexts, rules.
 * Bounded everywhere (size, names, types, expanded rules), so no input costs more than a bounded
 * amount of time and memory.
 */
final class PolicyParser {
    static final int MAX_BYTES = 1 << 20, MAX_TYPES = 4096, MAX_RULE_PAIRS = 1 << 20;

    /** One statement, kept with its line until everything is declared. */
    private record Stmt(String kind, int line, List<Object> parts) { }

    private final String source;
    private final List<Token> tokens;
    private int pos;
    /** Type pairs visited by rules and neverallow checks together: what bounds the work. */
    private int pairs;

    private final Map<String, Integer> types = new LinkedHashMap<>();
    private final Map<String, BitSet> attributes = new HashMap<>();
    private final Map<String, BitSet> roles = new LinkedHashMap<>();
    private final Map<String, Set<String>> users = new LinkedHashMap<>();

    private PolicyParser(String source, List<Token> tokens) {
        this.source = source;
        this.tokens = tokens;
    }

    static Policy parse(String source, String text) throws PolicyException {
        if (text.length() > MAX_BYTES) throw new PolicyException(source, 0, "policy larger than " + MAX_BYTES + " bytes");
        PolicyParser p = new PolicyParser(source, Lexer.lex(source, text));
        return p.compile(p.statements());
    }

    // ------------------------------------------------------------------ syntax

    private Token peek() {
        return tokens.get(pos);
    }

    private Token next() {
        Token t = tokens.get(pos);
        if (t.kind() != 0) pos++;
        return t;
    }

    private PolicyException error(Token at, String what) {
        return new PolicyException(source, at.line(), what);
    }

    private String word(String what) throws PolicyException {
        Token t = next();
        if (t.kind() != 'w') throw error(t, "expected " + what + ", found " + t);
        return t.text();
    }

    private void expect(char c) throws PolicyException {
        Token t = next();
        if (t.kind() != c) throw error(t, "expected '" + c + "', found " + t);
    }

    /** A name, {@code *}, {@code ~set}, or {@code { item ... }} where an item may be {@code -name}: kept as a list of strings. */
    private List<String> set(String what) throws PolicyException {
        List<String> out = new ArrayList<>();
        Token t = peek();
        if (t.kind() == '*') {
            next();
            out.add("*");
        } else if (t.kind() == '~') {
            next();
            out.add("~");
            if (peek().kind() == '~') throw error(peek(), "'~' twice");
            out.addAll(set(what));
        } else if (t.kind() == '{') {
            next();
            while (peek().kind() != '}') {
                Token i = next();
                if (i.kind() == '-') out.add("-" + word(what));
                else if (i.kind() == 'w') out.add(i.text());
                else if (i.kind() == '*') out.add("*");
                else throw error(i, "expected " + what + " or '}', found " + i);
                if (out.size() > MAX_TYPES) throw error(i, "set of more than " + MAX_TYPES + " items");
            }
            next();
            if (out.isEmpty()) throw error(t, "empty set of " + what);
        } else {
            out.add(word(what));
        }
        return out;
    }

    /** {@code user:role:type} as one string. */
    private String context() throws PolicyException {
        Token at = peek();
        String u = word("a context (user:role:type)");
        expect(':');
        String r = word("a role");
        expect(':');
        String t = word("a type");
        if (peek().kind() == ':') throw error(at, "MLS levels are not supported (expected user:role:type)");
        return u + ":" + r + ":" + t;
    }

    private List<Stmt> statements() throws PolicyException {
        List<Stmt> out = new ArrayList<>();
        while (peek().kind() != 0) {
            Token at = next();
            if (at.kind() != 'w') throw error(at, "expected a statement, found " + at);
            String kind = at.text();
            List<Object> parts = new ArrayList<>();
            switch (kind) {
                case "attribute" -> parts.add(word("an attribute name"));
                case "type" -> {
                    parts.add(word("a type name"));
                    while (peek().kind() == ',') {
                        next();
                        parts.add(word("an attribute"));
                    }
                }
                case "typeattribute" -> {
                    parts.add(word("a type"));
                    parts.add(word("an attribute"));
                    while (peek().kind() == ',') {
                        next();
                        parts.add(word("an attribute"));
                    }
                }
                case "allow", "auditallow", "dontaudit", "neverallow" -> {
                    parts.add(set("a source type"));
                    parts.add(set("a target type"));
                    expect(':');
                    parts.add(set("a class"));
                    parts.add(set("a permission"));
                }
                case "role" -> {
                    parts.add(word("a role name"));
                    if (peek().kind() == 'w' && peek().text().equals("types")) {
                        next();
                        parts.add(set("a type"));
                    }
                }
                case "user" -> {
                    parts.add(word("a user name"));
                    String r = word("'roles'");
                    if (!r.equals("roles")) throw error(at, "expected 'roles' after user " + parts.get(0) + ", found '" + r + "'");
                    parts.add(set("a role"));
                }
                case "sid" -> {
                    parts.add(word("an initial SID name"));
                    parts.add(context());
                }
                case "peercon" -> {
                    String k = word("'user' or 'group'");
                    if (!k.equals("user") && !k.equals("group")) throw error(at, "peercon takes 'user' or 'group', not '" + k + "'");
                    parts.add(k);
                    parts.add(word("a " + k + " name"));
                    parts.add(context());
                }
                default -> throw error(at, "unknown statement '" + kind + "' (the subset has attribute, type, typeattribute, allow, auditallow, dontaudit, neverallow, role, user, sid, peercon)");
            }
            expect(';');
            out.add(new Stmt(kind, at.line(), parts));
        }
        return out;
    }

    // ------------------------------------------------------------------ meaning

    private PolicyException error(Stmt s, String what) {
        return new PolicyException(source, s.line(), what);
    }

    @SuppressWarnings("unchecked")
    private Policy compile(List<Stmt> all) throws PolicyException {
        for (Stmt s : all) if (s.kind().equals("attribute")) declare(s, (String) s.parts().get(0), true);
        for (Stmt s : all) if (s.kind().equals("type")) declare(s, (String) s.parts().get(0), false);
        for (Stmt s : all) {
            if (s.kind().equals("type") || s.kind().equals("typeattribute")) {
                String t = (String) s.parts().get(0);
                Integer ti = types.get(t);
                if (ti == null) throw error(s, "typeattribute: no type " + t);
                for (Object a : s.parts().subList(1, s.parts().size())) {
                    BitSet members = attributes.get((String) a);
                    if (members == null) throw error(s, "no attribute " + a + (types.containsKey((String) a) ? " (" + a + " is a type)" : ""));
                    members.set(ti);
                }
            }
        }
        for (Stmt s : all) {
            if (!s.kind().equals("role")) continue;
            String r = (String) s.parts().get(0);
            if (r.equals("object_r")) throw error(s, "object_r is implicit and takes every type");
            BitSet ts = roles.computeIfAbsent(r, k -> new BitSet());
            if (s.parts().size() > 1) ts.or(types(s, (List<String>) s.parts().get(1), null));
        }
        for (Stmt s : all) {
            if (!s.kind().equals("user")) continue;
            String u = (String) s.parts().get(0);
            if (users.containsKey(u)) throw error(s, "user " + u + " declared twice");
            Set<String> rs = new LinkedHashSet<>();
            for (String r : (List<String>) s.parts().get(1)) {
                if (!roles.containsKey(r) && !r.equals("object_r")) throw error(s, "user " + u + ": no role " + r);
                rs.add(r);
            }
            users.put(u, rs);
        }
        String[] names = types.keySet().toArray(String[]::new);
        Policy draft = new Policy(source, types, names, users, roles, new EnumMap<>(InitialSid.class), Map.of(), List.of());
        EnumMap<InitialSid, String> initial = new EnumMap<>(InitialSid.class);
        List<Policy.PeerCon> peers = new ArrayList<>();
        for (Stmt s : all) {
            if (s.kind().equals("sid")) {
                String n = (String) s.parts().get(0);
                InitialSid which = null;
                for (InitialSid i : InitialSid.values()) if (i.policyName().equals(n)) which = i;
                if (which == null) continue; // Xen's other initial SIDs (domio, irq, ...) label nothing hvkit has
                if (initial.containsKey(which)) throw error(s, "sid " + n + " given twice");
                initial.put(which, valid(s, draft, (String) s.parts().get(1)));
            } else if (s.kind().equals("peercon")) {
                peers.add(new Policy.PeerCon(s.parts().get(0).equals("group"), (String) s.parts().get(1), valid(s, draft, (String) s.parts().get(2))));
            }
        }
        for (InitialSid i : InitialSid.values()) {
            if (!initial.containsKey(i)) throw new PolicyException(source, 0, "no 'sid " + i.policyName() + " <context>;' statement (every policy labels " + initialNames() + ")");
        }
        Map<Long, long[]> acc = new HashMap<>();
        List<Stmt> never = new ArrayList<>();
        for (Stmt s : all) {
            int which = switch (s.kind()) {
                case "allow" -> 0;
                case "auditallow" -> 1;
                case "dontaudit" -> 2;
                case "neverallow" -> -1;
                default -> -2;
            };
            if (which == -2) continue;
            if (which == -1) {
                never.add(s);
                continue;
            }
            List<String> tgt = (List<String>) s.parts().get(1);
            boolean self = tgt.contains("self");
            BitSet src = types(s, (List<String>) s.parts().get(0), null);
            BitSet dst = types(s, tgt, "self");
            Map<SecurityClass, Long> perms = perms(s);
            for (int a = src.nextSetBit(0); a >= 0; a = src.nextSetBit(a + 1)) {
                BitSet d = (BitSet) dst.clone();
                if (self) d.set(a);
                for (int b = d.nextSetBit(0); b >= 0; b = d.nextSetBit(b + 1)) {
                    if (++pairs > MAX_RULE_PAIRS) throw error(s, "the rules expand to more than " + MAX_RULE_PAIRS + " type pairs");
                    for (var e : perms.entrySet()) acc.computeIfAbsent(Policy.key(a, b, e.getKey()), k -> new long[3])[which] |= e.getValue();
                }
            }
        }
        Map<Long, Policy.Vectors> rules = new HashMap<>();
        for (var e : acc.entrySet()) rules.put(e.getKey(), new Policy.Vectors(e.getValue()[0], e.getValue()[1], e.getValue()[2]));
        Policy p = new Policy(source, types, names, users, roles, initial, rules, List.copyOf(peers));
        for (Stmt s : never) checkNever(s, p);
        return p;
    }

    private static String initialNames() {
        List<String> n = new ArrayList<>();
        for (InitialSid i : InitialSid.values()) n.add(i.policyName());
        return String.join(", ", n);
    }

    private void declare(Stmt s, String name, boolean attribute) throws PolicyException {
        if (name.equals("self")) throw error(s, "'self' is reserved");
        if (types.containsKey(name) || attributes.containsKey(name)) throw error(s, name + " declared twice");
        if (attribute) attributes.put(name, new BitSet());
        else {
            if (types.size() >= MAX_TYPES) throw error(s, "more than " + MAX_TYPES + " types");
            types.put(name, types.size());
        }
    }

    private String valid(Stmt s, Policy draft, String context) throws PolicyException {
        try {
            draft.typeOf(context);
        } catch (IllegalArgumentException e) {
            throw error(s, "invalid context " + context + ": " + e.getMessage());
        }
        return context;
    }

    /** The types a set names: types, attributes (their members), {@code *}, {@code ~}, {@code -name}; {@code allowed} may appear and is skipped. */
    private BitSet types(Stmt s, List<String> set, String allowed) throws PolicyException {
        boolean complement = !set.isEmpty() && set.get(0).equals("~");
        BitSet in = new BitSet(), out = new BitSet();
        for (String n : complement ? set.subList(1, set.size()) : set) {
            if (n.equals(allowed)) continue;
            boolean minus = n.startsWith("-");
            String name = minus ? n.substring(1) : n;
            BitSet b = new BitSet();
            if (name.equals("*")) b.set(0, types.size());
            else if (types.containsKey(name)) b.set(types.get(name));
            else if (attributes.containsKey(name)) b.or(attributes.get(name));
            else throw error(s, "no type or attribute " + name);
            (minus ? out : in).or(b);
        }
        in.andNot(out);
        if (complement) {
            BitSet all = new BitSet();
            all.set(0, types.size());
            all.andNot(in);
            return all;
        }
        return in;
    }

    @SuppressWarnings("unchecked")
    private Map<SecurityClass, Long> perms(Stmt s) throws PolicyException {
        List<String> classes = (List<String>) s.parts().get(2);
        List<String> names = (List<String>) s.parts().get(3);
        Map<SecurityClass, Long> out = new EnumMap<>(SecurityClass.class);
        List<SecurityClass> cs = new ArrayList<>();
        for (String c : classes) {
            if (c.equals("*")) {
                cs.addAll(List.of(SecurityClass.values()));
                continue;
            }
            SecurityClass k = SecurityClass.of(c);
            if (k == null || c.startsWith("-") || c.equals("~")) {
                Set<String> known = new TreeSet<>();
                for (SecurityClass x : SecurityClass.values()) known.add(x.xenName());
                throw error(s, "no class " + c + " (classes: " + String.join(" ", known) + ")");
            }
            cs.add(k);
        }
        boolean complement = !names.isEmpty() && names.get(0).equals("~");
        for (SecurityClass c : cs) {
            long m = 0;
            for (String n : complement ? names.subList(1, names.size()) : names) {
                if (n.equals("*")) {
                    for (Permission p : Permission.of(c)) m |= p.mask();
                    continue;
                }
                Permission p = Permission.of(c, n);
                if (p == null) {
                    if (cs.size() > 1) continue; // a permission of another class of the set
                    throw error(s, "class " + c.xenName() + " has no permission " + n);
                }
                m |= p.mask();
            }
            if (complement) {
                long all = 0;
                for (Permission p : Permission.of(c)) all |= p.mask();
                m = all & ~m;
            }
            if (m != 0) out.put(c, m);
        }
        if (out.isEmpty() && !complement) throw error(s, "no permission of " + String.join(" ", classes) + " named " + String.join(" ", names));
        return out;
    }

    @SuppressWarnings("unchecked")
    private void checkNever(Stmt s, Policy p) throws PolicyException {
        List<String> tgt = (List<String>) s.parts().get(1);
        BitSet src = types(s, (List<String>) s.parts().get(0), null);
        BitSet dst = types(s, tgt, "self");
        boolean self = tgt.contains("self");
        Map<SecurityClass, Long> perms = perms(s);
        for (int a = src.nextSetBit(0); a >= 0; a = src.nextSetBit(a + 1)) {
            BitSet d = (BitSet) dst.clone();
            if (self) d.set(a);
            for (int b = d.nextSetBit(0); b >= 0; b = d.nextSetBit(b + 1)) {
                if (++pairs > MAX_RULE_PAIRS) throw error(s, "the rules and neverallow checks expand to more than " + MAX_RULE_PAIRS + " type pairs");
                for (var e : perms.entrySet()) {
                    long hit = p.vectors(a, b, e.getKey()).allowed() & e.getValue();
                    if (hit != 0) {
                        throw error(s, "neverallow broken: " + p.typeNames[a] + " " + p.typeNames[b] + ":" + e.getKey().xenName() + " { "
                                + names(e.getKey(), hit) + " } is allowed");
                    }
                }
            }
        }
    }

    static String names(SecurityClass c, long mask) {
        StringBuilder b = new StringBuilder();
        for (Permission p : Permission.of(c)) {
            if ((mask & p.mask()) != 0) {
                if (!b.isEmpty()) b.append(' ');
                b.append(p.xenName());
            }
        }
        return b.toString();
    }
}
