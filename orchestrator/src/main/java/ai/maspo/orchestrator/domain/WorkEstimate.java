package ai.maspo.orchestrator.domain;

import ai.maspo.orchestrator.search.EffectiveSettings;
import ai.maspo.protocol.AgentDefinition;
import ai.maspo.protocol.AgentType;
import ai.maspo.protocol.AnswerCheck;
import ai.maspo.protocol.Edge;
import ai.maspo.protocol.MasDefinition;

import java.util.List;

/**
 * LLM calls a run may ask for, before the evaluators' cache answers any of them: an upper estimate computed from
 * the spec alone in time proportional to the number of agents and edges (never to layers or questions), so a
 * request can be weighed before any work is done. Per layer of an optimizable agent with N LLM agents in the
 * system: the baseline runs the system for K beam nodes on B questions (K·B·N), the optimizer proposes K·C
 * candidates, and each candidate is run on the mini-batch and judged in both orders on every judged output
 * (K·C·B·(N + 2·judged)). A revisit's beam refresh scores K−1 nodes the same way. The test set is run once with
 * the seed and once with the optimized prompts (plus one judge call per question for {@code llm_judge}).
 * With the paper's settings on the 2-agent reflect system (pool 20, test 20) this gives 4,700 calls; the run
 * asked for 5,400 of which 3,392 were cache hits (docs/algorithm.md).
 */
public record WorkEstimate(long search, long test) {

    public long total() {
        return search + test;
    }

    public static WorkEstimate of(ValidRun run) {
        EffectiveSettings s = run.effective();
        MasDefinition mas = run.mas();
        List<String> llmAgents = mas.agents().stream().filter(a -> a.type() == AgentType.LLM).map(AgentDefinition::id).toList();
        long n = llmAgents.size();
        long k = s.beamWidth();
        long c = s.candidatesPerNode();
        long b = s.minibatchSize();
        long revisits = s.beamRefresh() && llmAgents.size() > 1 ? ceilDiv(s.layersPerAgent(), s.layersPerTurn()) - 1 : 0;
        long search = 0;
        for (String agent : llmAgents) {
            // An adaptive mini-batch may score a candidate on up to maxMinibatchSize questions: the ceiling counts them.
            long scored = s.guards().adaptiveMinibatch() ? Math.max(b, s.guards().maxMinibatchSize()) : b;
            long scoring = scored * (n + 2 * judgedOutputs(agent, mas));
            long layer = k * b * n + k * c + k * c * scoring;
            search += s.layersPerAgent() * layer + revisits * (k - 1) * scoring;
        }
        long perTestQuestion = n + (AnswerCheck.LLM_JUDGE.wireName().equals(mas.task().checker()) ? 1 : 0);
        return new WorkEstimate(search, 2L * run.test().size() * perTestQuestion);
    }

    /** the agent itself, its immediate successors and the terminal agent (judged once when it is a successor) */
    private static long judgedOutputs(String agent, MasDefinition mas) {
        if (agent.equals(mas.terminal())) {
            return 1;
        }
        List<String> successors = mas.edges().stream().filter(e -> e.from().equals(agent)).map(Edge::to).toList();
        return 1 + successors.size() + (successors.contains(mas.terminal()) ? 0 : 1);
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }
}
