package org.hvkit.itest.schedulers.internal;

import org.hvkit.api.sched.SchedulerProvider;
import org.osgi.service.component.annotations.Component;

/** Calls {@code Runtime.halt(4)} from do_schedule: no shutdown hooks, nothing flushed. */
@Component(service = SchedulerProvider.class, property = SchedulerProvider.OPT_NAME_PROPERTY + "=halter")
public final class HalterProvider extends Exiting {
    public HalterProvider() {
        super("halter", 904);
    }

    @Override
    void end() {
        Runtime.getRuntime().halt(4);
    }
}
