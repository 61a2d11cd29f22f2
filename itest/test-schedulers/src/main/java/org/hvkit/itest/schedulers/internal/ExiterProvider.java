package org.hvkit.itest.schedulers.internal;

import org.hvkit.api.sched.SchedulerProvider;
import org.osgi.service.component.annotations.Component;

/** Calls {@code System.exit(3)} from do_schedule. */
@Component(service = SchedulerProvider.class, property = SchedulerProvider.OPT_NAME_PROPERTY + "=exiter")
public final class ExiterProvider extends Exiting {
    public ExiterProvider() {
        super("exiter", 903);
    }

    @Override
    void end() {
        System.exit(3);
    }
}
