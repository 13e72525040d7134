package ai.maspo.orchestrator.search;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The order of the search: agents in topological order, T layers per visit, until each has D layers. A revisit
 * starts with a beam refresh when refresh is on and there is another agent that may have changed meanwhile (the
 * engine skips it when none did). With T = D (single-cycle, topological, spo) each agent is visited once.
 */
public final class CoordinateAscentSchedule {

    /** @param agents the optimizable agents (non-LLM aggregators excluded) in topological order */
    public static List<ScheduleStep> build(List<String> agents, int layersPerAgent, int layersPerTurn,
                                           boolean beamRefresh) {
        List<ScheduleStep> steps = new ArrayList<>();
        Map<String, Integer> done = new HashMap<>();
        Map<String, Integer> visits = new HashMap<>();
        boolean remaining = true;
        while (remaining) {
            remaining = false;
            for (String agent : agents) {
                int layers = done.getOrDefault(agent, 0);
                if (layers >= layersPerAgent) {
                    continue;
                }
                int visit = visits.merge(agent, 1, Integer::sum);
                if (visit > 1 && beamRefresh && agents.size() > 1) {
                    steps.add(new ScheduleStep.Refresh(agent, visit));
                }
                int turn = Math.min(layersPerTurn, layersPerAgent - layers);
                for (int i = 1; i <= turn; i++) {
                    steps.add(new ScheduleStep.Layer(agent, layers + i));
                }
                done.put(agent, layers + turn);
                remaining |= layers + turn < layersPerAgent;
            }
        }
        return List.copyOf(steps);
    }

    private CoordinateAscentSchedule() {
    }
}
