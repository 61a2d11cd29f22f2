/** FLASK for hvkit. Private: the bundle exports nothing, so it can be updated alone. */
package org.hvkit.xsm.flask.internal;
