package ai.maspo.orchestrator.search;

import java.util.Collection;
import java.util.Set;

/**
 * Turns an optimizer's proposal into a candidate template or a counted rejection: {@code {question}} is required,
 * {@code {context}} must be kept if the parent has it and is allowed only for agents with predecessors, unknown
 * placeholders are refused, literal braces are escaped, and a template equal to one already taken is a duplicate.
 */
public final class ProposalValidator {

    /**
     * @param proposal        the parsed {@code <prompt>} content, null when the reply had none
     * @param parentTemplate  the beam node the proposal was made for
     * @param hasPredecessors whether the agent receives a context
     * @param taken           templates already in the beam or accepted earlier in this layer
     */
    public static ProposalVerdict validate(String proposal, String parentTemplate, boolean hasPredecessors,
                                           Collection<String> taken) {
        if (proposal == null || proposal.isBlank()) {
            return new ProposalVerdict.Rejected(RejectionReason.UNPARSEABLE, "no prompt in the reply");
        }
        TemplateGrammar.Normalised normalised = TemplateGrammar.normalise(proposal.strip());
        Set<String> placeholders = normalised.placeholders();
        if (!normalised.unknown().isEmpty()) {
            return new ProposalVerdict.Rejected(RejectionReason.UNKNOWN_PLACEHOLDER,
                    "unknown placeholders " + normalised.unknown());
        }
        if (!placeholders.contains(TemplateGrammar.QUESTION)) {
            return new ProposalVerdict.Rejected(RejectionReason.MISSING_QUESTION, "{question} is missing");
        }
        if (placeholders.contains(TemplateGrammar.CONTEXT) && !hasPredecessors) {
            return new ProposalVerdict.Rejected(RejectionReason.CONTEXT_WITHOUT_PREDECESSORS,
                    "{context} in an agent without predecessors");
        }
        if (!placeholders.contains(TemplateGrammar.CONTEXT)
                && TemplateGrammar.placeholders(parentTemplate).contains(TemplateGrammar.CONTEXT)) {
            return new ProposalVerdict.Rejected(RejectionReason.LOST_CONTEXT, "{context} was dropped");
        }
        if (taken.contains(normalised.template())) {
            return new ProposalVerdict.Rejected(RejectionReason.DUPLICATE, "template already taken");
        }
        return new ProposalVerdict.Accepted(normalised.template());
    }

    private ProposalValidator() {
    }
}
