package ai.maspo.protocol;

/**
 * One model role. {@code baseUrl} null means the evaluator's configured endpoint for that role;
 * API keys never travel in messages, they are evaluator configuration.
 */
public record ModelEndpoint(String baseUrl, String model, double temperature) {
}
