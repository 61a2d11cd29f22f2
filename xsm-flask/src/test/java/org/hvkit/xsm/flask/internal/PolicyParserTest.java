package org.hvkit.xsm.flask.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.hvkit.api.xsm.InitialSid;
import org.hvkit.api.xsm.Permission;
import org.hvkit.api.xsm.PolicyException;
import org.hvkit.api.xsm.SecurityClass;
import org.junit.jupiter.api.Test;

class PolicyParserTest {
    private static final String BASE = """
            attribute dt;
            type xen_t; type security_t; type unlabeled_t; type device_t;
            type dom0_t, dt; type domU_t, dt;
            role system_r types { xen_t security_t unlabeled_t dt };
            user system_u roles system_r;
            sid xen system_u:system_r:xen_t;
            sid dom0 system_u:system_r:dom0_t;
            sid domU system_u:system_r:domU_t;
            sid security system_u:system_r:security_t;
            sid device system_u:object_r:device_t;
            sid unlabeled system_u:system_r:unlabeled_t;
            """;

    private static Policy parse(String extra) throws PolicyException {
        return PolicyParser.parse("t.te", BASE + extra);
    }

    private static PolicyException refused(String extra) {
        return assertThrows(PolicyException.class, () -> parse(extra));
    }

    private static long allowed(Policy p, String s, String t, SecurityClass c) {
        return p.vectors(p.types.get(s), p.types.get(t), c).allowed();
    }

    @Test
    void theExamplePolicyLoads() throws PolicyException {
        Policy p = PolicyParser.parse("xen.te", FlaskModule.example());
        assertEquals("system_u:system_r:domU_t", p.initial.get(InitialSid.DOMU));
        long dom0OnGuest = allowed(p, "dom0_t", "isolated_domU_t", SecurityClass.DOMAIN);
        assertTrue((dom0OnGuest & Permission.DOMAIN_DESTROY.mask()) != 0);
        assertEquals(0, allowed(p, "monitor_t", "domU_t", SecurityClass.DOMAIN) & Permission.DOMAIN_DESTROY.mask());
        assertTrue((allowed(p, "monitor_t", "domU_t", SecurityClass.DOMAIN) & Permission.DOMAIN_GETDOMAININFO.mask()) != 0);
        assertEquals(0, allowed(p, "monitor_t", "isolated_domU_t", SecurityClass.DOMAIN));
        assertEquals("system_u:system_r:monitor_t", p.peerContext("alice", Set.of("users", "hvops")).orElseThrow());
        assertTrue(p.peerContext("bob", Set.of("users")).isEmpty());
    }

    @Test
    void attributesSelfSetsAndComplements() throws PolicyException {
        Policy p = parse("""
                allow dt self:mmu { map_read map_write };
                allow dom0_t { dt -dom0_t }:domain ~{ destroy };
                allow dom0_t xen_t:xen *;
                """);
        assertEquals(Permission.MMU_MAP_READ.mask() | Permission.MMU_MAP_WRITE.mask(), allowed(p, "domU_t", "domU_t", SecurityClass.MMU));
        assertEquals(0, allowed(p, "domU_t", "dom0_t", SecurityClass.MMU));
        long d = allowed(p, "dom0_t", "domU_t", SecurityClass.DOMAIN);
        assertEquals(0, d & Permission.DOMAIN_DESTROY.mask());
        assertTrue((d & Permission.DOMAIN_PAUSE.mask()) != 0);
        assertEquals(0, allowed(p, "dom0_t", "dom0_t", SecurityClass.DOMAIN));
        assertEquals(Permission.of(SecurityClass.XEN).length, Long.bitCount(allowed(p, "dom0_t", "xen_t", SecurityClass.XEN)));
    }

    @Test
    void contextsAreCheckedAgainstUsersRolesAndTypes() throws PolicyException {
        Policy p = parse("");
        assertEquals(p.types.get("domU_t"), p.typeOf("system_u:system_r:domU_t"));
        assertThrows(IllegalArgumentException.class, () -> p.typeOf("nobody_u:system_r:domU_t"));
        assertThrows(IllegalArgumentException.class, () -> p.typeOf("system_u:vm_r:domU_t"));
        assertThrows(IllegalArgumentException.class, () -> p.typeOf("system_u:system_r:nosuch_t"));
        assertThrows(IllegalArgumentException.class, () -> p.typeOf("system_u:system_r:domU_t:s0"));
        assertThrows(IllegalArgumentException.class, () -> p.typeOf("domU_t"));
    }

    @Test
    void errorsNameTheFileAndLine() {
        int baseLines = (int) BASE.lines().count();
        PolicyException e = refused("allow dom0_t domU_t:domain { destroy };\nallow dom0_t domU_t:domain { explode };\n");
        assertEquals("t.te:" + (baseLines + 2) + ": class domain has no permission explode", e.getMessage());
        assertEquals("t.te:" + (baseLines + 1) + ": no type or attribute nosuch_t", refused("allow nosuch_t domU_t:domain pause;").getMessage());
        assertTrue(refused("allow dom0_t domU_t:widget pause;").getMessage().contains("no class widget (classes:"));
        assertTrue(refused("type dom0_t;").getMessage().endsWith("dom0_t declared twice"));
        assertTrue(refused("allow dom0_t domU_t:domain pause").getMessage().endsWith("expected ';', found end of file"));
        assertTrue(refused("frobnicate x;").getMessage().contains("unknown statement 'frobnicate'"));
        assertTrue(refused("allow dom0_t domU_t:domain pause;\nneverallow dom0_t dt:domain pause;").getMessage()
                .endsWith("neverallow broken: dom0_t domU_t:domain { pause } is allowed"));
        assertTrue(refused("peercon group ops system_u:system_r:bogus_t;").getMessage().contains("invalid context system_u:system_r:bogus_t"));
        assertEquals("t.te:0: no 'sid domU <context>;' statement (every policy labels xen, dom0, domU, security, device, unlabeled)",
                assertThrows(PolicyException.class, () -> PolicyParser.parse("t.te", BASE.replace("sid domU system_u:system_r:domU_t;", ""))).getMessage());
    }

    @Test
    void forwardDeclarationsAreAllowed() throws PolicyException {
        Policy p = parse("allow late_t domU_t:domain pause;\ntype late_t;\n");
        assertEquals(Permission.DOMAIN_PAUSE.mask(), allowed(p, "late_t", "domU_t", SecurityClass.DOMAIN));
        assertFalse(p.types.isEmpty());
    }
}
