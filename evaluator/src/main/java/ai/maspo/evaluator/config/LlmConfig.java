package ai.maspo.evaluator.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/**
 * The LLM endpoints and how calls to them are attempted. Every attempt is one HTTP request, counted and reported
 * as paid before it is sent, whatever its outcome (see docs/operations.md, "LLM faults and cost").
 */
@ConfigMapping(prefix = "maspo.llm")
public interface LlmConfig {

    /** OpenAI-compatible base URL (ending in /v1) for every role without its own. */
    String baseUrl();

    String apiKey();

    /** The longest an attempt may wait for its answer, and the timeout used until latency has been observed. */
    @WithDefault("60s")
    Duration timeout();

    /**
     * LLM attempts this evaluator has in flight at most, all jobs and roles together; more wait for a slot. Sized to
     * what the endpoint allows per replica (scaling out multiplies it).
     */
    @WithDefault("64")
    int maxInFlight();

    /**
     * What each endpoint (a distinct base URL; roles naming the same URL share it) may take from this replica; a
     * role's own {@code maspo.llm.<role>.limits.*} overrides these for its endpoint.
     */
    Limits limits();

    CircuitBreaker circuitBreaker();

    Endpoint agent();

    Endpoint optimizer();

    Endpoint judge();

    Retry retry();

    AdaptiveTimeout adaptiveTimeout();

    /** Tokens and time of running jobs are published at least this often (and at job end). */
    @WithDefault("500ms")
    Duration usageFlushInterval();

    /**
     * How long an attempt waits for the broker to acknowledge the report that counts it before it is sent (the
     * producer retries with backoff meanwhile); beyond this the attempt fails unsent, and so does its job, which the
     * orchestrator sends again.
     */
    @WithDefault("120s")
    Duration usageAnnounceTimeout();

    /** A role's own endpoint; absent values fall back to {@code maspo.llm.base-url} / {@code api-key} / {@code limits}. */
    interface Endpoint {
        Optional<String> baseUrl();

        Optional<String> apiKey();

        /** Roles that share an endpoint must not set different values here (the evaluator refuses to start). */
        Limits limits();
    }

    /**
     * Per endpoint and replica: providers limit an organisation's requests and tokens per minute and its concurrent
     * requests, so with N replicas configure a share of 1/N. Unset: no limit of that kind (in flight: the
     * evaluator-wide {@code max-in-flight}; timeout: {@code maspo.llm.timeout}).
     */
    interface Limits {
        /** The most requests in flight; 429s lower it for a while (halved, then regained one request at a time). */
        Optional<Integer> maxInFlight();

        Optional<Integer> requestsPerMinute();

        /**
         * Prompt and completion tokens: a request takes its estimate (prompt characters / 4, plus its max_tokens or
         * else completion-tokens-estimate) before it is sent, corrected by the usage it reports.
         */
        Optional<Long> tokensPerMinute();

        /** The completion tokens assumed before a request that names no max_tokens (default 256). */
        Optional<Integer> completionTokensEstimate();

        /** The longest an attempt on this endpoint may wait for its answer. */
        Optional<Duration> timeout();
    }

    /**
     * Per endpoint: when this share of the latest attempts failed (timeouts, 5xx, malformed or no connection; 429s
     * and answers are no failures), nothing is sent to it for {@code open-for}, then a few trial requests decide.
     */
    interface CircuitBreaker {
        @WithDefault("50")
        float failureRatePercent();

        /** The latest attempts the rate is taken over; none is judged before this many. */
        @WithDefault("20")
        int window();

        @WithDefault("30s")
        Duration openFor();

        @WithDefault("3")
        int trialRequests();
    }

    interface Retry {
        /** HTTP attempts per call, the first included; then the call fails and its job is recorded as FAILED. */
        @WithDefault("6")
        int maxAttempts();

        /** Backoff before the second attempt; doubled per attempt up to max-backoff, with random jitter. */
        @WithDefault("200ms")
        Duration initialBackoff();

        @WithDefault("10s")
        Duration maxBackoff();

        /** A 429's Retry-After is honoured up to this wait. */
        @WithDefault("60s")
        Duration maxRetryAfter();
    }

    /**
     * Hung calls are cut at a multiple of the role's observed latency percentile rather than at the full timeout;
     * a call cut this way gets twice the timeout on its next attempt (up to {@code maspo.llm.timeout}).
     */
    interface AdaptiveTimeout {
        @WithDefault("true")
        boolean enabled();

        @WithDefault("0.99")
        double percentile();

        @WithDefault("3")
        double factor();

        /** Never cut sooner than this. */
        @WithDefault("2s")
        Duration min();

        /** Answered attempts of a role needed before its timeout adapts. */
        @WithDefault("20")
        int minSamples();

        /** The latest answered attempts per role the percentile is taken over. */
        @WithDefault("500")
        int window();
    }
}
