package org.hvkit.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.felix.gogo.runtime.CommandProcessorImpl;
import org.apache.felix.gogo.runtime.threadio.ThreadIOImpl;
import org.apache.felix.service.command.CommandSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The script semantics of {@code ./hvkit -c}, on a real Gogo runtime without a framework. */
class ScriptExecutionTest {
    /** Like the xl command's exception: a package-private class with a public int status(). */
    static final class FakeExitException extends RuntimeException {
        private final int status;

        FakeExitException(int status, String message) {
            super(message);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    /** Commands under scope hvkit: a fake xl that records calls, and the real sleep. */
    public static final class FakeXl {
        final List<String> calls = new ArrayList<>();

        /** Throws its exit exception only in a script session, as the real xl does. */
        public void xl(CommandSession session, String... args) {
            calls.add(String.join(" ", args));
            if (args.length > 0 && args[0].equals("fail")) {
                System.out.println("xl: failing as asked");
                if (Boolean.TRUE.equals(session.get(ScriptExecution.SCRIPT_VARIABLE))) {
                    throw new FakeExitException(Integer.parseInt(args[1]), "xl failed");
                }
                return;
            }
            if (args.length > 0 && args[0].equals("boom")) {
                throw new IllegalStateException("boom happened");
            }
            System.out.println("xl " + String.join(" ", args));
        }

        public String greet(String who) {
            return "hello " + who;
        }
    }

    private ThreadIOImpl tio;
    private CommandProcessorImpl processor;
    private final FakeXl xl = new FakeXl();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void setUp() {
        tio = new ThreadIOImpl();
        tio.start();
        processor = new CommandProcessorImpl(tio);
        processor.addCommand("hvkit", xl, "xl");
        processor.addCommand("hvkit", xl, "greet");
        processor.addCommand("hvkit", new SleepCommand(), "sleep");
    }

    @AfterEach
    void tearDown() {
        processor.stop();
        tio.stop();
    }

    private int run(String script) {
        return ScriptExecution.run(processor, script, new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void runsStatementsInOrderSeparatedBySemicolonsAndNewlines() {
        assertEquals(0, run("xl create a.cfg; sleep 0.01; xl list\nxl info"));
        assertEquals(List.of("create a.cfg", "list", "info"), xl.calls);
        assertEquals("xl create a.cfg\nxl list\nxl info\n", out());
        assertEquals("", err());
    }

    @Test
    void stopsAtTheFirstFailureWithItsStatus() {
        assertEquals(3, run("xl list; xl fail 3; xl info"));
        assertEquals(List.of("list", "fail 3"), xl.calls);
        assertEquals("", err(), "xl prints its own error; the runner adds nothing");
    }

    @Test
    void otherExceptionsGiveStatusOneAndAMessage() {
        assertEquals(1, run("xl boom\nxl list"));
        assertEquals(List.of("boom"), xl.calls);
        assertTrue(err().contains("boom happened"), err());
    }

    @Test
    void unknownCommandIsStatusOne() {
        assertEquals(1, run("nosuchcommand 1"));
        assertTrue(err().contains("nosuchcommand"), err());
    }

    @Test
    void lastStatementSucceedingAfterNothingFailedIsZero() {
        assertEquals(0, run("sleep 0"));
    }

    @Test
    void printsANonNullResultLikeTheShell() {
        assertEquals(0, run("greet world"));
        assertEquals("hello world\n", out());
    }

    @Test
    void statusOfLooksAtCauses() {
        assertEquals(7, ScriptExecution.statusOf(new RuntimeException(new FakeExitException(7, "x"))));
        assertNull(ScriptExecution.statusOf(new RuntimeException("plain")));
    }

    @Test
    void sleepParsesFractions() {
        assertEquals(500_000_000L, SleepCommand.parseSeconds("0.5"));
        assertEquals(3_000_000_000L, SleepCommand.parseSeconds("3"));
        assertEquals(250_000_000L, SleepCommand.parseSeconds(".25"));
        assertThrows(IllegalArgumentException.class, () -> SleepCommand.parseSeconds("-1"));
        assertThrows(IllegalArgumentException.class, () -> SleepCommand.parseSeconds("abc"));
    }

    @Test
    void detectsScriptsThatUseXl() {
        assertTrue(ScriptRunner.usesXl("xl list"));
        assertTrue(ScriptRunner.usesXl("sleep 1; hvkit:xl list"));
        assertFalse(ScriptRunner.usesXl("lb; sleep 1"));
        assertFalse(ScriptRunner.usesXl("cat foo.xlsx"));
        assertTrue(ScriptRunner.usesHv("hv help"));
        assertTrue(ScriptRunner.usesHv("sleep 1; hvkit:hv schedulers"));
        assertFalse(ScriptRunner.usesHv("xl list; cat hvkit.cfg"));
    }
}
