package org.hvkit.toolstack.xl.internal;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Golden output of the commands added for issue 5 on the fixed simulated host (XlHarness). */
class XlMoreCommandsTest {
    @TempDir
    Path dir;

    private XlHarness withWeb(XlHarness h) throws IOException {
        Path p = dir.resolve("web.cfg");
        Files.writeString(p, "name='web'\nmemory=512\nvcpus=2\nworkload='cpu'\n");
        assertEquals(0, h.run("create", "-q", p.toString()).status());
        return h;
    }

    @Test
    void domidDomnameVmList() throws IOException {
        try (XlHarness h = withWeb(new XlHarness())) {
            assertEquals(new XlHarness.Result(0, "1\n", ""), h.run("domid", "web"));
            assertEquals(new XlHarness.Result(0, "web\n", ""), h.run("domname", "1"));
            assertEquals(new XlHarness.Result(1, "", "Can't get domid of domain name 'x', maybe this domain does not exist.\n"), h.run("domid", "x"));
            assertEquals(new XlHarness.Result(1, "", "Can't get domain name of domain id '7', maybe this domain does not exist.\n"), h.run("domname", "7"));
            String uuid = h.sim.hypervisor().findDomain("web").orElseThrow().uuid();
            assertEquals("UUID                                  ID    name\n" + uuid + "  1    web" + " ".repeat(37) + "\n", h.run("vm-list").out());
        }
    }

    @Test
    void uptimeAndTop() throws IOException {
        try (XlHarness h = withWeb(new XlHarness())) {
            h.sim.run(Duration.ofSeconds(3725));
            String out = h.run("uptime", "web").out();
            assertEquals("Name                                ID Uptime\nweb                                  1  1:02:05\n", out);
            assertTrue(h.run("uptime", "-s", "web").out().matches(" \\d\\d:\\d\\d:\\d\\d up  1:02, web \\(1\\)\n"));
            XlHarness.Result top = h.run("top", "-b", "-i", "1");
            assertEquals(0, top.status());
            String[] lines = top.out().split("\n");
            assertEquals(6, lines.length);
            assertEquals(Top.HEADER, lines[3]);
            assertTrue(lines[1].startsWith("2 domains: 1 running, 1 blocked"), lines[1]);
            assertEquals("       web r-----       7450    0.0     524288    6.3     524288       6.3     2    0    0 Pool-0", lines[5]);
        }
    }

    @Test
    void infoNuma() {
        try (XlHarness h = new XlHarness()) {
            String out = h.run("info", "-n").out();
            assertTrue(out.contains("free_cpus              : 0\ncpu_topology           :\ncpu:    core    socket     node\n"
                    + "  0:       0        0        0\n  1:       1        0        0\n  2:       2        0        0\n  3:       3        0        0\n"
                    + "numa_info              :\nnode:    memsize    memfree    distances\n   0:      8192       7168      10\nxen_major"), out);
        }
    }

    @Test
    void dryRunsPrintTheParsedObject() {
        try (XlHarness h = new XlHarness()) {
            assertEquals(new XlHarness.Result(0, "cpumap: 0,2-3\n", ""), h.run("-N", "vcpu-pin", "0", "all", "all,^1"));
            assertEquals(new XlHarness.Result(0, "cpumap: any cpu\n", ""), h.run("-N", "vcpu-pin", "0", "all", "0-3"));
            XlHarness.Result vif = h.run("-N", "network-attach", "0", "mac=00:16:3e:00:00:01", "bridge=xenbr0", "rate=1MB/s@20ms");
            assertEquals("vif: {\n    \"backend_domid\": 0,\n    \"devid\": 0,\n    \"mtu\": 0,\n    \"model\": null,\n    \"mac\": \"00:16:3e:00:00:01\",\n"
                    + "    \"ip\": null,\n    \"bridge\": \"xenbr0\",\n    \"ifname\": null,\n    \"script\": null,\n    \"nictype\": null,\n"
                    + "    \"rate_bytes_per_interval\": 20000,\n    \"rate_interval_usecs\": 20000\n}\n", vif.out());
            XlHarness.Result disk = h.run("-N", "block-attach", "0", ",hdc:cdrom,r");
            assertTrue(disk.out().startsWith("disk: {\n    \"backend_domid\": 0,\n    \"pdev_path\": \"\",\n    \"vdev\": \"hdc\",\n"), disk.out());
            assertTrue(disk.out().contains("\"format\": \"empty\",\n    \"script\": null,\n    \"removable\": 1,\n    \"readwrite\": 0,\n    \"is_cdrom\": 1\n}\n"));
            XlHarness.Result bad = h.run("-N", "block-attach", "0", "/a,qcow3,xvda");
            assertEquals(255, bad.status());
            assertEquals(new XlHarness.Result(1, "", "command does not implement -N (dryrun) option\n"), h.run("-N", "list"));
        }
    }

    @Test
    void missingCapabilitiesAreSaidPlainly() {
        try (XlHarness h = new XlHarness()) {
            for (String[] c : new String[][] {{"block-attach", "0", "/a,,xvda"}, {"network-detach", "0", "0"},
                {"remus", "0", "h"}}) {
                XlHarness.Result r = h.run(c);
                assertEquals(new XlHarness.Result(1, "", "xl: " + c[0] + ": not supported by hvkit yet\n"), r, c[0]);
            }
            assertEquals(new XlHarness.Result(0, "", "libxl: error: libxl_pci.c:1053:libxl__device_pci_add: PCI device 0000:00:1d.0 cannot be assigned - no IOMMU?\n"),
                    h.run("pci-attach", "0", "00:1d.0"), "no device assignment in this host: 4.2's words, and its status 0");
            assertEquals(new XlHarness.Result(3, "", "invalid memory size: 5q\n"), h.run("mem-max", "0", "5q"));
            assertEquals("Vdev  BE  handle state evt-ch ring-ref BE-path                       \n", h.run("block-list", "0").out());
            assertTrue(h.run("help").out().contains(" pci-assignable-remove \n                     Remove a device from being assignable\n"));
            assertTrue(h.run("help", "block-attach").out().startsWith("Usage: xl [-vfN] block-attach <Domain> <disk-spec-component(s)>...\n\nCreate a new virtual block device.\n"));
        }
    }
}
