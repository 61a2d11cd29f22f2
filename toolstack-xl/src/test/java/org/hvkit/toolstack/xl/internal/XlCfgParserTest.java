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
        "Name = 'x'|t.cfg:1:1: config parsing error near `N': lexical error: setting names are lower case",
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
        "name='a'\\non_crash='explode'|t.cfg:2: on_crash: unknown action \"explode\" (destroy, restart, rename-restart, preserve, coredump-destroy, coredump-restart)",
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
