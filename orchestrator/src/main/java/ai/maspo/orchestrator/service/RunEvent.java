package ai.maspo.orchestrator.service;

import ai.maspo.orchestrator.domain.RunSpec;
import ai.maspo.orchestrator.persistence.RunPhase;
import ai.maspo.orchestrator.persistence.RunStatus;
import ai.maspo.orchestrator.search.BeamNode;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One event of a run's stream ({@code GET /api/v1/runs/{id}/events}): its id, its type (the SSE event name) and its
 * data (one of the records below, sent as JSON).
 * <p>
 * The events are a function of what is stored, never kept apart, so every orchestrator replica derives the same
 * events with the same ids, before and after a restart. Ids place each event by where it comes from: the search's
 * start is 1; the history step numbered {@code s} gives ids {@code 4(s+1)+k} with slot k = 0 for its {@code layer}
 * or {@code refresh} event, 1 for {@code best} when it changed the agent's best prompt, 2 for its {@code cost};
 * after the n steps of the search, {@code 4(n+1)} is the test phase, {@code 4(n+1)+2} the final cost and
 * {@code 4(n+1)+3} {@code finished}. The history only grows and nothing is added to it once the run has left the
 * search, so ids increase in the order events happen and never change; some slots stay empty.
 */
public record RunEvent(long id, String type, Object data) {

    static final long SEARCH_STARTED = 1;

    static long ofStep(int seq, int slot) {
        return 4L * (seq + 1) + slot;
    }

    /** The first step whose events can have an id above {@code id}. */
    static int firstStepAfter(long id) {
        return (int) Math.max(0, id / 4 - 1);
    }

    /**
     * A phase started. For SEARCHING: the schedule's size in steps (layers and refreshes), the optimizable agents in
     * the order of the search, their seed prompts, the budget and when the run was created. For TESTING: why the
     * search ended.
     */
    public record Phase(RunPhase phase, Integer steps, Integer layersPerAgent, List<String> agents,
                        Map<String, String> seedPrompts, RunSpec.Budget budget, Instant at, String finishReason) {
    }

    /**
     * A layer of one agent done: the J of the beam's top node, candidates accepted (R > 0) and rejected (R ≤ 0),
     * proposals refused before scoring (invalid) and scoring jobs that failed, the misalignment counts over the
     * randomly drawn questions (null when the agent has no downstream comparison), and the beam after it.
     */
    public record Layer(int step, String agent, int layer, String status, Double topScore, int accepted, int rejected,
                        int invalid, int failed, Integer misaligned, Integer drawn, Double misalignmentRate,
                        boolean bestChanged, List<BeamNode> beam, Instant recordedAt, Long paidCallsSoFar) {
    }

    /** A beam refresh done: whether the top prompt stayed the same, whether the agent's best was re-anchored. */
    public record Refresh(int step, String agent, int visit, String status, boolean topStable, boolean reanchored,
                          List<BeamNode> beam, Instant recordedAt, Long paidCallsSoFar) {
    }

    /** The agent's best prompt changed at this step. */
    public record Best(int step, String agent, String nodeId, double score, String prompt) {
    }

    /**
     * The run's paid LLM calls: after a step (as the usage ledger had them when the step was stored; step null for
     * the cost when the run finished), in all and per model role.
     */
    public record Cost(Integer step, Instant at, Long paidCallsSoFar, List<RunView.Cost> roles) {
    }

    /** The run ended: its status, why, test accuracy of the seed and the optimized prompts, and these prompts. */
    public record Finished(RunStatus status, String finishReason, String error, Double seedAccuracy,
                           Double optimizedAccuracy, String testFailures, Map<String, String> bestPrompts,
                           Instant finishedAt) {
    }
}
