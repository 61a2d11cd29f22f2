package org.hvkit.core.internal;

import static org.hvkit.api.toolstack.HypervisorException.Errno.*;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.hvkit.api.iommu.DmaPlatform;
import org.hvkit.api.iommu.DmaTarget;
import org.hvkit.api.iommu.Iommu;
import org.hvkit.api.iommu.IommuOptions;
import org.hvkit.api.p2m.P2mChange;
import org.hvkit.api.p2m.P2mListener;
import org.hvkit.api.pci.DmaPort;
import org.hvkit.api.pci.PciAddress;
import org.hvkit.api.pci.PciAssignment;
import org.hvkit.api.pci.PciDevice;
import org.hvkit.api.pci.PciPlatform;
import org.hvkit.api.platform.StartupRefusal;
import org.hvkit.api.toolstack.Hypervisor;
import org.hvkit.api.toolstack.HypervisorException;
import org.hvkit.api.xsm.Permission;
import org.hvkit.api.xsm.Xsm;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * Device assignment (Xen's pciback list, XEN_DOMCTL_assign_device / deassign_device): which host
 * devices are assignable, which domain has which, and the invariant that a device is connected to
 * a translating port only while it is assigned and an IOMMU is there. An IOMMU that goes leaves
 * every assigned device on {@link DmaPort#BLOCKED} (it stays assigned); the next one that comes
 * gets them all re-attached. A domain whose p2m is destroyed (domain destroy) gives its devices
 * back. All state under {@code this}.
 */
@Component(service = PciAssignment.class, immediate = true)
public final class DeviceAssignment implements PciAssignment {
    private final IommuOptions options;
    private final Xsm xsm;                     // null: no checks (tests of the mechanism alone)
    private final Consumer<String> console;
    private final Map<PciAddress, PciDevice> devices = new java.util.concurrent.ConcurrentSkipListMap<>();
    private final Set<PciAddress> assignable = new TreeSet<>();
    /** Written under {@code this}; read without it by the destroy listener, which must not wait for us. */
    private final Map<PciAddress, Integer> owner = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<Integer, P2mListener> watched = new HashMap<>();
    private Iommu iommu;
    private DmaPlatform dma;
    private PciPlatform pci;

    @Activate
    public DeviceAssignment(@Reference Hypervisor hv, @Reference Xsm xsm, BundleContext bc) {
        this(options(bc), xsm, hv::printk);
    }

    private static IommuOptions options(BundleContext bc) {
        try {
            return IommuOptions.parse(bc.getProperty(IommuOptions.PROPERTY));
        } catch (IllegalArgumentException e) {
            StartupRefusal.refuse(bc.getBundle(0)::stop, e.getMessage());
            return new IommuOptions(false, false, false, false, false);
        }
    }

    public DeviceAssignment(IommuOptions options, Xsm xsm, Consumer<String> console) {
        this.options = options;
        this.xsm = xsm;
        this.console = console;
        console.accept("I/O virtualisation " + (options.enabled() ? "enabled" : "disabled"));
    }

    // ---- services coming and going

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    public synchronized void addDevice(PciDevice d) {
        d.connect(DmaPort.BLOCKED);
        devices.put(d.address(), d);
    }

    public synchronized void removeDevice(PciDevice d) {
        if (devices.get(d.address()) != d) return;
        Integer dom = owner.get(d.address());
        if (dom != null) release(dom, d.address(), "its device model went away");
        devices.remove(d.address());
        assignable.remove(d.address());
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    public synchronized void setIommu(Iommu u) {
        iommu = u;
        int n = 0;
        for (Map.Entry<PciAddress, Integer> e : new TreeMap<>(owner).entrySet()) {
            PciDevice d = devices.get(e.getKey());
            try {
                d.connect(u.attach(e.getKey(), target(e.getValue())));
                n++;
            } catch (RuntimeException ex) {
                console.accept("pci: " + e.getKey() + " of d" + e.getValue() + " stays blocked: re-attach through " + u.name() + " failed: " + ex.getMessage());
            }
        }
        console.accept("pci: IOMMU " + u.name() + " is here" + (owner.isEmpty() ? "" : "; " + n + " assigned device(s) re-attached through it"));
    }

    public synchronized void unsetIommu(Iommu u) {
        if (iommu != u) return;
        for (PciAddress a : owner.keySet()) devices.get(a).connect(DmaPort.BLOCKED);
        iommu = null;
        console.accept("pci: IOMMU " + u.name() + " is gone" + (owner.isEmpty() ? "" : "; " + owner.size() + " assigned device(s) blocked until one is back"));
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    public synchronized void setDmaPlatform(DmaPlatform p) {
        dma = p;
    }

    public synchronized void unsetDmaPlatform(DmaPlatform p) {
        if (dma == p) dma = null;
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    public synchronized void setPciPlatform(PciPlatform p) {
        pci = p;
    }

    public synchronized void unsetPciPlatform(PciPlatform p) {
        if (pci == p) pci = null;
    }

    @Deactivate
    synchronized void deactivate() {
        for (Map.Entry<PciAddress, Integer> e : new TreeMap<>(owner).entrySet()) release(e.getValue(), e.getKey(), "device assignment stopped");
    }

    // ---- the toolstack's calls

    @Override
    public synchronized List<PciDevice> devices() {
        return List.copyOf(devices.values());
    }

    @Override
    public synchronized void addAssignable(PciAddress a) { // Xen: binding to pciback in dom0, no hypercall and no XSM check
        if (!devices.containsKey(a)) throw new HypervisorException(ENODEV, "no PCI device " + a + " on this host");
        assignable.add(a);
    }

    @Override
    public synchronized void removeAssignable(PciAddress a) {
        if (!devices.containsKey(a)) throw new HypervisorException(ENODEV, "no PCI device " + a + " on this host");
        Integer dom = owner.get(a);
        if (dom != null) throw new HypervisorException(EBUSY, a + " is assigned to domain " + dom);
        assignable.remove(a);
    }

    @Override
    public synchronized List<PciAddress> assignable() {
        if (unavailable() != null) return List.of();
        List<PciAddress> out = new ArrayList<>();
        for (PciAddress a : assignable) if (!owner.containsKey(a)) out.add(a);
        return out;
    }

    /** Why nothing can be assigned now, or null. */
    private String unavailable() {
        if (!options.enabled()) return "I/O virtualisation is disabled (iommu=off)";
        if (iommu == null) return options.force() ? "Couldn't enable IOMMU and iommu=required/force" : "no IOMMU";
        if (dma == null || pci == null) return "the platform does not support device assignment";
        return null;
    }

    @Override
    public synchronized void attach(int domid, PciAddress a) {
        check(Permission.RESOURCE_ADD, domid);
        String why = unavailable();
        if (why != null) throw new HypervisorException(ENODEV, "assign " + a + " to dom" + domid + ": " + why);
        PciDevice d = devices.get(a);
        if (d == null || !assignable.contains(a) || owner.containsKey(a)) {
            throw new HypervisorException(EINVAL, a + " already assigned, or non-existent" + (d != null && !assignable.contains(a) && !owner.containsKey(a) ? " (not assignable: xl pci-assignable-add it first)" : ""));
        }
        if (domid == 0) throw new HypervisorException(EINVAL, "assign " + a + " to dom0: Domain-0 keeps host devices outside the IOMMU here");
        DmaTarget t = target(domid);
        watch(domid, t);
        DmaPort port = iommu.attach(a, t);
        try {
            d.reset();
            d.connect(port);
            pci.plug(domid, d);
        } catch (RuntimeException e) {
            d.connect(DmaPort.BLOCKED);
            iommu.detach(a);
            throw new HypervisorException(EINVAL, "assign " + a + " to dom" + domid + " failed: " + e.getMessage(), e);
        }
        owner.put(a, domid);
    }

    @Override
    public synchronized void detach(int domid, PciAddress a) {
        check(Permission.RESOURCE_REMOVE, domid);
        Integer dom = owner.get(a);
        if (dom == null || dom != domid) throw new HypervisorException(ENODEV, "deassign " + a + " from dom" + domid + " failed: not assigned to it");
        release(domid, a, null);
    }

    @Override
    public synchronized List<PciAddress> assigned(int domid) {
        List<PciAddress> out = new ArrayList<>();
        for (Map.Entry<PciAddress, Integer> e : owner.entrySet()) if (e.getValue() == domid) out.add(e.getKey());
        out.sort(null);
        return out;
    }

    // ---- inside

    private void check(Permission p, int domid) {
        if (xsm != null) xsm.checkDomain(p, domid);
    }

    private DmaTarget target(int domid) {
        try {
            return dma.target(domid);
        } catch (IllegalArgumentException e) {
            throw new HypervisorException(ESRCH, "no domain " + domid + ": " + e.getMessage(), e);
        }
    }

    /**
     * Gives the domain's devices back when its memory is destroyed (domain destroy). The listener
     * runs under the p2m's lock, so it only cuts the devices off (at once, before the destroy
     * returns) and leaves the bookkeeping to a thread of its own: an attach holding our lock may be
     * waiting for that p2m.
     */
    private void watch(int domid, DmaTarget t) {
        if (watched.containsKey(domid)) return;
        P2mListener l = c -> {
            if (c.kind() != P2mChange.Kind.DESTROY) return;
            for (Map.Entry<PciAddress, Integer> e : owner.entrySet()) {
                PciDevice d = e.getValue() == domid ? devices.get(e.getKey()) : null;
                if (d != null) d.connect(DmaPort.BLOCKED);
            }
            Thread.ofVirtual().name("hvkit-pci-release-d" + domid).start(() -> destroyed(domid));
        };
        watched.put(domid, l);
        t.p2m().addListener(l);
    }

    private synchronized void destroyed(int domid) {
        for (PciAddress a : assigned(domid)) release(domid, a, "domain destroyed");
        watched.remove(domid);
    }

    /** Cuts the device off first, then unplugs, resets and detaches it. */
    private void release(int domid, PciAddress a, String why) {
        PciDevice d = devices.get(a);
        d.connect(DmaPort.BLOCKED);
        if (pci != null) {
            try {
                pci.unplug(domid, a);
            } catch (RuntimeException e) {
                console.accept("pci: unplug " + a + " from d" + domid + ": " + e.getMessage());
            }
        }
        d.reset();
        if (iommu != null) iommu.detach(a);
        owner.remove(a);
        if (why != null) console.accept("pci: " + a + " released from d" + domid + ": " + why);
    }
}
