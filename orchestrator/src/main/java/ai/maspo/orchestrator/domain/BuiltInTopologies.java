package ai.maspo.orchestrator.domain;

import ai.maspo.protocol.AgentType;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The named topologies of DESIGN.md §2, expanded into agents and edges with generic seed prompts. A spec may
 * override any generated agent's prompt by id ({@code mas.prompts}); everything else is validated like a custom DAG.
 */
public final class BuiltInTopologies {

    public static final List<String> NAMES =
            List.of("reflect", "debate", "summarize", "aggregate", "llm_agg", "debate_llm_agg", "hierarchical");

    private static final String SOLVE = "Solve the following problem step by step and state the final answer.\n\n{question}";
    private static final String REFLECT = "Problem:\n{question}\n\nA previous solution:\n{context}\n\n"
            + "Check the solution, correct it if needed, and state the final answer.";
    private static final String DEBATE = "Problem:\n{question}\n\nSolutions from other agents:\n{context}\n\n"
            + "Weigh the solutions, decide which is right, and state the final answer.";
    private static final String SUMMARIZE = "Problem:\n{question}\n\nReports:\n{context}\n\n"
            + "Summarize the reports into one final answer.";
    private static final String AGGREGATE = "Problem:\n{question}\n\nCandidate solutions:\n{context}\n\n"
            + "Combine the candidates into the single best final answer.";

    private BuiltInTopologies() {
    }

    /** The agents and edges of {@code name} with {@code size} (rounds or predictors; null = the default). */
    public static Optional<RunSpec.Mas> expand(String name, Integer size, Map<String, String> prompts) {
        Builder b = new Builder(prompts == null ? Map.of() : prompts);
        switch (name) {
            case "reflect" -> {
                String previous = b.llm("predictor", "Predictor", "Solves the problem.", SOLVE);
                for (int round = 1; round <= (size == null ? 1 : size); round++) {
                    String reflector = b.llm("reflector_" + round, "Reflector", "Checks and corrects the previous solution.", REFLECT);
                    b.edge(previous, reflector);
                    previous = reflector;
                }
            }
            case "debate" -> b.fanIn(b.predictors(size == null ? 2 : size),
                    b.llm("debater", "Debater", "Weighs the predictors' solutions.", DEBATE));
            case "summarize" -> b.edge(b.llm("predictor", "Predictor", "Solves the problem.", SOLVE),
                    b.llm("summarizer", "Summarizer", "Condenses the solution into the final answer.", SUMMARIZE));
            case "aggregate" -> b.fanIn(b.predictors(size == null ? 3 : size), b.vote("vote"));
            case "llm_agg" -> b.fanIn(b.predictors(size == null ? 3 : size),
                    b.llm("aggregator", "Aggregator", "Combines the predictors' solutions.", AGGREGATE));
            case "debate_llm_agg" -> {
                List<String> predictors = b.predictors(size == null ? 2 : size);
                List<String> debaters = new ArrayList<>();
                for (int i = 1; i <= predictors.size(); i++) {
                    String debater = b.llm("debater_" + i, "Debater", "Weighs all predictors' solutions.", DEBATE);
                    b.fanIn(predictors, debater);
                    debaters.add(debater);
                }
                b.fanIn(debaters, b.llm("aggregator", "Aggregator", "Combines the debaters' conclusions.", AGGREGATE));
            }
            case "hierarchical" -> {
                List<String> experts = List.of(
                        b.llm("math_expert", "Math expert", "Answers with mathematical reasoning.", SOLVE),
                        b.llm("science_expert", "Science expert", "Answers with scientific knowledge.", SOLVE),
                        b.llm("code_expert", "Code expert", "Answers by reasoning like a programmer.", SOLVE));
                b.fanIn(experts, b.llm("summarizer", "Summarizer", "Combines the experts' answers.", SUMMARIZE));
            }
            default -> {
                return Optional.empty();
            }
        }
        return Optional.of(new RunSpec.Mas(b.agents, b.edges, null, null, null));
    }

    private static final class Builder {
        final Map<String, String> prompts;
        final List<RunSpec.Agent> agents = new ArrayList<>();
        final List<RunSpec.EdgeSpec> edges = new ArrayList<>();

        Builder(Map<String, String> prompts) {
            this.prompts = prompts;
        }

        String llm(String id, String role, String description, String prompt) {
            agents.add(new RunSpec.Agent(id, role, description, prompts.getOrDefault(id, prompt), AgentType.LLM));
            return id;
        }

        String vote(String id) {
            agents.add(new RunSpec.Agent(id, "Majority vote", "The most frequent answer.", null, AgentType.MAJORITY_VOTE));
            return id;
        }

        List<String> predictors(int n) {
            List<String> ids = new ArrayList<>();
            for (int i = 1; i <= n; i++) {
                ids.add(llm("predictor_" + i, "Predictor", "Solves the problem independently.", SOLVE));
            }
            return ids;
        }

        void edge(String from, String to) {
            edges.add(new RunSpec.EdgeSpec(from, to));
        }

        void fanIn(List<String> from, String to) {
            from.forEach(f -> edge(f, to));
        }
    }
}
