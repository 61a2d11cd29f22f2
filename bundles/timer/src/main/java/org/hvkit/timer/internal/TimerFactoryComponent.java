package org.hvkit.timer.internal;

import java.util.concurrent.locks.ReentrantLock;
import org.hvkit.api.timer.MonotonicTimers;
import org.hvkit.api.timer.TimerFactory;
import org.hvkit.api.timer.VirtualTimers;
import org.osgi.service.component.annotations.Component;

/** The {@link TimerFactory} service. Also usable without a framework (tests, the testkit). */
@Component(service = TimerFactory.class)
public final class TimerFactoryComponent implements TimerFactory {
    @Override
    public MonotonicTimers monotonic(String name, ReentrantLock machineLock) {
        return new MonotonicTimerQueue(name, machineLock);
    }

    @Override
    public VirtualTimers virtual() {
        return new VirtualTimerQueue();
    }
}
