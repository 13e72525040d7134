package ai.maspo.evaluator.service;

import ai.maspo.protocol.ModelRole;
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

    private final MeterRegistry registry;

    LlmMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void paid(ModelRole role, String model, LlmReply reply, long nanos) {
        request(role, model, "paid");
        registry.counter("maspo.llm.tokens", "role", label(role), "model", model, "kind", "prompt")
                .increment(reply.promptTokens());
        registry.counter("maspo.llm.tokens", "role", label(role), "model", model, "kind", "completion")
                .increment(reply.completionTokens());
        Timer.builder("maspo.llm.latency").tags("role", label(role), "model", model)
                .publishPercentileHistogram().register(registry).record(nanos, TimeUnit.NANOSECONDS);
    }

    /** {@code layer}: memory (this replica's) or shared (the cache all replicas share, in PostgreSQL). */
    void cached(ModelRole role, String model, String layer) {
        request(role, model, "cached");
        registry.counter("maspo.llm.cache.hits", "role", label(role), "layer", layer).increment();
    }

    /** A reply that declines to answer: paid, but of no value (its parser finds no answer, verdict or prompt). */
    void refused(ModelRole role, String model) {
        registry.counter("maspo.llm.refusals", "role", label(role), "model", model).increment();
    }

    void failed(ModelRole role, String model) {
        request(role, model, "failed");
    }

    private void request(ModelRole role, String model, String outcome) {
        registry.counter("maspo.llm.requests", "role", label(role), "model", model, "outcome", outcome).increment();
    }

    private static String label(ModelRole role) {
        return role.name().toLowerCase();
    }
}
