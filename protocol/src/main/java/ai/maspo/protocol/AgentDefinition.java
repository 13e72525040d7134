package ai.maspo.protocol;

/** One agent of the multi-agent system; {@code promptTemplate} holds {@code {question}} and optionally {@code {context}}. */
public record AgentDefinition(String id, String role, String description, String promptTemplate, AgentType type) {
}
