package ai.maspo.evaluator.service;

import ai.maspo.evaluator.config.LlmConfig;
import ai.maspo.evaluator.prompting.ChatPrompt;
import ai.maspo.protocol.ModelRole;
import ai.maspo.protocol.ModelSettings;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * One chat completion against the endpoint configured for a model role, as a bounded series of HTTP attempts:
 * every attempt is counted durably ({@link UsageAnnouncer}) before it is sent, whatever it then comes to (answered,
 * 429, 500, timed out, malformed), and withdrawn only when it certainly never reached the server; its tokens and time
 * go to the job's {@link UsageMeter} as it ends. Each attempt first passes its endpoint's {@link EndpointGate}
 * (requests in flight, requests and tokens per minute, the endpoint-wide pause after a 429, the circuit breaker),
 * then the evaluator-wide {@code maspo.llm.max-in-flight} ({@link CallSlots}). Failures other than 429s back off
 * exponentially with jitter (the jitter varies cost and timing, never results), and a hung attempt is cut at a
 * timeout derived from the role's observed latency. Model name, temperature and seed come from the run, per request.
 */
@ApplicationScoped
public class LlmCaller {

    /** The completion tokens assumed for a request without max_tokens, unless configured. */
    static final int DEFAULT_COMPLETION_ESTIMATE = 256;

    private final LlmConfig config;
    private final UsageAnnouncer announcer;
    private final ObjectMapper mapper;
    private final MeterRegistry registry;
    private final Map<ModelRole, ChatEndpoint> endpoints = new EnumMap<>(ModelRole.class);
    private final Map<ModelRole, EndpointGate> gates = new EnumMap<>(ModelRole.class);
    private final Map<ModelRole, LatencyWindow> latencies = new EnumMap<>(ModelRole.class);
    private final CallSlots slots;

    LlmCaller(LlmConfig config, UsageAnnouncer announcer, ObjectMapper mapper, MeterRegistry registry) {
        this.config = config;
        this.announcer = announcer;
        this.mapper = mapper;
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
        Map<String, List<ModelRole>> rolesByEndpoint = new LinkedHashMap<>();
        for (ModelRole role : ModelRole.values()) {
            LlmConfig.Endpoint endpoint = endpointConfig(role);
            String baseUrl = endpoint.baseUrl().orElse(config.baseUrl());
            endpoints.put(role, new ChatEndpoint(http, mapper, baseUrl, endpoint.apiKey().orElse(config.apiKey())));
            rolesByEndpoint.computeIfAbsent(endpointName(baseUrl), k -> new ArrayList<>()).add(role);
            latencies.put(role, new LatencyWindow(adaptive.window(), adaptive.minSamples(), adaptive.percentile(),
                    adaptive.factor(), adaptive.min()));
        }
        rolesByEndpoint.forEach((name, roles) -> {
            EndpointGate gate = new EndpointGate(name, settings(name, roles), config.circuitBreaker(), registry);
            roles.forEach(role -> gates.put(role, gate));
        });
    }

    private LlmConfig.Endpoint endpointConfig(ModelRole role) {
        return switch (role) {
            case AGENT -> config.agent();
            case OPTIMIZER -> config.optimizer();
            case JUDGE -> config.judge();
        };
    }

    /** The endpoint's identity for limits, metrics and the answer cache: its base URL without credentials or query. */
    static String endpointName(String baseUrl) {
        URI uri = URI.create(baseUrl.replaceAll("/+$", ""));
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
                + (uri.getRawPath() == null ? "" : uri.getRawPath());
    }

    /** The limits of an endpoint: what its roles set (they must agree), else {@code maspo.llm.limits}. */
    private EndpointGate.Settings settings(String endpoint, List<ModelRole> roles) {
        return new EndpointGate.Settings(
                limit(endpoint, roles, "max-in-flight", LlmConfig.Limits::maxInFlight).orElse(config.maxInFlight()),
                limit(endpoint, roles, "requests-per-minute", LlmConfig.Limits::requestsPerMinute),
                limit(endpoint, roles, "tokens-per-minute", LlmConfig.Limits::tokensPerMinute),
                limit(endpoint, roles, "completion-tokens-estimate", LlmConfig.Limits::completionTokensEstimate)
                        .orElse(DEFAULT_COMPLETION_ESTIMATE),
                limit(endpoint, roles, "timeout", LlmConfig.Limits::timeout).orElse(config.timeout()));
    }

    private <T> Optional<T> limit(String endpoint, List<ModelRole> roles, String key,
                                  Function<LlmConfig.Limits, Optional<T>> field) {
        Map<ModelRole, T> set = new EnumMap<>(ModelRole.class);
        roles.forEach(role -> field.apply(endpointConfig(role).limits()).ifPresent(value -> set.put(role, value)));
        Set<T> distinct = Set.copyOf(set.values());
        if (distinct.size() > 1) {
            throw new IllegalStateException("roles " + set.keySet() + " share endpoint " + endpoint
                    + " but set different maspo.llm.<role>.limits." + key + ": " + set.entrySet().stream()
                    .map(e -> e.getKey().name().toLowerCase() + "=" + e.getValue()).collect(Collectors.joining(", ")));
        }
        return distinct.isEmpty() ? field.apply(config.limits()) : Optional.of(distinct.iterator().next());
    }

    /** The request a role's call sends: its endpoint and final body (see {@link LlmRequest}). */
    public LlmRequest request(ModelRole role, ModelSettings settings, ChatPrompt prompt, long seed) {
        String body = endpoints.get(role).body(settings, prompt, seed);
        JsonNode json;
        try {
            json = mapper.readTree(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the request body this evaluator wrote is not JSON", e);
        }
        long promptCharacters = 0;
        for (JsonNode message : json.path("messages")) {
            promptCharacters += message.path("content").asText("").length();
        }
        JsonNode maxTokens = json.has("max_completion_tokens") ? json.get("max_completion_tokens")
                : json.path("max_tokens");
        boolean reproducible = json.has("seed") || json.path("temperature").isNumber()
                && json.path("temperature").asDouble() == 0.0;
        return new LlmRequest(role, gates.get(role).name(), settings.model(), body, reproducible,
                gates.get(role).estimateTokens(promptCharacters,
                        maxTokens.canConvertToLong() ? OptionalLong.of(maxTokens.asLong()) : OptionalLong.empty()));
    }

    public LlmReply call(LlmRequest request, UsageMeter meter) {
        ModelRole role = request.role();
        LlmConfig.Retry retry = config.retry();
        ChatEndpoint endpoint = endpoints.get(role);
        EndpointGate gate = gates.get(role);
        LatencyWindow latency = latencies.get(role);
        Duration ceiling = gate.timeout();
        Duration timeout = config.adaptiveTimeout().enabled() ? latency.timeout(ceiling) : ceiling;
        ChatEndpoint.Attempt.Failed failure = null;
        int attempt = 0;
        while (attempt < retry.maxAttempts()) {
            attempt++;
            // After a 429 the gate holds the whole endpoint back: no wait of this request's own.
            if (failure != null && !failure.rateLimited()) {
                pause(failure, attempt, retry);
            }
            Optional<EndpointGate.Pass> admitted = gate.enter(request.estimatedTokens());
            if (admitted.isEmpty()) {
                count(role, "circuit-open");
                failure = new ChatEndpoint.Attempt.Failed("the circuit breaker of " + gate.name()
                        + " is open after repeated failures", true, false, false, false,
                        Optional.of(gate.breakerOpenFor()));
                continue;
            }
            ChatEndpoint.Attempt outcome;
            long millis;
            // The endpoint's turn, then a slot: a call counted while it waits would be paid for nothing if the
            // evaluator died. Closing an unused pass gives back what it took.
            try (EndpointGate.Pass pass = admitted.get(); CallSlots.Slot slot = slots.acquire()) {
                // Throws, and nothing is sent, when the count cannot be made durable.
                announcer.announce(meter, role);
                long start = System.nanoTime(); // the waits for a slot and the count are not the endpoint's latency
                outcome = endpoint.attempt(request.body(), timeout);
                millis = (System.nanoTime() - start) / 1_000_000;
                pass.sent(outcome, outcome instanceof ChatEndpoint.Attempt.Failed f && f.rateLimited()
                        ? waitBefore(f, attempt + 1, retry) : Duration.ZERO);
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
            count(role, failure.timedOut() ? "timeout" : failure.rateLimited() ? "rate-limited" : "failed");
            if (!failure.retriable()) {
                break;
            }
            if (failure.timedOut()) {
                // Maybe just a slow answer: give the next attempt more time, never more than the configured bound.
                timeout = timeout.multipliedBy(2).compareTo(ceiling) < 0 ? timeout.multipliedBy(2) : ceiling;
            }
        }
        throw new LlmCallFailedException(role.name().toLowerCase() + " call to model '" + request.model()
                + "' failed after " + attempt + (attempt == 1 ? " attempt: " : " attempts: ") + failure.reason(), null);
    }

    /** Waits {@link #waitBefore} the next attempt. */
    private static void pause(ChatEndpoint.Attempt.Failed failure, int attempt, LlmConfig.Retry retry) {
        try {
            Thread.sleep(waitBefore(failure, attempt, retry));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LlmCallFailedException("interrupted while backing off", e);
        }
    }

    /** Retry-After when the server said it (bounded), else exponential backoff with jitter. */
    private static Duration waitBefore(ChatEndpoint.Attempt.Failed failure, int attempt, LlmConfig.Retry retry) {
        return Duration.ofMillis(failure.retryAfter()
                .map(d -> Math.min(d.toMillis(), retry.maxRetryAfter().toMillis()))
                .orElseGet(() -> {
                    long ceiling = Math.min(retry.maxBackoff().toMillis(),
                            retry.initialBackoff().toMillis() << Math.min(attempt - 2, 20));
                    return ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1);
                }));
    }

    private void count(ModelRole role, String outcome) {
        registry.counter("maspo.llm.attempts", "role", role.name().toLowerCase(), "outcome", outcome).increment();
    }
}
