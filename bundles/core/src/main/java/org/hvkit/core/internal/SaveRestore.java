package org.hvkit.core.internal;

import static org.hvkit.api.toolstack.HypervisorException.Errno.EINVAL;
import static org.hvkit.api.toolstack.HypervisorException.Errno.EPERM;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.hvkit.api.domain.CpuMask;
import org.hvkit.api.toolstack.HypervisorException;

/**
 * xl save / restore in machine context: {@link #capture} pauses a domain and takes its image,
 * {@link #finish} destroys it (or resumes it for a checkpoint), {@link #resume} undoes a failed
 * save; {@link #restore} builds a domain from a checked image, all or nothing. The file itself is
 * written and read outside machine context ({@link SaveFile}), so a slow disk never stalls the machine.
 */
final class SaveRestore {
    private final Machine m;
    private final DomainOps ops;

    SaveRestore(Machine m, DomainOps ops) {
        this.m = m;
        this.ops = ops;
    }

    /** What a save took: the domain, whether it was paused before, and its two records. */
    record Snapshot(Domain domain, boolean wasPaused, byte[] domainRecord, byte[] guestRecord) { }

    /** First step of a save: pauses the domain; returns whether it was paused already. */
    boolean pause(int domid) {
        Domain d = ops.require(domid);
        if (d.isControlDomain()) throw new HypervisorException(EPERM, "Domain-0 cannot be saved");
        if (d.shutdown || d.dying) throw new HypervisorException(EINVAL, "domain " + domid + " is shutting down; it cannot be saved");
        boolean wasPaused = d.paused;
        ops.pause(domid);
        return wasPaused;
    }

    /** Whether the paused domain's guest has settled (no exit half handled by a pCPU). */
    boolean quiescent(int domid) {
        Domain d = ops.require(domid);
        return d.guest == null || d.guest.quiescent();
    }

    /** The paused domain could not settle or vanished: let it go on. */
    void unpauseIf(int domid, boolean wasPaused) {
        Domain d = m.domains.get(domid);
        if (d != null && !wasPaused && !d.dying) ops.unpause(domid);
    }

    /** Whether {@code replacement} can stand for domain {@code domid}'s configuration in a save file; throws saying why not. */
    Void checkReplacement(int domid, org.hvkit.api.domain.DomainConfig replacement) {
        SaveImage.of(m.platform().name(), ops.require(domid)).withConfig(replacement);
        return null;
    }

    /** The paused domain's records; {@code replacement}, when not null, is written as its configuration. */
    Snapshot capture(int domid, boolean wasPaused, org.hvkit.api.domain.DomainConfig replacement) {
        Domain d = ops.require(domid);
        try {
            ByteArrayOutputStream g = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(g);
            d.guest.save(out, m.now());
            out.flush();
            return new Snapshot(d, wasPaused, SaveImage.of(m.platform().name(), d).withConfig(replacement).encode(), g.toByteArray());
        } catch (IOException | RuntimeException e) {
            HookGuard.rethrowIfAbandoned(e);
            if (!wasPaused) ops.unpause(domid);
            String why = e instanceof UnsupportedOperationException ? e.getMessage() : e.toString();
            throw new HypervisorException(EINVAL, "domain " + domid + " (" + d.name + ") cannot be saved: " + why, e);
        }
    }

    /** The file is written: a plain save destroys the domain, a checkpoint lets it go on. */
    void finish(Snapshot s, boolean checkpoint) {
        Domain d = s.domain();
        if (m.domains.get(d.id) != d) return; // destroyed meanwhile
        if (checkpoint) {
            if (!s.wasPaused()) ops.unpause(d.id);
            m.printk("domain " + d.id + " (" + d.name + ") checkpointed");
        } else {
            ops.destroy(d.id);
            m.printk("domain " + d.id + " (" + d.name + ") saved");
        }
    }

    /** Writing the file failed: the domain goes on as it was. */
    void resume(Snapshot s) {
        Domain d = s.domain();
        if (m.domains.get(d.id) == d && !s.wasPaused()) ops.unpause(d.id);
    }

    /** Builds the domain of a checked image; any failure on the way destroys what was built. */
    Domain restore(SaveImage img, byte[] guestRecord, boolean paused) {
        Domain d = build(img, img.config());
        try {
            apply(d, img, new DataInputStream(new ByteArrayInputStream(guestRecord)), guestRecord.length, false);
        } catch (HypervisorException e) {
            throw new HypervisorException(EINVAL, "cannot restore domain " + img.config().name() + ": " + e.getMessage(), e);
        }
        if (!paused) ops.unpause(d.id);
        m.printk("domain " + d.id + " (" + d.name + ") restored" + (paused ? ", paused" : ""));
        return d;
    }

    /** Creates the paused domain of an image (from this platform), under the configuration {@code cfg} (the image's, or renamed). */
    Domain build(SaveImage img, org.hvkit.api.domain.DomainConfig cfg) {
        if (!img.platform().equals(m.platform().name())) {
            throw new HypervisorException(EINVAL, "the save file is from the " + img.platform() + " platform; this host runs " + m.platform().name());
        }
        return ops.create(cfg, true);
    }

    /**
     * Gives the built domain {@code d} the image's core state and the guest's state from
     * {@code guest} ({@code length} bytes; a migration's incoming guest has its memory already and
     * reads only its vCPU and device state). Any failure destroys the domain and says what.
     */
    void apply(Domain d, SaveImage img, DataInputStream guest, int length, boolean incoming) {
        try {
            for (Vcpu v : d.vcpus) {
                CpuMask hard = CpuMask.parse(img.hard()[v.id], m.topology().nrCpus());
                CpuMask soft = CpuMask.parse(img.soft()[v.id], m.topology().nrCpus());
                if (!hard.equals(v.hard) || !soft.equals(v.soft)) ops.pin(d.id, v.id, hard, soft);
                if (img.online()[v.id]) m.hotplug.bringUp(v);
                else m.hotplug.takeDown(v);
            }
            Map<String, Long> known = new HashMap<>();
            for (var e : img.schedParams().entrySet()) if (d.pool.provider.defaultDomainParams().containsKey(e.getKey())) known.put(e.getKey(), e.getValue());
            if (!known.isEmpty()) ops.setSchedParams(d.id, known);
            if (incoming) d.guest.restoreState(guest, m.now());
            else d.guest.restore(guest, m.now());
            if (guest.available() != 0) throw new IOException(guest.available() + " bytes left over after the guest's state");
            // the balloon as it was: the same target for the guest to read, the same memory held
            d.maxMemoryMb = img.maxMemoryMb();
            d.targetKb = img.targetKb();
            d.guest.memoryTarget(img.targetKb() << 10, d.memory.sizeBytes());
            if (img.holdsBytes() != d.memory.sizeBytes()) d.memory.resize(img.holdsBytes());
            d.memoryMb = d.memory.sizeBytes() >> 20;
            for (Vcpu v : d.vcpus) {
                boolean wants = v.guest.wantsToRun();
                if (v.blocked == wants) {
                    v.blocked = !wants;
                    m.runnableChanged(v);
                }
            }
        } catch (IOException | RuntimeException e) {
            HookGuard.rethrowIfAbandoned(e);
            ops.discard(d);
            String why = e instanceof HypervisorException he ? he.getMessage() : e instanceof IOException ? "GUEST record: " + e.getMessage() : e.toString();
            throw new HypervisorException(EINVAL, why, e);
        }
    }
}
