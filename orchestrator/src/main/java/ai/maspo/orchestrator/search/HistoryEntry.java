package ai.maspo.orchestrator.search;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;
import java.util.Map;

/** What one step of the search did, for the run's history. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = HistoryEntry.LayerRecord.class, name = "layer"),
        @JsonSubTypes.Type(value = HistoryEntry.RefreshRecord.class, name = "refresh"),
})
public sealed interface HistoryEntry {

    String agent();

    /**
     * @param status             COMPLETED; FAILED: the mini-batch or the baseline could not be had, beam unchanged;
     *                           PARTIAL: the budget ran out while scoring, only the candidates judged by then count
     * @param misaligned         misaligned (candidate, drawn question) pairs; null when no downstream comparison exists
     * @param drawn              (candidate, randomly drawn question) pairs scored
     * @param recordedCases      cases stored in the agent's memory (only when the best changed)
     */
    record LayerRecord(String agent, int layer, String status, List<String> questionIds, List<String> injectedIds,
                       List<BeamNode> beamBefore, List<ScoredCandidate> candidates, List<RejectedProposal> rejected,
                       Map<RejectionReason, Integer> rejectionCounts, List<BeamNode> beamAfter, boolean bestChanged,
                       String bestNodeId, Integer misaligned, Integer drawn, List<MemoryCase> recordedCases)
            implements HistoryEntry {

        public Double misalignmentRate() {
            return misaligned == null || drawn == 0 ? null : (double) misaligned / drawn;
        }
    }

    /**
     * @param status     COMPLETED, SKIPPED (no other agent changed, or nothing but the best in the beam) or FAILED
     * @param topStable  the prompt on top of the beam is the same before and after
     * @param reanchored the agent's best moved to the top node because it beat the best (R > 0)
     */
    record RefreshRecord(String agent, int visit, String status, List<String> questionIds, List<BeamNode> beamBefore,
                         List<ScoredCandidate> rescored, List<BeamNode> beamAfter, boolean topStable,
                         boolean reanchored, String bestNodeId) implements HistoryEntry {
    }
}
