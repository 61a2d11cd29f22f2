package org.hvkit.toolstack.xl.internal;

/** A device or option spec xl cannot use; the message is xl's line (without the newline). */
final class SpecException extends Exception {
    private static final long serialVersionUID = 1L;

    SpecException(String message) {
        super(message);
    }
}
