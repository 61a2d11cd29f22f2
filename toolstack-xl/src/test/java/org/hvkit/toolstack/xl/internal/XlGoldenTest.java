package org.hvkit.toolstack.xl.internal;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.hvkit.api.platform.HostTopology;
import org.hvkit.sched.credit2.internal.Credit2Provider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Byte-exact output of the commands not covered elsewhere: vcpu-pin, device lists, sched-credit2, reboot, shutdown -w, create -n, list -l. */
class XlGoldenTest {
    @TempDir
    Path dir;

    private XlHarness host() {
        return new XlHarness(HostTopology.of(1, 4, 1, 1, 8L << 30), new Credit2Provider());
    }

    private String web() throws IOException {
        Path f = dir.resolve("w.cfg");
        Files.writeString(f, "name = \"web\"\nmemory = 256\nvcpus = 2\ncpu_weight = 512\nworkload = \"cpu\"\n");
        return f.toString();
    }

    @Test
    void vcpuPinAndTheDeviceLists() throws IOException {
        try (XlHarness h = host()) {
            h.run("create", web());
            assertEquals(0, h.run("vcpu-pin", "web", "1", "2-3").status());
            assertEquals("Name                                ID  VCPU   CPU State   Time(s) CPU Affinity\n"
                    + "web                                  1     0    1   ---       0.0  any cpu\n"
                    + "web                                  1     1    2   ---       0.0  2-3\n", h.run("vcpu-list", "web").out());
            assertEquals("Vdev  BE  handle state evt-ch ring-ref BE-path                       \n", h.run("block-list", "web").out());
            assertEquals("Idx BE Mac Addr.         handle state evt-ch   tx-/rx-ring-ref BE-path                       \n", h.run("network-list", "web").out());
            assertEquals("", h.run("pci-list", "web").out());
            assertEquals("", h.run("pci-assignable-list").out());
        }
    }

    @Test
    void schedCredit2ListsCredit2PoolsOnly() throws IOException {
        try (XlHarness h = host()) {
            h.run("create", web());
            assertEquals("", h.run("sched-credit2").out(), "no credit2 pool yet");
            h.run("cpupool-cpu-remove", "Pool-0", "3");
            h.run("cpupool-create", "name=c2", "sched=credit2", "cpus=3");
            h.run("cpupool-migrate", "web", "c2");
            assertEquals("Cpupool c2:\nName                                ID Weight\nweb                                  1    512\n", h.run("sched-credit2").out());
            assertEquals("Name                                ID Weight\nweb                                  1    512\n", h.run("sched-credit2", "-d", "web").out());
            XlHarness.Result bad = h.run("sched-credit2", "-d", "web", "-w", "70000");
            assertEquals(1, bad.status());
            assertEquals("libxl: error: libxl.c:4191:sched_credit2_domain_set: Cpu weight out of range, valid values are within range from 1 to 65535\nlibxl_domain_sched_params_set failed.\n", bad.err());
            assertEquals(0, h.run("sched-credit2", "-d", "web", "-w", "100").status());
            assertEquals("Name                                ID Weight\nweb                                  1    100\n", h.run("sched-credit2", "-d", "web").out());
        }
    }

    @Test
    void rebootRestartsAsANewDomainAndShutdownWaits() throws IOException {
        try (XlHarness h = host()) {
            h.run("create", web());
            assertEquals(0, h.run("reboot", "web").status());
            assertEquals("Name                                        ID   Mem VCPUs\tState\tTime(s)\n"
                    + "Domain-0                                     0  1024     1     -b----       0.0\n"
                    + "web                                          2   256     2     ------       0.0\n", h.run("list").out());
            XlHarness.Result w = h.run("shutdown", "-w", "web");
            assertEquals(0, w.status());
            assertEquals("Domain 2 has been shut down, reason code 0 0\n", w.err(), "4.2's LOG of the shutdown event");
            assertTrue(h.sim.hypervisor().findDomain("web").isEmpty());
        }
    }

    @Test
    void createDryRunAndListLongPrintLibxlsJson() throws IOException {
        try (XlHarness h = host()) {
            XlHarness.Result dry = h.run("create", "-n", web());
            assertEquals(0, dry.status());
            assertTrue(dry.out().startsWith("Parsing config from "), "4.2 prints it on stdout before the JSON");
            assertTrue(dry.out().replaceFirst("^Parsing config from [^\n]*\n", "").startsWith("{\n    \"domid\": null,\n    \"config\": {\n        \"c_info\": {\n            \"type\": \"pv\",\n            \"name\": \"web\","), dry.out());
            assertTrue(dry.out().contains("\"max_memkb\": 262144,\n            \"target_memkb\": 262144,\n            \"sched_params\": {\n                \"weight\": 512,"), dry.out());
            assertTrue(dry.out().contains("\"on_poweroff\": \"destroy\",\n        \"on_reboot\": \"restart\","), dry.out());
            assertEquals(1, h.sim.hypervisor().listDomains().size(), "a dry run creates nothing");
            h.run("create", web());
            String l = h.run("list", "-l", "web").out();
            assertTrue(l.startsWith("[\n    {\n        \"domid\": 1,\n        \"config\": {\n            \"c_info\": {\n                \"type\": \"pv\",\n                \"name\": \"web\","), l);
            assertTrue(l.endsWith("    }\n]\n"), l);
        }
    }
}
