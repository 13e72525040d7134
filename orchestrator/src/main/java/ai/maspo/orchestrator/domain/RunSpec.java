package ai.maspo.orchestrator.domain;

import ai.maspo.orchestrator.search.JointWeights;
import ai.maspo.protocol.AgentType;
import ai.maspo.protocol.TaskType;

import java.util.List;

/**
 * What a user submits to start an optimization run (DESIGN.md §2). Optional parts are null; defaults are
 * applied by {@link RunSpecValidator#normalize}.
 */
public record RunSpec(String name, Mas mas, Task task, Data data, Models models, Search search, Budget budget) {

    /**
     * Either {@code agents} and {@code edges} (any DAG), or a built-in {@code topology} (see
     * {@link BuiltInTopologies#NAMES}) with its {@code size} (rounds or predictors) and optional prompt overrides.
     */
    public record Mas(List<Agent> agents, List<EdgeSpec> edges, String topology, Integer size,
                      java.util.Map<String, String> prompts) {
    }

    /** {@code prompt} is a template with {@code {question}} and optionally {@code {context}}. */
    public record Agent(String id, String role, String description, String prompt, AgentType type) {
    }

    public record EdgeSpec(String from, String to) {
    }

    public record Task(TaskType type, String extraction, String requirement, String checker) {
    }

    /** Questions inline, or {@code datasetId} of an imported dataset whose pool and test split are used. */
    public record Data(List<QuestionSpec> pool, List<QuestionSpec> test, String datasetId) {
    }

    public record QuestionSpec(String id, String text, String reference, String tests) {
    }

    public record Models(ModelSpec agent, ModelSpec optimizer, ModelSpec judge) {
    }

    public record ModelSpec(String model, Double temperature) {
    }

    /** Any setting left out takes the paper's default (see {@link ai.maspo.orchestrator.search.SearchSettings}). */
    public record Search(String strategy, Integer beamWidth, Integer candidatesPerNode, Integer minibatchSize,
                         Integer layersPerAgent, Integer layersPerTurn, JointWeights weights,
                         Integer misalignmentCasesKept, Integer maxInjected, Long seed) {
    }

    public record Budget(Long maxLlmCalls, Long maxTokens, Long maxWallSeconds) {
    }
}
