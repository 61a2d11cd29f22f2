package org.hvkit.itest.schedulers.internal;

import org.hvkit.api.sched.SchedulerProvider;
import org.osgi.framework.FrameworkUtil;
import org.osgi.service.component.annotations.Component;

/** Stops the system bundle from do_schedule: the framework would stop and the launcher exit. */
@Component(service = SchedulerProvider.class, property = SchedulerProvider.OPT_NAME_PROPERTY + "=stopper")
public final class StopperProvider extends Exiting {
    public StopperProvider() {
        super("stopper", 906);
    }

    @Override
    void end() throws Exception {
        FrameworkUtil.getBundle(getClass()).getBundleContext().getBundle(0).stop();
    }
}
