package org.hvkit.toolstack.xl.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Usage asked for goes to stdout with status 0; usage as an error (no command) stays on stderr with 2. */
class HvHelpTest {
    private static XlHarness.Result hv(String... args) {
        try (XlHarness h = new XlHarness()) {
            HvCommand cmd = new HvCommand(h.sim.hypervisor());
            ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
            int s = cmd.run(List.of(args), new PrintStream(o, true, StandardCharsets.UTF_8),
                    new PrintStream(e, true, StandardCharsets.UTF_8));
            return new XlHarness.Result(s, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        }
    }

    @Test
    void helpPrintsUsageToStdoutWithStatusZero() {
        for (String help : List.of("help", "-h", "--help")) {
            XlHarness.Result r = hv(help);
            assertEquals(0, r.status(), help);
            assertTrue(r.out().startsWith("Usage: hv <command>"), help + ": " + r.out());
            assertEquals("", r.err(), help);
        }
    }

    @Test
    void noCommandKeepsUsageOnStderrWithStatusTwo() {
        XlHarness.Result r = hv();
        assertEquals(2, r.status());
        assertEquals("", r.out());
        assertTrue(r.err().startsWith("Usage: hv <command>"), r.err());
    }
}
