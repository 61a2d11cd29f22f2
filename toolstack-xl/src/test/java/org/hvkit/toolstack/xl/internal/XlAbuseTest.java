package org.hvkit.toolstack.xl.internal;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Input an attacker or a slip of the hand gives xl: refused with a clear error, the host unharmed. */
class XlAbuseTest {
    @TempDir
    Path dir;

    @Test
    void deeplyNestedListsAreRefusedWithFileLineAndColumn() {
        String deep = "name='x'\ncpus=" + "[".repeat(5000) + "]".repeat(5000) + "\n";
        var e = assertThrows(XlCfgParser.ParseException.class, () -> XlCfgParser.parse("deep.cfg", deep));
        assertEquals("deep.cfg:2:38: config parsing error near `[': lists nested deeper than 32 levels", e.getMessage());
        assertDoesNotThrow(() -> XlCfgParser.parse("ok.cfg", "x=" + "[".repeat(32) + "]".repeat(32) + "\n"));
    }

    @Test
    void createRefusesDevicesAndHugeFilesWithoutReadingThem() throws IOException {
        try (XlHarness h = new XlHarness()) {
            long t0 = System.nanoTime();
            XlHarness.Result r = h.run("create", "/dev/zero");
            assertEquals(new XlHarness.Result(3, "", "Failed to read config file: /dev/zero: not a plain file\n"), r, "ERROR_FAIL, before \"Parsing config\"");
            Path big = dir.resolve("big.cfg");
            try (var ch = java.nio.channels.FileChannel.open(big, java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE)) {
                ch.write(java.nio.ByteBuffer.wrap(new byte[] {'#'}), 100L << 20); // sparse 100 MiB
            }
            r = h.run("create", big.toString());
            assertEquals(3, r.status());
            assertTrue(r.err().endsWith(": too large (104857601 bytes; at most 1048576)\n"), r.err());
            assertTrue(System.nanoTime() - t0 < 2_000_000_000L, "refused without reading");
        }
    }

    @Test
    void aNulInAPathIsAClearError() {
        try (XlHarness h = new XlHarness()) {
            XlHarness.Result r = h.run("create", "a\0b.cfg");
            assertEquals(new XlHarness.Result(3, "", "Failed to read config file: a\0b.cfg: invalid path (contains a NUL byte)\n"), r);
        }
    }

    @Test
    void aBareNumberForAStringKeyIsThatString() throws IOException {
        assertEquals("extra=\"7\"", CommandLineVars.toCfgLine("extra=7"));
        assertEquals("name=\"42x\"", CommandLineVars.toCfgLine("name=42x"));
        assertEquals("memory=256", CommandLineVars.toCfgLine("memory=256"), "numeric keys keep their numbers");
        Files.writeString(dir.resolve("x.cfg"), "name='x'\nmemory=128\n");
        try (XlHarness h = new XlHarness()) {
            XlHarness.Result r = h.run("-N", "create", dir.resolve("x.cfg").toString(), "extra=7");
            assertEquals(0, r.status(), r.err());
        }
    }

    @Test
    void controlCharactersAndAllDigitNamesAreRefused() throws IOException {
        try (XlHarness h = new XlHarness()) {
            Files.writeString(dir.resolve("esc.cfg"), "name='web\\n5 fake'\nmemory=128\n");
            XlHarness.Result r = h.run("create", dir.resolve("esc.cfg").toString(), "-q");
            assertEquals(3, r.status(), "a failed domain creation, as every other");
            assertTrue(r.err().contains("domain name contains the control character U+000A at position 3"), r.err());
            r = h.run("create", dir.resolve("esc.cfg").toString(), "-q", "name=\u001b[2Jx");
            assertTrue(r.err().contains("control character U+001B at position 0"), r.err());
            r = h.run("create", dir.resolve("esc.cfg").toString(), "-q", "name=17");
            assertTrue(r.err().contains("domain name \"17\" is all digits"), r.err());
            assertEquals(1, h.sim.hypervisor().listDomains().size(), "only Domain-0");
            assertEquals(0, h.run("create", dir.resolve("esc.cfg").toString(), "-q", "name=web-1").status());
        }
    }
}
