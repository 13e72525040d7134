package ai.maspo.orchestrator.search;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A scored prompt: a candidate against its parent in a layer, or a beam node against the agent's best in a refresh.
 * {@code accepted} means R > 0 (a layer's candidate became a child node; a refresh's top node re-anchored).
 * {@code failed} means the scoring job failed and R was taken as 0. Under {@code maspo-guarded} only (null and left
 * out of the JSON otherwise, so other strategies' histories read as before): {@code lowerBound}, R's lower confidence
 * bound, and {@code questions}, how many questions it was scored on (an adaptive mini-batch scores an open decision
 * on more).
 */
public record ScoredCandidate(String id, String parentId, String prompt, double jointScore, JointScore.Rates rates,
                              boolean accepted, boolean failed,
                              @JsonInclude(JsonInclude.Include.NON_NULL) Double lowerBound,
                              @JsonInclude(JsonInclude.Include.NON_NULL) Integer questions) {
}
