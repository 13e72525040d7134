package ai.maspo.simulator.world;

/**
 * The randomness of one request: a 64-bit hash of (scenario seed, request seed, request text[, counter]),
 * from which named, independent uniform draws are derived. Same inputs, same draws, on any JVM.
 */
public final class Draw {

    private final long base;

    private Draw(long base) {
        this.base = base;
    }

    /** @param nonce 0 for a deterministic request, else a per-process counter value */
    public static Draw of(long scenarioSeed, Long requestSeed, String text, long nonce) {
        long h = mix(scenarioSeed ^ 0x9E3779B97F4A7C15L);
        h = mix(h ^ (requestSeed == null ? 0x5851F42D4C957F2DL : mix(requestSeed)));
        h = mix(h ^ hash(text));
        return new Draw(mix(h ^ mix(nonce)));
    }

    /** A uniform number in [0, 1) for the named decision. */
    public double uniform(String label) {
        return (mix(base ^ hash(label)) >>> 11) * 0x1.0p-53;
    }

    /** A uniform integer in [0, bound). */
    public int index(String label, int bound) {
        return (int) Math.floor(uniform(label) * bound);
    }

    /** FNV-1a over the UTF-16 chars, then a finalizer so that nearby strings give unrelated hashes. */
    static long hash(String text) {
        long h = 0xCBF29CE484222325L;
        for (int i = 0; i < text.length(); i++) {
            h ^= text.charAt(i);
            h *= 0x100000001B3L;
        }
        return mix(h);
    }

    /** The murmur3 64-bit finalizer. */
    private static long mix(long z) {
        z = (z ^ (z >>> 33)) * 0xFF51AFD7ED558CCDL;
        z = (z ^ (z >>> 33)) * 0xC4CEB9FE1A85EC53L;
        return z ^ (z >>> 33);
    }
}
