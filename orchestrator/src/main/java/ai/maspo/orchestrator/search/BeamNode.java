package ai.maspo.orchestrator.search;

/** One prompt of an agent's beam with its cumulative score J; {@code parentId} is null for the seed. */
public record BeamNode(String id, String prompt, double score, String parentId) {
}
