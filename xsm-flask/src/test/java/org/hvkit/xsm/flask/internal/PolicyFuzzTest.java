package org.hvkit.xsm.flask.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Random;
import java.util.regex.Pattern;
import org.hvkit.api.xsm.PolicyException;
import org.junit.jupiter.api.Test;

/** 10^4 malformed policies: each is loaded or refused with file:line and a reason, never anything else. */
class PolicyFuzzTest {
    private static final Pattern ERROR = Pattern.compile("fuzz\\.te:(\\d+): \\S.*");
    private static final String[] JUNK = {"{", "}", ";", ":", ",", "*", "~", "-", "allow", "type", "self", "domain", "xen", "dom0_t",
        "neverallow", "sid", "peercon", "\u0000", "\u00e9", "#", "\n", "{ {", "~ ~", "system_u:system_r:", "role", "user", "types", "roles"};

    @Test
    void tenThousandMalformedPoliciesAreRefusedClearly() throws Exception {
        String base = FlaskModule.example();
        Random r = new Random(18);
        int refused = 0;
        long start = System.nanoTime();
        for (int i = 0; i < 10_000; i++) {
            String text = mutate(base, r);
            int lines = (int) text.chars().filter(c -> c == '\n').count() + 1;
            try {
                new FlaskModule("fuzz.te", text, true); // the whole load, as loadpolicy does it
            } catch (PolicyException e) {
                refused++;
                var m = ERROR.matcher(e.getMessage());
                if (!m.matches()) fail("unclear error for case " + i + ": " + e.getMessage());
                int line = Integer.parseInt(m.group(1));
                assertTrue(line >= 0 && line <= lines, "line " + line + " outside the file (" + lines + " lines): " + e.getMessage());
            } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
                fail("case " + i + " broke the parser: " + e + "\n--- policy ---\n" + (text.length() > 2000 ? text.substring(0, 2000) : text), e);
            }
        }
        long ms = (System.nanoTime() - start) / 1_000_000;
        System.out.println("policy fuzz: 10000 cases, " + refused + " refused with file:line, " + (10_000 - refused) + " loaded, " + ms + " ms");
        assertTrue(refused > 9_000, "most mutations are malformed: " + refused);
    }

    private static String mutate(String s, Random r) {
        StringBuilder b = new StringBuilder(s);
        int n = 1 + r.nextInt(4);
        for (int k = 0; k < n; k++) {
            int at = r.nextInt(b.length() + 1);
            switch (r.nextInt(8)) {
                case 0 -> b.insert(at, JUNK[r.nextInt(JUNK.length)]);
                case 1 -> b.delete(at, Math.min(b.length(), at + 1 + r.nextInt(40)));
                case 2 -> b.setLength(at); // truncated
                case 3 -> b.insert(at, (char) r.nextInt(0x3000));
                case 4 -> b.insert(at, "{".repeat(r.nextInt(5000)));
                case 5 -> b.insert(at, "type t" + r.nextInt(3) + ";\n");
                case 6 -> {
                    int j = r.nextInt(b.length() + 1);
                    String piece = b.substring(Math.min(at, j), Math.max(at, j));
                    b.insert(at, piece.length() > 4000 ? piece.substring(0, 4000) : piece);
                }
                default -> {
                    if (at < b.length()) b.setCharAt(at, (char) (' ' + r.nextInt(95)));
                }
            }
        }
        return b.toString();
    }

    @Test
    void hugeAndExplosivePoliciesAreBounded() {
        String base = FlaskModule.example();
        StringBuilder many = new StringBuilder(base);
        for (int i = 0; i < 5000; i++) many.append("type x").append(i).append(", domain_type;\n");
        many.append("allow domain_type domain_type:domain *;\n");
        PolicyException e = org.junit.jupiter.api.Assertions.assertThrows(PolicyException.class, () -> new FlaskModule("fuzz.te", many.toString(), true));
        assertTrue(ERROR.matcher(e.getMessage()).matches() && e.getMessage().contains("more than 4096 types"), e.getMessage());
        String big = base + "#" + "x".repeat(PolicyParser.MAX_BYTES);
        e = org.junit.jupiter.api.Assertions.assertThrows(PolicyException.class, () -> new FlaskModule("fuzz.te", big, true));
        assertTrue(e.getMessage().startsWith("fuzz.te:0: policy larger than"), e.getMessage());
    }
}
