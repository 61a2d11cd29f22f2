package org.hvkit.toolstack.xl.internal;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * The keys a socket client forwards while its command runs ({@code 'i'} frames of 1 to
 * {@value #MAX_FRAME} bytes), as the command's input. The connection is read on a thread of its
 * own; when the client goes away (Ctrl-C in {@code ./xl console}, a closed terminal) or breaks the
 * framing, the command's thread is interrupted (a client that only shuts its sending side is not gone), so a console follower or a top never outlives its
 * client. Bounded: at most {@value #CAPACITY} unread bytes, then the reader waits.
 */
final class ClientKeys extends InputStream {
    static final int MAX_FRAME = 4096;
    static final int CAPACITY = 16384;

    private final byte[] buf = new byte[CAPACITY];
    private int head, count;
    private boolean ended;

    /** Starts reading {@code in} for keys; {@code command} is interrupted once the client is gone. */
    static ClientKeys follow(DataInputStream in, Probe probe, Thread command) {
        ClientKeys k = new ClientKeys();
        Thread.ofVirtual().name("hvkit-xl-client-keys").start(() -> {
            boolean gone = true;
            try {
                while (true) {
                    int tag = in.read();
                    if (tag < 0) { // end of stream: the client shut its side, or it is gone altogether
                        k.end();
                        gone = !probeUntilDone(k, probe);
                        return;
                    }
                    if (tag != 'i') break; // not our framing: disconnected
                    int len = in.readInt();
                    if (len < 1 || len > MAX_FRAME) break;
                    byte[] b = in.readNBytes(len);
                    if (b.length < len || !k.put(b)) break;
                }
            } catch (IOException e) {
                // reset: the client went away
            } finally {
                k.end();
                if (gone && !k.isDone()) command.interrupt();
            }
        });
        return k;
    }

    /** Writes a frame the client ignores (an empty output frame); fails once the client is gone. */
    interface Probe {
        void probe() throws IOException;
    }

    /**
     * A Unix socket reads end-of-stream both when the client shut its sending side and when it
     * died: an empty frame tells them apart (writing to a closed peer fails). Probes every
     * {@value #PROBE_MS} ms until the command is done; true when it finished with the client there.
     */
    private static boolean probeUntilDone(ClientKeys k, Probe probe) {
        try {
            while (!k.isDone()) {
                probe.probe();
                synchronized (k) {
                    if (!k.done) k.wait(PROBE_MS);
                }
            }
            return true;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            return true;
        }
    }

    static final long PROBE_MS = 250;
    private boolean done;

    /** The command returned: nothing is interrupted from now on. */
    synchronized void done() {
        done = true;
        notifyAll();
    }

    private synchronized boolean isDone() {
        return done;
    }

    private synchronized boolean put(byte[] b) {
        for (byte x : b) {
            while (count == CAPACITY && !ended) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    return false;
                }
            }
            if (ended) return false;
            buf[(head + count) % CAPACITY] = x;
            count++;
        }
        notifyAll();
        return true;
    }

    private synchronized void end() {
        ended = true;
        notifyAll();
    }

    @Override
    public synchronized int available() {
        return count;
    }

    @Override
    public synchronized int read() throws IOException {
        while (count == 0) {
            if (ended) return -1;
            try {
                wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted");
            }
        }
        int b = buf[head] & 0xff;
        head = (head + 1) % CAPACITY;
        count--;
        notifyAll();
        return b;
    }

    /** Bulk reads: a migration stream comes through here, too slow byte by byte. */
    @Override
    public synchronized int read(byte[] b, int off, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) return 0;
        while (count == 0) {
            if (ended) return -1;
            try {
                wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted");
            }
        }
        int n = Math.min(len, count);
        int first = Math.min(n, CAPACITY - head); // up to the ring's end, then from its start
        System.arraycopy(buf, head, b, off, first);
        System.arraycopy(buf, 0, b, off + first, n - first);
        head = (head + n) % CAPACITY;
        count -= n;
        notifyAll();
        return n;
    }

    @Override
    public synchronized void close() {
        end();
    }
}
