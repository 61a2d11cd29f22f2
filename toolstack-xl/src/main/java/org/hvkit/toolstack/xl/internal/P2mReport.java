package org.hvkit.toolstack.xl.internal;

import java.io.PrintStream;
import java.util.Locale;
import org.hvkit.api.p2m.P2mAccess;
import org.hvkit.api.p2m.P2mCounts;
import org.hvkit.api.p2m.P2mType;
import org.hvkit.api.p2m.PageOrder;

/** {@code hv p2m}: one domain's p2m totals, every order, type and access listed (zeros too, so scripts can rely on the rows). */
final class P2mReport {
    private P2mReport() {
    }

    static void print(int domid, String name, P2mCounts c, long maxPages, PrintStream out) {
        out.println(String.format(Locale.ROOT, "p2m of domain %d (%s): %d frames (%d MiB), %d backed, default access %s", domid, name, maxPages,
                (maxPages * 4096) >> 20, c.backedPages(), c.defaultAccess().xenName()));
        out.println(String.format(Locale.ROOT, "%-12s %12s %12s", "order", "entries", "frames"));
        for (PageOrder o : PageOrder.values()) {
            long n = c.entriesByOrder().get(o);
            out.println(String.format(Locale.ROOT, "%-12s %12d %12d", o.label(), n, n * o.pages()));
        }
        out.println(String.format(Locale.ROOT, "%-12s %12s", "type", "frames"));
        for (P2mType t : P2mType.values()) out.println(String.format(Locale.ROOT, "%-12s %12d", t.xenName(), c.pagesByType().get(t)));
        out.println(String.format(Locale.ROOT, "%-12s %12s", "access", "frames"));
        for (P2mAccess a : P2mAccess.values()) out.println(String.format(Locale.ROOT, "%-12s %12d", a.xenName(), c.pagesByAccess().get(a)));
    }
}
