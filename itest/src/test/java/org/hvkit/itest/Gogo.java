package org.hvkit.itest;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;

/** Runs one Gogo command line in a fresh session, capturing what it printed (stdout and stderr). */
record Gogo(Object value, String output) {
    static Gogo run(CommandProcessor processor, String line) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8);
        CommandSession s = processor.createSession(System.in, ps, ps);
        try {
            Object v = s.execute(line);
            return new Gogo(v, out.toString(StandardCharsets.UTF_8));
        } finally {
            s.close();
        }
    }
}
