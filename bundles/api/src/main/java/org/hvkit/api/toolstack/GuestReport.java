package org.hvkit.api.toolstack;

/**
 * Statistics of the values a guest reported under one key.
 *
 * @param key   the report key (the guest ABI defines what each test guest reports)
 * @param count values reported
 * @param last  the newest value
 * @param min   the smallest
 * @param max   the largest
 * @param mean  the mean
 * @param p50   the median of the newest values kept (up to 100 000)
 * @param p99   the 99th percentile of the same
 */
public record GuestReport(int key, long count, long last, long min, long max, double mean, long p50, long p99) {
}
