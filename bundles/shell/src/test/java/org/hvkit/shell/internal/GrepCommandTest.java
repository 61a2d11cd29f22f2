package org.hvkit.shell.internal;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.apache.felix.gogo.runtime.CommandProcessorImpl;
import org.apache.felix.gogo.runtime.threadio.ThreadIOImpl;
import org.apache.felix.gogo.shell.Posix;
import org.apache.felix.service.command.CommandSession;
import org.junit.jupiter.api.Test;

/** {@code xl list | grep x} prints the matching lines and no {@code true}: hvkit's grep shadows Gogo's. */
class GrepCommandTest {
    private static Object run(boolean withHvkit, String line, ByteArrayOutputStream out) throws Exception {
        ThreadIOImpl tio = new ThreadIOImpl();
        tio.start();
        CommandProcessorImpl p = new CommandProcessorImpl(tio);
        try {
            Posix posix = new Posix(); // registered as gogo.shell's activator does: scope gogo, no ranking
            p.addCommand("gogo", posix, "echo");
            p.addCommand("gogo", posix, "grep");
            if (withHvkit) p.addCommand("gogo", new GrepCommand(), "grep", 1); // the component's service.ranking
            try (CommandSession s = p.createSession(new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(out, true, StandardCharsets.UTF_8))) {
                s.put("SCOPE", "gogo:*");
                return s.execute(line);
            }
        } finally {
            p.stop();
            tio.stop();
        }
    }

    @Test
    void gogosGrepReturnsTrueForTheConsoleToPrintAndHvkitsReturnsNothing() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(Boolean.TRUE, run(false, "echo web | grep web", out), "Gogo's grep: the value the console prints as 'true'");
        out.reset();
        assertNull(run(true, "echo web | grep web", out), "nothing for the console to print");
        assertEquals("web\n", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void optionsAndErrors() throws Exception {
        String list = "Name ID\nDomain-0 0\nweb 1\nWEB2 2\n";
        ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(o, true, StandardCharsets.UTF_8), err = new PrintStream(e, true, StandardCharsets.UTF_8);
        assertTrue(GrepCommand.run(new String[] {"-in", "web"}, new ByteArrayInputStream(list.getBytes(StandardCharsets.UTF_8)), out, err));
        assertEquals("3:web 1\n4:WEB2 2\n", o.toString(StandardCharsets.UTF_8));
        o.reset();
        assertTrue(GrepCommand.run(new String[] {"-v", "web|WEB|Name"}, new ByteArrayInputStream(list.getBytes(StandardCharsets.UTF_8)), out, err));
        assertEquals("Domain-0 0\n", o.toString(StandardCharsets.UTF_8));
        assertFalse(GrepCommand.run(new String[] {"(", "x"}, new ByteArrayInputStream(new byte[0]), out, err));
        assertTrue(e.toString(StandardCharsets.UTF_8).startsWith("grep: bad pattern '(': "), e.toString(StandardCharsets.UTF_8));
        e.reset();
        assertFalse(GrepCommand.run(new String[] {"x", "/nonexistent/f"}, new ByteArrayInputStream(new byte[0]), out, err));
        assertEquals("grep: /nonexistent/f: No such file or directory\n", e.toString(StandardCharsets.UTF_8));
    }
}
