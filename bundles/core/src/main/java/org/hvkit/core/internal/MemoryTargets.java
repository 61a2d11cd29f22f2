package org.hvkit.core.internal;

import static org.hvkit.api.toolstack.HypervisorException.Errno.EINVAL;
import static org.hvkit.api.toolstack.HypervisorException.Errno.ENOMEM;

import org.hvkit.api.memory.OutOfHostMemoryException;
import org.hvkit.api.toolstack.HypervisorException;

/**
 * xl mem-set / mem-max in machine context (4.2 libxl_set_memory_target with enforce, and
 * libxl_domain_setmaxmem): the target is checked against the static maximum, the guest's balloon
 * (if it has one) answers how much it holds, and the domain's memory follows: memory given back
 * is free on the host at once.
 */
final class MemoryTargets {
    /** LIBXL_MIN_DOM0_MEM. */
    static final long MIN_DOM0_KB = 128 * 1024;
    private final Machine m;

    MemoryTargets(Machine m) {
        this.m = m;
    }

    void setTarget(Domain d, long kb) {
        if (kb < 0) throw new HypervisorException(EINVAL, "memory target " + kb + " KiB is negative");
        if (kb > d.maxMemoryMb * 1024) throw new HypervisorException(EINVAL, "memory_dynamic_max must be less than or equal to memory_static_max");
        if (d.isControlDomain() && kb < MIN_DOM0_KB) throw new HypervisorException(EINVAL, "new target " + kb + " for dom0 is below the minimum threshold");
        long holds = d.memory.sizeBytes();
        long wants = d.guest == null ? Math.max(kb << 10, 1L << 20) : d.guest.memoryTarget(kb << 10, holds);
        if (wants != holds) {
            try {
                d.memory.resize(wants);
            } catch (OutOfHostMemoryException e) {
                throw new HypervisorException(ENOMEM, "domain " + d.id + " cannot grow to " + (wants >> 20) + " MiB: " + e.getMessage());
            } catch (UnsupportedOperationException e) {
                throw new HypervisorException(EINVAL, "domain " + d.id + ": " + e.getMessage());
            }
        }
        d.targetKb = kb;
        d.memoryMb = d.memory.sizeBytes() >> 20;
        m.printk("domain " + d.id + " (" + d.name + "): memory target " + (kb >> 10) + " MiB, holds " + d.memoryMb + " MiB");
    }

    void setMax(Domain d, long kb) {
        if (kb < d.targetKb) throw new HypervisorException(EINVAL, "memory_static_max must be greater than or or equal to memory_dynamic_max");
        d.maxMemoryMb = (kb + 1023) / 1024;
    }
}
