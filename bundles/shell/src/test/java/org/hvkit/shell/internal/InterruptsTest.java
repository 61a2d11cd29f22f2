package org.hvkit.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.felix.gogo.runtime.CommandProcessorImpl;
import org.apache.felix.gogo.runtime.threadio.ThreadIOImpl;
import org.apache.felix.service.command.CommandSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Ctrl-C's action on a real Gogo runtime: the running line is interrupted, the session lives on. */
class InterruptsTest {
    private final ThreadIOImpl tio = new ThreadIOImpl();
    private CommandProcessorImpl processor;
    private final Interrupts interrupts = new Interrupts();

    @BeforeEach
    void setUp() {
        tio.start();
        processor = new CommandProcessorImpl(tio);
        processor.addCommand("hvkit", new SleepCommand(), "sleep");
        processor.addListener(interrupts);
    }

    @AfterEach
    void tearDown() {
        processor.stop();
        tio.stop();
    }

    @Test
    void nothingRunningMeansNothingToInterrupt() {
        assertFalse(interrupts.interrupt());
    }

    @Test
    void interruptsTheRunningSleepAndTheSessionRunsTheNextLine() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (CommandSession s = processor.createSession(new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(out, true, StandardCharsets.UTF_8))) {
            CompletableFuture<Object> line = CompletableFuture.supplyAsync(() -> {
                try {
                    return s.execute("sleep 30");
                } catch (Exception e) {
                    return e;
                } finally {
                    if (Thread.currentThread().isInterrupted()) {
                        throw new AssertionError("the interrupt outlived the line: the console would end");
                    }
                }
            });
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (!interrupts.interrupt()) {
                assertTrue(System.nanoTime() < deadline, "sleep never started");
                Thread.sleep(10);
            }
            line.get(5, TimeUnit.SECONDS); // not 30 s
            assertFalse(interrupts.interrupt(), "nothing runs after the interrupted line");
            assertNull(s.foregroundJob(), "the interrupted job is over");
            assertEquals("ok", CompletableFuture.supplyAsync(() -> {
                try {
                    s.execute("sleep 0");
                    return "ok";
                } catch (Exception e) {
                    return e.toString();
                }
            }).get(5, TimeUnit.SECONDS));
        }
    }
}
