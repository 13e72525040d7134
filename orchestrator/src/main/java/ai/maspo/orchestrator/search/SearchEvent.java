package ai.maspo.orchestrator.search;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;

/** Results fed back to the engine. An event for a command that is not outstanding is ignored. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = SearchEvent.MinibatchDrawn.class, name = "minibatch-drawn"),
        @JsonSubTypes.Type(value = SearchEvent.BaselineDone.class, name = "baseline-done"),
        @JsonSubTypes.Type(value = SearchEvent.ProposalReceived.class, name = "proposal-received"),
        @JsonSubTypes.Type(value = SearchEvent.CandidateJudged.class, name = "candidate-judged"),
        @JsonSubTypes.Type(value = SearchEvent.CommandFailed.class, name = "command-failed"),
        @JsonSubTypes.Type(value = SearchEvent.BudgetExhausted.class, name = "budget-exhausted"),
        @JsonSubTypes.Type(value = SearchEvent.Cancelled.class, name = "cancelled"),
})
public sealed interface SearchEvent {

    /** {@code injectedIds} ⊆ {@code questionIds}: the questions taken from memory. */
    record MinibatchDrawn(String commandId, List<String> questionIds, List<String> injectedIds) implements SearchEvent {
    }

    record BaselineDone(String commandId) implements SearchEvent {
    }

    /** {@code prompt} is the parsed {@code <prompt>} content, null when the reply had none. */
    record ProposalReceived(String commandId, String prompt) implements SearchEvent {
    }

    /** A missing (question, judged agent) pair counts as a tie. */
    record CandidateJudged(String commandId, List<Judgement> judgements) implements SearchEvent {
    }

    /** The command could not be done after the worker's bounded retries. */
    record CommandFailed(String commandId, String reason) implements SearchEvent {
    }

    /** A budget ceiling was reached: finish now with the best prompts so far. */
    record BudgetExhausted(String reason) implements SearchEvent {
    }

    /** The run was cancelled ({@code reason} says by whom): finish now with the best prompts so far, as at a budget. */
    record Cancelled(String reason) implements SearchEvent {
    }
}
