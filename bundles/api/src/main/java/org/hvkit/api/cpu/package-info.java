/** CPU models: the feature set, family, model and brand that a host or a guest sees. */
@Export
@Version("1.0.0")
package org.hvkit.api.cpu;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
