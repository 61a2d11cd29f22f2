package org.hvkit.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

/** {@code exit} on a real Gogo runtime, next to gosh_profile's {@code system:exit} as in the distribution. */
class ExitCommandTest {
    /** Stands where gosh_profile's {@code addcommand system} puts System.exit(int). */
    public static final class SystemLike {
        public void exit(int status) {
            throw new AssertionError("system:exit(" + status + ") ran instead of gogo:exit");
        }
    }

    private final ThreadIOImpl tio = new ThreadIOImpl();
    private CommandProcessorImpl processor;
    private final List<Integer> left = new ArrayList<>();
    private List<String> guests = List.of();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    @BeforeEach
    void setUp() {
        tio.start();
        processor = new CommandProcessorImpl(tio);
        processor.addCommand("system", new SystemLike(), "exit");
        processor.addCommand("gogo", new ExitCommand(() -> guests, left::add), "exit");
    }

    @AfterEach
    void tearDown() {
        processor.stop();
        tio.stop();
    }

    private void prompt(String line, String typed) throws Exception {
        try (CommandSession s = processor.createSession(new ByteArrayInputStream(typed.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(out, true, StandardCharsets.UTF_8))) {
            s.put("SCOPE", "gogo:*"); // what gosh_profile sets for the console
            s.execute(line);
        }
    }

    @Test
    void exitWithoutArgumentLeavesWithZero() throws Exception {
        prompt("exit", "");
        assertEquals(List.of(0), left);
    }

    @Test
    void exitWithStatus() throws Exception {
        prompt("exit 3", "");
        assertEquals(List.of(3), left);
    }

    @Test
    void asksWhileDomainsRunAndStaysOnNo() throws Exception {
        guests = List.of("web", "db");
        prompt("exit", "n\n");
        assertEquals(List.of(), left);
        String o = out.toString(StandardCharsets.UTF_8);
        assertTrue(o.contains("2 domain(s) running (web, db)"), o);
        assertTrue(o.contains("cancelled"), o);
        prompt("exit", "y\n");
        assertEquals(List.of(0), left);
    }

    @Test
    void endOfInputAtTheQuestionIsNo() throws Exception {
        guests = List.of("web");
        prompt("exit", "");
        assertEquals(List.of(), left);
    }

    @Test
    void forceDoesNotAsk() throws Exception {
        guests = List.of("web");
        prompt("exit -f", "");
        assertEquals(List.of(0), left);
    }

    @Test
    void inAScriptItEndsTheScriptWithItsStatusWithoutAsking() {
        guests = List.of("web");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8), e = new PrintStream(err, true, StandardCharsets.UTF_8);
        byte[] none = new byte[0];
        assertEquals(4, ScriptExecution.run(processor, "exit 4; exit 5", new ByteArrayInputStream(none), o, e));
        assertEquals(0, ScriptExecution.run(processor, "exit", new ByteArrayInputStream(none), o, e));
        assertEquals(List.of(), left, "a script ends itself; the runner's caller ends the host");
        assertEquals("", err.toString(StandardCharsets.UTF_8));
        assertEquals("", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aWordThatIsNoStatusIsAClearError() throws Exception {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> prompt("exit now", ""));
        assertTrue(e.getMessage().contains("'now' is not a status"), e.getMessage());
        assertEquals(List.of(), left);
    }
}
