package ai.maspo.orchestrator.search;

/**
 * Why a question was kept for the memory, in priority order within each family (declaration order). All kinds
 * require a local win of the candidate.
 */
public enum CaseKind {
    /** Misalignment: lost at the successors and in the final answer. */
    BOTH_LOST,
    LOOKAHEAD_LOST,
    GLOBAL_LOST,
    /** Success (ablation): won at the successors and in the final answer. */
    BOTH_WON,
    LOOKAHEAD_WON,
    GLOBAL_WON
}
