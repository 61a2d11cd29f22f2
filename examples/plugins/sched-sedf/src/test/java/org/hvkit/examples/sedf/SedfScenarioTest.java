package org.hvkit.examples.sedf;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.hvkit.scenario.internal.RunResult;
import org.hvkit.scenario.internal.Runner;
import org.hvkit.scenario.internal.ScenarioLoader;
import org.hvkit.scenario.internal.ScenarioSpec;
import org.hvkit.scenario.internal.SchedulerRegistry;
import org.junit.jupiter.api.Test;

/**
 * scenarios/sedf-latency-mix.json, shortened: every variant runs, the table is printed, and what
 * the scenario's {@code expect} says is asserted.
 */
class SedfScenarioTest {
    static RunResult.Row group(RunResult r, String name) {
        return r.groups().stream().filter(g -> g.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void sedfAgainstCreditAndCredit2OnALatencySensitiveMix() {
        ScenarioSpec base = ScenarioLoader.load(Path.of("scenarios/sedf-latency-mix.json"));
        Map<String, RunResult> res = new LinkedHashMap<>();
        for (ScenarioLoader.Run run : ScenarioLoader.expand(base)) {
            run.spec().duration = "4s";
            run.spec().warmup = "500ms";
            RunResult r = new Runner(SchedulerRegistry.classPath(), null).run(run.spec(), run.variant());
            assertTrue(r.warnings().stream().noneMatch(w -> w.contains("evicted")), run.variant() + ": " + r.warnings());
            res.put(run.variant(), r);
        }
        System.out.printf("%-8s %-6s %6s %9s %9s %9s%n", "variant", "group", "share", "p50 us", "p99 us", "max us");
        res.forEach((v, r) -> {
            for (String g : new String[] {"ping", "media", "burn"}) {
                RunResult.Row row = group(r, g);
                System.out.printf("%-8s %-6s %6.3f %9.0f %9.0f %9.0f%n", v, g, row.share(), row.latP50Us(), row.latP99Us(), row.latMaxUs());
            }
        });
        RunResult.Row rtMedia = group(res.get("sedf-rt"), "media"), beMedia = group(res.get("sedf"), "media");
        assertTrue(rtMedia.share() >= 0.195, "a 3 ms reservation per 10 ms covers the 2 ms of work: " + rtMedia.share());
        assertTrue(rtMedia.latP99Us() <= 1000, "reserved media start within 1 ms (p99): " + rtMedia.latP99Us());
        assertTrue(beMedia.share() < 0.19, "best effort, media only get their turn of extra time: " + beMedia.share());
        assertTrue(group(res.get("credit"), "media").latP99Us() > 10_000, "credit1: media that burn 2 ms lose BOOST and wait for slices");
        for (var e : res.entrySet()) {
            assertTrue(group(e.getValue(), "ping").latP99Us() < 10_000, e.getKey() + ": pingers p99 below 10 ms");
        }
    }
}
