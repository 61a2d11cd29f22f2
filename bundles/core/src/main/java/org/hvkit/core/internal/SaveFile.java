package org.hvkit.core.internal;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.zip.CRC32C;

/**
 * hvkit's save file (docs/save-format.md): a header, then records of (type, length, payload,
 * CRC-32C), ending with an END record. Big-endian. This class only frames; {@link SaveImage}
 * says what the records hold. Reading checks every frame before anything is created, so a
 * truncated or corrupt file is refused whole, with where it went wrong.
 */
final class SaveFile {
    static final byte[] MAGIC = {'H', 'V', 'K', 'I', 'T', 'S', 'A', 'V'};
    static final int VERSION = 1;
    static final int DOMAIN = 1, GUEST = 2, END = 0x454E4400;
    /** A DOMAIN record is small (config and core state); anything bigger is not one of ours. */
    static final long MAX_DOMAIN_RECORD = 4L << 20;

    /** A file that cannot be restored: says what and at which byte. */
    static final class BadSaveFile extends Exception {
        BadSaveFile(String message) {
            super(message);
        }
    }

    record Records(int version, byte[] domain, byte[] guest, long size) { }

    private SaveFile() {
    }

    static long write(OutputStream os, byte[] domain, byte[] guest) throws IOException {
        DataOutputStream out = new DataOutputStream(os);
        out.write(MAGIC);
        out.writeInt(VERSION);
        out.writeInt(0); // mandatory flags: none yet; a reader refuses flags it does not know
        out.writeInt(0); // optional flags: none yet either; also refused when unknown
        record(out, DOMAIN, domain);
        record(out, GUEST, guest);
        record(out, END, new byte[0]);
        out.flush();
        return MAGIC.length + 12 + 3 * 16L + domain.length + guest.length;
    }

    private static void record(DataOutputStream out, int type, byte[] payload) throws IOException {
        out.writeInt(type);
        out.writeLong(payload.length);
        out.write(payload);
        out.writeInt(crc(type, payload));
    }

    static int crc(int type, byte[] payload) {
        CRC32C c = new CRC32C();
        c.update(new byte[] {(byte) (type >>> 24), (byte) (type >>> 16), (byte) (type >>> 8), (byte) type});
        c.update(payload);
        return (int) c.getValue();
    }

    /**
     * Reads and checks a whole file. {@code maxGuest} bounds the GUEST record (the platform says
     * how big a guest of that memory can be), so a corrupt length never makes us buffer the disk.
     */
    /** How big the GUEST record of a file with this DOMAIN record may be; decoding it may refuse the file. */
    interface GuestBound {
        long of(byte[] domainRecord) throws BadSaveFile;
    }

    static Records read(InputStream is, GuestBound maxGuestFor) throws BadSaveFile {
        Counting cin = new Counting(is);
        DataInputStream in = new DataInputStream(cin);
        try {
            byte[] magic = new byte[MAGIC.length];
            in.readFully(magic);
            if (!java.util.Arrays.equals(magic, MAGIC)) throw new BadSaveFile("File has wrong magic number - corrupt or for a different tool?");
            int version = in.readInt();
            if (version != VERSION) throw new BadSaveFile("save file format version " + version + " is not supported (this hvkit reads version " + VERSION + ")");
            int mandatory = in.readInt();
            if (mandatory != 0) throw new BadSaveFile(String.format("Savefile has mandatory flag(s) 0x%x which are not supported; need newer hvkit", mandatory));
            int optional = in.readInt();
            if (optional != 0) throw new BadSaveFile(String.format("Savefile has optional flag(s) 0x%x which are not supported; need newer hvkit", optional));
            byte[] domain = expect(in, cin, DOMAIN, MAX_DOMAIN_RECORD);
            long maxGuest = maxGuestFor.of(domain);
            byte[] guest = expect(in, cin, GUEST, maxGuest);
            expect(in, cin, END, 0);
            if (in.read() >= 0) throw new BadSaveFile("trailing bytes after the END record at byte " + (cin.count - 1));
            return new Records(version, domain, guest, cin.count);
        } catch (EOFException e) {
            throw new BadSaveFile("Savefile truncated: it ends at byte " + cin.count);
        } catch (IOException e) {
            throw new BadSaveFile("cannot read the save file at byte " + cin.count + ": " + e.getMessage());
        }
    }

    private static byte[] expect(DataInputStream in, Counting cin, int type, long max) throws IOException, BadSaveFile {
        long at = cin.count;
        int t = in.readInt();
        if (t != type) throw new BadSaveFile("record at byte " + at + " is of type " + Integer.toHexString(t) + ", expected " + name(type));
        long len = in.readLong();
        if (len < 0 || len > max) throw new BadSaveFile(name(type) + " record at byte " + at + " claims " + len + " bytes (at most " + max + " fit)");
        byte[] payload = readBounded(in, len);
        int crc = in.readInt();
        if (crc != crc(type, payload)) throw new BadSaveFile(name(type) + " record at byte " + at + " is corrupt (CRC-32C mismatch)");
        return payload;
    }

    /** Reads {@code len} bytes growing the buffer as data arrives, so a lying length costs only what the file holds. */
    private static byte[] readBounded(DataInputStream in, long len) throws IOException {
        if (len <= 1 << 20) {
            byte[] b = new byte[(int) len];
            in.readFully(b);
            return b;
        }
        ByteArrayOutputStream buf = new ByteArrayOutputStream(1 << 20);
        byte[] chunk = new byte[1 << 20];
        long left = len;
        while (left > 0) {
            int n = in.read(chunk, 0, (int) Math.min(chunk.length, left));
            if (n < 0) throw new EOFException();
            buf.write(chunk, 0, n);
            left -= n;
        }
        return buf.toByteArray();
    }

    static String name(int type) {
        return switch (type) {
            case DOMAIN -> "DOMAIN";
            case GUEST -> "GUEST";
            case END -> "END";
            default -> "type " + Integer.toHexString(type);
        };
    }

    /** Counts bytes consumed, for error positions (MigrationStream's reader counts with it too). */
    static final class Counting extends java.io.FilterInputStream {
        long count;

        Counting(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) count++;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) count += n;
            return n;
        }
    }
}
