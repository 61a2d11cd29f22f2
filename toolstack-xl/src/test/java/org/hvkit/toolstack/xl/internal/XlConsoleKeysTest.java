package org.hvkit.toolstack.xl.internal;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ctrl-] leaves xl console and q leaves xl top, in the shell and through the socket; a client that goes away ends its command on the server. */
class XlConsoleKeysTest {
    @TempDir
    Path dir;

    private static final PrintStream NOWHERE = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

    private void running(XlHarness h, String name) throws IOException {
        Path cfg = dir.resolve(name + ".cfg");
        Files.writeString(cfg, "name='" + name + "'\nworkload='idle'\n");
        assertEquals(0, h.run("create", cfg.toString()).status());
    }

    private static byte[] request(String... words) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(b);
        d.writeInt(words.length);
        for (String w : words) {
            byte[] x = w.getBytes(StandardCharsets.UTF_8);
            d.writeInt(x.length);
            d.write(x);
        }
        return b.toByteArray();
    }

    /** Reads frames until the exit frame; its status. */
    private static int status(SocketChannel c) throws IOException {
        DataInputStream in = new DataInputStream(Channels.newInputStream(c));
        while (true) {
            int tag = in.readUnsignedByte();
            if (tag == 'x') return in.readInt();
            in.readFully(new byte[in.readInt()]);
        }
    }

    /** Runs {@code task} on a thread of its own (the common pool has one thread on a 2-core host); interrupting it is cancelling. */
    private static <T> CompletableFuture<T> async(java.util.concurrent.Callable<T> task) {
        CompletableFuture<T> f = new CompletableFuture<>();
        Thread t = Thread.ofPlatform().daemon().start(() -> {
            try {
                f.complete(task.call());
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        });
        f.whenComplete((v, e) -> {
            if (f.isCancelled()) t.interrupt();
        });
        return f;
    }

    @Test
    void ctrlBracketLeavesTheConsoleInTheShell() throws Exception {
        try (XlHarness h = new XlHarness()) {
            running(h, "c");
            var keys = new ByteArrayInputStream(new byte[] {'a', 'b', Console.ESCAPE});
            var done = async(() -> h.xl.run("/", List.of("console", "c"), keys, NOWHERE, NOWHERE));
            assertEquals(0, done.get(5, TimeUnit.SECONDS), "console left on Ctrl-] while the guest runs");
            // without the escape it follows the running guest
            var follows = async(() -> h.xl.run("/", List.of("console", "c"), new ByteArrayInputStream(new byte[] {'x'}), NOWHERE, NOWHERE));
            Thread.sleep(300);
            assertFalse(follows.isDone(), "a key other than Ctrl-] does not leave the console");
            follows.cancel(true);
        }
    }

    @Test
    void qLeavesTop() throws Exception {
        try (XlHarness h = new XlHarness()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            long t0 = System.nanoTime();
            var done = async(() -> h.xl.run("/", List.of("top", "-d", "30"), new ByteArrayInputStream("q".getBytes()),
                    new PrintStream(out, true, StandardCharsets.UTF_8), NOWHERE));
            assertEquals(0, done.get(5, TimeUnit.SECONDS));
            assertTrue(System.nanoTime() - t0 < 5_000_000_000L, "q did not wait out the 30 s delay");
            assertTrue(out.toString(StandardCharsets.UTF_8).contains("Domain-0"), "one table was shown first");
        }
    }

    @Test
    void ctrlBracketLeavesTheConsoleThroughTheSocket() throws Exception {
        try (XlHarness h = new XlHarness(); XlSocketServer s = XlSocketServer.start(dir.resolve("xl.sock"), h.xl::run, null)) {
            running(h, "c");
            try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                c.connect(UnixDomainSocketAddress.of(s.socket()));
                var o = Channels.newOutputStream(c);
                o.write(request("/", "console", "c"));
                Thread.sleep(200);
                o.write(new byte[] {'i', 0, 0, 0, 2, 'z', Console.ESCAPE});
                o.flush();
                assertEquals(0, async(() -> status(c)).get(5, TimeUnit.SECONDS));
            }
        }
    }

    @Test
    void aClientThatGoesAwayEndsItsConsoleOnTheServerButOneThatOnlyShutsItsSideDoesNot() throws Exception {
        CompletableFuture<Integer> ended = new CompletableFuture<>();
        try (XlHarness h = new XlHarness();
                XlSocketServer s = XlSocketServer.start(dir.resolve("xl.sock"), (cwd, a, keys, o, e) -> {
                    int st = h.xl.run(cwd, a, keys, o, e);
                    if (a.get(0).equals("console")) ended.complete(st);
                    return st;
                }, null)) {
            running(h, "c");
            SocketChannel half = SocketChannel.open(StandardProtocolFamily.UNIX);
            half.connect(UnixDomainSocketAddress.of(s.socket()));
            Channels.newOutputStream(half).write(request("/", "console", "c"));
            half.shutdownOutput();
            Thread.sleep(800);
            assertFalse(ended.isDone(), "the client only shut its sending side: the console follows on");
            half.close();
            assertEquals(0, ended.get(5, TimeUnit.SECONDS), "the follower ended once its client was gone");
            // the server answers as before
            assertEquals(0, XlClient.run(s.socket(), "/", List.of("list"), new ByteArrayOutputStream(), new ByteArrayOutputStream()));
        }
    }

    @Test
    void onlyConsoleAndTopReadTheKeyboard() {
        assertTrue(XlClient.readsKeys(List.of("console", "web")));
        assertTrue(XlClient.readsKeys(List.of("-v", "top")));
        assertFalse(XlClient.readsKeys(List.of("list")));
        assertFalse(XlClient.readsKeys(List.of("create", "console.cfg")));
    }
}
