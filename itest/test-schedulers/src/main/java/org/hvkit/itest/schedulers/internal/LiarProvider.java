package org.hvkit.itest.schedulers.internal;

import java.lang.reflect.Proxy;
import org.hvkit.api.sched.Decision;
import org.hvkit.api.sched.SchedVcpu;
import org.hvkit.api.sched.SchedulerContext;
import org.hvkit.api.sched.SchedulerProvider;
import org.osgi.service.component.annotations.Component;

/** Goes wrong in do_schedule after 200 decisions: liar (answers with a vCPU it made up, an invalid decision). */
@Component(service = SchedulerProvider.class, property = SchedulerProvider.OPT_NAME_PROPERTY + "=liar")
public final class LiarProvider extends Faulty {
    public LiarProvider() {
        super("liar", 915);
    }

    @Override
    Decision misbehave(Bad rr, SchedulerContext ctx, int cpu, long now, SchedVcpu current) {
        SchedVcpu forged = (SchedVcpu) Proxy.newProxyInstance(LiarProvider.class.getClassLoader(), new Class<?>[] {SchedVcpu.class}, (p, m, a) -> switch (m.getName()) {
            case "hashCode" -> System.identityHashCode(p);
            case "equals" -> p == a[0];
            case "toString", "label" -> "d99v0";
            default -> m.getReturnType() == boolean.class ? Boolean.TRUE : m.getReturnType() == int.class ? 0 : m.getReturnType() == long.class ? 0L : null;
        });
        return Decision.run(forged, 10_000_000L);
    }
}
