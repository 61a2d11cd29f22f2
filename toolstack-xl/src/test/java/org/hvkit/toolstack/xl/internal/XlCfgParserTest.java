package org.hvkit.toolstack.xl.internal;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.hvkit.api.domain.CpuMask;
import org.hvkit.api.domain.DomainConfig;
import org.hvkit.api.domain.LifecycleAction;
import org.hvkit.api.platform.HostTopology;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class XlCfgParserTest {
    private static final HostTopology HOST = HostTopology.of(2, 4, 1, 2, 8L << 30);

    private static DomainConfig map(String text) throws Exception {
        return new ConfigMapper(XlCfgParser.parse("t.cfg", text), HOST).map(false);
    }

    @Test
    void grammarOfARealisticPvConfig() throws Exception {
        DomainConfig c = map("""
                # a PV guest
                name = "web01"   # trailing comment
                memory = 0x200 ; maxmem = 1024
                vcpus = 2
                maxvcpus = 04
                cpus = "0-3,^1"
                cpu_weight = 512
                cap = 150
                on_crash = 'preserve'
                on_reboot = "rename-restart"
                kernel = "/boot/vmlinuz"
                extra = "console=hvc0 \\"quoted\\"\\tx"
                disk = [ 'phy:/dev/vg/web,xvda,w',
                         'file:/srv/iso.img,hdc:cdrom,r', ]
                memory = 512
                """);
        assertEquals("web01", c.name());
        assertEquals(512, c.memoryMb(), "last assignment wins");
        assertEquals(1024, c.maxMemoryMb());
        assertEquals(2, c.vcpus());
        assertEquals(4, c.maxVcpus(), "octal 04");
        assertEquals(CpuMask.of(0, 2, 3), c.cpus());
        assertEquals(512, c.weight());
        assertEquals(150, c.cap());
        assertEquals(LifecycleAction.PRESERVE, c.onCrash());
        assertEquals(LifecycleAction.RENAME_RESTART, c.onReboot());
        assertEquals(LifecycleAction.DESTROY, c.onPoweroff());
        assertEquals("console=hvc0 \"quoted\"\tx", c.platformOptions().get("extra"));
    }

    @Test
    void aRealisticPvGuest() throws Exception {
        ConfigMapper m = new ConfigMapper(XlCfgParser.parse("pv-web.cfg", """
                # A Debian PV guest as the xl.cfg man page describes one
                name = "pv-web"
                builder = "generic"
                memory = 2048
                maxmem = 4096
                vcpus = 2
                maxvcpus = 4
                cpus = ["0-1", "2-3"]
                cpu_weight = 384
                cap = 150
                kernel = "/boot/vmlinuz-3.2.0-4-amd64"
                ramdisk = "/boot/initrd.img-3.2.0-4-amd64"
                root = "/dev/xvda1 ro"
                extra = "console=hvc0 xencons=tty"
                disk = [ 'phy:/dev/vg0/pv-web-disk,xvda,w',
                         'file:/srv/xen/pv-web-swap.img,xvdb,w' ]
                vif = [ 'mac=00:16:3e:01:02:03,bridge=xenbr0,rate=10Mb/s' ]
                on_poweroff = "destroy"
                on_reboot = "restart"
                on_crash = "coredump-restart"
                """), HOST);
        DomainConfig c = m.map(false);
        assertEquals("pv-web", c.name());
        assertEquals(2048, c.memoryMb());
        assertEquals(4096, c.maxMemoryMb());
        assertEquals(2, c.vcpus());
        assertEquals(4, c.maxVcpus());
        assertEquals(CpuMask.range(0, 1), c.affinityOf(0));
        assertEquals(CpuMask.range(2, 3), c.affinityOf(1));
        assertEquals(384, c.weight());
        assertEquals(150, c.cap());
        assertEquals("/boot/vmlinuz-3.2.0-4-amd64", c.platformOptions().get("kernel"));
        assertEquals("/boot/initrd.img-3.2.0-4-amd64", c.platformOptions().get("ramdisk"));
        assertEquals("/dev/xvda1 ro", c.platformOptions().get("root"));
        assertEquals("console=hvc0 xencons=tty", c.platformOptions().get("extra"));
        assertEquals(LifecycleAction.DESTROY, c.onPoweroff());
        assertEquals(LifecycleAction.RESTART, c.onReboot());
        assertEquals(LifecycleAction.COREDUMP_RESTART, c.onCrash());
        assertTrue(m.warnings.stream().anyMatch(w -> w.contains("'disk'")), m.warnings.toString());
        assertTrue(m.warnings.stream().anyMatch(w -> w.contains("'vif'")), m.warnings.toString());
    }

    @Test
    void aRealisticHvmGuest() throws Exception {
        ConfigMapper m = new ConfigMapper(XlCfgParser.parse("win2008.cfg", """
                name = "win2008"
                builder = "hvm"
                memory = 4096
                vcpus = 4
                cpus = "all,^0"
                pool = "Pool-0"
                disk = [ 'phy:/dev/vg0/win,hda,w', 'file:/isos/w2k8.iso,hdc:cdrom,r' ]
                vif = [ 'type=ioemu, mac=00:16:3e:aa:bb:cc, bridge=xenbr0, model=e1000' ]
                boot = "dc"
                vnc = 1
                vnclisten = "0.0.0.0"
                serial = "pty"
                usbdevice = "tablet"
                acpi = 1
                apic = 1
                viridian = 1
                on_watchdog = "preserve"
                """), HOST);
        DomainConfig c = m.map(true);
        assertEquals("win2008", c.name());
        assertEquals(4096, c.memoryMb());
        assertEquals(4096, c.maxMemoryMb());
        assertEquals(4, c.vcpus());
        assertEquals(CpuMask.range(1, 7), c.cpus());
        assertEquals("Pool-0", c.pool());
        assertEquals(LifecycleAction.PRESERVE, c.onWatchdog());
        assertTrue(c.startPaused());
        assertTrue(c.platformOptions().isEmpty());
        for (String key : List.of("builder", "boot", "vnc", "serial", "viridian")) {
            assertTrue(m.warnings.stream().anyMatch(w -> w.contains("'" + key + "'")), key + " must be warned about: " + m.warnings);
        }
    }

    @Test
    void perVcpuCpusListAndAppend() throws Exception {
        DomainConfig c = map("name='p'\nvcpus=3\ncpus=['2', \"3\", 5]\ndisk=['/a,,xvda']\ndisk+=['/b,,xvdb']\n");
        assertEquals(CpuMask.of(2), c.affinityOf(0));
        assertEquals(CpuMask.of(3), c.affinityOf(1));
        assertEquals(CpuMask.of(5), c.affinityOf(2));
        XlCfg cfg = XlCfgParser.parse("t.cfg", "disk=['a']\ndisk+=['b', 'c']\nl=[[1,2],[]]\n");
        assertEquals(3, ((XlCfg.Lst) cfg.get("disk")).items().size());
        assertEquals(2, ((XlCfg.Lst) cfg.get("l")).items().size());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '~', ignoreLeadingAndTrailingWhitespace = false, value = {
        "memory = 512 +|t.cfg:1:14: config parsing error near `+': lexical error: " + XlCfgParser.PYTHON,
        "Name = 'x'|t.cfg:1:1: config parsing error near `N': lexical error: " + XlCfgParser.UPPER,
        "name = \"a\" # ok\\nmemory = [|t.cfg:2:11: config parsing error near end of input: syntax error, unexpected end of file, expecting a value (a quoted string, a number or a [list])",
        "name = 'a'\\nvcpus = ]|t.cfg:2:9: config parsing error near `]': syntax error, unexpected ']', expecting a value (a quoted string, a number or a [list])",
        "name = \"a\"\\nkernel = \"/boot/vmlinuz\\ncmdline = 'x'|t.cfg:2:10: config parsing error near `\"/boot/vmlinuz': lexical error: unterminated string (no closing \" on this line)",
        "name = \"a\"\\n\tmemory == 512|t.cfg:2:10: config parsing error near `=': syntax error, unexpected '=', expecting a value (a quoted string, a number or a [list])",
        "name = \"a\"\\nmemory = 512 512|t.cfg:2:14: config parsing error near `512': syntax error, unexpected number 512, expecting newline or ';' after the value of 'memory'",
        "disk = [ 'a', 'b'|t.cfg:1:18: config parsing error near end of input: syntax error, unexpected end of file, expecting ',' or ']'",
        "vif = [ 'mac=00:16:3e:00:00:01' ]]|t.cfg:1:34: config parsing error near `]': syntax error, unexpected ']', expecting newline or ';' after the value of 'vif'",
        "name = \"a\" name = \"b\"|t.cfg:1:12: config parsing error near `name': syntax error, unexpected name 'name', expecting newline or ';' after the value of 'name'",
        "name = \"a\";;\\ncpus = \"0\" ,|t.cfg:2:12: config parsing error near `,': syntax error, unexpected ',', expecting newline or ';' after the value of 'cpus'",
        "on_crash = destroy|t.cfg:1:12: config parsing error near `destroy': syntax error, unexpected name 'destroy', expecting a value (a quoted string, a number or a [list])",
        "name = \"a\"\\nmemory = 0x|t.cfg:2:10: config parsing error near `0x': lexical error: not a decimal, octal (0...) or hex (0x...) number",
        "name = \"a\"\\nmemory = 0xfg|t.cfg:2:13: config parsing error near `g': syntax error, unexpected name 'g', expecting newline or ';' after the value of 'memory'",
        "name = \"a\"\\nmemory = 5.5|t.cfg:2:11: config parsing error near `.': lexical error: " + XlCfgParser.PYTHON,
        "name = \"a\"\\nvcpus = True|t.cfg:2:9: config parsing error near `T': lexical error: " + XlCfgParser.UPPER,
        "import os|t.cfg:1:8: config parsing error near `os': syntax error, unexpected name 'os', expecting '=' after 'import'",
        "name = \"a\"\\nextra = \"\\|t.cfg:2:11: config parsing error near `\\': lexical error: backslash at the end of a line",
        "$name = 'a'|t.cfg:1:1: config parsing error near `$': lexical error: " + XlCfgParser.PYTHON,
        "name = 'a'\\ndisk = ['a' ; 'b']|t.cfg:2:13: config parsing error near `;': syntax error, unexpected ';', expecting ',' or ']'",
        "name = x|t.cfg:1:8: config parsing error near `x': syntax error, unexpected name 'x', expecting a value (a quoted string, a number or a [list])",
        "name 'x'|t.cfg:1:6: config parsing error near `x': syntax error, unexpected string \"x\", expecting '=' after 'name'",
        "name = 'x|t.cfg:1:8: config parsing error near `'x': lexical error: unterminated string (no closing ' on this line)",
        "vcpus = 2 3|t.cfg:1:11: config parsing error near `3': syntax error, unexpected number 3, expecting newline or ';' after the value of 'vcpus'",
        "disk = [ 'a' 'b' ]|t.cfg:1:14: config parsing error near `b': syntax error, unexpected string \"b\", expecting ',' or ']'",
        "disk = [ 'a', |t.cfg:1:15: config parsing error near end of input: syntax error, unexpected end of file, expecting a value (a quoted string, a number or a [list])",
        "memory = 09|t.cfg:1:10: config parsing error near `09': lexical error: not a decimal, octal (0...) or hex (0x...) number",
        "memory = 12abc|t.cfg:1:10: config parsing error near `12abc': lexical error: not a decimal, octal (0...) or hex (0x...) number",
        "= 5|t.cfg:1:1: config parsing error near `=': syntax error, unexpected '=', expecting a setting name",
        "memory = -1|t.cfg:1:10: config parsing error near `-': lexical error: " + XlCfgParser.PYTHON,
        "cpus = (1, 2)|t.cfg:1:8: config parsing error near `(': lexical error: " + XlCfgParser.PYTHON,
        "name = 'a' + 'b'|t.cfg:1:12: config parsing error near `+': lexical error: " + XlCfgParser.PYTHON,
        "memory = 5 ]|t.cfg:1:12: config parsing error near `]': syntax error, unexpected ']', expecting newline or ';' after the value of 'memory'",
        "x = [1,,2]|t.cfg:1:8: config parsing error near `,': syntax error, unexpected ',', expecting a value (a quoted string, a number or a [list])",
        "name = \"\\x\"|t.cfg:1:11: config parsing error near `\\x': lexical error: \\x needs hex digits",
    })
    void malformedInputsGiveTheirExactError(String text, String expected) {
        XlCfgParser.ParseException e = assertThrows(XlCfgParser.ParseException.class, () -> XlCfgParser.parse("t.cfg", text.replace("\\n", "\n")));
        assertEquals(expected, e.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '~', ignoreLeadingAndTrailingWhitespace = false, value = {
        "memory = 64|Domain name must be specified.",
        "name = 5|t.cfg:1: name: expected a quoted string",
        "name='a'\\nvcpus='many'|t.cfg:2: vcpus: expected a number",
        "name='a'\\nvcpus=0|t.cfg:2: vcpus: 0 is out of range (1 to 8192)",
        "name='a'\\nvcpus=4\\nmaxvcpus=2|t.cfg:3: maxvcpus: 2 is out of range (4 to 8192)",
        "name='a'\\nmemory=512\\nmaxmem=256|t.cfg:3: maxmem: 256 is out of range (512 to 1099511627776)",
        "name='a'\\ncpus='0-3,^2,x'|t.cfg:2: cpus: invalid cpumap item 'x' in '0-3,^2,x'",
        "name='a'\\ncpus='12'|t.cfg:2: cpus: cpu 12 out of range (host has 8 cpus) in '12'",
        "name='a'\\ncpus=[['1']]|t.cfg:2: cpus: list element 1 must be a cpu list string or a number",
        "name='a'\\non_crash='explode'|Unknown on_crash action \"explode\" specified",
        "name='a'\\nuuid='12-34'|Failed to parse UUID: 12-34",
        "name='a'\\ncpu_weight=[1]|t.cfg:2: cpu_weight: expected a number",
    })
    void badValuesNameFileLineAndKey(String text, String expected) {
        ConfigMapper.ConfigException e = assertThrows(ConfigMapper.ConfigException.class, () -> map(text.replace("\\n", "\n")));
        assertEquals(expected, e.getMessage());
    }

    @Test
    void nodesInCpuLists() throws Exception {
        assertEquals(CpuMask.range(4, 7), map("name='n'\ncpus='node:1'\n").cpus());
        assertEquals(CpuMask.of(3), map("name='n'\ncpus=3\n").cpus(), "a bare number is a cpu list too");
        assertEquals(CpuMask.of(0, 1, 2, 3, 5, 6, 7), map("name='n'\ncpus='all,^4'\n").cpus());
        assertEquals(List.of(), XlCfgParser.parse("t", "# only a comment\n\n;\n").settings().keySet().stream().toList());
    }
}
