package org.hvkit.api.sched;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/** The core's handle for one domain as a scheduler sees it. */
@ProviderType
public interface SchedDomain {
    int id();

    String name();

    /** All of its vCPUs, by vCPU number, including offline ones and ones not yet inserted. */
    List<? extends SchedVcpu> vcpus();

    /** The scheduler's private data for this domain; null until set. */
    Object schedData();

    void setSchedData(Object data);
}
