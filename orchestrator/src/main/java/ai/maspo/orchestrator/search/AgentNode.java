package ai.maspo.orchestrator.search;

import java.util.List;

/**
 * One agent as the search sees it. {@code optimizable} is false for non-LLM aggregators, whose
 * {@code seedPrompt} is then null.
 */
public record AgentNode(String id, boolean optimizable, String seedPrompt, List<String> predecessors,
                        List<String> successors) {
    public AgentNode {
        predecessors = List.copyOf(predecessors);
        successors = List.copyOf(successors);
    }
}
