package org.hvkit.api.sched;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/** The core's handle for one domain as a scheduler sees it. */
@ProviderType
public interface SchedDomain {
    int id();

    String name();

    /** Its vCPUs known to the scheduler, by vCPU number. */
    List<? extends SchedVcpu> vcpus();

    /** The scheduler's private data for this domain; null until set. */
    Object schedData();

    void setSchedData(Object data);
}
