package org.hvkit.itest.schedulers.internal;

import java.util.Map;
import org.hvkit.api.sched.Decision;
import org.hvkit.api.sched.SchedVcpu;
import org.hvkit.api.sched.Scheduler;
import org.hvkit.api.sched.SchedulerContext;
import org.hvkit.api.sched.SchedulerProvider;

/**
 * A round robin that tries to end the JVM from {@code doSchedule} after 100 decisions, the way an
 * attacker's plugin would. Without the guard bundle (bundles/guard) this ends the test JVM.
 */
abstract class Exiting implements SchedulerProvider {
    private final String optName;
    private final int id;

    Exiting(String optName, int id) {
        this.optName = optName;
        this.id = id;
    }

    /** Ends the JVM, or tries to. */
    abstract void end() throws Throwable;

    @Override public String name() { return "test scheduler that calls " + optName; }
    @Override public String optName() { return optName; }
    @Override public int schedulerId() { return id; }
    @Override public Map<String, Long> defaultPoolParams() { return Map.of(); }
    @Override public Map<String, Long> defaultDomainParams() { return Map.of("weight", 256L, "cap", 0L); }

    @Override
    public Scheduler create(SchedulerContext ctx, Map<String, Long> poolParams) {
        return new RoundRobin(ctx) {
            private int decisions;

            @Override
            public Decision doSchedule(int cpu, long now, SchedVcpu current) {
                if (++decisions > 100) {
                    try {
                        end();
                    } catch (RuntimeException | Error e) {
                        throw e;
                    } catch (Throwable t) {
                        throw new IllegalStateException(t);
                    }
                }
                return super.doSchedule(cpu, now, current);
            }
        };
    }
}
