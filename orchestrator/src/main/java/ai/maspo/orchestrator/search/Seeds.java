package ai.maspo.orchestrator.search;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Deterministic seeds: SplitMix64 folded over the run seed and the UTF-8 bytes of a position path
 * (e.g. "propose", agent, layer, node, candidate). Each part is length-prefixed so ("ab","c") ≠ ("a","bc").
 * Independent of JVM, hash-map order and locale.
 */
public final class Seeds {

    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    public static long derive(long runSeed, String... path) {
        long h = mix(runSeed + GOLDEN);
        for (String part : path) {
            byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
            h = mix(h ^ bytes.length);
            for (byte b : bytes) {
                h = mix(h ^ (b & 0xFF));
            }
        }
        return h;
    }

    /** The SplitMix64 finaliser. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** A SplitMix64 stream: reproducible draws from one derived seed. */
    public static final class Stream {
        private long state;

        public Stream(long seed) {
            this.state = seed;
        }

        public long nextLong() {
            state += GOLDEN;
            return mix(state);
        }

        /** Uniform in [0, bound): draws above the last whole multiple of bound are redrawn, so no modulo bias. */
        public int nextInt(int bound) {
            long multiple = Long.MAX_VALUE - Long.MAX_VALUE % bound;
            long r;
            do {
                r = nextLong() >>> 1;
            } while (r >= multiple);
            return (int) (r % bound);
        }
    }

    /** A reproducible sample of {@code count} items (partial Fisher–Yates), in sampled order. */
    public static <T> List<T> sample(List<T> items, int count, long seed) {
        List<T> pool = new ArrayList<>(items);
        Stream stream = new Stream(seed);
        int n = Math.min(count, pool.size());
        for (int i = 0; i < n; i++) {
            int j = i + stream.nextInt(pool.size() - i);
            T swap = pool.get(i);
            pool.set(i, pool.get(j));
            pool.set(j, swap);
        }
        return List.copyOf(pool.subList(0, n));
    }

    private Seeds() {
    }
}
