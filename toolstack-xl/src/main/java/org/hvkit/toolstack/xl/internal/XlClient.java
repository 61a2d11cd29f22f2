package org.hvkit.toolstack.xl.internal;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The standalone xl client ({@code ./hvkit xl ...}, {@code ./xl ...}): sends the arguments to a
 * running hvkit over its Unix-domain socket and prints its stdout and stderr, exiting with xl's
 * status. Plain Java (no OSGi): run with the bundle jar or classes on the class path.
 *
 * <p>Usage: {@code XlClient [--socket PATH] <xl arguments>}; the default socket is
 * {@code $HVKIT_SOCKET}, else {@code $XDG_RUNTIME_DIR/hvkit/xl.sock}, else {@code ~/.hvkit/xl.sock}.
 */
public final class XlClient {
    private XlClient() {
    }

    public static void main(String[] argv) {
        List<String> args = new ArrayList<>(List.of(argv));
        Path socket = defaultSocket();
        if (args.size() >= 2 && args.get(0).equals("--socket")) {
            socket = Path.of(args.get(1));
            args = args.subList(2, args.size());
        }
        System.exit(run(socket, System.getProperty("user.dir"), args, System.out, System.err));
    }

    static Path defaultSocket() {
        String s = System.getenv("HVKIT_SOCKET");
        if (s != null && !s.isEmpty()) return Path.of(s);
        String xdg = System.getenv("XDG_RUNTIME_DIR");
        if (xdg != null && !xdg.isEmpty()) return Path.of(xdg, "hvkit", "xl.sock");
        return Path.of(System.getProperty("user.home"), ".hvkit", "xl.sock");
    }

    /** Runs one command line remotely; returns its exit status (1 when hvkit cannot be reached). */
    static int run(Path socket, String cwd, List<String> args, OutputStream out, OutputStream err) {
        return run(socket, cwd, args, out, err, XlClient::trusted);
    }

    /** The daemon we talk to runs as this user or as root; anyone else may have planted the socket. */
    static boolean trusted(String user) {
        return user.equals(System.getProperty("user.name")) || user.equals("root");
    }

    /** As {@link #run(Path, String, List, OutputStream, OutputStream)}, trusting the server's user by {@code trust}. */
    static int run(Path socket, String cwd, List<String> args, OutputStream out, OutputStream err, java.util.function.Predicate<String> trust) {
        try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            c.connect(UnixDomainSocketAddress.of(socket));
            String server = PeerCred.user(c); // before anything is sent: a foreign listener learns nothing
            if (server == null || !trust.test(server)) {
                print(err, "xl: refusing to talk to " + socket + ": its server runs as " + (server == null ? "an unknown user" : "user " + server)
                        + ", not as " + System.getProperty("user.name") + " or root\n");
                return 1;
            }
            try {
                DataOutputStream o = new DataOutputStream(Channels.newOutputStream(c));
                o.writeInt(args.size() + 1);
                for (String s : prepend(cwd, args)) {
                    byte[] b = s.getBytes(StandardCharsets.UTF_8);
                    o.writeInt(b.length);
                    o.write(b);
                }
                o.flush();
            } catch (IOException e) {
                // the server may refuse before reading all of it (wrong user, too large): its answer follows
            }
            DataInputStream in = new DataInputStream(Channels.newInputStream(c));
            if (readsStream(args)) forwardStdin(c);
            else if (readsKeys(args)) forwardKeys(c);
            while (true) {
                int tag = in.readUnsignedByte();
                if (tag == 'x') {
                    int status = in.readInt();
                    out.flush();
                    err.flush();
                    return status;
                }
                byte[] b = in.readNBytes(in.readInt());
                (tag == 'e' ? err : out).write(b);
                (tag == 'e' ? err : out).flush();
            }
        } catch (EOFException e) {
            print(err, "xl: hvkit closed the connection\n");
            return 1;
        } catch (IOException e) {
            print(err, "xl: cannot reach hvkit at " + socket + ": " + e.getMessage() + " (start it with ./hvkit daemon)\n");
            return 1;
        }
    }

    /** xl console and xl top read what the user types (Ctrl-], q); other commands leave stdin alone, as a script expects. */
    static boolean readsKeys(List<String> args) {
        for (String a : args) {
            if (a.startsWith("-")) continue; // xl's global options come first
            return a.equals("console") || a.equals("top");
        }
        return false;
    }

    /** xl migrate-receive reads the migration stream on stdin: all of it goes to the server, binary, unbuffered. */
    static boolean readsStream(List<String> args) {
        for (String a : args) {
            if (a.startsWith("-")) continue;
            return a.equals("migrate-receive");
        }
        return false;
    }

    /**
     * Sends stdin as 'i' frames as it comes, and at its end shuts the sending side, so the
     * server's reader sees the stream end where the sender stopped (a cut stream stays cut).
     */
    private static void forwardStdin(SocketChannel c) {
        Thread.ofPlatform().daemon().name("xl-stdin").start(() -> {
            try {
                OutputStream raw = Channels.newOutputStream(c);
                byte[] b = new byte[ClientKeys.MAX_FRAME];
                java.nio.ByteBuffer f = java.nio.ByteBuffer.allocate(5 + b.length);
                int n;
                while ((n = System.in.read(b)) > 0) {
                    f.clear();
                    f.put((byte) 'i').putInt(n).put(b, 0, n);
                    raw.write(f.array(), 0, f.position());
                }
                c.shutdownOutput();
            } catch (IOException e) {
                // the command ended and the connection closed
            }
        });
    }

    /** Sends each key typed to the server as an 'i' frame; the terminal is byte-at-a-time meanwhile. */
    private static void forwardKeys(SocketChannel c) {
        Thread.ofPlatform().daemon().name("xl-keys").start(() -> {
            try (Keyboard keys = Keyboard.open(System.in)) {
                OutputStream raw = Channels.newOutputStream(c);
                byte[] b = new byte[ClientKeys.MAX_FRAME];
                while (true) {
                    int n = System.in.read(b);
                    if (n < 0) return; // end of input: the command runs on until it ends or the user interrupts
                    java.nio.ByteBuffer f = java.nio.ByteBuffer.allocate(5 + n).put((byte) 'i').putInt(n).put(b, 0, n);
                    raw.write(f.array());
                    raw.flush();
                }
            } catch (IOException e) {
                // the command ended and the connection closed
            }
        });
    }

    private static List<String> prepend(String cwd, List<String> args) {
        List<String> l = new ArrayList<>(args.size() + 1);
        l.add(cwd);
        l.addAll(args);
        return l;
    }

    private static void print(OutputStream s, String text) {
        try {
            s.write(text.getBytes(StandardCharsets.UTF_8));
            s.flush();
        } catch (IOException e) {
            // nowhere else to say it
        }
    }
}
