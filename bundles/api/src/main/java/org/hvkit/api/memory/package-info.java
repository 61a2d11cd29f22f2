/** Host memory and the guest memory handed to domains. */
@Export
@Version("1.1.0")
package org.hvkit.api.memory;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
