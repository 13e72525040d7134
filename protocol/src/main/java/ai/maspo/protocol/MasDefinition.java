package ai.maspo.protocol;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;

import java.util.List;

/**
 * The multi-agent system as the evaluators execute it. {@code levels} is the topological order computed
 * by the orchestrator (agents of one level run in parallel), so that evaluators need no graph logic.
 */
public record MasDefinition(@NotEmpty List<@Valid AgentDefinition> agents, @NotNull List<@Valid Edge> edges,
                            @NotEmpty List<List<String>> levels, @NotBlank String terminal,
                            @NotNull @Valid TaskDefinition task) {
}
