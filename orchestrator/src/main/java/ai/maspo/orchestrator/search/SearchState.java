package ai.maspo.orchestrator.search;

import java.util.List;
import java.util.Map;

/**
 * Everything the engine needs to continue, as plain records that Jackson serializes: persist it after every
 * transition, and after a restart re-send {@link #outstanding()} and carry on.
 *
 * @param stepIndex    position in the schedule, which is derived from {@code problem}
 * @param bestChanges  how many times any agent's best prompt changed (for the refresh decision)
 * @param step         the step in progress, null once finished
 * @param outstanding  commands sent and not yet answered
 * @param finishReason null while running
 */
public record SearchState(SearchProblem problem, int stepIndex, Map<String, AgentState> agents, long bestChanges,
                          StepProgress step, List<SearchCommand> outstanding, List<HistoryEntry> history,
                          String finishReason) {

    public boolean finished() {
        return finishReason != null;
    }
}
