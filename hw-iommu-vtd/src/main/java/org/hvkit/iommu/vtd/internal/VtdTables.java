package org.hvkit.iommu.vtd.internal;

import static org.hvkit.iommu.vtd.internal.Vtd.*;

import java.util.List;
import org.hvkit.api.p2m.P2mRange;
import org.hvkit.api.p2m.P2mType;

/**
 * no-sharept: the domain's own 4-level VT-d second-level tables in table memory, kept in step
 * with the p2m's mappings (RAM is mapped read-write, as Xen's iommu_map_page for p2m_ram_rw) but
 * not with its access. A p2m entry of 2 MiB or 1 GiB becomes a PS leaf where CAP.SLLPS has that
 * size; otherwise it is split into the sizes the unit has. All under the unit's lock.
 */
final class VtdTables implements SecondLevel {
    private static final int LEVELS = 4;
    private final TableMemory mem;
    private final boolean sps2m, sps1g;
    private final long root;

    VtdTables(TableMemory mem, boolean sps2m, boolean sps1g) {
        this.mem = mem;
        this.sps2m = sps2m;
        this.sps1g = sps1g;
        this.root = mem.alloc();
    }

    @Override
    public long root() {
        return root;
    }

    @Override
    public boolean usesTableMemory() {
        return true;
    }

    /** Applies the p2m's runs (from {@code P2m.ranges}): RAM mapped, anything else unmapped. */
    void apply(List<P2mRange> runs) {
        for (P2mRange r : runs) set(root, LEVELS, 0, r.firstGfn(), r.endGfn(), r.order().order(), r.type() == P2mType.RAM);
    }

    private static long span(int level) {
        return 1L << (9 * (level - 1));
    }

    private boolean leafAllowed(int level, int order) {
        return level == 1 || level == 2 && sps2m && order >= 9 || level == 3 && sps1g && order >= 18;
    }

    private void set(long table, int level, long base, long first, long end, int order, boolean present) {
        long span = span(level);
        int i0 = (int) ((first - base) / span), i1 = (int) ((end - 1 - base) / span);
        for (int i = i0; i <= i1; i++) {
            long eBase = base + i * span, eEnd = eBase + span;
            long e = mem.read(table, i);
            boolean whole = first <= eBase && end >= eEnd;
            if (whole && (!present || leafAllowed(level, order))) {
                freeBelow(e, level);
                mem.write(table, i, present ? eBase << 12 | SL_R | SL_W | (level > 1 ? SL_PS : 0) : 0);
                continue;
            }
            long sub;
            if ((e & (SL_R | SL_W)) == 0) {
                if (!present) continue;
                sub = mem.alloc();
            } else if ((e & SL_PS) != 0) { // split a superpage leaf into the next level's leaves
                sub = mem.alloc();
                long b = (e & ADDR_MASK) >>> 12, s = span(level - 1);
                for (int j = 0; j < TableMemory.WORDS; j++) mem.write(sub, j, (b + j * s) << 12 | SL_R | SL_W | (level - 1 > 1 ? SL_PS : 0));
            } else {
                sub = e & ADDR_MASK;
            }
            mem.write(table, i, sub | SL_R | SL_W);
            set(sub, level - 1, eBase, Math.max(first, eBase), Math.min(end, eEnd), order, present);
        }
    }

    private void freeBelow(long e, int level) {
        if (level == 1 || (e & (SL_R | SL_W)) == 0 || (e & SL_PS) != 0) return;
        long sub = e & ADDR_MASK;
        for (int j = 0; j < TableMemory.WORDS; j++) freeBelow(mem.read(sub, j), level - 1);
        mem.free(sub);
    }

    @Override
    public long walk(long vpn) {
        long table = root;
        for (int level = LEVELS; level >= 1; level--) {
            long e = mem.read(table, (int) (vpn >>> (9 * (level - 1))) & 511);
            if ((e & (SL_R | SL_W)) == 0) return 0;
            if ((e & SL_RESERVED) != 0) return -R_PTE_RESERVED;
            boolean ps = (e & SL_PS) != 0;
            if (ps && (level == 4 || level == 3 && !sps1g || level == 2 && !sps2m)) return -R_PTE_RESERVED;
            if (level == 1 || ps) {
                long gfn = ((e & ADDR_MASK) >>> 12) + (vpn & (span(level) - 1));
                return leaf(gfn, level, (e & SL_R) != 0, (e & SL_W) != 0);
            }
            table = e & ADDR_MASK;
            if (!mem.valid(table)) return -R_NEXT_PTR_INVALID;
        }
        return 0;
    }

    /** The raw entry at {@code level} on the way to {@code vpn} (0 where the walk ends above), for tests and the debug dump. */
    long entry(long vpn, int wanted) {
        long table = root;
        for (int level = LEVELS; level >= 1; level--) {
            long e = mem.read(table, (int) (vpn >>> (9 * (level - 1))) & 511);
            if (level == wanted) return e;
            if ((e & (SL_R | SL_W)) == 0 || (e & SL_PS) != 0) return 0;
            table = e & ADDR_MASK;
        }
        return 0;
    }

    @Override
    public void close() {
        for (int j = 0; j < TableMemory.WORDS; j++) freeBelow(mem.read(root, j), LEVELS);
        mem.free(root);
    }
}
