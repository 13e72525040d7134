package ai.maspo.orchestrator.search;

import ai.maspo.protocol.AgentDefinition;
import ai.maspo.protocol.AgentType;
import ai.maspo.protocol.Edge;
import ai.maspo.protocol.MasDefinition;
import java.util.ArrayList;
import java.util.List;

/** What is searched: the agents in topological order, the terminal agent, and the effective settings. */
public record SearchProblem(List<AgentNode> agents, String terminal, EffectiveSettings settings) {
    public SearchProblem {
        agents = List.copyOf(agents);
    }

    /** The search view of a validated MAS: agents in the order of its levels, graph links from its edges. */
    public static SearchProblem of(MasDefinition mas, EffectiveSettings settings) {
        List<AgentNode> agents = new ArrayList<>();
        for (List<String> level : mas.levels()) {
            for (String id : level) {
                AgentDefinition agent = mas.agents().stream().filter(a -> a.id().equals(id)).findFirst()
                        .orElseThrow(() -> new IllegalArgumentException("level names unknown agent " + id));
                boolean llm = agent.type() == AgentType.LLM;
                agents.add(new AgentNode(id, llm, llm ? agent.promptTemplate() : null,
                        mas.edges().stream().filter(e -> e.to().equals(id)).map(Edge::from).toList(),
                        mas.edges().stream().filter(e -> e.from().equals(id)).map(Edge::to).toList()));
            }
        }
        return new SearchProblem(agents, mas.terminal(), settings);
    }

    public AgentNode agent(String id) {
        return agents.stream().filter(a -> a.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown agent " + id));
    }

    public List<String> optimizableAgents() {
        return agents.stream().filter(AgentNode::optimizable).map(AgentNode::id).toList();
    }
}
