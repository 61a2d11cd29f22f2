package org.hvkit.toolstack.xl.internal;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/** xl 4.2's usage and help texts, statuses and streams (xl.c main, help(), def_getopt, cmdtable_lookup). */
class XlHelpTest {
    private static final String DESTROY_HELP = "Usage: xl [-vf] destroy <Domain>\n\nTerminate a domain immediately.\n\n";

    @Test
    void noCommandPrintsTheFullHelpToStdoutAndExits1() {
        try (XlHarness h = new XlHarness()) {
            XlHarness.Result r = h.run();
            assertEquals(1, r.status());
            assertEquals("", r.err());
            assertTrue(r.out().startsWith("Usage xl [-vfN] <subcommand> [args]\n\nxl full list of subcommands:\n\n"
                    + " create              Create a domain from config file <filename>\n"), r.out());
            assertTrue(r.out().endsWith(" remus               Enable Remus HA for domain\n"), "no blank line after the table");
            assertEquals(r.out(), h.run("help").out());
            assertEquals(r.out(), h.run("help", "help").out());
        }
    }

    @Test
    void namesLongerThan19WrapOntoALineOf21Spaces() {
        try (XlHarness h = new XlHarness()) {
            String out = h.run("help").out();
            assertTrue(out.contains("\n pci-assignable-list List all the assignable pci devices\n"), "19 characters still fit");
            assertTrue(out.contains("\n pci-assignable-remove \n" + " ".repeat(21) + "Remove a device from being assignable\n"), out);
            for (String line : out.split("\n", -1)) {
                if (line.startsWith(" ") && !line.isBlank()) assertTrue(line.length() >= 21, "row " + line);
            }
        }
    }

    @Test
    void helpOfAnUnknownCommandIsOnStdoutWithStatus0() {
        try (XlHarness h = new XlHarness()) {
            assertEquals(new XlHarness.Result(0, "command \"foo\" not implemented\n", ""), h.run("help", "foo"));
            assertEquals(new XlHarness.Result(0, "command \"cpupool-c\" not implemented\n", ""), h.run("help", "cpupool-c"), "ambiguous prefix");
            assertEquals(new XlHarness.Result(0, DESTROY_HELP, ""), h.run("help", "destr"));
        }
    }

    @Test
    void commandsAreFoundByUniquePrefix() {
        try (XlHarness h = new XlHarness()) {
            assertEquals(h.run("list"), h.run("li"));
            assertEquals(h.run("vcpu-list"), h.run("vcpu-l"));
            XlHarness.Result amb = h.run("cpupool-c");
            assertEquals(new XlHarness.Result(1, "", "command not implemented\n"), amb, "cpupool-create, -cpu-add, -cpu-remove");
            assertEquals(new XlHarness.Result(1, "", "command not implemented\n"), h.run("he"), "help is not in the table");
        }
    }

    @Test
    void dashHPrintsTheCommandsHelp() {
        try (XlHarness h = new XlHarness()) {
            assertEquals(new XlHarness.Result(0, DESTROY_HELP, ""), h.run("destroy", "-h"));
            assertEquals(new XlHarness.Result(0, DESTROY_HELP, ""), h.run("destroy", "0", "-h"), "getopt permutes");
            assertEquals(0, h.run("list", "-h").status());
            assertTrue(h.run("list", "-h").out().startsWith("Usage: xl [-v] list [options] [Domain]\n"));
            assertTrue(h.run("sched-credit", "-h").out().startsWith("Usage: xl [-vf] sched-credit "));
            assertEquals(0, h.run("sched-credit", "-h").status());
            assertTrue(h.run("save", "-h").out().startsWith("Usage: xl [-vf] save "), "help even where hvkit cannot act");
        }
    }

    @Test
    void commandHelpTextsAreThe42Tables() {
        try (XlHarness h = new XlHarness()) {
            assertEquals("Usage: xl [-v] vm-list \n\nList guest domains, excluding dom0, stubdoms, etc..\n\n", h.run("help", "vm-list").out());
            assertEquals("Usage: xl [-v] info -n, --numa         List host NUMA topology information\n\nGet information about Xen host.\n\n",
                    h.run("help", "info").out(), "4.2 has the option in the usage field");
            String create = h.run("help", "create").out();
            assertTrue(create.contains("\n-d                      Enable debug messages.\n"), create);
            assertTrue(create.endsWith("                        Pass VNC password to viewer via stdin.\n"), create);
            assertTrue(h.run("help", "reboot").out().endsWith("                        no PV drivers.\n\n"));
        }
    }

    @Test
    void unknownOptionsOfDefGetoptCommandsAreSkippedWithANote() {
        try (XlHarness h = new XlHarness()) {
            assertEquals(new XlHarness.Result(0, "0\n", "option `z' not supported.\n"), h.run("domid", "-z", "Domain-0"));
            assertEquals(new XlHarness.Result(0, "0\n", "option `z' not supported.\noption `q' not supported.\n"), h.run("domid", "-zq", "Domain-0"));
            XlHarness.Result few = h.run("destroy", "-z");
            assertEquals("option `z' not supported.\n'xl destroy' requires at least 1 argument.\n\n", few.err());
            assertEquals(2, few.status());
            assertEquals("option `t' not supported.\n'xl console' requires at least 1 argument.\n\n", h.run("console", "-t").err(), "-t without its value");
        }
    }

    @Test
    void aBadGlobalOptionNamesItsFirstBadCharacter() {
        try (XlHarness h = new XlHarness()) {
            assertEquals(new XlHarness.Result(2, "", "xl: invalid option -- 'x'\nunknown global option\n"), h.run("-vx", "list"));
            assertEquals(new XlHarness.Result(2, "", "xl: invalid option -- '-'\nunknown global option\n"), h.run("--verbose", "list"));
            assertEquals(h.run("list"), h.run("--", "list"), "-- ends the global options");
        }
    }

    @Test
    void tooFewArgumentsNameTheCountOnStderrAndHelpOnStdout() {
        try (XlHarness h = new XlHarness()) {
            assertEquals(new XlHarness.Result(2, DESTROY_HELP, "'xl destroy' requires at least 1 argument.\n\n"), h.run("destroy"));
            XlHarness.Result pin = h.run("vcpu-pin", "0", "0");
            assertEquals(2, pin.status());
            assertEquals("'xl vcpu-pin' requires at least 3 arguments.\n\n", pin.err());
            assertTrue(pin.out().startsWith("Usage: xl [-vf] vcpu-pin "), pin.out());
            XlHarness.Result rename = h.run("cpupool-rename", "Pool-0");
            assertEquals("'xl cpupool-rename' requires at least 2 arguments.\n\n", rename.err());
            assertEquals(2, rename.status());
            XlHarness.Result console = h.run("console", "-t", "pv");
            assertEquals("'xl console' requires at least 1 argument.\n\n", console.err(), "-t takes pv as its value");
            assertFalse(h.run("uptime", "--", "-s").err().startsWith("'xl uptime' requires"), "after -- everything is an operand");
        }
    }
}
