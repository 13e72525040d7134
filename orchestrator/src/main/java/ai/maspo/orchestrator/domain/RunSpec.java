package ai.maspo.orchestrator.domain;

import ai.maspo.protocol.AgentType;
import ai.maspo.protocol.AnswerCheck;
import ai.maspo.protocol.AnswerExtraction;
import ai.maspo.protocol.ReasoningEffort;
import ai.maspo.protocol.TaskType;
import com.fasterxml.jackson.databind.JsonNode;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * What a user submits to start an optimization run (DESIGN.md §2). Optional parts are null; defaults are
 * applied by {@link RunSpecValidator#validate}. The constraints are the upper bounds of {@link Limits}: checked at
 * the HTTP edge before anything else runs, and published in the OpenAPI document.
 */
public record RunSpec(@Size(max = Limits.NAME) String name, @Valid Mas mas, @Valid Task task, @Valid Data data,
                      @Valid Models models, @Valid Search search, @Valid Budget budget) {

    /**
     * Either {@code agents} and {@code edges} (any DAG), or a built-in {@code topology} (see
     * {@link BuiltInTopologies#NAMES}) with its {@code size} (rounds or predictors) and optional prompt overrides.
     */
    public record Mas(@Size(max = Limits.AGENTS) List<@Valid Agent> agents,
                      @Size(max = Limits.EDGES) List<@Valid EdgeSpec> edges,
                      @Schema(enumeration = {"reflect", "debate", "summarize", "aggregate", "llm_agg",
                              "debate_llm_agg", "hierarchical"}) @Size(max = Limits.WORD) String topology,
                      @Min(1) @Max(Limits.TOPOLOGY_SIZE) Integer size,
                      @Size(max = Limits.AGENTS) Map<@Size(max = Limits.AGENT_ID) String, @Size(max = Limits.PROMPT) String> prompts) {
    }

    /** {@code prompt} is a template with {@code {question}} and optionally {@code {context}}. */
    public record Agent(@Size(max = Limits.AGENT_ID) String id, @Size(max = Limits.ROLE) String role,
                        @Size(max = Limits.DESCRIPTION) String description, @Size(max = Limits.PROMPT) String prompt,
                        AgentType type) {
    }

    public record EdgeSpec(@Size(max = Limits.AGENT_ID) String from, @Size(max = Limits.AGENT_ID) String to) {
    }

    /** {@code extraction} and {@code checker} default by task type (see {@link RunSpecValidator}). */
    public record Task(TaskType type, AnswerExtraction extraction, @Size(max = Limits.REQUIREMENT) String requirement,
                       AnswerCheck checker) {
    }

    /** Questions inline, or {@code datasetId} of an imported dataset whose pool and test split are used. */
    public record Data(@Size(max = Limits.QUESTIONS) List<@Valid QuestionSpec> pool,
                       @Size(max = Limits.QUESTIONS) List<@Valid QuestionSpec> test,
                       @Size(max = Limits.DATASET_ID) String datasetId) {
    }

    public record QuestionSpec(@Size(max = Limits.QUESTION_ID) String id, @Size(max = Limits.QUESTION_TEXT) String text,
                               @Size(max = Limits.REFERENCE) String reference, @Size(max = Limits.TESTS) String tests) {
    }

    public record Models(@Valid ModelSpec agent, @Valid ModelSpec optimizer, @Valid ModelSpec judge) {
    }

    /**
     * One model role. Every field but {@code model} is optional: {@code temperature} defaults by role, the other
     * request parameters are left out (the provider's defaults), the seed is sent unless {@code sendSeed} is false.
     * {@code extraBody} adds fields to the request body; it cannot replace those set here or by the platform
     * ({@code model, messages, temperature, seed, stream, n, max_tokens, top_p, stop, reasoning_effort}).
     * {@code price} replaces the server's price table for this role's model in this run.
     */
    public record ModelSpec(@Size(max = Limits.MODEL) String model, @DecimalMin("0") @DecimalMax("2") Double temperature,
                            @Min(1) @Max(Limits.MAX_TOKENS) Integer maxTokens,
                            @DecimalMin(value = "0", inclusive = false) @DecimalMax("1") Double topP,
                            @Size(max = Limits.STOP_SEQUENCES) List<@NotNull @Size(min = 1, max = Limits.STOP_LENGTH) String> stop,
                            Boolean sendSeed, ReasoningEffort reasoningEffort,
                            @Schema(description = "further request body fields (a JSON object)")
                            @Size(max = Limits.EXTRA_FIELDS) Map<@Size(min = 1, max = Limits.EXTRA_KEY) String, JsonNode> extraBody,
                            @Valid Price price) {
    }

    /**
     * US dollars per million tokens: prompt tokens, completion tokens, and prompt tokens the provider served from its
     * prompt cache (priced as other prompt tokens when left out).
     */
    public record Price(@NotNull @DecimalMin("0") @DecimalMax(Limits.PRICE_MAX) BigDecimal inputPerMillion,
                        @NotNull @DecimalMin("0") @DecimalMax(Limits.PRICE_MAX) BigDecimal outputPerMillion,
                        @DecimalMin("0") @DecimalMax(Limits.PRICE_MAX) BigDecimal cachedInputPerMillion) {
    }

    /** Any setting left out (or null) takes the paper's default (see {@link ai.maspo.orchestrator.search.SearchSettings}). */
    public record Search(@Schema(ref = "Strategy", defaultValue = "maspo") @Size(max = Limits.WORD)
                         String strategy,
                         @Min(1) @Max(Limits.BEAM_WIDTH) Integer beamWidth,
                         @Min(1) @Max(Limits.CANDIDATES) Integer candidatesPerNode,
                         @Min(1) @Max(Limits.MINIBATCH) Integer minibatchSize,
                         @Min(1) @Max(Limits.LAYERS) Integer layersPerAgent,
                         @Min(1) @Max(Limits.LAYERS) Integer layersPerTurn,
                         @Valid Weights weights,
                         @Min(0) @Max(Limits.CASES) Integer misalignmentCasesKept,
                         @Min(0) @Max(Limits.INJECTED) Integer maxInjected,
                         Long seed,
                         @Valid Guards guards) {
    }

    /**
     * The acceptance guards of strategy {@code maspo-guarded}, each an ablation switch; refused with any other
     * strategy. A setting left out takes its default: all on, confidence 1, maxMinibatchSize 2 × minibatchSize.
     */
    public record Guards(Boolean boundAcceptance,
                         @DecimalMin("0") @DecimalMax("4") Double confidence,
                         Boolean doNoHarm,
                         Boolean adaptiveMinibatch,
                         @Min(1) @Max(Limits.MINIBATCH) Integer maxMinibatchSize) {
    }

    /** local:lookahead:global, any scale; all three are required when weights are given. */
    public record Weights(@NotNull @DecimalMin("0") @DecimalMax(Limits.WEIGHT_MAX) Double local,
                          @NotNull @DecimalMin("0") @DecimalMax(Limits.WEIGHT_MAX) Double lookahead,
                          @NotNull @DecimalMin("0") @DecimalMax(Limits.WEIGHT_MAX) Double global) {
    }

    /**
     * Ceilings of a run; a search whose estimated LLM calls exceed the server's ceiling needs {@code maxLlmCalls}.
     * {@code maxCostUsd} needs a price for every role's model (the server's price table or the spec's own).
     */
    public record Budget(@Min(1) @Max(Limits.LLM_CALLS) Long maxLlmCalls, @Min(1) @Max(Limits.TOKENS) Long maxTokens,
                         @Min(1) @Max(Limits.WALL_SECONDS) Long maxWallSeconds,
                         @DecimalMin(value = "0", inclusive = false) @DecimalMax(Limits.COST_MAX) BigDecimal maxCostUsd) {
    }
}
