package ai.maspo.simulator.server;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** Counters behind {@code GET /sim/stats}; thread-safe and cheap on the hot path. */
final class SimulatorStats {

    private final Map<String, LongAdder> callsByClass = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> callsByScenario = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> faults = new ConcurrentHashMap<>();
    private final LongAdder promptTokens = new LongAdder();
    private final LongAdder completionTokens = new LongAdder();
    /** Chat requests received and not yet answered or dropped, and the most seen at once: clients' concurrency. */
    private final AtomicLong open = new AtomicLong();
    private final AtomicLong peakOpen = new AtomicLong();

    void call(String requestClass, String scenario, int prompt, int completion) {
        callsByClass.computeIfAbsent(requestClass, k -> new LongAdder()).increment();
        callsByScenario.computeIfAbsent(scenario, k -> new LongAdder()).increment();
        promptTokens.add(prompt);
        completionTokens.add(completion);
    }

    void opened() {
        peakOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
    }

    void closed() {
        open.decrementAndGet();
    }

    void fault(String kind) {
        faults.computeIfAbsent(kind, k -> new LongAdder()).increment();
    }

    void reset() {
        callsByClass.clear();
        callsByScenario.clear();
        faults.clear();
        promptTokens.reset();
        completionTokens.reset();
        peakOpen.set(open.get());
    }

    Map<String, Object> snapshot() {
        long prompt = promptTokens.sum();
        long completion = completionTokens.sum();
        return Map.of(
                "calls", totals(callsByClass),
                "scenarios", totals(callsByScenario),
                "tokens", Map.of("prompt", prompt, "completion", completion, "total", prompt + completion),
                "faults", totals(faults),
                "concurrency", Map.of("open", open.get(), "peak", peakOpen.get()));
    }

    private static Map<String, Long> totals(Map<String, LongAdder> counters) {
        Map<String, Long> result = new TreeMap<>();
        counters.forEach((k, v) -> result.put(k, v.sum()));
        return result;
    }
}
