package org.hvkit.api.p2m;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Follows a p2m's changes (the platform enforcing access, an IOMMU mirroring mappings).
 *
 * <p>Called synchronously on the thread that made the change, after the table changed, while the
 * table's lock is held, so listeners see changes one at a time and in order and the change's
 * maker knows on return that every listener has applied it. A listener may read the table but must
 * be quick and must not wait for another thread that might be changing the same table. An exception
 * from a listener is logged and does not undo the change.
 */
@ConsumerType
@FunctionalInterface
public interface P2mListener {
    void changed(P2mChange change);
}
