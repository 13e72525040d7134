package ai.maspo.orchestrator.search;

import java.util.List;
import java.util.Map;

/**
 * Everything the engine needs to continue, as plain records that Jackson serializes: persist it after every
 * transition, and after a restart re-send {@link #outstanding()} and carry on. The history is not part of it: each
 * {@link SearchEngine.Transition} hands over the entries it adds, so the state stays the same size however long the
 * search runs.
 *
 * @param stepIndex    position in the schedule, which is derived from {@code problem}
 * @param bestChanges  how many times any agent's best prompt changed (for the refresh decision)
 * @param step         the step in progress, null once finished
 * @param outstanding  commands sent and not yet answered
 * @param prefetched   mini-batches drawn ahead of their layer, by command id (see {@link SearchEngine})
 * @param historySize  history entries added so far: the sequence number (from 0) of the next one
 * @param finishReason null while running
 */
public record SearchState(SearchProblem problem, int stepIndex, Map<String, AgentState> agents, long bestChanges,
                          StepProgress step, List<SearchCommand> outstanding,
                          Map<String, PrefetchedMinibatch> prefetched, int historySize, String finishReason) {

    /** A mini-batch that came before its layer began; {@code failed} when its request failed. */
    public record PrefetchedMinibatch(List<String> questionIds, List<String> injectedIds, boolean failed) {
    }

    public SearchState {
        prefetched = prefetched == null ? Map.of() : prefetched; // states stored before prefetching had none
    }

    public boolean finished() {
        return finishReason != null;
    }
}
