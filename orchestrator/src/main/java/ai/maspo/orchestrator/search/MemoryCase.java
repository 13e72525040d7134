package ai.maspo.orchestrator.search;

/** A question stored in an agent's memory for its successors' mini-batches, and why. */
public record MemoryCase(String questionId, CaseKind kind) {
}
