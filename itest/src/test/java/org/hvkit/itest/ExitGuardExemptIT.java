package org.hvkit.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.mavenBundle;

import java.lang.reflect.Method;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerMethod;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

/** {@code hvkit.guard.exempt} as an operator might write it (spaces, a name twice): the guard starts and honours it. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class ExitGuardExemptIT {
    @Inject
    BundleContext bc;

    @Configuration
    public Option[] config() {
        return Framework.with(new String[] {"bundles/api:org.hvkit.api", "bundles/shell:org.hvkit.shell", "toolstack-xl:org.hvkit.toolstack.xl"},
                frameworkProperty("hvkit.guard.exempt").value(" org.hvkit.toolstack.xl , org.hvkit.toolstack.xl,org.hvkit.toolstack.xl "),
                mavenBundle("org.apache.felix", "org.apache.felix.gogo.runtime", System.getProperty("felix.gogo.runtime.version")),
                mavenBundle("org.jline", "jline", System.getProperty("jline.version"))); // the shell's console
    }

    private Bundle installed(String bsn) {
        for (Bundle b : bc.getBundles()) if (bsn.equals(b.getSymbolicName())) return b;
        throw new AssertionError(bsn + " is not installed");
    }

    private static boolean woven(Bundle b, String className) throws ClassNotFoundException {
        for (Method m : b.loadClass(className).getDeclaredMethods()) {
            if (m.getName().startsWith("hvkit$guard$") && m.isSynthetic()) return true;
        }
        return false;
    }

    @Test
    public void theListedBundleIsExemptAndTheDefaultOneIsNotAnyMore() throws Exception {
        assertEquals(Bundle.ACTIVE, installed("org.hvkit.guard").getState());
        // the standalone xl client's main calls System.exit: kept in the exempt bundle
        assertTrue(!woven(installed("org.hvkit.toolstack.xl"), "org.hvkit.toolstack.xl.internal.XlClient"));
        // the property replaces the default, so the shell's script runner is woven
        assertTrue(woven(installed("org.hvkit.shell"), "org.hvkit.shell.internal.ScriptRunner"));
    }
}
