package ai.maspo.evaluator.service;

/** A model's answer with its token counts as reported by the endpoint. */
public record LlmReply(String text, long promptTokens, long completionTokens) {
}
