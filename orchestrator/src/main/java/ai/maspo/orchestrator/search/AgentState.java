package ai.maspo.orchestrator.search;

import java.util.List;

/**
 * The search state of one optimizable agent. {@code bestScore} is on the scale of the beam's J (reset by a
 * refresh); {@code changesAtLastLayer} is the run's best-change counter when this agent last finished a layer,
 * which tells a refresh whether another agent changed since.
 */
public record AgentState(List<BeamNode> beam, String bestPrompt, double bestScore, String bestNodeId,
                         long changesAtLastLayer) {
    public AgentState {
        beam = List.copyOf(beam);
    }
}
