/**
 * The exit guard: a weaving hook that rewrites the calls by which a plugin could end the JVM into
 * a logged refusal. Private: the bundle exports nothing.
 */
package org.hvkit.guard.internal;
