package ai.maspo.protocol;

import java.util.List;

/**
 * The multi-agent system as the evaluators execute it. {@code levels} is the topological order computed
 * by the orchestrator (agents of one level run in parallel), so that evaluators need no graph logic.
 */
public record MasDefinition(List<AgentDefinition> agents, List<Edge> edges, List<List<String>> levels,
                            String terminal, TaskDefinition task) {
}
