package org.hvkit.iommu.vtd.internal;

/** VT-d's formats (kvm.md §7; Intel VT-d spec, legacy mode): entry bits, capability fields, fault reasons. */
final class Vtd {
    private Vtd() { }

    // root entry (low word): P bit 0, context-table pointer bits 63:12
    static final long ROOT_P = 1;
    // context entry low: P bit 0, FPD bit 1, TT bits 3:2, SLPTPTR 63:12; high: AW bits 2:0, DID bits 23:8
    static final long CTX_P = 1, CTX_FPD = 2;
    static final int CTX_TT_SHIFT = 2;
    static final int AW_48 = 2; // 4-level, 48-bit
    static final int MGAW = 48;
    // second-level entry: R bit 0, W bit 1, PS bit 7, address 51:12, SNP bit 11, TM bit 62
    static final long SL_R = 1, SL_W = 2, SL_PS = 1L << 7;
    static final long ADDR_MASK = 0x000f_ffff_ffff_f000L;
    /** Bits that must be zero in a second-level entry (ignored bits 10:8, 63 and SNP/TM allowed). */
    static final long SL_RESERVED = 0x3ff0_0000_0000_0000L | 0x78L;

    // CAP
    static final int NFR = 8; // fault-recording registers
    static final int FRO = 0x22; // their offset / 16 (0x220, as QEMU's)
    static final long CAP_SLLPS_2M = 1L << 34, CAP_SLLPS_1G = 1L << 35;

    /** The CAP register of a unit: ND 64K domains, SAGAW 48-bit, MGAW 47, FRO, SLLPS as given, PSI, MAMV 18, NFR. */
    static long cap(boolean sps2m, boolean sps1g) {
        return 6L // ND: 65536 domains
                | 1L << (8 + 2) // SAGAW bit 2: 4-level
                | (long) (MGAW - 1) << 16
                | (long) FRO << 24
                | (sps2m ? CAP_SLLPS_2M : 0) | (sps1g ? CAP_SLLPS_1G : 0)
                | 1L << 39 // PSI
                | (long) (NFR - 1) << 40
                | 18L << 48; // MAMV: a page-selective invalidation may cover up to 2^18 pages
    }

    // FSTS: PFO bit 0, PPF bit 1, FRI bits 15:8; FRCD high word: SID 15:0, FR 39:32, T bit 62 (1 = read), F bit 63
    static final int FSTS_PFO = 1, FSTS_PPF = 2;
    static final long FRCD_F = 1L << 63, FRCD_T = 1L << 62;

    // fault reasons
    static final int R_ROOT_NOT_PRESENT = 1, R_CTX_NOT_PRESENT = 2, R_CTX_INVALID = 3, R_BEYOND_MGAW = 4,
            R_NO_WRITE = 5, R_NO_READ = 6, R_NEXT_PTR_INVALID = 7, R_PTE_RESERVED = 0xc;

    /** Xen 4.2's dma_remap_fault_reasons (vtd/iommu.c), indexed by reason. */
    private static final String[] REASONS = {
        "Software",
        "Present bit in root entry is clear",
        "Present bit in context entry is clear",
        "Invalid context entry",
        "Access beyond MGAW",
        "PTE Write access is not set",
        "PTE Read access is not set",
        "Next page table ptr is invalid",
        "Root table address invalid",
        "Context table ptr is invalid",
        "non-zero reserved fields in RTP",
        "non-zero reserved fields in CTP",
        "non-zero reserved fields in PTE",
        "Blocked a DMA translation request",
    };

    static String reasonText(int reason) {
        return reason >= 0 && reason < REASONS.length ? REASONS[reason] : "Unknown";
    }

    // a walk's leaf, encoded in one long: gfn << 12 | level << 4 | W << 1 | R (negative: minus a fault reason)
    static long leaf(long gfn, int level, boolean r, boolean w) {
        return gfn << 12 | (long) level << 4 | (w ? 2 : 0) | (r ? 1 : 0);
    }

    static long leafGfn(long leaf) {
        return leaf >>> 12;
    }

    static boolean leafR(long leaf) {
        return (leaf & 1) != 0;
    }

    static boolean leafW(long leaf) {
        return (leaf & 2) != 0;
    }

    static int leafLevel(long leaf) {
        return (int) (leaf >>> 4) & 0xf;
    }
}
