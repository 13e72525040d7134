package ai.maspo.protocol;

/**
 * LLM cost of one job for one model role; {@code cachedCalls} were answered from the evaluator's cache and cost nothing.
 * In a usage report, {@code calls} may be negative: an evaluator counts an attempt before sending it, and withdraws
 * that count when the attempt certainly never reached the server (the connection was refused); every other field
 * only counts up.
 */
public record Usage(ModelRole role, long calls, long cachedCalls, long promptTokens, long completionTokens, long millis) {
}
