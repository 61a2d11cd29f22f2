package org.hvkit.toolstack.xl.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.apache.felix.gogo.runtime.CommandProcessorImpl;
import org.apache.felix.gogo.runtime.threadio.ThreadIOImpl;
import org.apache.felix.service.command.CommandSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * xl and hv on a real Gogo runtime: a failure at the prompt is xl's message only (no exception
 * for the console to print as a {@code gogo: XlExitException} line, and no value to print);
 * in a script session it carries the exit status.
 */
class GogoStatusTest {
    private final ThreadIOImpl tio = new ThreadIOImpl();
    private CommandProcessorImpl processor;
    private XlHarness h;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();

    @BeforeEach
    void setUp() {
        tio.start();
        processor = new CommandProcessorImpl(tio);
        h = new XlHarness();
        processor.addCommand("hvkit", new XlCommand(h.sim.hypervisor()), "xl");
        processor.addCommand("hvkit", new HvCommand(h.sim.hypervisor()), "hv");
    }

    @AfterEach
    void tearDown() {
        h.close();
        processor.stop();
        tio.stop();
    }

    private CommandSession session() {
        return processor.createSession(new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void interactiveFailureThrowsNothingAndReturnsNothing() throws Exception {
        try (CommandSession s = session()) {
            assertNull(s.execute("xl destroy nosuchdomain"));
            assertNull(s.execute("hv sched-switch nosuchpool credit"));
            assertNull(s.execute("xl list"), "xl returns no value for the console to print");
        }
        String e = err.toString(StandardCharsets.UTF_8);
        assertTrue(e.contains("nosuchdomain"), e);
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("Domain-0"));
    }

    @Test
    void scriptFailureCarriesTheExitStatus() {
        try (CommandSession s = session()) {
            s.put(GogoStatus.SCRIPT_VARIABLE, Boolean.TRUE);
            XlExitException x = assertThrows(XlExitException.class, () -> s.execute("hv"));
            assertEquals(2, x.status());
            assertThrows(XlExitException.class, () -> s.execute("xl destroy nosuchdomain"));
        }
    }
}
