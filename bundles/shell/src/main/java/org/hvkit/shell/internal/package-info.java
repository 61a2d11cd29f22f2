/** The operator's console (JLine over Gogo) and Gogo helpers for operators and scripts: {@code exit}, {@code grep}, {@code sleep}, {@code clear}, Ctrl-C, and the {@code ./hvkit -c} script runner. Not exported. */
package org.hvkit.shell.internal;
