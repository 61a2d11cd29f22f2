/** Gogo helpers for operators and scripts: {@code sleep} and the {@code ./hvkit -c} script runner. Not exported. */
package org.hvkit.shell.internal;
