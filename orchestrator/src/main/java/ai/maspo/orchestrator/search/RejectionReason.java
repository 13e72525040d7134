package ai.maspo.orchestrator.search;

/** Why a proposal did not become a candidate; counted per layer. */
public enum RejectionReason {
    /** The optimizer job failed after its retries. */
    OPTIMIZER_FAILED,
    /** No {@code <prompt>} block, or an empty one. */
    UNPARSEABLE,
    MISSING_QUESTION,
    /** The parent reads {@code {context}} and the proposal does not: it would cut the agent off from its inputs. */
    LOST_CONTEXT,
    /** {@code {context}} in an agent without predecessors, which has no context to fill it with. */
    CONTEXT_WITHOUT_PREDECESSORS,
    UNKNOWN_PLACEHOLDER,
    /** Same template as a beam prompt, or as an earlier candidate of the same layer. */
    DUPLICATE
}
