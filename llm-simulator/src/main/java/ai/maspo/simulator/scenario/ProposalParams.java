package ai.maspo.simulator.scenario;

import static ai.maspo.simulator.scenario.Checks.require;

/**
 * How the optimizer LLM proposes edits. A symptom seen in a fraction f of the traces boosts the skills
 * it concerns by (1 + symptomGain * f), f counting three times when the traces mention "misalignment".
 * Removing a present skill has base weight removeWeight; malformedRate of the replies are malformed.
 */
public record ProposalParams(double symptomGain, double removeWeight, double malformedRate) {

    public ProposalParams {
        require(symptomGain >= 0 && removeWeight >= 0, "proposal.symptomGain and proposal.removeWeight must be >= 0");
        require(malformedRate >= 0 && malformedRate <= 1, "proposal.malformedRate must be in [0, 1]");
    }
}
