package ai.maspo.evaluator.service;

import ai.maspo.evaluator.prompting.ChatPrompt;
import ai.maspo.evaluator.prompting.ReplyText;
import ai.maspo.protocol.ModelSettings;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Optional;

/**
 * One OpenAI-compatible chat completions endpoint, one HTTP request per {@link #attempt}: no retry here, so the
 * caller sees, counts and paces every request (the langchain4j clients retry inside and hide the Retry-After
 * header, and their timeout is fixed per client, which hung calls need per attempt).
 */
final class ChatEndpoint {

    /**
     * What one request came to. {@code paid}: the server may have received it, so it may bill it; false only when no
     * connection was made, so no byte of the request was sent.
     */
    sealed interface Attempt {
        boolean paid();

        /**
         * {@code text}: the content without its reasoning; {@code reasoning}: null when the model gave none;
         * {@code cachedPromptTokens}: the part of the prompt the provider served from its prompt cache.
         */
        record Answered(String text, String reasoning, long promptTokens, long completionTokens,
                        long cachedPromptTokens) implements Attempt {
            public boolean paid() {
                return true;
            }
        }

        /** {@code rateLimited}: a 429; {@code retryAfter}: the server's own wait, if it said one. */
        record Failed(String reason, boolean retriable, boolean paid, boolean timedOut, boolean rateLimited,
                      Optional<Duration> retryAfter) implements Attempt {
        }
    }

    private final HttpClient http;
    private final ObjectMapper mapper;
    private final URI uri;
    private final String apiKey;

    ChatEndpoint(HttpClient http, ObjectMapper mapper, String baseUrl, String apiKey) {
        this.http = http;
        this.mapper = mapper;
        this.uri = URI.create(baseUrl.replaceAll("/+$", "") + "/chat/completions");
        this.apiKey = apiKey;
    }

    /** The endpoint's address, the same for every role configured with it. */
    URI uri() {
        return uri;
    }

    /** Sends {@code body} (from {@link #body}) once. */
    Attempt attempt(String body, Duration timeout) {
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + apiKey)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (HttpConnectTimeoutException | ConnectException e) {
            return new Attempt.Failed("cannot connect: " + e.getMessage(), true, false, false, false, Optional.empty());
        } catch (HttpTimeoutException e) {
            return new Attempt.Failed("no answer within " + timeout.toMillis() + " ms", true, true, true, false,
                    Optional.empty());
        } catch (IOException e) {
            return new Attempt.Failed("I/O error: " + e, true, true, false, false, Optional.empty());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LlmCallFailedException("interrupted", e);
        }
        int status = response.statusCode();
        if (status == 200) {
            return answer(response.body());
        }
        String reason = "HTTP " + status + ": " + abbreviate(response.body());
        boolean retriable = status == 408 || status == 409 || status == 429 || status >= 500;
        return new Attempt.Failed(reason, retriable, true, false, status == 429,
                status == 429 ? retryAfter(response) : Optional.empty());
    }

    private Attempt answer(String body) {
        JsonNode root;
        try {
            root = mapper.readTree(body);
        } catch (IOException e) {
            return new Attempt.Failed("malformed body: " + abbreviate(body), true, true, false, false, Optional.empty());
        }
        JsonNode message = root.path("choices").path(0).path("message");
        JsonNode content = message.path("content");
        // DeepSeek, vLLM and LiteLLM name it reasoning_content; OpenRouter and Ollama's OpenAI API name it reasoning
        JsonNode reasoning = message.path("reasoning_content").isTextual() ? message.path("reasoning_content")
                : message.path("reasoning");
        if (!content.isTextual() && !reasoning.isTextual()) {
            return new Attempt.Failed("answer without text: " + abbreviate(body), true, true, false, false,
                    Optional.empty());
        }
        ReplyText reply = ReplyText.of(content.isTextual() ? content.asText() : null,
                reasoning.isTextual() ? reasoning.asText() : null);
        if (reply.text().isEmpty()) {
            // e.g. a reasoning model that spent max_tokens thinking: an empty answer is a failure, never an answer
            return new Attempt.Failed("empty answer" + (reply.reasoning() != null ? " (reasoning only)" : "") + ": "
                    + abbreviate(body), true, true, false, false, Optional.empty());
        }
        JsonNode usage = root.path("usage");
        return new Attempt.Answered(reply.text(), reply.reasoning(), usage.path("prompt_tokens").asLong(0),
                usage.path("completion_tokens").asLong(0),
                usage.path("prompt_tokens_details").path("cached_tokens").asLong(0));
    }

    /**
     * The request body: the run's parameters for the role, optional ones only when given, then the run's extra fields,
     * none of which may replace a field set here (the orchestrator refuses such a spec; skipping them again here
     * keeps a message that slipped past it from changing what the platform controls). Everything the answer depends
     * on is in it: the answer cache's key is made of it.
     */
    String body(ModelSettings settings, ChatPrompt prompt, long seed) {
        ObjectNode body = mapper.createObjectNode()
                .put("model", settings.model())
                .put("temperature", settings.temperature());
        if (!settings.omitSeed()) {
            body.put("seed", (int) (seed ^ (seed >>> 32)));
        }
        if (settings.maxTokens() != null) {
            body.put("max_tokens", settings.maxTokens());
        }
        if (settings.topP() != null) {
            body.put("top_p", settings.topP());
        }
        if (settings.stop() != null && !settings.stop().isEmpty()) {
            settings.stop().forEach(body.putArray("stop")::add);
        }
        if (settings.reasoningEffort() != null) {
            body.put("reasoning_effort", settings.reasoningEffort().wireName());
        }
        ArrayNode messages = body.putArray("messages");
        if (!prompt.system().isBlank()) {
            messages.addObject().put("role", "system").put("content", prompt.system());
        }
        messages.addObject().put("role", "user").put("content", prompt.user());
        if (settings.extraBody() != null) {
            settings.extraBody().forEach((field, value) -> {
                if (!body.has(field) && !ModelSettings.PLATFORM_FIELDS.contains(field)) {
                    body.set(field, value);
                }
            });
        }
        return body.toString();
    }

    /** Retry-After in seconds (the HTTP-date form is rare for APIs and falls back to our own backoff). */
    private static Optional<Duration> retryAfter(HttpResponse<?> response) {
        return response.headers().firstValue("Retry-After").flatMap(value -> {
            try {
                return Optional.of(Duration.ofMillis(Math.round(Double.parseDouble(value.trim()) * 1000)));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }).filter(d -> !d.isNegative());
    }

    private static String abbreviate(String text) {
        return text == null ? "" : text.length() <= 200 ? text : text.substring(0, 200) + "…";
    }
}
