package org.hvkit.api.memory;

/** The host cannot give a domain the memory it asked for. */
public class OutOfHostMemoryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public OutOfHostMemoryException(String message) {
        super(message);
    }
}
