package org.hvkit.core.internal;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;

/**
 * hvkit's live-migration stream (docs/save-format.md, "Migration stream"): the save file's
 * framing (type, length, payload, CRC-32C) with a header of its own and records read one by
 * one as they arrive, so the target builds the domain while pre-copy rounds still come in.
 * Order: CPU, DOMAIN, PAGES..., DOMAIN (the core state at stop-and-copy), GUEST, END.
 */
final class MigrationStream {
    static final byte[] MAGIC = {'H', 'V', 'K', 'I', 'T', 'M', 'I', 'G'};
    static final int VERSION = 1;
    static final int DOMAIN = SaveFile.DOMAIN, GUEST = SaveFile.GUEST, PAGES = 3, CPU = 4, END = SaveFile.END;
    /** Pages per PAGES record: 4 MiB of data, so a record is checked and written before the next is read. */
    static final int BATCH = 1024;
    static final int PAGE = 4096;
    static final long MAX_PAGES_RECORD = 8 + BATCH * (4L + PAGE), MAX_CPU_RECORD = 64 << 10;

    private MigrationStream() {
    }

    /** A stream that cannot be received: what and at which byte. */
    static final class BadStream extends Exception {
        BadStream(String message) {
            super(message);
        }
    }

    /** The CPU the domain ran on: its vendor, model name and features (the target must offer them all). */
    record Cpu(String vendor, String model, Set<String> features) {
        byte[] encode() throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            DataOutputStream o = new DataOutputStream(b);
            o.writeUTF(vendor);
            o.writeUTF(model);
            o.writeInt(features.size());
            for (String f : new TreeSet<>(features)) o.writeUTF(f);
            return b.toByteArray();
        }

        static Cpu decode(byte[] b) throws IOException {
            DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(b));
            String vendor = in.readUTF(), model = in.readUTF();
            int n = in.readInt();
            if (n < 0 || n > 4096) throw new IOException("CPU record claims " + n + " features");
            Set<String> f = new TreeSet<>();
            for (int i = 0; i < n; i++) f.add(in.readUTF());
            return new Cpu(vendor, model, f);
        }

        /** Null when a domain that ran on {@code this} may run on {@code host}, else why not. */
        String misfit(Cpu host) {
            if (!vendor.equals(host.vendor)) return "the domain ran on a " + vendor + " CPU (" + model + "), this host's is " + host.vendor + " (" + host.model + ")";
            Set<String> missing = new TreeSet<>(features);
            missing.removeAll(host.features);
            if (missing.isEmpty()) return null;
            return "the domain's CPU (" + model + ") does not fit this host's (" + host.model + "): it lacks " + missing.size() + " feature"
                    + (missing.size() == 1 ? "" : "s") + " the domain may use: " + String.join(" ", missing);
        }
    }

    /** Writes the stream's records; counts bytes. */
    static final class Writer {
        private final DataOutputStream out;
        long bytes;

        Writer(OutputStream os) throws IOException {
            out = new DataOutputStream(os);
            out.write(MAGIC);
            out.writeInt(VERSION);
            out.writeInt(0); // flags: none defined; a reader refuses any
            bytes = MAGIC.length + 8;
        }

        void record(int type, byte[] payload) throws IOException {
            record(type, payload, payload.length);
        }

        void record(int type, byte[] payload, int len) throws IOException {
            out.writeInt(type);
            out.writeLong(len);
            out.write(payload, 0, len);
            out.writeInt(crc(type, payload, len));
            bytes += 16L + len;
        }

        void flush() throws IOException {
            out.flush();
        }
    }

    static int crc(int type, byte[] payload, int len) {
        java.util.zip.CRC32C c = new java.util.zip.CRC32C();
        c.update(new byte[] {(byte) (type >>> 24), (byte) (type >>> 16), (byte) (type >>> 8), (byte) type});
        c.update(payload, 0, len);
        return (int) c.getValue();
    }

    /** One record as read: its type, payload and where it began. */
    record Rec(int type, byte[] payload, long at) { }

    /** Reads and checks records one at a time. */
    static final class Reader {
        private final SaveFile.Counting cin;
        private final DataInputStream in;

        Reader(InputStream is) throws BadStream {
            cin = new SaveFile.Counting(is);
            in = new DataInputStream(cin);
            try {
                byte[] magic = new byte[MAGIC.length];
                in.readFully(magic);
                if (!Arrays.equals(magic, MAGIC)) throw new BadStream("migration stream has wrong magic number - not an hvkit migration stream");
                int version = in.readInt();
                if (version != VERSION) throw new BadStream("migration stream version " + version + " is not supported (this hvkit reads version " + VERSION + ")");
                int flags = in.readInt();
                if (flags != 0) throw new BadStream(String.format("migration stream has flag(s) 0x%x which are not supported; need newer hvkit", flags));
            } catch (IOException e) {
                throw cut(e);
            }
        }

        long offset() {
            return cin.count;
        }

        /** The next record, which must be of one of {@code types}, its payload at most {@code max} bytes. */
        Rec next(long max, int... types) throws BadStream {
            long at = cin.count;
            try {
                int t = in.readInt();
                if (Arrays.stream(types).noneMatch(x -> x == t)) {
                    throw new BadStream("migration stream: record at byte " + at + " is of type " + Integer.toHexString(t) + ", expected " + names(types));
                }
                long len = in.readLong();
                long bound = t == PAGES ? MAX_PAGES_RECORD : t == CPU ? MAX_CPU_RECORD : max;
                if (len < 0 || len > bound) throw new BadStream("migration stream: " + name(t) + " record at byte " + at + " claims " + len + " bytes (at most " + bound + " fit)");
                byte[] payload = new byte[(int) len];
                in.readFully(payload);
                int crc = in.readInt();
                if (crc != crc(t, payload, payload.length)) throw new BadStream("migration stream: " + name(t) + " record at byte " + at + " is corrupt (CRC-32C mismatch)");
                return new Rec(t, payload, at);
            } catch (IOException e) {
                throw cut(e);
            }
        }

        private BadStream cut(IOException e) {
            if (e instanceof EOFException) return new BadStream("migration stream truncated: it ends at byte " + cin.count);
            return new BadStream("migration stream: cannot read at byte " + cin.count + ": " + e.getMessage());
        }
    }

    static String name(int type) {
        return switch (type) {
            case PAGES -> "PAGES";
            case CPU -> "CPU";
            default -> SaveFile.name(type);
        };
    }

    private static String names(int[] types) {
        StringBuilder b = new StringBuilder();
        for (int t : types) b.append(b.isEmpty() ? "" : " or ").append(name(t));
        return b.toString();
    }
}
