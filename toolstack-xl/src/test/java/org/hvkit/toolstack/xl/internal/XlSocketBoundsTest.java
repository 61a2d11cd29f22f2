package org.hvkit.toolstack.xl.internal;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The socket protocol's bounds: refused early, short frames never run, the server still answers. */
class XlSocketBoundsTest {
    @TempDir
    Path dir;

    /** Sends raw bytes (then half-closes), returns what the server answered on stderr and the status. */
    private static String raw(Path socket, byte[] request) throws IOException {
        try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            c.connect(UnixDomainSocketAddress.of(socket));
            DataOutputStream o = new DataOutputStream(Channels.newOutputStream(c));
            o.write(request);
            o.flush();
            c.shutdownOutput();
            DataInputStream in = new DataInputStream(Channels.newInputStream(c));
            StringBuilder err = new StringBuilder();
            while (true) {
                int tag = in.readUnsignedByte();
                if (tag == 'x') return err + "status " + in.readInt();
                byte[] b = new byte[in.readInt()];
                in.readFully(b);
                if (tag == 'e') err.append(new String(b, StandardCharsets.UTF_8));
            }
        }
    }

    private static byte[] frame(int declared, String... words) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(b);
        d.writeInt(declared);
        for (String w : words) {
            byte[] x = w.getBytes(StandardCharsets.UTF_8);
            d.writeInt(x.length);
            d.write(x);
        }
        return b.toByteArray();
    }

    private static int listStatus(Path socket) {
        return XlClient.run(socket, "/", List.of("list"), new ByteArrayOutputStream(), new ByteArrayOutputStream());
    }

    @Test
    void aFrameShorterThanItDeclaresIsRefusedNotRun() throws IOException {
        try (XlHarness h = new XlHarness(); XlSocketServer s = XlSocketServer.start(dir.resolve("xl.sock"), h.xl::run, null)) {
            byte[] whole = frame(3, "/", "destroy", "0");
            byte[] cut = java.util.Arrays.copyOf(whole, whole.length - 1); // "destroy" "" would run otherwise
            assertEquals("xl: request refused: truncated: 3 words declared, word 2 incomplete\nstatus 1", raw(s.socket(), cut));
            // a declared word count with fewer words sent is refused too
            assertEquals("xl: request refused: truncated: 3 words declared, word 2 incomplete\nstatus 1", raw(s.socket(), frame(3, "/", "list")));
            assertEquals(0, listStatus(s.socket()));
        }
    }

    @Test
    void tooManyWordsOrBytesAreRefusedFromTheHeader() throws IOException {
        try (XlHarness h = new XlHarness(); XlSocketServer s = XlSocketServer.start(dir.resolve("xl.sock"), h.xl::run, null)) {
            assertEquals("xl: request refused: 4096 words (1 to 256 allowed)\nstatus 1", raw(s.socket(), frame(4096)));
            assertEquals("xl: request refused: 0 words (1 to 256 allowed)\nstatus 1", raw(s.socket(), frame(0)));
            // a word declaring 1 MiB is refused on its length, before any of its bytes arrive
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            DataOutputStream d = new DataOutputStream(b);
            d.writeInt(2);
            d.writeInt(1);
            d.write('/');
            d.writeInt(1 << 20);
            assertEquals("xl: request refused: word 1 of 1048576 bytes makes the request larger than 65536 bytes\nstatus 1", raw(s.socket(), b.toByteArray()));
            assertEquals(0, listStatus(s.socket()));
        }
    }

    @Test
    void aThousandIdleConnectionsNeitherExhaustTheServerNorBlockARealClient() throws Exception {
        long saved = XlSocketServer.requestTimeoutMs;
        XlSocketServer.requestTimeoutMs = 1_000;
        List<SocketChannel> idle = new java.util.ArrayList<>();
        try (XlHarness h = new XlHarness(); XlSocketServer s = XlSocketServer.start(dir.resolve("xl.sock"), h.xl::run, null)) {
            for (int i = 0; i < 1000; i++) {
                SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX);
                c.connect(UnixDomainSocketAddress.of(s.socket()));
                idle.add(c);
            }
            // beyond the bound a client is told at once; once idle peers time out, xl list works while they stay connected
            long t0 = System.nanoTime();
            ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
            int status = XlClient.run(s.socket(), "/", List.of("list"), o, e);
            assertTrue(status == 0 || e.toString(StandardCharsets.UTF_8).startsWith("xl: hvkit is busy: 64 connections open"), e.toString(StandardCharsets.UTF_8));
            Thread.sleep(1_500);
            assertEquals(0, listStatus(s.socket()));
            assertTrue(System.nanoTime() - t0 < 10_000_000_000L);
        } finally {
            XlSocketServer.requestTimeoutMs = saved;
            for (SocketChannel c : idle) c.close();
        }
    }
}
