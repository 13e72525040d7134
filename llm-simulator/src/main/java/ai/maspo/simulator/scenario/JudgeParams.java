package ai.maspo.simulator.scenario;

import static ai.maspo.simulator.scenario.Checks.require;

/**
 * The judge perceives an output's correctness right with probability accuracy; its score is
 * correctnessWeight * perceivedCorrect + detailWeight * min(steps, detailCap) + formatWeight * tagged; with
 * probability positionBias it answers "A" whatever the outputs.
 */
public record JudgeParams(double accuracy, double correctnessWeight, double detailWeight, int detailCap,
                          double formatWeight, double positionBias) {

    public JudgeParams {
        require(accuracy >= 0 && accuracy <= 1, "judge.accuracy must be in [0, 1]");
        require(positionBias >= 0 && positionBias <= 1, "judge.positionBias must be in [0, 1]");
        require(detailCap >= 0, "judge.detailCap must be >= 0");
    }
}
