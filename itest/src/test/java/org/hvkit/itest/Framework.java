package org.hvkit.itest;

import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.mavenBundle;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.CoreOptions.systemPackages;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.ops4j.pax.exam.Option;

/** What every in-framework test boots: Felix with the exit guard and SCR, slf4j from the class path, the simulated machine at 20x. */
final class Framework {
    private Framework() {
    }

    /** A reactor module's bundle, by path (the build runs this module after the bundles). */
    static String jar(String module, String artifact) {
        return "file:" + Path.of(System.getProperty("hvkit.root"), module, "target", artifact + "-" + version(artifact) + ".jar");
    }

    /** The API has its own release line; every other bundle has the implementation's version. */
    private static String version(String artifact) {
        return System.getProperty(artifact.equals("org.hvkit.api") ? "hvkit.api.version" : "hvkit.version");
    }

    /** The base set plus {@code extra}; hvkit bundles are given as module:artifact pairs. */
    static Option[] with(String[] hvkitBundles, Option... extra) {
        List<Option> o = new ArrayList<>(List.of(
                systemPackages("org.slf4j;version=2.0.20", "org.slf4j.event;version=2.0.20", "org.slf4j.helpers;version=2.0.20", "org.slf4j.spi;version=2.0.20"),
                frameworkProperty("hvkit.platform").value("sim"),
                frameworkProperty("hvkit.sim.speed").value("20"),
                frameworkProperty("hvkit.sim.topology").value("1x4x1"),
                // the exit guard first, at start level 1, as in every distribution: no bundle loads a class before its weaving hook is there
                bundle(jar("bundles/guard", "org.hvkit.guard")).startLevel(1),
                mavenBundle("org.osgi", "org.osgi.service.component", "1.5.1"),
                mavenBundle("org.osgi", "org.osgi.util.promise", "1.3.0"),
                mavenBundle("org.osgi", "org.osgi.util.function", "1.2.0"),
                mavenBundle("org.apache.felix", "org.apache.felix.scr", System.getProperty("felix.scr.version"))));
        for (String b : hvkitBundles) {
            String[] ma = b.split(":");
            o.add(bundle(jar(ma[0], ma[1])));
        }
        o.addAll(List.of(extra));
        o.add(junitBundles());
        return options(o.toArray(Option[]::new));
    }
}
