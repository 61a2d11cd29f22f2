package org.hvkit.testkit;

import java.util.Map;
import org.hvkit.api.sched.Decision;
import org.hvkit.api.sched.SchedVcpu;
import org.hvkit.api.sched.Scheduler;
import org.hvkit.api.sched.SchedulerContext;
import org.hvkit.api.sched.SchedulerProvider;

/** Schedulers that break their contract, to show the core survives them. */
final class MisbehavingSchedulers {
    private MisbehavingSchedulers() {
    }

    private abstract static class Base implements SchedulerProvider {
        private final String name;

        Base(String name) {
            this.name = name;
        }

        @Override public String name() { return "misbehaving " + name; }
        @Override public String optName() { return name; }
        @Override public int schedulerId() { return 999; }
        @Override public Map<String, Long> defaultPoolParams() { return Map.of("slice_ms", 10L); }
        @Override public Map<String, Long> defaultDomainParams() { return Map.of("weight", 256L); }
    }

    /** Throws from do_schedule once it has made {@code after} decisions. */
    static SchedulerProvider throwing(int after) {
        return new Base("thrower") {
            @Override
            public Scheduler create(SchedulerContext ctx, Map<String, Long> p) {
                return new FifoScheduler(ctx, 10) {
                    private int calls;

                    @Override
                    public Decision doSchedule(int cpu, long now, SchedVcpu current) {
                        if (++calls > after) throw new IllegalStateException("scheduler bug after " + after + " decisions");
                        return super.doSchedule(cpu, now, current);
                    }
                };
            }
        };
    }

    /** Never runs the vCPUs of the domain named {@code victim} (they wait forever). */
    static SchedulerProvider stalling(String victim) {
        return new Base("staller") {
            @Override
            public Scheduler create(SchedulerContext ctx, Map<String, Long> p) {
                return new FifoScheduler(ctx, 10) {
                    @Override
                    public void wake(SchedVcpu v) {
                        if (!v.domain().name().equals(victim)) super.wake(v);
                    }
                };
            }
        };
    }

    /** Keeps answering with the vCPU that ran last, even after it blocked (an invalid decision). */
    static SchedulerProvider invalid() {
        return new Base("liar") {
            @Override
            public Scheduler create(SchedulerContext ctx, Map<String, Long> p) {
                return new FifoScheduler(ctx, 10) {
                    @Override
                    public Decision doSchedule(int cpu, long now, SchedVcpu current) {
                        if (current != null) return Decision.run(current, 10_000_000L);
                        return super.doSchedule(cpu, now, current);
                    }
                };
            }
        };
    }

    /**
     * Spins for two seconds in the first do_schedule it is asked for on a toolstack thread: on the
     * paced simulated machine that is an event a toolstack call fired while catching up, before the
     * call itself began.
     */
    static SchedulerProvider spinningInCatchUp() {
        return new Base("catchupspinner") {
            @Override
            public Scheduler create(SchedulerContext ctx, Map<String, Long> p) {
                return new FifoScheduler(ctx, 1) {
                    private boolean spun;

                    @Override
                    public Decision doSchedule(int cpu, long now, SchedVcpu current) {
                        if (!spun && Thread.currentThread().getName().startsWith("hvkit-toolstack")) {
                            spun = true;
                            long end = System.nanoTime() + 2_000_000_000L;
                            while (System.nanoTime() < end) Thread.onSpinWait();
                        }
                        return super.doSchedule(cpu, now, current);
                    }
                };
            }
        };
    }
}
