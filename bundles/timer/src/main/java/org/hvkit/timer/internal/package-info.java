/** The timer bundle's implementation; exported by nobody. */
package org.hvkit.timer.internal;
