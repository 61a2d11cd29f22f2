package org.hvkit.platform.sim.internal;

import java.util.Collection;
import java.util.TreeSet;
import org.hvkit.api.cpu.CpuModel;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

/** Whether the distribution really offers the CPU model that {@code hvkit.sim.cpu} names. */
final class CpuModelCheck {
    private CpuModelCheck() { }

    /** Null once a CpuModel service named {@code name} is registered, else a refusal line after {@code waitMs}. */
    static String awaitModel(BundleContext bc, String name, long waitMs) {
        long deadline = System.currentTimeMillis() + waitMs;
        do {
            if (!refs(bc).stream().filter(r -> name.equals(String.valueOf(r.getProperty("hvkit.cpu.model")))).toList().isEmpty()) return null;
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                return null; // shutting down anyway
            }
        } while (System.currentTimeMillis() < deadline);
        TreeSet<String> known = new TreeSet<>();
        known.add("SandyBridge");
        for (ServiceReference<CpuModel> r : refs(bc)) known.add(String.valueOf(r.getProperty("hvkit.cpu.model")));
        return "hvkit.sim.cpu=" + name + ": no such CPU model in this distribution; expected one of " + String.join(", ", known);
    }

    private static Collection<ServiceReference<CpuModel>> refs(BundleContext bc) {
        try {
            return bc.getServiceReferences(CpuModel.class, null);
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
