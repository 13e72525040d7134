package ai.maspo.evaluator.service;

import ai.maspo.protocol.ModelRole;
import ai.maspo.protocol.Usage;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The LLM cost of one job, per model role: the job's total (carried by its result, for information) and what has
 * not been reported yet (drained by {@link UsageReporter}). Agents of one level call in parallel, so updates are
 * synchronized.
 */
public final class UsageMeter {

    private static final int CALLS = 0, CACHED = 1, PROMPT = 2, COMPLETION = 3, MILLIS = 4;

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

    /** One HTTP attempt the server received; {@code answered} is null when it failed (its tokens are unknown). */
    synchronized void recordAttempt(ModelRole role, ChatEndpoint.Attempt.Answered answered, long millis) {
        long prompt = answered == null ? 0 : answered.promptTokens();
        long completion = answered == null ? 0 : answered.completionTokens();
        for (Map<ModelRole, long[]> m : List.of(totals, unreported)) {
            long[] t = m.computeIfAbsent(role, r -> new long[5]);
            t[CALLS]++;
            t[PROMPT] += prompt;
            t[COMPLETION] += completion;
            t[MILLIS] += millis;
        }
    }

    synchronized void recordCacheHit(ModelRole role) {
        totals.computeIfAbsent(role, r -> new long[5])[CACHED]++;
        unreported.computeIfAbsent(role, r -> new long[5])[CACHED]++;
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
        counts.forEach((role, t) -> usage.add(new Usage(role, t[CALLS], t[CACHED], t[PROMPT], t[COMPLETION], t[MILLIS])));
        return usage;
    }
}
