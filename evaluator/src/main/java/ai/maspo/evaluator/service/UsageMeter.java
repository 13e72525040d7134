package ai.maspo.evaluator.service;

import ai.maspo.protocol.ModelRole;
import ai.maspo.protocol.Usage;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** The LLM cost of one job, per model role. Agents of one level call in parallel, so updates are synchronized. */
public final class UsageMeter {

    private final Map<ModelRole, long[]> totals = new EnumMap<>(ModelRole.class);

    private static final int CALLS = 0, CACHED = 1, PROMPT = 2, COMPLETION = 3, MILLIS = 4;

    public synchronized void recordCall(ModelRole role, LlmReply reply, long millis) {
        long[] t = totals.computeIfAbsent(role, r -> new long[5]);
        t[CALLS]++;
        t[PROMPT] += reply.promptTokens();
        t[COMPLETION] += reply.completionTokens();
        t[MILLIS] += millis;
    }

    public synchronized void recordCacheHit(ModelRole role) {
        totals.computeIfAbsent(role, r -> new long[5])[CACHED]++;
    }

    public synchronized List<Usage> snapshot() {
        List<Usage> usage = new ArrayList<>();
        totals.forEach((role, t) -> usage.add(new Usage(role, t[CALLS], t[CACHED], t[PROMPT], t[COMPLETION], t[MILLIS])));
        return usage;
    }
}
