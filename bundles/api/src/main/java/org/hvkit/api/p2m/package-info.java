/**
 * The p2m: per domain, guest frames (gfns, 4 KiB each) to their backing, with the page order that
 * backs each range (4 KiB, 2 MiB, 1 GiB as in Xen's EPT p2m), a type and an access. Platforms own
 * one {@link org.hvkit.api.p2m.P2mTable} per domain and reach it from
 * {@code GuestMemory.p2m()}; everyone else reads it, sets access through it and follows its changes.
 */
@Export
@Version("1.0.0")
package org.hvkit.api.p2m;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
