package org.hvkit.api.platform;

import java.util.List;
import java.util.Map;
import org.hvkit.api.memory.GuestMemory;

/**
 * What a platform needs to build a guest.
 *
 * @param domainId  the domain's id
 * @param name      the domain's name
 * @param memory    its memory, already allocated
 * @param vcpus     one port per vCPU, by vCPU number
 * @param options   platform options from the domain configuration (xl.cfg keys such as
 *                  {@code workload}, {@code kernel}, {@code extra}); a platform rejects keys it
 *                  needs and cannot use, and ignores those of other platforms
 * @param events    where the guest reports its console output and shutdown
 */
public record GuestSpec(int domainId, String name, GuestMemory memory, List<VcpuPort> vcpus, Map<String, String> options, GuestEvents events) {
    public GuestSpec {
        vcpus = List.copyOf(vcpus);
        options = Map.copyOf(options);
    }
}
