package org.hvkit.core.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;
import org.hvkit.api.domain.CpuMask;
import org.hvkit.api.domain.DomainConfig;
import org.hvkit.api.toolstack.HypervisorException;
import org.hvkit.api.domain.LifecycleAction;

/**
 * The DOMAIN record of a save file: the platform it came from, the domain's configuration, and
 * the core's state of it that the toolstack changed after creation (online vCPUs, affinities,
 * scheduler parameters). Layout in docs/save-format.md.
 */
record SaveImage(String platform, DomainConfig config, boolean[] online, String[] hard, String[] soft, Map<String, Long> schedParams, long targetKb,
        long holdsBytes, long maxMemoryMb) {
    static final int MAX_OPTIONS = 256, MAX_PARAMS = 64, MAX_VCPUS = 8192;

    static SaveImage of(String platform, Domain d) {
        int n = d.vcpus.length;
        boolean[] on = new boolean[n];
        String[] h = new String[n], s = new String[n];
        for (Vcpu v : d.vcpus) {
            on[v.id] = v.online;
            h[v.id] = v.hard.toRangeList();
            s[v.id] = v.soft.toRangeList();
        }
        // the domain as it is now: its current name (xl rename), its balloon and maximum (xl mem-set / mem-max)
        DomainConfig c = d.config;
        DomainConfig now = new DomainConfig(d.name, c.memoryMb(), c.maxMemoryMb(), c.vcpus(), c.maxVcpus(), c.cpus(), c.vcpuCpus(), c.weight(), c.cap(), c.pool(),
                c.onPoweroff(), c.onReboot(), c.onWatchdog(), c.onCrash(), c.startPaused(), c.platformOptions(), c.cpusSoft(), c.seclabel());
        return new SaveImage(platform, now, on, h, s, new TreeMap<>(d.schedParams), d.targetKb, d.memory.sizeBytes(), d.maxMemoryMb);
    }

    /**
     * This image under a replacement configuration (xl restore CONFIG FILE, xl migrate -C): it
     * must agree on what the saved state depends on, the memory the domain was built with and its
     * vCPU slots; the rest (name, limits, options, scheduler parameters) is the replacement's, while
     * online vCPUs and their affinities stay as saved.
     */
    SaveImage withConfig(DomainConfig r) {
        if (r == null) return this;
        if (r.memoryMb() != config.memoryMb()) {
            throw new HypervisorException(HypervisorException.Errno.EINVAL, "the replacement config gives memory = " + r.memoryMb() + " but domain " + config.name() + " was built with " + config.memoryMb() + " MiB");
        }
        if (r.maxVcpus() != config.maxVcpus()) {
            throw new HypervisorException(HypervisorException.Errno.EINVAL, "the replacement config gives maxvcpus = " + r.maxVcpus() + " but domain " + config.name() + " has " + config.maxVcpus() + " vCPU slots");
        }
        // the scheduler parameters are the replacement's (set at build, as 4.2 builds from the new config);
        // which vCPUs are online and where they may run stay as saved
        return new SaveImage(platform, r, online, hard, soft, Map.of(), targetKb, holdsBytes, maxMemoryMb);
    }

    byte[] encode() {
        try {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            DataOutputStream o = new DataOutputStream(b);
            o.writeUTF(platform);
            DomainConfig c = config;
            o.writeUTF(c.name());
            o.writeLong(c.memoryMb());
            o.writeLong(c.maxMemoryMb());
            o.writeInt(c.vcpus());
            o.writeInt(c.maxVcpus());
            mask(o, c.cpus());
            if (c.vcpuCpus() == null) o.writeInt(-1);
            else {
                o.writeInt(c.vcpuCpus().length);
                for (CpuMask m : c.vcpuCpus()) mask(o, m);
            }
            integer(o, c.weight());
            integer(o, c.cap());
            string(o, c.pool());
            for (LifecycleAction a : new LifecycleAction[] {c.onPoweroff(), c.onReboot(), c.onWatchdog(), c.onCrash()}) o.writeUTF(a.name());
            o.writeBoolean(c.startPaused());
            Map<String, String> opts = new TreeMap<>(c.platformOptions());
            o.writeInt(opts.size());
            for (var e : opts.entrySet()) {
                o.writeUTF(e.getKey());
                o.writeUTF(e.getValue());
            }
            mask(o, c.cpusSoft());
            o.writeUTF(c.seclabel() == null ? "" : c.seclabel()); // restored under the same label (XSM checks it as at create)
            o.writeInt(online.length);
            for (int i = 0; i < online.length; i++) {
                o.writeBoolean(online[i]);
                o.writeUTF(hard[i]);
                o.writeUTF(soft[i]);
            }
            o.writeInt(schedParams.size());
            for (var e : schedParams.entrySet()) {
                o.writeUTF(e.getKey());
                o.writeLong(e.getValue());
            }
            o.writeLong(targetKb);
            o.writeLong(holdsBytes);
            o.writeLong(maxMemoryMb);
            o.flush();
            return b.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e); // a byte array does not fail
        }
    }

    /** @throws SaveFile.BadSaveFile naming the field that does not make sense */
    static SaveImage decode(byte[] bytes, int nrCpus) throws SaveFile.BadSaveFile {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
        String field = "platform";
        try {
            String platform = in.readUTF();
            field = "name";
            DomainConfig.Builder b = DomainConfig.builder(in.readUTF());
            field = "memory";
            long mem = in.readLong(), maxMem = in.readLong();
            if (mem < 1 || maxMem < mem || maxMem > 1L << 40) throw bad("memory " + mem + " / maxmem " + maxMem + " MiB");
            b.memoryMb(mem).maxMemoryMb(maxMem);
            field = "vcpus";
            int vcpus = in.readInt(), max = in.readInt();
            if (vcpus < 1 || max < vcpus || max > MAX_VCPUS) throw bad("vcpus " + vcpus + " / maxvcpus " + max);
            b.vcpus(vcpus).maxVcpus(max);
            field = "cpus";
            b.cpus(mask(in, nrCpus));
            int lists = in.readInt();
            if (lists > max || lists < -1) throw bad("cpus list of " + lists + " entries for " + max + " vcpus");
            if (lists >= 0) {
                CpuMask[] l = new CpuMask[lists];
                for (int i = 0; i < lists; i++) l[i] = mask(in, nrCpus);
                b.vcpuCpus(l);
            }
            field = "weight/cap";
            b.weight(integer(in)).cap(integer(in));
            field = "pool";
            b.pool(string(in));
            field = "on_* actions";
            b.onPoweroff(LifecycleAction.valueOf(in.readUTF())).onReboot(LifecycleAction.valueOf(in.readUTF()))
                    .onWatchdog(LifecycleAction.valueOf(in.readUTF())).onCrash(LifecycleAction.valueOf(in.readUTF()));
            b.startPaused(in.readBoolean());
            field = "platform options";
            int n = in.readInt();
            if (n < 0 || n > MAX_OPTIONS) throw bad(n + " options");
            Map<String, String> opts = new TreeMap<>();
            for (int i = 0; i < n; i++) opts.put(in.readUTF(), in.readUTF());
            b.platformOptions(opts);
            field = "cpus_soft";
            b.cpusSoft(mask(in, nrCpus));
            field = "seclabel";
            String label = in.readUTF();
            if (label.length() > 256) throw bad("a seclabel of " + label.length() + " characters");
            if (!label.isEmpty()) b.seclabel(label);
            field = "vcpu state";
            int nv = in.readInt();
            if (nv != max) throw bad(nv + " vcpu entries for " + max + " vcpus");
            boolean[] on = new boolean[nv];
            String[] h = new String[nv], s = new String[nv];
            for (int i = 0; i < nv; i++) {
                on[i] = in.readBoolean();
                h[i] = in.readUTF();
                s[i] = in.readUTF();
                CpuMask.parse(h[i], nrCpus);
                CpuMask.parse(s[i], nrCpus);
            }
            if (!on[0]) throw bad("vcpu 0 offline");
            field = "scheduler parameters";
            int np = in.readInt();
            if (np < 0 || np > MAX_PARAMS) throw bad(np + " parameters");
            Map<String, Long> params = new TreeMap<>();
            for (int i = 0; i < np; i++) params.put(in.readUTF(), in.readLong());
            field = "memory target";
            long target = in.readLong(), holds = in.readLong(), maxNow = in.readLong();
            if (maxNow < 1 || maxNow > 1L << 40 || target < 0 || target > maxNow * 1024 || holds < 1 || holds > mem << 20) {
                throw bad("target " + target + " KiB, holds " + holds + " bytes, maxmem " + maxNow + " MiB");
            }
            if (in.available() != 0) throw bad(in.available() + " bytes left over");
            return new SaveImage(platform, b.build(), on, h, s, params, target, holds, maxNow);
        } catch (IOException | IllegalArgumentException e) {
            throw new SaveFile.BadSaveFile("DOMAIN record: bad " + field + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        }
    }

    private static IllegalArgumentException bad(String what) {
        return new IllegalArgumentException(what);
    }

    private static void mask(DataOutputStream o, CpuMask m) throws IOException {
        o.writeUTF(m == null ? "-" : m.toRangeList());
    }

    private static CpuMask mask(DataInputStream in, int nrCpus) throws IOException {
        String t = in.readUTF();
        return t.equals("-") ? null : CpuMask.parse(t, nrCpus);
    }

    private static void integer(DataOutputStream o, Integer v) throws IOException {
        o.writeBoolean(v != null);
        o.writeInt(v == null ? 0 : v);
    }

    private static Integer integer(DataInputStream in) throws IOException {
        boolean has = in.readBoolean();
        int v = in.readInt();
        return has ? v : null;
    }

    private static void string(DataOutputStream o, String v) throws IOException {
        o.writeBoolean(v != null);
        o.writeUTF(v == null ? "" : v);
    }

    private static String string(DataInputStream in) throws IOException {
        boolean has = in.readBoolean();
        String v = in.readUTF();
        return has ? v : null;
    }
}
