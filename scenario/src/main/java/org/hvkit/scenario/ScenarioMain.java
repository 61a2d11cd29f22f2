package org.hvkit.scenario;

import java.nio.file.Path;
import org.hvkit.scenario.internal.Cli;
import org.hvkit.scenario.internal.SchedulerRegistry;

/**
 * Runs scenario files on a plain JVM (what {@code bin/scenario} calls): builds the simulated
 * machine, runs every variant and writes a table, CSV, JSON and SVG figures. See
 * {@code examples/scenarios/README.md}. The shipped scenarios are looked up in the folder named by
 * the system property {@code hvkit.scenarios} (default {@code examples/scenarios}).
 */
public final class ScenarioMain {
    private ScenarioMain() {}

    public static void main(String[] args) {
        Path dir = Path.of(System.getProperty("hvkit.scenarios", "examples/scenarios"));
        int rc = Cli.run(args, SchedulerRegistry.classPath(), dir, System.out, System.err);
        System.out.flush();
        if (rc != 0) System.exit(rc);
    }
}
