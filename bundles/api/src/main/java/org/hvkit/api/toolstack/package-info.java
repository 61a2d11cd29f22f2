/** The libxl-like control API of the hypervisor, used by toolstacks such as xl. */
@Export
@Version("1.4.0")
package org.hvkit.api.toolstack;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
