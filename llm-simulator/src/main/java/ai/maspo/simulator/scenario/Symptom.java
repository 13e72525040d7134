package ai.maspo.simulator.scenario;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What an optimizer can see in the traces shown to it, and what makes it propose or remove a skill. */
public enum Symptom {
    /** An output whose final answer is wrong. */
    @JsonProperty("wrong_answer") WRONG_ANSWER,
    /** An output with no extractable final answer. */
    @JsonProperty("no_answer") NO_ANSWER,
    /** An output with more {@code Step} lines than the context budget. */
    @JsonProperty("too_long") TOO_LONG,
    /** A context (predecessors' outputs) that carried no final answer. */
    @JsonProperty("context_without_answer") CONTEXT_WITHOUT_ANSWER,
    /** Shown downstream only: this agent's answer was right, the final answer shown for the same item is wrong. */
    @JsonProperty("lost_downstream") LOST_DOWNSTREAM
}
