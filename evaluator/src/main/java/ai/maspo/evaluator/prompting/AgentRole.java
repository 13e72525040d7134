package ai.maspo.evaluator.prompting;

/** How an agent is presented to the optimizer and the judge: its role name and what it is for. */
public record AgentRole(String name, String description) {
}
