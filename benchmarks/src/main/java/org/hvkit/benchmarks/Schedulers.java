package org.hvkit.benchmarks;

import org.hvkit.api.sched.SchedulerProvider;

/** Scheduler providers by name, loaded by class so a benchmark needs only the schedulers it runs. */
final class Schedulers {
    private Schedulers() {
    }

    static SchedulerProvider byName(String name) {
        String cls = switch (name) {
            case "credit" -> "org.hvkit.sched.credit1.internal.Credit1Provider";
            case "credit2" -> "org.hvkit.sched.credit2.internal.Credit2Provider";
            default -> name;
        };
        try {
            return (SchedulerProvider) Class.forName(cls).getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("scheduler '" + name + "' is not on the class path (" + cls + "): build its module first", e);
        }
    }
}
