package org.hvkit.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.mavenBundle;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.inject.Inject;
import org.apache.felix.service.command.CommandProcessor;
import org.hvkit.api.toolstack.Hypervisor;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * The scenario runner's Gogo command ({@code hvkit:scenario}) in a real Felix: it runs a scenario
 * on its own private simulated machine with the scheduler bundles of the framework, writes its
 * table, files and plots, and leaves the framework's own hypervisor alone.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ScenarioIT {
    @Inject
    CommandProcessor gogo;

    @Inject
    Hypervisor hv;

    @Configuration
    public Option[] config() {
        return Framework.with(new String[] {"bundles/api:org.hvkit.api", "bundles/core:org.hvkit.core", "bundles/timer:org.hvkit.timer", "bundles/platform-sim:org.hvkit.platform.sim",
            "sched-credit1:org.hvkit.sched.credit1", "sched-credit2:org.hvkit.sched.credit2", "scenario:org.hvkit.scenario"},
                mavenBundle("org.apache.felix", "org.apache.felix.gogo.runtime", System.getProperty("felix.gogo.runtime.version")));
    }

    @Test
    public void aScenarioRunsFromGogoWithTheFrameworksSchedulersAndWritesItsFiles() throws Exception {
        Path dir = Files.createTempDirectory("scenario-it");
        Path file = dir.resolve("two-weights.json");
        Files.writeString(file, """
                // two hogs 2:1 on one pCPU, under each scheduler bundle of the framework
                {
                  name: "two-weights",
                  host: { sockets: 1, cores: 1, threads: 1, memory: "4G" },
                  seed: 3, duration: "3s", warmup: "500ms",
                  pools: [ { name: "Pool-0", scheduler: "credit" } ],
                  domains: [ { name: "heavy", workload: "cpu", weight: 512 }, { name: "light", workload: "cpu", weight: 256 } ],
                  variants: [ { name: "credit", scheduler: "credit" }, { name: "credit2", scheduler: "credit2" } ],
                }
                """);
        Path out = dir.resolve("out");
        int domainsBefore = hv.listDomains().size();
        Gogo r = Gogo.run(gogo, "hvkit:scenario --quiet --out " + out + " " + file);
        String text = r.output();
        assertEquals(text, 0, ((Number) r.value()).intValue());
        assertTrue(text, text.contains("heavy") && text.contains("light") && text.contains("Jain"));
        for (String variant : List.of("credit", "credit2")) {
            for (String f : List.of("domains.csv", "result.json", "latency-cdf.svg", "share.svg")) {
                Path p = out.resolve("two-weights").resolve(variant).resolve(f);
                assertTrue(p + " was not written", Files.size(p) > 0);
            }
            String csv = Files.readString(out.resolve("two-weights").resolve(variant).resolve("domains.csv"));
            assertTrue(csv, csv.lines().anyMatch(l -> l.startsWith("two-weights,") && l.contains(",heavy,")));
        }
        assertTrue(Files.readString(out.resolve("two-weights").resolve("comparison.csv")).contains("credit2"));
        assertEquals("the framework's own hypervisor is untouched", domainsBefore, hv.listDomains().size());
    }

    @Test
    public void theCommandListsTheFrameworksSchedulersAndRejectsBadArguments() throws Exception {
        String names = Gogo.run(gogo, "hvkit:scenario --schedulers").output();
        assertTrue(names, names.contains("credit") && names.contains("credit2"));
        Gogo bad = Gogo.run(gogo, "hvkit:scenario --duration");
        assertEquals(1, ((Number) bad.value()).intValue());
        assertTrue(bad.output(), bad.output().contains("--duration needs a value"));
    }
}
