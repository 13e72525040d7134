package ai.maspo.orchestrator.search;

/**
 * A scored prompt: a candidate against its parent in a layer, or a beam node against the agent's best in a refresh.
 * {@code accepted} means R > 0 (a layer's candidate became a child node; a refresh's top node re-anchored).
 * {@code failed} means the scoring job failed and R was taken as 0.
 */
public record ScoredCandidate(String id, String parentId, String prompt, double jointScore, JointScore.Rates rates,
                              boolean accepted, boolean failed) {
}
