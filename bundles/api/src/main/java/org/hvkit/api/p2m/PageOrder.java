package org.hvkit.api.p2m;

/** The size of one p2m entry, as Xen's page orders (log2 of the number of 4 KiB frames). */
public enum PageOrder {
    /** 4 KiB, {@code PAGE_ORDER_4K} = 0. */
    ORDER_4K(0, "4K"),
    /** 2 MiB, {@code PAGE_ORDER_2M} = 9. */
    ORDER_2M(9, "2M"),
    /** 1 GiB, {@code PAGE_ORDER_1G} = 18. */
    ORDER_1G(18, "1G");

    private final int order;
    private final String label;

    PageOrder(int order, String label) {
        this.order = order;
        this.label = label;
    }

    /** Xen's order number: 0, 9 or 18. */
    public int order() {
        return order;
    }

    /** 4 KiB frames in one entry of this order. */
    public long pages() {
        return 1L << order;
    }

    public long bytes() {
        return 4096L << order;
    }

    /** {@code 4K}, {@code 2M} or {@code 1G}. */
    public String label() {
        return label;
    }

    /** The order with Xen's number {@code n} (0, 9 or 18). */
    public static PageOrder ofOrder(int n) {
        for (PageOrder o : values()) if (o.order == n) return o;
        throw new IllegalArgumentException("page order must be 0, 9 or 18, not " + n);
    }
}
