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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.hvkit.api.platform.HostTopology;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The acceptance fuzz: malformed xl.cfg through parser and mapper, malformed frames against a
 * real socket server. Seeded, so a failure names an input that can be replayed. The only
 * outcomes allowed are a result or the parser's and mapper's own errors; no hang, and the server
 * still answers a real {@code xl list} afterwards.
 */
class XlFuzzTest {
    @TempDir
    Path dir;

    private static final String[] PIECES = {"[", "]", "=", "+=", "\"", "'", "\\", "\\x", "\\0", "\n", ",", ";", "#", " ", "0", "0x", "7", "99999999999999999999",
        "-1", "name", "memory", "vcpus", "cpus", "cpus_soft", "disk", "vif", "pci", "cpuid", "on_crash", "cap", "cpu_weight", "pool", "maxvcpus", "all",
        "node:", "nodes:0-1", "^", "-", "\0", "\u001b", "\u00e9", "\ud83d\ude00", "A", "Z", "0-3,^1", "host,avx=0", "bridge=", "phy:/dev/x,xvda,w", "00:01.0"};

    @Test
    void aHundredThousandMalformedConfigsEndInTheirOwnErrors() throws IOException {
        List<String> seeds = new ArrayList<>();
        try (Stream<Path> s = Files.list(Path.of("..", "examples"))) {
            for (Path p : s.filter(p -> p.toString().endsWith(".cfg")).sorted().toList()) seeds.add(Files.readString(p));
        }
        assertFalse(seeds.isEmpty());
        HostTopology topo = HostTopology.of(1, 4, 1, 1, 8L << 30);
        SplittableRandom r = new SplittableRandom(14);
        int[] outcomes = new int[3];
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            for (int i = 0; i < 100_000; i++) {
                String text = i % 2 == 0 ? mutate(seeds.get(r.nextInt(seeds.size())), r) : generate(r);
                try {
                    XlCfg cfg = XlCfgParser.parse("fuzz.cfg", text);
                    new ConfigMapper(cfg, topo).map(r.nextBoolean());
                    outcomes[0]++;
                } catch (XlCfgParser.ParseException e) {
                    outcomes[1]++;
                } catch (ConfigMapper.ConfigException e) {
                    outcomes[2]++;
                } catch (RuntimeException | Error e) {
                    throw new AssertionError("input " + i + " (seed 14) ended in " + e + ":\n" + text, e);
                }
            }
        });
        assertTrue(outcomes[1] > 1000 && outcomes[2] > 100, "the fuzz reaches both the parser's and the mapper's errors: " + java.util.Arrays.toString(outcomes));
    }

    private static String mutate(String s, SplittableRandom r) {
        StringBuilder b = new StringBuilder(s);
        for (int n = 1 + r.nextInt(4); n > 0; n--) {
            int at = b.isEmpty() ? 0 : r.nextInt(b.length() + 1);
            switch (r.nextInt(4)) {
                case 0 -> b.insert(at, PIECES[r.nextInt(PIECES.length)]);
                case 1 -> b.delete(at, Math.min(b.length(), at + 1 + r.nextInt(8)));
                case 2 -> b.insert(at, b.substring(at, Math.min(b.length(), at + r.nextInt(20))));
                default -> { if (at < b.length()) b.setCharAt(at, (char) r.nextInt(0x80)); }
            }
        }
        return b.toString();
    }

    /** Grammar-aware garbage: statements of known and unknown keys with values of any shape. */
    private static String generate(SplittableRandom r) {
        StringBuilder b = new StringBuilder();
        for (int n = r.nextInt(6); n >= 0; n--) {
            b.append(PIECES[19 + r.nextInt(13)]).append(r.nextInt(10) == 0 ? " += " : " = ");
            value(b, r, 0);
            b.append(r.nextInt(5) == 0 ? ";" : "\n");
        }
        return b.toString();
    }

    private static void value(StringBuilder b, SplittableRandom r, int depth) {
        switch (r.nextInt(depth > 40 ? 3 : 4)) {
            case 0 -> b.append('"').append(PIECES[r.nextInt(PIECES.length)]).append(PIECES[r.nextInt(PIECES.length)]).append('"');
            case 1 -> b.append(PIECES[14 + r.nextInt(4)]);
            case 2 -> b.append(PIECES[r.nextInt(PIECES.length)]);
            default -> {
                b.append('[');
                for (int k = r.nextInt(4); k > 0; k--) {
                    value(b, r, depth + 1);
                    if (r.nextInt(8) != 0) b.append(',');
                }
                if (r.nextInt(10) != 0) b.append(']');
            }
        }
    }

    private static final String[] WORDS = {"list", "info", "vcpu-list", "dmesg", "domid", "domname", "sched-credit", "cpupool-list", "create", "destroy",
        "pause", "-d", "-N", "-v", "-l", "Domain-0", "0", "1", "nosuch", "-w", "99999", "-p", "--", "", "\0", "\u001b[2J", "x=7", "/dev/zero", "help"};

    @Test
    void tenThousandMalformedFramesLeaveTheServerAnswering() throws IOException {
        SplittableRandom r = new SplittableRandom(14);
        try (XlHarness h = new XlHarness(); XlSocketServer s = XlSocketServer.start(dir.resolve("xl.sock"), h.xl::run, null)) {
            assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
                for (int i = 0; i < 10_000; i++) send(s.socket(), frame(r), i);
            });
            ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
            assertEquals(0, XlClient.run(s.socket(), "/", List.of("list"), o, e), e.toString(StandardCharsets.UTF_8));
            assertTrue(o.toString(StandardCharsets.UTF_8).contains("Domain-0"));
        }
    }

    private static byte[] frame(SplittableRandom r) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(bytes);
        int words = 1 + r.nextInt(5);
        int declared = switch (r.nextInt(6)) {
            case 0 -> r.nextInt();
            case 1 -> words + 1 + r.nextInt(3);
            default -> words;
        };
        d.writeInt(declared);
        for (int i = 0; i < words; i++) {
            byte[] w = (i == 0 ? "/" : WORDS[r.nextInt(WORDS.length)]).getBytes(StandardCharsets.UTF_8);
            int len = switch (r.nextInt(12)) {
                case 0 -> r.nextInt();
                case 1 -> w.length + 1 + r.nextInt(100);
                default -> w.length;
            };
            d.writeInt(len);
            d.write(w);
        }
        byte[] b = bytes.toByteArray();
        if (r.nextInt(5) == 0) return java.util.Arrays.copyOf(b, r.nextInt(b.length + 1)); // cut anywhere
        if (r.nextInt(10) == 0) { // flip a byte anywhere
            b[r.nextInt(b.length)] ^= (byte) (1 + r.nextInt(255));
        }
        return b;
    }

    /** One connection: the request, half-close, then whatever the server answers until it closes. */
    private static void send(Path socket, byte[] request, int i) throws IOException {
        try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            c.connect(UnixDomainSocketAddress.of(socket));
            try {
                Channels.newOutputStream(c).write(request);
                c.shutdownOutput();
            } catch (IOException e) {
                // refused before it read everything: the answer follows
            }
            DataInputStream in = new DataInputStream(Channels.newInputStream(c));
            while (true) {
                int tag;
                try {
                    tag = in.readUnsignedByte();
                } catch (java.io.EOFException e) {
                    fail("frame " + i + ": the server closed without an exit status");
                    return;
                }
                if (tag == 'x') {
                    in.readInt();
                    return;
                }
                assertTrue(tag == 'o' || tag == 'e', "frame " + i + ": tag " + tag);
                String text = new String(in.readNBytes(in.readInt()), StandardCharsets.UTF_8);
                assertFalse(text.contains("internal error"), "frame " + i + ": " + text);
            }
        }
    }
}
