package org.hvkit.toolstack.xl.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Reads an xl.cfg file with bounds: like 4.2's libxl_read_file_contents only a plain file (so
 * {@code /dev/zero} or a FIFO is refused, not read), and at most {@link #MAX_BYTES} (xl's only
 * limit is INT_MAX; hvkit keeps a config from filling the heap), never reading past the limit.
 * Every failure is an IOException whose message says what is wrong, in xl's words where it has some.
 */
final class ConfigFile {
    static final int MAX_BYTES = 1 << 20;

    private ConfigFile() {
    }

    static String read(String cwd, String file) throws IOException {
        Path path;
        try {
            path = Path.of(cwd).resolve(file);
        } catch (InvalidPathException e) {
            throw new IOException(file.indexOf('\0') >= 0 ? "invalid path (contains a NUL byte)" : "invalid path (" + e.getReason() + ")");
        }
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(path, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            throw new IOException("No such file or directory");
        }
        if (!a.isRegularFile()) throw new IOException("not a plain file");
        // hvkit reads as its own user: for a control-socket peer with a label of its own, only what anyone may read
        if (org.hvkit.api.xsm.Caller.current().context() != null
                && !Files.getPosixFilePermissions(path).contains(java.nio.file.attribute.PosixFilePermission.OTHERS_READ)) {
            throw new IOException("Permission denied (read for " + org.hvkit.api.xsm.Caller.current().who() + ": only files anyone may read)");
        }
        if (a.size() > MAX_BYTES) throw new IOException("too large (" + a.size() + " bytes; at most " + MAX_BYTES + ")");
        try (InputStream in = Files.newInputStream(path)) {
            byte[] b = in.readNBytes(MAX_BYTES + 1); // the file may grow after the check
            if (b.length > MAX_BYTES) throw new IOException("too large (more than " + MAX_BYTES + " bytes)");
            return new String(b, StandardCharsets.UTF_8);
        }
    }
}
