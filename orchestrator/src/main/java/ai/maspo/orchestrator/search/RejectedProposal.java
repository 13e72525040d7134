package ai.maspo.orchestrator.search;

/** A proposal that did not become a candidate; {@code prompt} is what the optimizer wrote (null if nothing). */
public record RejectedProposal(String commandId, String parentId, String prompt, RejectionReason reason, String detail) {
}
