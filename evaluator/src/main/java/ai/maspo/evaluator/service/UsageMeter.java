package ai.maspo.evaluator.service;

import ai.maspo.protocol.ModelRole;
import ai.maspo.protocol.Usage;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The LLM cost of one job, per model role: the job's total (carried by its result, for information) and what has
 * not been reported yet (drained by {@link UsageReporter}). A call is reported by {@link UsageAnnouncer} before its
 * request is sent, so what is left here is its tokens and time, and the withdrawal of a call that never reached the
 * server. Agents of one level call in parallel, so updates are synchronized.
 */
public final class UsageMeter {

    private static final int CALLS = 0, CACHED = 1, PROMPT = 2, COMPLETION = 3, MILLIS = 4, CACHED_PROMPT = 5,
            BUSY_FROM = 6, BUSY_UNTIL = 7, FIELDS = 8;

    private final String runId;
    private final String requestId;
    private final Map<ModelRole, long[]> totals = new EnumMap<>(ModelRole.class);
    private final Map<ModelRole, long[]> unreported = new EnumMap<>(ModelRole.class);

    public UsageMeter(String runId, String requestId) {
        this.runId = runId;
        this.requestId = requestId;
    }

    public String runId() {
        return runId;
    }

    public String requestId() {
        return requestId;
    }

    /** A call the announcer has already reported, before its request was sent. */
    synchronized void recordAnnounced(ModelRole role) {
        totals.computeIfAbsent(role, r -> new long[FIELDS])[CALLS]++;
    }

    /**
     * An announced attempt that certainly never reached the server (no connection): its call is withdrawn, so the
     * cost stays what the server received.
     */
    synchronized void recordUnsent(ModelRole role) {
        totals.computeIfAbsent(role, r -> new long[FIELDS])[CALLS]--;
        unreported.computeIfAbsent(role, r -> new long[FIELDS])[CALLS]--;
    }

    /**
     * The server's usage of an announced attempt that took {@code millis} and ended now; {@code answered} is null when
     * it failed (its tokens are unknown).
     */
    synchronized void recordAttempt(ModelRole role, ChatEndpoint.Attempt.Answered answered, long millis) {
        long prompt = answered == null ? 0 : answered.promptTokens();
        long completion = answered == null ? 0 : answered.completionTokens();
        long cachedPrompt = answered == null ? 0 : answered.cachedPromptTokens();
        long end = System.currentTimeMillis();
        for (Map<ModelRole, long[]> m : List.of(totals, unreported)) {
            long[] t = m.computeIfAbsent(role, r -> new long[FIELDS]);
            t[PROMPT] += prompt;
            t[COMPLETION] += completion;
            t[CACHED_PROMPT] += cachedPrompt;
            t[MILLIS] += millis;
            t[BUSY_FROM] = t[BUSY_FROM] == 0 ? end - millis : Math.min(t[BUSY_FROM], end - millis);
            t[BUSY_UNTIL] = Math.max(t[BUSY_UNTIL], end);
        }
    }

    synchronized void recordCacheHit(ModelRole role) {
        totals.computeIfAbsent(role, r -> new long[FIELDS])[CACHED]++;
        unreported.computeIfAbsent(role, r -> new long[FIELDS])[CACHED]++;
    }

    public synchronized List<Usage> snapshot() {
        return usage(totals);
    }

    /** What was recorded since the last drain; empty when nothing was. */
    synchronized List<Usage> drainUnreported() {
        List<Usage> usage = usage(unreported);
        unreported.clear();
        return usage;
    }

    private static List<Usage> usage(Map<ModelRole, long[]> counts) {
        List<Usage> usage = new ArrayList<>();
        counts.forEach((role, t) -> usage.add(new Usage(role, t[CALLS], t[CACHED], t[PROMPT], t[COMPLETION], t[MILLIS],
                t[CACHED_PROMPT], t[BUSY_FROM], t[BUSY_UNTIL])));
        return usage;
    }
}
