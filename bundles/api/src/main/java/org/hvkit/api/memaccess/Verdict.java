package org.hvkit.api.memaccess;

/** What the platform does with a violating access: see {@link ViolationHandler#violation}. */
public enum Verdict { CONTINUE, PAUSE, CRASHED }
