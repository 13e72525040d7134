package ai.maspo.infra;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.time.Duration;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

/**
 * A start-up limit that stretches with the machine's load: {@code base × max(1, load average / cores)}, the load
 * re-read at every check (the largest factor seen so far counts, so the limit never shrinks), and never more than
 * {@value #MAX_FACTOR} × base. Why: on a busy 2-core machine a whole stack took 2–8 minutes to become ready against
 * 40 s when quiet, and a fixed 60 s limit failed 7 of 21 Kafka starts; a fixed large limit instead makes a real
 * failure on a quiet machine wait for nothing.
 */
public final class ReadinessDeadline {
    static final double MAX_FACTOR = 10;

    private final Duration base;
    private final DoubleSupplier loadPerCore;
    private final LongSupplier clock;
    private final long startNanos;
    private double factor = 1;

    ReadinessDeadline(Duration base, DoubleSupplier loadPerCore, LongSupplier clock) {
        this.base = base;
        this.loadPerCore = loadPerCore;
        this.clock = clock;
        this.startNanos = clock.getAsLong();
    }

    /** A deadline starting now, scaled by this machine's one-minute load average per core. */
    public static ReadinessDeadline start(Duration base) {
        return new ReadinessDeadline(base, ReadinessDeadline::machineLoadPerCore, System::nanoTime);
    }

    /** The limit a wait starting now gets, for waits that take a fixed duration (zonky's start-up wait). */
    public static Duration scaled(Duration base) {
        return start(base).limit();
    }

    /** True once the (load-scaled) limit has passed since the start. */
    public boolean passed() {
        long elapsed = clock.getAsLong() - startNanos;
        return elapsed > limit().toNanos();
    }

    /** The current limit: base × the largest load factor seen, between 1 and {@value #MAX_FACTOR}. */
    public synchronized Duration limit() {
        factor = Math.min(MAX_FACTOR, Math.max(factor, loadPerCore.getAsDouble()));
        return Duration.ofMillis(Math.round(base.toMillis() * factor));
    }

    static double machineLoadPerCore() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        double load = os.getSystemLoadAverage();
        return load < 0 ? 1 : load / os.getAvailableProcessors(); // negative: not available on this platform
    }
}
