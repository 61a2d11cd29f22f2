package org.hvkit.scenario.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.hvkit.scenario.internal.RunResult.Row;
import org.junit.jupiter.api.Test;

/**
 * Each shipped scenario, shortened, against the qualitative outcome the literature reports
 * (scheduling.md §1.12). A scenario needing a scheduler that is not on the class path is skipped.
 */
class ShippedScenariosTest {
    static final Path DIR = Path.of("../examples/scenarios");
    static final SchedulerRegistry REG = SchedulerRegistry.classPath();

    static ScenarioSpec spec(String prefix) throws IOException {
        return ScenarioLoader.load(Cli.resolve(prefix, DIR));
    }

    /** Runs one variant, shortened. */
    static RunResult run(String prefix, String variant, String duration) throws IOException {
        ScenarioSpec s = spec(prefix);
        ScenarioLoader.Run run = ScenarioLoader.expand(s).stream().filter(r -> r.variant().equals(variant)).findFirst().orElseThrow();
        for (var p : run.spec().pools) assumeTrue(REG.available(p.scheduler), "scheduler " + p.scheduler + " not on the class path");
        run.spec().duration = duration;
        run.spec().warmup = "500ms";
        RunResult r = new Runner(REG, null).run(run.spec(), variant);
        assertTrue(r.warnings().stream().noneMatch(w -> w.contains("evicted")), "scheduler evicted: " + r.warnings());
        return r;
    }

    static Row group(RunResult r, String name) {
        return r.groups().stream().filter(g -> g.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void everyShippedScenarioParsesAndExpands() throws IOException {
        try (Stream<Path> s = Files.list(DIR)) {
            List<Path> files = s.filter(p -> p.toString().endsWith(".json")).toList();
            assertTrue(files.size() >= 7, "shipped: " + files);
            for (Path f : files) {
                ScenarioSpec spec = ScenarioLoader.load(f);
                assertFalse(spec.description.isBlank(), f + " has a description");
                assertFalse(spec.expect.isBlank(), f + " says what to expect");
                assertFalse(ScenarioLoader.expand(spec).isEmpty());
            }
        }
    }

    @Test
    void b1CapIsHeldAndErrorShrinksWithTheWindow() throws IOException {
        for (String sched : List.of("credit", "credit2")) {
            RunResult r = run("b1", sched + "-cap20", "3s");
            Row hog = r.domains().get(0);
            assertEquals(0.20, hog.share(), 0.02, sched + ": capped at 20 %");
            var ce = hog.capError();
            assertTrue(ce.get("1s").meanAbs() <= 0.1, sched + ": 1 s windows within 10 %: " + ce);
            assertTrue(ce.get("10ms").meanAbs() >= ce.get("1s").meanAbs() - 1e-9, sched + ": error shrinks with the window: " + ce);
        }
    }

    @Test
    void b2BoostKeepsPingLatencyFarBelowTheSlice() throws IOException {
        RunResult r = run("b2", "credit", "3s");
        Row ping = group(r, "ping");
        assertTrue(ping.wakeups() > 50);
        assertTrue(ping.latP99Us() < 5_000, "ping p99 " + ping.latP99Us() + " us should be far below a 30 ms slice");
        assertTrue(group(r, "burn").ratio() > 0.8, "burners keep most of their fair share: " + group(r, "burn"));
    }

    @Test
    void b3AttackerGetsNoMoreThanItsFairShare() throws IOException {
        for (String sched : List.of("credit", "credit2")) {
            RunResult r = run("b3", sched, "3s");
            Row a = group(r, "attacker");
            assertEquals(0.25, a.fair(), 1e-6);
            assertTrue(a.share() <= 0.25 * 1.15, sched + ": attacker share " + a.share() + " exceeds 1/4");
        }
    }

    @Test
    void b4BothSchedulersAreFairAndWorkConserving() throws IOException {
        for (String sched : List.of("credit", "credit2")) {
            RunResult r = run("b4", sched + "-4", "2s");
            assertTrue(r.overall().jainIndex() > 0.8, sched + ": Jain " + r.overall().jainIndex());
            assertTrue(r.overall().utilisation() > 0.95, sched + ": overloaded host stays busy " + r.overall().utilisation());
        }
    }

    @Test
    void b6ManyPingersStillWakeQuickly() throws IOException {
        RunResult r = run("b6", "credit", "2s");
        Row ping = group(r, "ping");
        assertTrue(ping.latP99Us() < 10_000, "ping p99 " + ping.latP99Us() + " us");
        assertTrue(ping.latP50Us() < 1_500, "ping p50 " + ping.latP50Us() + " us");
    }

    @Test
    void b9Credit2WakesTcpLikeDomainsFasterThanCredit1() throws IOException {
        RunResult c1 = run("b9", "credit", "2s");
        RunResult c2 = run("b9", "credit2", "2s");
        double l1 = group(c1, "tcp").latP99Us(), l2 = group(c2, "tcp").latP99Us();
        assertTrue(l2 < l1, "tcp wake latency p99: credit2 " + l2 + " us vs credit " + l1 + " us");
        assertTrue(group(c2, "hog").ratio() > 0.8 && group(c1, "hog").ratio() > 0.8, "hogs keep their share");
    }

    @Test
    void b10ScaledDownRunsAndServesEveryone() throws IOException {
        ScenarioSpec s = spec("b10");
        ScenarioLoader.Run run = ScenarioLoader.expand(s).get(0);
        assumeTrue(REG.available(run.spec().pools.get(0).scheduler), "credit2 not on the class path");
        run.spec().host.sockets = 2;
        run.spec().host.cores = 64;
        run.spec().host.nodes = 2; // 256 pCPUs
        for (var d : run.spec().domains) d.count = Math.max(1, d.count / 16); // 1248 vCPUs
        run.spec().duration = "1s";
        RunResult r = new Runner(REG, null).run(run.spec(), run.variant());
        assertEquals(256, r.pcpus());
        assertTrue(r.overall().jainIndex() > 0.8, "Jain " + r.overall().jainIndex());
        assertTrue(r.groups().stream().allMatch(g -> g.share() > 0), "every group ran");
    }
}
