package org.hvkit.toolstack.xl.internal;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The standalone xl client's server: a Unix-domain socket, {@code 0600} in a {@code 0700}
 * directory, both owned by the user running hvkit. Each connection is one xl command line.
 *
 * <p>Protocol ({@link java.io.DataOutputStream} encoding, big-endian): the client sends an int
 * {@code n} and {@code n} strings (int byte length, UTF-8 bytes): the client's working directory,
 * then the xl arguments. The server answers with frames: {@code 'o'} or {@code 'e'}, an int
 * length and that many bytes of stdout or stderr; then {@code 'x'} and the int exit status.
 * A peer whose user (SO_PEERCRED) is not the owner is answered with a message and status 1
 * before anything of its request is read. A request carries at most {@link #MAX_ARGS} words and
 * {@link #MAX_REQUEST} bytes; one beyond those, or shorter than it declares, is refused the same way.
 */
final class XlSocketServer implements AutoCloseable {
    /** Runs one command line; what XlCommand.run does. */
    interface Runner {
        int run(String cwd, List<String> args, java.io.InputStream keys, PrintStream out, PrintStream err);
    }

    /** Who a peer other than the owner acts as (the security policy's peer mapping), or empty: refused at connect. */
    interface Admission {
        java.util.Optional<org.hvkit.api.xsm.Subject> admit(String user, java.util.Set<String> groups);
    }

    private static final Logger LOG = LoggerFactory.getLogger(XlSocketServer.class);

    /** Bounds of one request (the working directory counts as a word): refused past these. */
    static final int MAX_ARGS = 256, MAX_REQUEST = 64 << 10;
    /** Connections served at once (beyond: answered "busy" and closed at once), and how long a peer may take to send its request. */
    static final int MAX_CONNECTIONS = 64;
    static volatile long requestTimeoutMs = 5_000;

    private final java.util.concurrent.Semaphore slots = new java.util.concurrent.Semaphore(MAX_CONNECTIONS);
    private static final java.util.concurrent.ScheduledExecutorService WATCHDOG = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().daemon().name("hvkit-xl-socket-timeout").unstarted(r));

    private final Path socket;
    private final ServerSocketChannel server;
    private final Runner runner;
    private final String owner;
    private final Admission admission;
    private final Thread acceptor;
    private volatile boolean closed;

    private XlSocketServer(Path socket, ServerSocketChannel server, Runner runner, String owner, Admission admission) {
        this.socket = socket;
        this.server = server;
        this.runner = runner;
        this.owner = owner;
        this.admission = admission;
        this.acceptor = Thread.ofPlatform().daemon().name("hvkit-xl-socket").unstarted(this::acceptLoop);
    }

    /**
     * Binds {@code socket} (its directory is created 0700 if missing; an existing one must be a real
     * directory of this user that no one else can write, see {@link SocketDir}; a stale socket file is replaced) and starts accepting. {@code owner}: the user allowed in, null for
     * the user running this JVM.
     */
    static XlSocketServer start(Path socket, Runner runner, String owner) throws IOException {
        return start(socket, runner, owner, null, null);
    }

    /**
     * As {@link #start(Path, Runner, String)}, and with {@code group} set the directory is 0750 and the
     * socket 0660 of that group, so its members can connect; each peer but the owner is then admitted
     * by {@code admission} under the label it gives, or refused at connect.
     */
    static XlSocketServer start(Path socket, Runner runner, String owner, Admission admission, String group) throws IOException {
        Path dir = socket.toAbsolutePath().getParent();
        SocketDir.prepare(dir, group);
        Files.deleteIfExists(socket);
        ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            ch.bind(UnixDomainSocketAddress.of(socket));
            Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString(group == null ? "rw-------" : "rw-rw----"));
            if (group != null) SocketDir.setGroup(socket, group);
        } catch (IOException e) {
            ch.close();
            throw e;
        }
        XlSocketServer s = new XlSocketServer(socket, ch, runner, owner == null ? System.getProperty("user.name") : owner, admission);
        s.acceptor.start();
        return s;
    }

    Path socket() {
        return socket;
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                SocketChannel c = server.accept();
                if (!slots.tryAcquire()) { // bounded: idle connections cannot take every fd
                    busy(c);
                    continue;
                }
                Thread.ofVirtual().name("hvkit-xl-client").start(() -> {
                    try {
                        serve(c);
                    } finally {
                        slots.release();
                    }
                });
            } catch (IOException | RuntimeException | Error e) {
                if (closed) return;
                // e.g. out of file descriptors: back off rather than spin, and say so
                LOG.warn("xl socket: accept failed: {}", e.toString());
                try {
                    Thread.sleep(100);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    private void serve(SocketChannel c) {
        try (c; DataInputStream in = new DataInputStream(Channels.newInputStream(c));
                DataOutputStream out = new DataOutputStream(Channels.newOutputStream(c))) {
            String peer = PeerCred.user(c);
            org.hvkit.api.xsm.Subject subject = null; // the owner acts as Domain-0's toolstack
            if (peer != null && !peer.equals(owner)) { // admitted or refused before reading anything of the request
                var admitted = admission == null ? java.util.Optional.<org.hvkit.api.xsm.Subject>empty()
                        : admission.admit(peer, PeerCred.groups(peer, PeerCred.group(c)));
                if (admitted.isEmpty()) {
                    LOG.warn("xl socket: user {} refused: no security label for it", peer);
                    refuse(out, "permission denied: user " + peer + " may not use the hvkit of user " + owner
                            + (admission == null ? "" : " (the security policy gives it no label)"));
                    return;
                }
                subject = admitted.get();
            }
            List<String> words;
            // a peer that does not send its whole request in time is closed, never waited for
            var timeout = WATCHDOG.schedule(() -> closeQuietly(c), requestTimeoutMs, java.util.concurrent.TimeUnit.MILLISECONDS);
            try {
                words = readRequest(in);
            } catch (BadRequest e) {
                refuse(out, "request refused: " + e.getMessage());
                return;
            } finally {
                timeout.cancel(false);
            }
            PrintStream o = new PrintStream(new FrameStream(out, 'o'), false, StandardCharsets.UTF_8);
            PrintStream e = new PrintStream(new FrameStream(out, 'e'), false, StandardCharsets.UTF_8);
            int status;
            // after the request the client sends only keys (xl console, xl top); its leaving interrupts the command
            ClientKeys keys = ClientKeys.follow(in, () -> frame(out, 'o', new byte[0]), Thread.currentThread());
            try {
                final List<String> w = words;
                status = subject == null ? runner.run(w.get(0), w.subList(1, w.size()), keys, o, e)
                        : org.hvkit.api.xsm.Caller.call(subject, () -> runner.run(w.get(0), w.subList(1, w.size()), keys, o, e));
            } catch (Exception | Error ex) { // incl. OutOfMemoryError, StackOverflowError: said, never silent
                LOG.error("xl {} failed", words.subList(1, words.size()), ex);
                e.println("xl: internal error: " + ex);
                status = 1;
            }
            keys.done();
            Thread.interrupted(); // a client that left as the command ended: the answer is still written, or fails quietly
            o.flush();
            e.flush();
            exit(out, status);
        } catch (IOException e) {
            // the client went away
        }
    }

    /** A request that breaks the protocol's bounds or framing. */
    static final class BadRequest extends Exception {
        private static final long serialVersionUID = 1L;

        BadRequest(String message) {
            super(message);
        }
    }

    /**
     * Reads one request: the count first (refused at once when out of bounds), then each word's
     * length before its bytes, so a refused request is never read whole; a frame shorter than it
     * declares is refused, never run.
     */
    static List<String> readRequest(DataInputStream in) throws IOException, BadRequest {
        int n;
        try {
            n = in.readInt();
        } catch (EOFException e) {
            throw new BadRequest("truncated header");
        }
        if (n < 1 || n > MAX_ARGS) throw new BadRequest(n + " words (1 to " + MAX_ARGS + " allowed)");
        List<String> words = new ArrayList<>(n);
        long total = 4;
        for (int i = 0; i < n; i++) {
            try {
                int len = in.readInt();
                total += 4L + len;
                if (len < 0 || total > MAX_REQUEST) throw new BadRequest("word " + i + " of " + len + " bytes makes the request larger than " + MAX_REQUEST + " bytes");
                byte[] b = new byte[len];
                in.readFully(b);
                words.add(new String(b, StandardCharsets.UTF_8));
            } catch (EOFException e) {
                throw new BadRequest("truncated: " + n + " words declared, word " + i + " incomplete");
            }
        }
        return words;
    }

    private static void busy(SocketChannel c) {
        try (c) {
            refuse(new DataOutputStream(Channels.newOutputStream(c)), "hvkit is busy: " + MAX_CONNECTIONS + " connections open; try again");
        } catch (IOException e) {
            // the peer is gone already
        }
    }

    private static void closeQuietly(SocketChannel c) {
        try {
            c.close();
        } catch (IOException e) {
            // closed anyway
        }
    }

    private static void refuse(DataOutputStream out, String why) throws IOException {
        frame(out, 'e', ("xl: " + why + "\n").getBytes(StandardCharsets.UTF_8));
        exit(out, 1);
    }

    private static void frame(DataOutputStream out, char tag, byte[] b) throws IOException {
        synchronized (out) {
            out.writeByte(tag);
            out.writeInt(b.length);
            out.write(b);
            out.flush();
        }
    }

    private static void exit(DataOutputStream out, int status) throws IOException {
        synchronized (out) {
            out.writeByte('x');
            out.writeInt(status);
            out.flush();
        }
    }

    /** Bytes written to it go to the client as frames of one kind. */
    private static final class FrameStream extends OutputStream {
        private final DataOutputStream out;
        private final char tag;
        private final ByteArrayOutputStream buf = new ByteArrayOutputStream();

        FrameStream(DataOutputStream out, char tag) {
            this.out = out;
            this.tag = tag;
        }

        @Override
        public synchronized void write(int b) throws IOException {
            buf.write(b);
            if (b == '\n' || buf.size() >= 8192) flush();
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) throws IOException {
            buf.write(b, off, len);
            flush();
        }

        @Override
        public synchronized void flush() throws IOException {
            if (buf.size() == 0) return;
            frame(out, tag, buf.toByteArray());
            buf.reset();
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
        try {
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            // left behind; replaced on the next start
        }
    }
}
