package org.hvkit.toolstack.xl.internal;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The socket directory where others could write: refused, never followed through a link. */
class SocketDirTest {
    @TempDir
    Path dir;

    @Test
    void aDirectoryOthersCanWriteIsRefusedAndLeftAsItIs() throws IOException {
        Path d = Files.createDirectory(dir.resolve("shared"));
        Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwxrwxrwx"));
        try (XlHarness h = new XlHarness()) {
            IOException e = assertThrows(IOException.class, () -> XlSocketServer.start(d.resolve("xl.sock"), h.xl::run, null));
            assertEquals("socket directory " + d + " is writable by others (rwxrwxrwx): refused", e.getMessage());
        }
        assertEquals("rwxrwxrwx", PosixFilePermissions.toString(Files.getPosixFilePermissions(d)));
    }

    @Test
    void aSymlinkedDirectoryIsRefusedAndItsTargetUntouched() throws IOException {
        Path target = Files.createDirectory(dir.resolve("root-owned"));
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path victim = Files.writeString(target.resolve("xl.sock"), "precious");
        Path link = Files.createSymbolicLink(dir.resolve("hvkit"), target);
        try (XlHarness h = new XlHarness()) {
            IOException e = assertThrows(IOException.class, () -> XlSocketServer.start(link.resolve("xl.sock"), h.xl::run, null));
            assertEquals("socket directory " + link + " is a symbolic link: refused", e.getMessage());
        }
        assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(target)), "not chmodded through the link");
        assertEquals("precious", Files.readString(victim), "nothing deleted through the link");
    }
}
