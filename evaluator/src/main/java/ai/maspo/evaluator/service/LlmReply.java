package ai.maspo.evaluator.service;

/**
 * A model's answer with its token counts as reported by the endpoint: {@code text} without the reasoning (what every
 * parser reads), {@code reasoning} as the model gave it (null when none; kept for inspection only).
 */
public record LlmReply(String text, String reasoning, long promptTokens, long completionTokens) {
}
