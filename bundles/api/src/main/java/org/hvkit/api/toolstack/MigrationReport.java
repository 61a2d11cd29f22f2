package org.hvkit.api.toolstack;

import java.util.List;

/**
 * What the sending side of a live migration did.
 *
 * @param pagesPerRound pages sent in each pre-copy round, the stop-and-copy last
 * @param bytes         bytes of the whole stream
 * @param startNanos    {@link System#nanoTime} when sending began
 * @param pausedNanos   {@link System#nanoTime} when the domain was paused for the stop-and-copy (downtime starts)
 * @param endNanos      {@link System#nanoTime} when the stream was complete
 */
public record MigrationReport(List<Long> pagesPerRound, long bytes, long startNanos, long pausedNanos, long endNanos) {
    public MigrationReport {
        pagesPerRound = List.copyOf(pagesPerRound);
    }
}
