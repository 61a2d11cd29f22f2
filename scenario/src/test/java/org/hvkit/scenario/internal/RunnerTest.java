package org.hvkit.scenario.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.hvkit.scenario.internal.RunResult.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runner itself, on the core's built-in round robin (always available). */
class RunnerTest {
    static final String SMOKE = """
            // comments and trailing commas are fine
            { name: "smoke", host: {sockets: 1, cores: 2}, duration: "2s", warmup: "200ms", seed: 3,
              pools: [{name: "Pool-0", scheduler: "rr-fallback"}],
              domains: [
                {name: "hog", count: 2, workload: "cpu"},
                {name: "capped", workload: "cpu", cap: 30},
                {name: "ping", count: 2, workload: "run 100us; sleep exp(5ms)"},
              ],
              events: [{at: "1s", action: "pause", domain: "hog-2"}],
              variants: [{name: "a"}, {name: "b", domains: {ping: {count: 3}}, seed: 4}],
            }
            """;

    static ScenarioSpec parse(String json) throws Exception {
        return ScenarioLoader.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "test");
    }

    @Test
    void runsVariantsAndAccountsEveryNanosecond() throws Exception {
        List<ScenarioLoader.Run> runs = ScenarioLoader.expand(parse(SMOKE));
        assertEquals(List.of("a", "b"), runs.stream().map(ScenarioLoader.Run::variant).toList());
        assertEquals(3, runs.get(1).spec().domains.get(2).count);
        assertEquals(2, runs.get(0).spec().domains.get(2).count, "a variant does not leak into the base");
        RunResult r = new Runner(SchedulerRegistry.classPath(), null).run(runs.get(0).spec(), "a");
        assertEquals(5, r.domainCount());
        double total = r.domains().stream().mapToDouble(Row::share).sum();
        assertTrue(total <= 2.0 + 1e-9 && total > 1.9, "two busy pCPUs are shared out: " + total);
        Row ping = r.groups().stream().filter(g -> g.name().equals("ping")).findFirst().orElseThrow();
        assertTrue(ping.wakeups() > 100, "pingers wake often: " + ping.wakeups());
        assertTrue(ping.latP50Us() <= ping.latP99Us() && ping.latP99Us() <= ping.latMaxUs());
        Row capped = r.domains().stream().filter(d -> d.name().equals("capped")).findFirst().orElseThrow();
        assertEquals(0.3, capped.fair(), 1e-9);
        assertEquals(3, capped.capError().size());
        // hog-2 is paused for the second half: its fair share halves over the measured time
        Row hog2 = r.domains().stream().filter(d -> d.name().equals("hog-2")).findFirst().orElseThrow();
        assertTrue(hog2.share() < 0.6, "hog-2 ran while paused? " + hog2.share());
        assertTrue(r.overall().jainIndex() > 0 && r.overall().jainIndex() <= 1);
    }

    @Test
    void writesTableCsvJsonAndWellFormedSvg(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("smoke.json");
        Files.writeString(file, SMOKE);
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int rc = Cli.run(new String[] {file.toString(), "--out", dir.resolve("out").toString(), "--duration", "1s", "--quiet"},
                SchedulerRegistry.classPath(), null, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, rc, err.toString(StandardCharsets.UTF_8));
        String table = out.toString(StandardCharsets.UTF_8);
        assertTrue(table.contains("overall: Jain"), table);
        for (String v : List.of("a", "b")) {
            Path d = dir.resolve("out/smoke/" + v);
            for (String f : List.of("domains.csv", "groups.csv", "result.json", "latency-cdf.svg", "latency-tail.svg", "share.svg")) assertTrue(Files.size(d.resolve(f)) > 100, f);
            for (String f : List.of("latency-cdf", "latency-tail", "share")) {
                DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(d.resolve(f + ".svg").toFile());
                assertTrue(javax.imageio.ImageIO.read(d.resolve(f + ".png").toFile()).getWidth() > 0, f + ".png");
            }
            var json = ScenarioLoader.MAPPER.readTree(d.resolve("result.json").toFile());
            assertEquals(v, json.get("variant").asText());
            assertEquals(Files.readAllLines(d.resolve("domains.csv")).size(), json.get("domains").size() + 1);
        }
        assertTrue(Files.exists(dir.resolve("out/smoke/comparison.csv")));
        DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(dir.resolve("out/smoke/latency-cdf-comparison.svg").toFile());
        DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(dir.resolve("out/smoke/latency-tail-comparison.svg").toFile());
        assertTrue(javax.imageio.ImageIO.read(dir.resolve("out/smoke/latency-tail-comparison.png").toFile()).getWidth() > 0);
        if (System.getProperty("plots.keep") != null) // look at the figures: -Dplots.keep=DIR
            try (var w = Files.walk(dir.resolve("out"))) { for (Path p : (Iterable<Path>) w.filter(x -> x.toString().endsWith(".png"))::iterator) Files.copy(p, Path.of(System.getProperty("plots.keep")).resolve(dir.resolve("out").relativize(p).toString().replace('/', '_')), java.nio.file.StandardCopyOption.REPLACE_EXISTING); }
    }

    @Test
    void reportsMistakesWithTheirPlace() {
        var e = assertThrows(IllegalArgumentException.class, () -> parse("{ domains: [ { name: \"x\", wieght: 3 } ] }"));
        assertTrue(e.getMessage().contains("wieght"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> parse("{ domains: [ { name: \"x\", workload: \"walk 3ms\" } ] }"));
        assertTrue(e.getMessage().contains("walk 3ms"), e.getMessage());
        assertFalse(SchedulerRegistry.classPath().available("no-such-scheduler"));
    }
}
