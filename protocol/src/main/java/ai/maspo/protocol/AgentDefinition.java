package ai.maspo.protocol;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

/** One agent of the multi-agent system; {@code promptTemplate} holds {@code {question}} and optionally {@code {context}}. */
public record AgentDefinition(@NotBlank String id, String role, String description, String promptTemplate,
                              @NotNull AgentType type) {
}
