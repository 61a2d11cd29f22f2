package org.hvkit.api.toolstack;

/**
 * Bytes a guest wrote to its console, read from an offset: what {@code xl console} follows.
 *
 * @param data       the bytes from the requested offset (or from the oldest kept, if older ones were dropped)
 * @param nextOffset the offset to ask for next
 * @param open       whether the domain still exists and is not shut down (more may come)
 */
public record ConsoleChunk(byte[] data, long nextOffset, boolean open) {
}
