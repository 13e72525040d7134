package ai.maspo.protocol;

/**
 * LLM cost of one job for one model role; {@code cachedCalls} were answered from the evaluator's cache and cost nothing.
 * {@code cachedPromptTokens} is the part of {@code promptTokens} the provider served from its prompt cache (billed at
 * its cached-input price). {@code busyFrom} and {@code busyUntil} (epoch milliseconds, 0 when no attempt ended) span
 * the attempts whose time this report carries, from the first start to the last end, so that the role's elapsed time
 * is the union of these spans rather than the sum of {@code millis}.
 * In a usage report, {@code calls} may be negative: an evaluator counts an attempt before sending it, and withdraws
 * that count when the attempt certainly never reached the server (the connection was refused); every other field
 * only counts up.
 */
public record Usage(ModelRole role, long calls, long cachedCalls, long promptTokens, long completionTokens, long millis,
                    long cachedPromptTokens, long busyFrom, long busyUntil) {

    /** Counts and tokens without a provider cache hit or a time span: an announcement, a withdrawal, a cache hit. */
    public Usage(ModelRole role, long calls, long cachedCalls, long promptTokens, long completionTokens, long millis) {
        this(role, calls, cachedCalls, promptTokens, completionTokens, millis, 0, 0, 0);
    }
}
