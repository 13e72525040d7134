package ai.maspo.orchestrator.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Min;

import java.time.Duration;
import java.util.Map;

@ConfigMapping(prefix = "maspo.orchestrator")
public interface OrchestratorConfig {

    /** The outbox relay that publishes every stored command (see docs/operations.md). */
    Outbox outbox();

    interface Outbox {

        /** The safety-net poll; commits nudge the relay at once, so this only matters when a nudge was lost. */
        @WithDefault("2s")
        Duration pollInterval();

        /** Commands read and published per pass. */
        @WithDefault("500")
        int batchSize();

        /** First wait after a failed pass (broker down); doubled per failed pass up to {@link #backoffMax()}. */
        @WithDefault("200ms")
        Duration backoffInitial();

        @WithDefault("30s")
        Duration backoffMax();

        /**
         * Last resort: a published command still unanswered after this long is published again (receivers are
         * idempotent by request id). Lost publishes are repaired by the relay long before; this covers a message
         * lost after the broker acknowledged it, so it is long enough not to duplicate a slow but healthy job.
         */
        @WithDefault("3m")
        Duration resendUnansweredAfter();

        /** How often unanswered commands are looked for. */
        @WithDefault("30s")
        Duration resendCheck();

        /**
         * Kafka producer settings of the relay over the shared {@code kafka.*} client configuration (e.g.
         * {@code "linger.ms"}); acks=all and idempotence are always on.
         */
        Map<String, String> producer();
    }

    /**
     * How often an evaluation job is tried before it counts as failed (its command fails, or a test question counts
     * as wrong): an evaluator's FAILED answer is usually a transient LLM fault that its own retries did not outlast.
     */
    @WithDefault("3")
    @Min(1)
    int jobAttempts();

    /**
     * Ceiling of a new run's estimated LLM calls (search and test evaluation, see
     * {@link ai.maspo.orchestrator.domain.WorkEstimate}); above it a spec needs an explicit {@code budget.maxLlmCalls}.
     */
    @WithDefault("200000")
    long maxEstimatedCalls();

    /** The run event streams ({@code GET /api/v1/runs/{id}/events}). */
    Events events();

    interface Events {

        /** How often an open stream reads the database for new events. */
        @WithDefault("1s")
        Duration pollInterval();

        /** A stream with nothing to send for this long sends a comment, so proxies do not close it as idle. */
        @WithDefault("15s")
        Duration keepAlive();

        /** Streams one caller may keep open at once on one replica; more are refused with 429. */
        @WithDefault("8")
        @Min(1)
        int maxStreamsPerUser();
    }
}
