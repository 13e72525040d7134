package ai.maspo.protocol;

/** LLM agents are prompted and optimizable; a majority-vote aggregator is plain code and never optimized. */
public enum AgentType {
    LLM, MAJORITY_VOTE
}
