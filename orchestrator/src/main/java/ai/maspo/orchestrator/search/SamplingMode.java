package ai.maspo.orchestrator.search;

/** What an agent's memory keeps for its successors' mini-batches. */
public enum SamplingMode {
    /** Questions where a change won locally and lost downstream (MASPO). */
    MISALIGNMENT,
    /** Questions where a change won locally and downstream (ablation). */
    SUCCESS,
    /** Nothing: mini-batches are drawn at random only. */
    NONE
}
