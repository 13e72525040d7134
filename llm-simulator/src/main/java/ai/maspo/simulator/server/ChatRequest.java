package ai.maspo.simulator.server;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The fields of an OpenAI chat-completions request the simulator uses.
 *
 * @param text the contents of all messages joined by blank lines (content parts of type text included)
 */
record ChatRequest(String model, String text, Long seed, double temperature, Integer maxTokens, boolean stream) {

    static ChatRequest parse(JsonNode body) {
        JsonNode messages = body.path("messages");
        if (!messages.isArray() || messages.isEmpty()) {
            throw new IllegalArgumentException("'messages' must be a non-empty array");
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode message : messages) {
            JsonNode content = message.path("content");
            if (content.isArray()) {
                for (JsonNode part : content) {
                    append(text, part.path("text").asText(""));
                }
            } else {
                append(text, content.asText(""));
            }
        }
        JsonNode maxTokens = body.hasNonNull("max_completion_tokens") ? body.get("max_completion_tokens") : body.get("max_tokens");
        return new ChatRequest(
                body.hasNonNull("model") ? body.get("model").asText() : null,
                text.toString(),
                body.hasNonNull("seed") ? body.get("seed").asLong() : null,
                body.path("temperature").asDouble(0),
                maxTokens != null && maxTokens.isNumber() ? maxTokens.asInt() : null,
                body.path("stream").asBoolean(false));
    }

    private static void append(StringBuilder text, String part) {
        if (!text.isEmpty()) {
            text.append("\n\n");
        }
        text.append(part);
    }
}
