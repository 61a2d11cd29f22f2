package org.hvkit.api.xsm;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;

/**
 * One permission of one class: Xen 4.2's access vectors ({@code tools/flask/policy/policy/flask/access_vectors}),
 * by class in Xen's order. {@link #bit()} is the permission's place in its class's vector.
 */
public enum Permission {
    // class xen (30)
    XEN_SCHEDULER(SecurityClass.XEN, "scheduler"), XEN_SETTIME(SecurityClass.XEN, "settime"),
    XEN_TBUFCONTROL(SecurityClass.XEN, "tbufcontrol"), XEN_READCONSOLE(SecurityClass.XEN, "readconsole"),
    XEN_CLEARCONSOLE(SecurityClass.XEN, "clearconsole"), XEN_PERFCONTROL(SecurityClass.XEN, "perfcontrol"),
    XEN_MTRR_ADD(SecurityClass.XEN, "mtrr_add"), XEN_MTRR_DEL(SecurityClass.XEN, "mtrr_del"),
    XEN_MTRR_READ(SecurityClass.XEN, "mtrr_read"), XEN_MICROCODE(SecurityClass.XEN, "microcode"),
    XEN_PHYSINFO(SecurityClass.XEN, "physinfo"), XEN_QUIRK(SecurityClass.XEN, "quirk"),
    XEN_WRITECONSOLE(SecurityClass.XEN, "writeconsole"), XEN_READAPIC(SecurityClass.XEN, "readapic"),
    XEN_WRITEAPIC(SecurityClass.XEN, "writeapic"), XEN_PRIVPROFILE(SecurityClass.XEN, "privprofile"),
    XEN_NONPRIVPROFILE(SecurityClass.XEN, "nonprivprofile"), XEN_KEXEC(SecurityClass.XEN, "kexec"),
    XEN_FIRMWARE(SecurityClass.XEN, "firmware"), XEN_SLEEP(SecurityClass.XEN, "sleep"),
    XEN_FREQUENCY(SecurityClass.XEN, "frequency"), XEN_GETIDLE(SecurityClass.XEN, "getidle"),
    XEN_DEBUG(SecurityClass.XEN, "debug"), XEN_GETCPUINFO(SecurityClass.XEN, "getcpuinfo"), XEN_HEAP(SecurityClass.XEN, "heap"),
    XEN_PM_OP(SecurityClass.XEN, "pm_op"), XEN_MCA_OP(SecurityClass.XEN, "mca_op"), XEN_LOCKPROF(SecurityClass.XEN, "lockprof"),
    XEN_CPUPOOL_OP(SecurityClass.XEN, "cpupool_op"), XEN_SCHED_OP(SecurityClass.XEN, "sched_op"),
    // class domain (32)
    DOMAIN_SETVCPUCONTEXT(SecurityClass.DOMAIN, "setvcpucontext"), DOMAIN_PAUSE(SecurityClass.DOMAIN, "pause"),
    DOMAIN_UNPAUSE(SecurityClass.DOMAIN, "unpause"), DOMAIN_RESUME(SecurityClass.DOMAIN, "resume"),
    DOMAIN_CREATE(SecurityClass.DOMAIN, "create"), DOMAIN_TRANSITION(SecurityClass.DOMAIN, "transition"),
    DOMAIN_MAX_VCPUS(SecurityClass.DOMAIN, "max_vcpus"), DOMAIN_DESTROY(SecurityClass.DOMAIN, "destroy"),
    DOMAIN_SETVCPUAFFINITY(SecurityClass.DOMAIN, "setvcpuaffinity"),
    DOMAIN_GETVCPUAFFINITY(SecurityClass.DOMAIN, "getvcpuaffinity"), DOMAIN_SCHEDULER(SecurityClass.DOMAIN, "scheduler"),
    DOMAIN_GETDOMAININFO(SecurityClass.DOMAIN, "getdomaininfo"), DOMAIN_GETVCPUINFO(SecurityClass.DOMAIN, "getvcpuinfo"),
    DOMAIN_GETVCPUCONTEXT(SecurityClass.DOMAIN, "getvcpucontext"),
    DOMAIN_SETDOMAINMAXMEM(SecurityClass.DOMAIN, "setdomainmaxmem"),
    DOMAIN_SETDOMAINHANDLE(SecurityClass.DOMAIN, "setdomainhandle"), DOMAIN_SETDEBUGGING(SecurityClass.DOMAIN, "setdebugging"),
    DOMAIN_HYPERCALL(SecurityClass.DOMAIN, "hypercall"), DOMAIN_SETTIME(SecurityClass.DOMAIN, "settime"),
    DOMAIN_SET_TARGET(SecurityClass.DOMAIN, "set_target"), DOMAIN_SHUTDOWN(SecurityClass.DOMAIN, "shutdown"),
    DOMAIN_SETADDRSIZE(SecurityClass.DOMAIN, "setaddrsize"), DOMAIN_GETADDRSIZE(SecurityClass.DOMAIN, "getaddrsize"),
    DOMAIN_TRIGGER(SecurityClass.DOMAIN, "trigger"), DOMAIN_GETEXTVCPUCONTEXT(SecurityClass.DOMAIN, "getextvcpucontext"),
    DOMAIN_SETEXTVCPUCONTEXT(SecurityClass.DOMAIN, "setextvcpucontext"),
    DOMAIN_GETVCPUEXTSTATE(SecurityClass.DOMAIN, "getvcpuextstate"),
    DOMAIN_SETVCPUEXTSTATE(SecurityClass.DOMAIN, "setvcpuextstate"), DOMAIN_GETPODTARGET(SecurityClass.DOMAIN, "getpodtarget"),
    DOMAIN_SETPODTARGET(SecurityClass.DOMAIN, "setpodtarget"), DOMAIN_SET_MISC_INFO(SecurityClass.DOMAIN, "set_misc_info"),
    DOMAIN_SET_VIRQ_HANDLER(SecurityClass.DOMAIN, "set_virq_handler"),
    // class hvm (13)
    HVM_SETHVMC(SecurityClass.HVM, "sethvmc"), HVM_GETHVMC(SecurityClass.HVM, "gethvmc"),
    HVM_SETPARAM(SecurityClass.HVM, "setparam"), HVM_GETPARAM(SecurityClass.HVM, "getparam"),
    HVM_PCILEVEL(SecurityClass.HVM, "pcilevel"), HVM_IRQLEVEL(SecurityClass.HVM, "irqlevel"),
    HVM_PCIROUTE(SecurityClass.HVM, "pciroute"), HVM_BIND_IRQ(SecurityClass.HVM, "bind_irq"),
    HVM_CACHEATTR(SecurityClass.HVM, "cacheattr"), HVM_TRACKDIRTYVRAM(SecurityClass.HVM, "trackdirtyvram"),
    HVM_HVMCTL(SecurityClass.HVM, "hvmctl"), HVM_MEM_EVENT(SecurityClass.HVM, "mem_event"),
    HVM_MEM_SHARING(SecurityClass.HVM, "mem_sharing"),
    // class event (6)
    EVENT_BIND(SecurityClass.EVENT, "bind"), EVENT_SEND(SecurityClass.EVENT, "send"),
    EVENT_STATUS(SecurityClass.EVENT, "status"), EVENT_NOTIFY(SecurityClass.EVENT, "notify"),
    EVENT_CREATE(SecurityClass.EVENT, "create"), EVENT_RESET(SecurityClass.EVENT, "reset"),
    // class grant (7)
    GRANT_MAP_READ(SecurityClass.GRANT, "map_read"), GRANT_MAP_WRITE(SecurityClass.GRANT, "map_write"),
    GRANT_UNMAP(SecurityClass.GRANT, "unmap"), GRANT_TRANSFER(SecurityClass.GRANT, "transfer"),
    GRANT_SETUP(SecurityClass.GRANT, "setup"), GRANT_COPY(SecurityClass.GRANT, "copy"),
    GRANT_QUERY(SecurityClass.GRANT, "query"),
    // class mmu (13)
    MMU_MAP_READ(SecurityClass.MMU, "map_read"), MMU_MAP_WRITE(SecurityClass.MMU, "map_write"),
    MMU_PAGEINFO(SecurityClass.MMU, "pageinfo"), MMU_PAGELIST(SecurityClass.MMU, "pagelist"),
    MMU_ADJUST(SecurityClass.MMU, "adjust"), MMU_STAT(SecurityClass.MMU, "stat"),
    MMU_TRANSLATEGP(SecurityClass.MMU, "translategp"), MMU_UPDATEMP(SecurityClass.MMU, "updatemp"),
    MMU_PHYSMAP(SecurityClass.MMU, "physmap"), MMU_PINPAGE(SecurityClass.MMU, "pinpage"),
    MMU_MFNLIST(SecurityClass.MMU, "mfnlist"), MMU_MEMORYMAP(SecurityClass.MMU, "memorymap"),
    MMU_REMOTE_REMAP(SecurityClass.MMU, "remote_remap"),
    // class shadow (3)
    SHADOW_DISABLE(SecurityClass.SHADOW, "disable"), SHADOW_ENABLE(SecurityClass.SHADOW, "enable"),
    SHADOW_LOGDIRTY(SecurityClass.SHADOW, "logdirty"),
    // class resource (15)
    RESOURCE_ADD(SecurityClass.RESOURCE, "add"), RESOURCE_REMOVE(SecurityClass.RESOURCE, "remove"),
    RESOURCE_USE(SecurityClass.RESOURCE, "use"), RESOURCE_ADD_IRQ(SecurityClass.RESOURCE, "add_irq"),
    RESOURCE_REMOVE_IRQ(SecurityClass.RESOURCE, "remove_irq"), RESOURCE_ADD_IOPORT(SecurityClass.RESOURCE, "add_ioport"),
    RESOURCE_REMOVE_IOPORT(SecurityClass.RESOURCE, "remove_ioport"), RESOURCE_ADD_IOMEM(SecurityClass.RESOURCE, "add_iomem"),
    RESOURCE_REMOVE_IOMEM(SecurityClass.RESOURCE, "remove_iomem"), RESOURCE_STAT_DEVICE(SecurityClass.RESOURCE, "stat_device"),
    RESOURCE_ADD_DEVICE(SecurityClass.RESOURCE, "add_device"), RESOURCE_REMOVE_DEVICE(SecurityClass.RESOURCE, "remove_device"),
    RESOURCE_PLUG(SecurityClass.RESOURCE, "plug"), RESOURCE_UNPLUG(SecurityClass.RESOURCE, "unplug"),
    RESOURCE_SETUP(SecurityClass.RESOURCE, "setup"),
    // class security (12)
    SECURITY_COMPUTE_AV(SecurityClass.SECURITY, "compute_av"), SECURITY_COMPUTE_CREATE(SecurityClass.SECURITY, "compute_create"),
    SECURITY_COMPUTE_MEMBER(SecurityClass.SECURITY, "compute_member"),
    SECURITY_CHECK_CONTEXT(SecurityClass.SECURITY, "check_context"), SECURITY_LOAD_POLICY(SecurityClass.SECURITY, "load_policy"),
    SECURITY_COMPUTE_RELABEL(SecurityClass.SECURITY, "compute_relabel"),
    SECURITY_COMPUTE_USER(SecurityClass.SECURITY, "compute_user"), SECURITY_SETENFORCE(SecurityClass.SECURITY, "setenforce"),
    SECURITY_SETBOOL(SecurityClass.SECURITY, "setbool"), SECURITY_SETSECPARAM(SecurityClass.SECURITY, "setsecparam"),
    SECURITY_ADD_OCONTEXT(SecurityClass.SECURITY, "add_ocontext"), SECURITY_DEL_OCONTEXT(SecurityClass.SECURITY, "del_ocontext");

    private final SecurityClass securityClass;
    private final String xenName;
    private final int bit;

    Permission(SecurityClass c, String name) {
        this.securityClass = c;
        this.xenName = name;
        this.bit = Index.next(c);
    }

    public SecurityClass securityClass() {
        return securityClass;
    }

    /** The name in policies and avc lines, e.g. {@code destroy}. */
    public String xenName() {
        return xenName;
    }

    /** The permission's bit in its class's access vector (0..63). */
    public int bit() {
        return bit;
    }

    /** {@code 1L << bit()}. */
    public long mask() {
        return 1L << bit;
    }

    /** The permission named {@code name} in class {@code c}, or null. */
    public static Permission of(SecurityClass c, String name) {
        return Names.BY_NAME.get(c).get(name);
    }

    /** Every permission of {@code c}, by bit. */
    public static Permission[] of(SecurityClass c) {
        return Names.BY_NAME.get(c).values().stream().sorted(java.util.Comparator.comparingInt(Permission::bit)).toArray(Permission[]::new);
    }

    /** Bits are given out while the constants are built, so the counter lives in a class of its own. */
    private static final class Index {
        private static final int[] NEXT = new int[SecurityClass.values().length];

        static int next(SecurityClass c) {
            return NEXT[c.ordinal()]++;
        }
    }

    /** Built on first use, after every constant exists. */
    private static final class Names {
        private static final Map<SecurityClass, Map<String, Permission>> BY_NAME = new EnumMap<>(SecurityClass.class);

        static {
            for (SecurityClass c : SecurityClass.values()) BY_NAME.put(c, new HashMap<>());
            for (Permission p : Permission.values()) BY_NAME.get(p.securityClass).put(p.xenName, p);
        }
    }
}
