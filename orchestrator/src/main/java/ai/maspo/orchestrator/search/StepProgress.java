package ai.maspo.orchestrator.search;

import java.util.List;
import java.util.Map;

/**
 * The partial results of the step in progress. Results are stored by command id and only read, in a canonical
 * order, once the phase is complete — which is why arrival order does not matter.
 */
public record StepProgress(ScheduleStep step, Phase phase, List<String> questionIds, List<String> injectedIds,
                           List<BeamNode> beamBefore, Map<String, ProposalResult> proposals, List<Candidate> candidates,
                           List<RejectedProposal> rejected, Map<String, JudgeResult> judgements) {

    /** Where the step is, for observers (run detail, logs); the engine itself is driven by the outstanding commands. */
    public enum Phase {
        MINIBATCH, BASELINE, PROPOSING, SCORING
    }

    /** @param prompt null when unparseable or failed */
    public record ProposalResult(String prompt, boolean failed) {
    }

    /** A prompt being scored: a candidate against its parent, or (refresh) a beam node against the agent's best. */
    public record Candidate(String id, String parentId, String prompt, String commandId) {
    }

    public record JudgeResult(List<Judgement> judgements, boolean failed) {
    }

    static StepProgress start(ScheduleStep step, List<BeamNode> beam) {
        return new StepProgress(step, Phase.MINIBATCH, List.of(), List.of(), beam, Map.of(), List.of(), List.of(), Map.of());
    }

    StepProgress withMinibatch(Phase next, List<String> questions, List<String> injected) {
        return new StepProgress(step, next, List.copyOf(questions), List.copyOf(injected), beamBefore, proposals,
                candidates, rejected, judgements);
    }

    StepProgress withPhase(Phase next) {
        return new StepProgress(step, next, questionIds, injectedIds, beamBefore, proposals, candidates, rejected,
                judgements);
    }

    StepProgress withProposals(Map<String, ProposalResult> next) {
        return new StepProgress(step, phase, questionIds, injectedIds, beamBefore, next, candidates, rejected, judgements);
    }

    StepProgress withCandidates(List<Candidate> next, List<RejectedProposal> rejections) {
        return new StepProgress(step, Phase.SCORING, questionIds, injectedIds, beamBefore, proposals, List.copyOf(next),
                List.copyOf(rejections), judgements);
    }

    StepProgress withJudgements(Map<String, JudgeResult> next) {
        return new StepProgress(step, phase, questionIds, injectedIds, beamBefore, proposals, candidates, rejected, next);
    }
}
