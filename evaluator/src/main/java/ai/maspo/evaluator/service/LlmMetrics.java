package ai.maspo.evaluator.service;

import ai.maspo.protocol.ModelRole;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.concurrent.TimeUnit;

/**
 * The evaluator's LLM calls as seen by a job, by role and model: {@code maspo.llm.requests{outcome}} (paid: answered
 * by the endpoint, cached: answered from the cache, failed: no answer after the retries), tokens of the paid ones by
 * kind, and the latency of a paid call including its retries. The model label is the run's model name, a small set
 * per deployment. HTTP attempts, retries included, are {@code maspo.llm.attempts} ({@link LlmCaller}).
 */
@ApplicationScoped
public class LlmMetrics {

    // Meter providers keep each (name, tags) meter once registered: a paid call no longer looks its meters up by name.
    private final Meter.MeterProvider<Counter> requests;
    private final Meter.MeterProvider<Counter> tokens;
    private final Meter.MeterProvider<Timer> latency;
    private final Meter.MeterProvider<Counter> cacheHits;
    private final Meter.MeterProvider<Counter> refusals;

    LlmMetrics(MeterRegistry registry) {
        requests = Counter.builder("maspo.llm.requests").withRegistry(registry);
        tokens = Counter.builder("maspo.llm.tokens").withRegistry(registry);
        latency = Timer.builder("maspo.llm.latency").publishPercentileHistogram().withRegistry(registry);
        cacheHits = Counter.builder("maspo.llm.cache.hits").withRegistry(registry);
        refusals = Counter.builder("maspo.llm.refusals").withRegistry(registry);
    }

    void paid(ModelRole role, String model, LlmReply reply, long nanos) {
        request(role, model, "paid");
        tokens.withTags("role", label(role), "model", model, "kind", "prompt").increment(reply.promptTokens());
        tokens.withTags("role", label(role), "model", model, "kind", "completion").increment(reply.completionTokens());
        latency.withTags("role", label(role), "model", model).record(nanos, TimeUnit.NANOSECONDS);
    }

    /** {@code layer}: memory (this replica's) or shared (the cache all replicas share, in PostgreSQL). */
    void cached(ModelRole role, String model, String layer) {
        request(role, model, "cached");
        cacheHits.withTags("role", label(role), "layer", layer).increment();
    }

    /** A reply that declines to answer: paid, but of no value (its parser finds no answer, verdict or prompt). */
    void refused(ModelRole role, String model) {
        refusals.withTags("role", label(role), "model", model).increment();
    }

    void failed(ModelRole role, String model) {
        request(role, model, "failed");
    }

    private void request(ModelRole role, String model, String outcome) {
        requests.withTags("role", label(role), "model", model, "outcome", outcome).increment();
    }

    private static String label(ModelRole role) {
        return role.name().toLowerCase();
    }
}
