package ai.maspo.simulator.scenario;

import static ai.maspo.simulator.scenario.Checks.require;

/**
 * A summary keeps the final answer when the summarized output has at most keepSteps steps; beyond that it
 * drops it with probability min(1, (steps - keepSteps) * dropPerExtraStep).
 */
public record CompressionParams(int keepSteps, double dropPerExtraStep) {

    public CompressionParams {
        require(keepSteps >= 0, "compression.keepSteps must be >= 0");
        require(dropPerExtraStep >= 0, "compression.dropPerExtraStep must be >= 0");
    }

    public double dropProbability(int steps) {
        return steps <= keepSteps ? 0 : Math.min(1, (steps - keepSteps) * dropPerExtraStep);
    }
}
