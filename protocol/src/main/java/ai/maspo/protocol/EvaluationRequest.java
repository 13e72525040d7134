package ai.maspo.protocol;

/**
 * One evaluation job. {@code requestId} is deterministic (derived from run and search position), so a
 * redelivered or re-sent request is recognised; {@code seed} is passed on to the LLM requests.
 */
public record EvaluationRequest(String requestId, String runId, long seed, MasDefinition mas, ModelRoles models,
                                EvaluationJob job) {
}
