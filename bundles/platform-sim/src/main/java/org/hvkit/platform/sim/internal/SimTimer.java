package org.hvkit.platform.sim.internal;

import java.util.function.LongConsumer;
import org.hvkit.api.timer.HvTimer;

/** A hypervisor timer on the simulated machine: an event in virtual time. */
final class SimTimer extends SimEvent implements HvTimer {
    private final EventEngine engine;
    private final LongConsumer callback;

    SimTimer(EventEngine engine, LongConsumer callback) {
        this.engine = engine;
        this.callback = callback;
    }

    @Override
    void fire(long now) {
        callback.accept(now);
    }

    @Override
    public void set(long deadlineNs) {
        engine.schedule(this, deadlineNs);
    }

    @Override
    public void stop() {
        engine.cancel(this);
    }

    @Override
    public boolean isActive() {
        return isScheduled();
    }

    @Override
    public long deadline() {
        return isScheduled() ? time : -1;
    }
}
