package ai.maspo.orchestrator.search;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;
import java.util.Map;

/**
 * Work the engine asks for. Every id is derived from the search position, so a re-sent command has the same id and
 * its result can be recognised; {@code seed} is derived from the run seed and the id. Commands that expect an event
 * are {@link #awaitsResult() awaited}; the others are one-way.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = SearchCommand.RequestMinibatch.class, name = "request-minibatch"),
        @JsonSubTypes.Type(value = SearchCommand.RunBaseline.class, name = "run-baseline"),
        @JsonSubTypes.Type(value = SearchCommand.Propose.class, name = "propose"),
        @JsonSubTypes.Type(value = SearchCommand.ScoreCandidate.class, name = "score-candidate"),
        @JsonSubTypes.Type(value = SearchCommand.RecordMisalignment.class, name = "record-misalignment"),
        @JsonSubTypes.Type(value = SearchCommand.Finish.class, name = "finish"),
})
public sealed interface SearchCommand {

    String id();

    default boolean awaitsResult() {
        return !(this instanceof RecordMisalignment || this instanceof Finish);
    }

    /**
     * Draw {@code size} questions: up to {@code maxInjected} from the memory of {@code memoryAgents}, the rest at
     * random without replacement. {@code refresh} marks the mini-batch of a beam refresh before {@code layer}.
     */
    record RequestMinibatch(String id, String agent, int layer, boolean refresh, int size, int maxInjected,
                            List<String> memoryAgents, SamplingMode sampling, long seed) implements SearchCommand {
    }

    /**
     * Run the MAS on the questions once per beam node, {@code agent} taking the node's prompt and the others
     * {@code prompts}; upstream of {@code agent} is the same for all nodes and is computed once.
     */
    record RunBaseline(String id, String agent, int layer, Map<String, String> nodePrompts, List<String> questionIds,
                       Map<String, String> prompts, long seed) implements SearchCommand {
    }

    /**
     * One optimizer call for beam node {@code nodeId}: it sees the baseline traces ({@code baselineId}) of
     * {@code traceQuestionIds}, and those of {@code flaggedQuestionIds} flagged as misalignment cases.
     */
    record Propose(String id, String agent, int layer, String nodeId, String nodePrompt, String baselineId,
                   List<String> traceQuestionIds, List<String> flaggedQuestionIds, long seed) implements SearchCommand {
    }

    /**
     * Re-run {@code agent} with the candidate and with the parent, and their descendants (upstream reused), on the
     * questions, the others holding {@code prompts}; compare the outputs of {@code judgedAgents} in both orders.
     */
    record ScoreCandidate(String id, String agent, String candidateId, String candidatePrompt, String parentPrompt,
                          List<String> questionIds, Map<String, String> prompts, List<String> judgedAgents,
                          long seed) implements SearchCommand {
    }

    /** Store these cases in {@code agent}'s memory; send before any later mini-batch request (same ordered channel). */
    record RecordMisalignment(String id, String agent, List<MemoryCase> cases) implements SearchCommand {
    }

    /** The search is over; {@code bestPrompts} are the optimized prompts of the optimizable agents. */
    record Finish(String id, Map<String, String> bestPrompts, String reason) implements SearchCommand {
    }
}
