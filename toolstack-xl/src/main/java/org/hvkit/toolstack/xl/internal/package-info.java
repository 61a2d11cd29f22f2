/** The xl toolstack: xl.cfg parsing, the xl command, Xen's output formats. Not exported. */
package org.hvkit.toolstack.xl.internal;
