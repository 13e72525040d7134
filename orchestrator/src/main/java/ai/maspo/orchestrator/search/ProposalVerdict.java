package ai.maspo.orchestrator.search;

/** The outcome of validating one proposal. */
public sealed interface ProposalVerdict {

    /** @param template the proposal in the template grammar (literal braces escaped) */
    record Accepted(String template) implements ProposalVerdict {
    }

    record Rejected(RejectionReason reason, String detail) implements ProposalVerdict {
    }
}
