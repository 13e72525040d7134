package ai.maspo.evaluator.service;

import java.time.Duration;
import java.util.Arrays;

/**
 * The latest answer latencies of one endpoint role, and the attempt timeout they suggest: a percentile times a
 * factor, clamped to [min, max]; {@code max} until enough answers have been seen. Thread-safe.
 */
final class LatencyWindow {

    private final long[] millis;
    private final int minSamples;
    private final double percentile;
    private final double factor;
    private final long minMillis;
    private int next;
    private int size;

    LatencyWindow(int window, int minSamples, double percentile, double factor, Duration min) {
        this.millis = new long[window];
        this.minSamples = Math.min(minSamples, window);
        this.percentile = percentile;
        this.factor = factor;
        this.minMillis = min.toMillis();
    }

    synchronized void record(long latencyMillis) {
        millis[next] = latencyMillis;
        next = (next + 1) % millis.length;
        size = Math.min(size + 1, millis.length);
    }

    Duration timeout(Duration max) {
        long[] sorted;
        synchronized (this) {
            if (size < minSamples) {
                return max;
            }
            sorted = Arrays.copyOf(millis, size);
        }
        Arrays.sort(sorted);
        long p = sorted[Math.min(sorted.length - 1, (int) Math.ceil(percentile * sorted.length) - 1)];
        long suggested = Math.round(p * factor);
        return Duration.ofMillis(Math.clamp(suggested, Math.min(minMillis, max.toMillis()), max.toMillis()));
    }
}
