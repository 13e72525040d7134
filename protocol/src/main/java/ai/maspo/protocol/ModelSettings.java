package ai.maspo.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.validation.constraints.NotBlank;

import java.util.List;
import java.util.Map;

/**
 * How one model role of a run is called. Endpoints and API keys are evaluator configuration, never part of a run or a
 * message: a run spec must not be able to send our keys elsewhere. Null optional parameters are left out of the
 * request; {@code omitSeed} leaves out the {@code seed} (some providers reject it); {@code extraBody} holds further
 * request fields, checked by the orchestrator never to override those the platform sets. The bounds are enforced
 * where a run is submitted (the orchestrator's run spec validation).
 */
public record ModelSettings(@NotBlank String model, double temperature, Integer maxTokens, Double topP,
                            List<String> stop, boolean omitSeed, ReasoningEffort reasoningEffort,
                            Map<String, JsonNode> extraBody) {

    /**
     * Request fields the platform sets, or leaves out on purpose (a streamed or multiple-choice answer would not be
     * read): a run's {@code extraBody} may not name them.
     */
    public static final List<String> PLATFORM_FIELDS = List.of("model", "messages", "temperature", "seed", "stream",
            "n", "max_tokens", "top_p", "stop", "reasoning_effort");

    /** Model and temperature only: every other parameter is the provider's default, and the seed is sent. */
    public ModelSettings(String model, double temperature) {
        this(model, temperature, null, null, null, false, null, null);
    }
}
