package org.hvkit.api.p2m;

/**
 * A change of frames {@code [firstGfn, firstGfn + pages)} of domain {@code domainId}'s p2m.
 *
 * @param kind what changed: {@link Kind#MAP} the type/backing (populated, unpopulated, remapped),
 *             {@link Kind#ACCESS} the access, {@link Kind#ORDER} the page order (a superpage split,
 *             or a platform reporting a superpage it obtained), {@link Kind#DESTROY} the whole table
 *             is gone (pages = every frame)
 */
public record P2mChange(int domainId, long firstGfn, long pages, Kind kind) {
    public enum Kind { MAP, ACCESS, ORDER, DESTROY }
}
