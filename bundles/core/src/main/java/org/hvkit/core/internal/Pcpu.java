package org.hvkit.core.internal;

/** One physical CPU as the core sees it. */
final class Pcpu {
    final int id;
    CpuPool pool;
    Vcpu current;

    Pcpu(int id) {
        this.id = id;
    }
}
