package org.hvkit.platform.kvm.internal;

import org.hvkit.api.platform.Platform;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code kvm:stats}: the KVM platform's counters for operators — per pCPU schedules, KVM_RUN
 * entries, EINTRs, kicks and kick latency, the Java exit path against the time inside KVM_RUN,
 * and timer lateness. Registered as a Gogo command by service properties only, so this bundle
 * does not need Gogo to resolve; active only while the KVM platform is.
 */
@Component(service = KvmStatsCommand.class, property = {"osgi.command.scope=kvm", "osgi.command.function=stats"})
public final class KvmStatsCommand {
    private final KvmPlatform platform;

    @Activate
    public KvmStatsCommand(@Reference(target = "(" + Platform.NAME_PROPERTY + "=kvm)") Platform platform) {
        this.platform = (KvmPlatform) platform;
    }

    public String stats() {
        return platform.describe() + "\n" + String.join("\n", platform.stats());
    }
}
