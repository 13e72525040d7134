package ai.maspo.simulator.scenario;

import static ai.maspo.simulator.scenario.Checks.require;

/**
 * How any agent of the scenario behaves: P(correct) = sigmoid(ability - difficulty * difficultyWeight
 * + skill accuracy effects + context term); contextBudget is how many {@code Step} lines of a context it reads.
 */
public record AgentParams(double ability, double difficultyWeight, int baseSteps, int contextBudget, double trust,
                          double mislead) {

    public AgentParams {
        require(baseSteps >= 1, "agent.baseSteps must be >= 1");
        require(contextBudget >= 0, "agent.contextBudget must be >= 0");
        require(trust >= 0 && mislead >= 0, "agent.trust and agent.mislead must be >= 0");
    }
}
