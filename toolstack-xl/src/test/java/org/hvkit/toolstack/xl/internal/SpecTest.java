package org.hvkit.toolstack.xl.internal;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The spec sub-parsers on the examples of the grammar documents, and their error messages. */
class SpecTest {
    private static String disk(String spec) throws SpecException {
        DiskSpec d = DiskSpec.parse("command line", spec);
        return d.pdevPath + "|" + d.vdev + "|" + d.backend + "|" + d.format + "|" + d.script + "|" + d.removable + d.readwrite + d.isCdrom;
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "/dev/vg/guest-volume,,hda; /dev/vg/guest-volume|hda|UNKNOWN|RAW|null|010",
        "/dev/vg/guest-volume,raw,hda,rw; /dev/vg/guest-volume|hda|UNKNOWN|RAW|null|010",
        "format=raw, vdev=hda, access=rw, target=/dev/vg/guest-volume; /dev/vg/guest-volume|hda|UNKNOWN|RAW|null|010",
        "raw:/dev/vg/guest-volume,hda,w; /dev/vg/guest-volume|hda|UNKNOWN|RAW|null|010",
        "/root/image.iso,,hdc,devtype=cdrom; /root/image.iso|hdc|UNKNOWN|RAW|null|101",
        "format=raw, vdev=hdc, access=ro, devtype=cdrom, target=/root/image.iso; /root/image.iso|hdc|UNKNOWN|RAW|null|101",
        "raw:/root/image.iso,hdc:cdrom,ro; /root/image.iso|hdc|UNKNOWN|RAW|null|101",
        ",hdc:cdrom,r; |hdc|UNKNOWN|EMPTY|null|101",
        "phy:/dev/vg/guest,xvda,w; /dev/vg/guest|xvda|UNKNOWN|RAW|null|010",
        "file:/var/lib/xen/images/guest.img,xvda,w; /var/lib/xen/images/guest.img|xvda|UNKNOWN|RAW|null|010",
        "tap:aio:/var/img.raw,xvda,w; /var/img.raw|xvda|UNKNOWN|RAW|null|010",
        "tap:qcow2:/var/img.qcow2,xvdb,r; /var/img.qcow2|xvdb|UNKNOWN|QCOW2|null|000",
        "iscsi:iqn.2001-05.com.example:disk,xvdc,w; iqn.2001-05.com.example:disk|xvdc|UNKNOWN|RAW|block-iscsi|010",
        "/img/a.qcow2,qcow2,xvda,ro; /img/a.qcow2|xvda|UNKNOWN|QCOW2|null|000",
        "vdev=xvda, backendtype=qdisk, format=vhd, target=/a,b:c; /a,b:c|xvda|QDISK|VHD|null|010",
        "vdev=xvdz,script=drbd,target=r0; r0|xvdz|UNKNOWN|RAW|drbd|010",
        "cdrom,vdev=hdc; null|hdc|UNKNOWN|EMPTY|null|101",
        "/dev/sdb,,xvdb:disk,; /dev/sdb|xvdb|UNKNOWN|RAW|null|010",
    })
    void diskSpecs(String spec, String expected) throws SpecException {
        assertEquals(expected, disk(spec));
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "/a,qcow3,xvda; command line: config parsing error in disk specification: unknown value for format: near `qcow3' in `/a,qcow3,xvda'",
        "/a,raw,xvda,rw,extra; command line: config parsing error in disk specification: too many positional parameters: near `extra' in `/a,raw,xvda,rw,extra'",
        "/a,raw,xvda,rx; command line: config parsing error in disk specification: unknown value for access: near `rx' in `/a,raw,xvda,rx'",
        "/a,raw; command line: config parsing error in disk specification: no vdev specified in `/a,raw'",
        "vdev=xvda; command line: config parsing error in disk specification: no target specified (and device not removable) in `vdev=xvda'",
        "foo=1,/a,,xvda; command line: config parsing error in disk specification: unknown parameter: near `foo=' in `foo=1,/a,,xvda'",
        "vdev=xvda,vdev=xvdb,target=/a; command line: config parsing error in disk specification: vdev respecified: near `xvdb' in `vdev=xvda,vdev=xvdb,target=/a'",
        "/a,,xvda,backendtype=nfs; command line: config parsing error in disk specification: unknown value for backendtype: near `nfs' in `/a,,xvda,backendtype=nfs'",
        ",hdc:floppy,r; command line: config parsing error in disk specification: unknown deprecated type: near `floppy' in `,hdc:floppy,r'",
        "/a,,xvda,devtype=usb; command line: config parsing error in disk specification: unknown value for type: near `devtype=usb' in `/a,,xvda,devtype=usb'",
        "/a,,xvda,=x; command line: config parsing error in disk specification: bad disk syntax: near `=x' in `/a,,xvda,=x'",
    })
    void diskErrors(String spec, String message) {
        SpecException e = assertThrows(SpecException.class, () -> DiskSpec.parse("command line", spec));
        assertEquals(message, e.getMessage());
    }

    @Test
    void diskJsonIsLibxlDeviceDisk() throws SpecException {
        assertEquals("{\n    \"backend_domid\": 0,\n    \"pdev_path\": \"/dev/vg/guest\",\n    \"vdev\": \"xvda\",\n"
                + "    \"backend\": \"unknown\",\n    \"format\": \"raw\",\n    \"script\": null,\n    \"removable\": 0,\n"
                + "    \"readwrite\": 1,\n    \"is_cdrom\": 0\n}", Json.write(DiskSpec.parse("command line", "phy:/dev/vg/guest,xvda,w").toJson()));
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "10Mb/s; 62500; 50000",
        "250KB/s; 12500; 50000",
        "1MB/s@20ms; 20000; 20000",
        "100B/s@1s; 100; 1000000",
        "100B/s@2; 200; 2000000",
        "8b/s@500us; 0; 500",
        "4294967295GB/s@4us; 17179869180000; 4",
        "012KB/s; 500; 50000",
    })
    void vifRates(String rate, String bytes, long usecs) throws SpecException {
        long[] r = VifSpec.parseRate("command line", rate);
        assertEquals(bytes, Long.toUnsignedString(r[0]));
        assertEquals(usecs, r[1]);
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "10Mb; command line: config parsing error in vif: invalid rate in `10Mb'",
        "0MB/s; command line: config parsing error in vif: invalid rate in `0MB/s'",
        "4294967296B/s; command line: config parsing error in vif: invalid rate in `4294967296B/s'",
        "@20ms; command line: config parsing error in vif: no rate specified in `'",
        "1MB/s@; command line: config parsing error in vif: no replenishment interval specified in `1MB/s'",
        "1MB/s@20ks; command line: config parsing error in vif: invalid replenishment interval in `20ks'",
        "1MB/s@0ms; command line: config parsing error in vif: invalid replenishment interval in `0ms'",
        "1MB/s@4295s; command line: config parsing error in vif: replenishment interval too high in `4295s'",
        "4294967295GB/s@4295ms; command line: config parsing error in vif: rate overflow in `4294967295GB/s'",
    })
    void vifRateErrors(String rate, String message) {
        assertEquals(message, assertThrows(SpecException.class, () -> VifSpec.parseRate("command line", rate)).getMessage());
    }

    @Test
    void vifCfgAndArgs() throws SpecException {
        PrintStream sink = new PrintStream(new ByteArrayOutputStream());
        VifSpec n = VifSpec.parseCfg("g.cfg", "mac=00:16:3e:01:02:0a, bridge=xenbr1,ip=10.0.0.2,model=e1000,type=ioemu,vifname=web0,script=vif-nat,rate=10Mb/s",
                2, name -> null, sink);
        assertEquals("00:16:3e:01:02:0a", n.macString());
        assertEquals("xenbr1", n.bridge);
        assertEquals(VifSpec.NicType.VIF_IOEMU, n.nictype);
        assertEquals(2, n.devid);
        assertEquals(62500, n.rateBytesPerInterval);
        VifSpec a = VifSpec.parseArgs(List.of("mac=0:16:3e:1", "backend=Domain-0", "type=vif"), name -> name.equals("Domain-0") ? 0 : null, sink);
        assertEquals("00:16:3e:01:00:00", a.macString());
        assertEquals("Invalid parameter `type'.", assertThrows(SpecException.class, () -> VifSpec.parseArgs(List.of("type=x"), s -> null, sink)).getMessage());
        assertEquals("Invalid parameter `mac'.", assertThrows(SpecException.class, () -> VifSpec.parseArgs(List.of("mac=100:1"), s -> null, sink)).getMessage());
        assertEquals("unrecognized argument `colour=red'", assertThrows(SpecException.class, () -> VifSpec.parseArgs(List.of("colour=red"), s -> null, sink)).getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "0000:00:1d.0; 0000:00:1d.0|false|0|null",
        "00:1d.7; 0000:00:1d.7|false|0|null",
        "0001:03:00.1@0a; 0001:03:00.1|false|10|null",
        "03:00.*,msitranslate=1,power_mgmt=0,permissive=1; 0000:03:00.0|true|0|1",
        "ffff:ff:ff.7@ff,permissive=0; ffff:ff:ff.7|false|255|0",
    })
    void pciSpecs(String spec, String expected) throws SpecException {
        PciSpec p = PciSpec.parse("cfg", spec, new PrintStream(new ByteArrayOutputStream()));
        assertEquals(expected, p.bdf() + "|" + p.allFunctions() + "|" + p.vslot() + "|" + p.permissive());
    }

    @ParameterizedTest
    @CsvSource({"00:1d", "1:00:1d.8", "10000:00:00.0", "100:00.0", "00:1d.0@100", "00:1d.0@", "0:0:0:0.0", "zz:00.0", "'00:1d.0,msitranslate'"})
    void pciErrors(String spec) {
        assertEquals("malformed BDF specification \"" + spec + "\"",
                assertThrows(SpecException.class, () -> PciSpec.parse("cfg", spec, System.err)).getMessage());
    }

    @Test
    void pciUnknownOptionIsReported() throws SpecException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        PciSpec.parse("g.cfg", "00:1d.0,colour=1", new PrintStream(b, true));
        assertEquals("g.cfg: Unknown PCI BDF option: colour\n", b.toString());
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {"512; 524288", "512m; 524288", "2G; 2097152", "1t; 1073741824", "64k; 64", "4096b; 4", "1000B; 0",
        "x; -1", "12q; -1", "; -1", "-5; -1"})
    void memSizes(String text, long kb) {
        assertEquals(kb, MemSize.parseKb(text));
    }

    @Test
    void cpuidForms() throws SpecException {
        CpuidSpec l = CpuidSpec.parseLibxl("host,tm=0,sse3=0,family=6,avx=k");
        assertEquals("host", l.base());
        assertEquals(List.of(new CpuidSpec.Feature("tm", "0"), new CpuidSpec.Feature("sse3", "0"), new CpuidSpec.Feature("family", "6"),
                new CpuidSpec.Feature("avx", "k")), l.features());
        CpuidSpec x = CpuidSpec.parseXend(List.of("1:ecx=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx0,edx=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "0x80000001,0:ecx=kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkks"));
        assertEquals(3, x.leaves().size());
        assertEquals(new CpuidSpec.Leaf(0x80000001L, 0L, "ecx", "kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkks"), x.leaves().get(2));
        assertThrows(SpecException.class, () -> CpuidSpec.parseLibxl("host,tm=2"));
        assertThrows(SpecException.class, () -> CpuidSpec.parseLibxl("host,family=six"));
        assertThrows(SpecException.class, () -> CpuidSpec.parseXend(List.of("1:ecx=xx")));
        assertThrows(SpecException.class, () -> CpuidSpec.parseXend(List.of("1:esi=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx")));
    }
}
