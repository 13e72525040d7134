package ai.maspo.evaluator.service;

import ai.maspo.evaluator.config.LlmConfig;
import ai.maspo.evaluator.prompting.ChatPrompt;
import ai.maspo.protocol.ModelRole;
import ai.maspo.protocol.ModelSettings;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One chat completion against the endpoint configured for a model role, as a bounded series of HTTP attempts:
 * every attempt is counted durably ({@link UsageAnnouncer}) before it is sent, whatever it then comes to (answered,
 * 429, 500, timed out, malformed), and withdrawn only when it certainly never reached the server; its tokens and time
 * go to the job's {@link UsageMeter} as it ends. A 429's Retry-After is honoured, other retriable failures back off
 * exponentially with jitter (the jitter varies cost and timing, never results), and a hung attempt is cut at a
 * timeout derived from the role's observed latency. At most
 * {@code maspo.llm.max-in-flight} attempts run at once ({@link CallSlots}). Model name, temperature and seed come
 * from the run, per request.
 */
@ApplicationScoped
public class LlmCaller {

    private final LlmConfig config;
    private final UsageAnnouncer announcer;
    private final MeterRegistry registry;
    private final Map<ModelRole, ChatEndpoint> endpoints = new EnumMap<>(ModelRole.class);
    private final Map<ModelRole, LatencyWindow> latencies = new EnumMap<>(ModelRole.class);
    private final CallSlots slots;

    LlmCaller(LlmConfig config, UsageAnnouncer announcer, ObjectMapper mapper, MeterRegistry registry) {
        this.config = config;
        this.announcer = announcer;
        this.registry = registry;
        this.slots = new CallSlots(config.maxInFlight());
        registry.gauge("maspo.llm.in-flight", slots, CallSlots::inFlight);
        // the capacity beside the use, for saturation; also bounds what a SIGKILL can leave counted but unsent
        registry.gauge("maspo.llm.slots", slots, CallSlots::size);
        registry.gauge("maspo.llm.waiting-for-slot", slots, CallSlots::waiting);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(config.timeout().compareTo(Duration.ofSeconds(10)) < 0 ? config.timeout()
                        : Duration.ofSeconds(10))
                .build();
        LlmConfig.AdaptiveTimeout adaptive = config.adaptiveTimeout();
        for (ModelRole role : ModelRole.values()) {
            LlmConfig.Endpoint endpoint = switch (role) {
                case AGENT -> config.agent();
                case OPTIMIZER -> config.optimizer();
                case JUDGE -> config.judge();
            };
            endpoints.put(role, new ChatEndpoint(http, mapper, endpoint.baseUrl().orElse(config.baseUrl()),
                    endpoint.apiKey().orElse(config.apiKey())));
            latencies.put(role, new LatencyWindow(adaptive.window(), adaptive.minSamples(), adaptive.percentile(),
                    adaptive.factor(), adaptive.min()));
        }
    }

    public LlmReply call(ModelRole role, ModelSettings settings, ChatPrompt prompt, long seed, UsageMeter meter) {
        LlmConfig.Retry retry = config.retry();
        ChatEndpoint endpoint = endpoints.get(role);
        LatencyWindow latency = latencies.get(role);
        Duration timeout = config.adaptiveTimeout().enabled() ? latency.timeout(config.timeout()) : config.timeout();
        ChatEndpoint.Attempt.Failed failure = null;
        int attempt = 0;
        while (attempt < retry.maxAttempts()) {
            attempt++;
            if (failure != null) {
                pause(failure, attempt, retry);
            }
            ChatEndpoint.Attempt outcome;
            long millis;
            // A slot first: a call counted while it waits for one would be paid for nothing if the evaluator died.
            try (CallSlots.Slot slot = slots.acquire()) {
                // Throws, and nothing is sent, when the count cannot be made durable.
                announcer.announce(meter, role);
                long start = System.nanoTime(); // the waits for a slot and the count are not the endpoint's latency
                outcome = endpoint.attempt(settings, prompt, seed, timeout);
                millis = (System.nanoTime() - start) / 1_000_000;
            }
            if (outcome.paid()) {
                meter.recordAttempt(role, outcome instanceof ChatEndpoint.Attempt.Answered a ? a : null, millis);
            } else {
                meter.recordUnsent(role);
            }
            if (outcome instanceof ChatEndpoint.Attempt.Answered answered) {
                count(role, "answered");
                latency.record(millis);
                return new LlmReply(answered.text(), answered.reasoning(), answered.promptTokens(), answered.completionTokens());
            }
            failure = (ChatEndpoint.Attempt.Failed) outcome;
            count(role, failure.timedOut() ? "timeout" : "failed");
            if (!failure.retriable()) {
                break;
            }
            if (failure.timedOut()) {
                // Maybe just a slow answer: give the next attempt more time, never more than the configured bound.
                timeout = timeout.multipliedBy(2).compareTo(config.timeout()) < 0 ? timeout.multipliedBy(2)
                        : config.timeout();
            }
        }
        throw new LlmCallFailedException(role.name().toLowerCase() + " call to model '" + settings.model()
                + "' failed after " + attempt + (attempt == 1 ? " attempt: " : " attempts: ") + failure.reason(), null);
    }

    /** Retry-After when the server said it (bounded), else exponential backoff with jitter. */
    private static void pause(ChatEndpoint.Attempt.Failed failure, int attempt, LlmConfig.Retry retry) {
        long waitMillis = failure.retryAfter()
                .map(d -> Math.min(d.toMillis(), retry.maxRetryAfter().toMillis()))
                .orElseGet(() -> {
                    long ceiling = Math.min(retry.maxBackoff().toMillis(),
                            retry.initialBackoff().toMillis() << Math.min(attempt - 2, 20));
                    return ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1);
                });
        try {
            Thread.sleep(waitMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LlmCallFailedException("interrupted while backing off", e);
        }
    }

    private void count(ModelRole role, String outcome) {
        registry.counter("maspo.llm.attempts", "role", role.name().toLowerCase(), "outcome", outcome).increment();
    }
}
