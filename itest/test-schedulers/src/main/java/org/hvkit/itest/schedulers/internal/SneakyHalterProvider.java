package org.hvkit.itest.schedulers.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import org.hvkit.api.sched.SchedulerProvider;
import org.osgi.service.component.annotations.Component;

/** Reaches {@code Runtime.halt} through a method handle looked up by name, so no call to it appears in the bytecode. */
@Component(service = SchedulerProvider.class, property = SchedulerProvider.OPT_NAME_PROPERTY + "=sneaky")
public final class SneakyHalterProvider extends Exiting {
    public SneakyHalterProvider() {
        super("sneaky", 905);
    }

    @Override
    void end() throws Throwable {
        String name = new StringBuilder("tlah").reverse().toString();
        MethodHandles.lookup().findVirtual(Runtime.class, name, MethodType.methodType(void.class, int.class)).invoke(Runtime.getRuntime(), 5);
    }
}
