package ai.maspo.protocol;

/** LLM cost of one job for one model role; {@code cachedCalls} were answered from the evaluator's cache and cost nothing. */
public record Usage(ModelRole role, long calls, long cachedCalls, long promptTokens, long completionTokens, long millis) {
}
