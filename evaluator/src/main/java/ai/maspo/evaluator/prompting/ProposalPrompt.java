package ai.maspo.evaluator.prompting;

import java.util.List;

/**
 * The optimizer request: the current prompt in {@code <current_prompt>}, the agent's role, the requirement, the
 * traces, and the flagged misalignment cases in their own section. The reply is asked as
 * {@code <analyse>}, {@code <modification>}, {@code <prompt>}.
 *
 * <p>A flagged case shows what happened after the agent on that question, each part in its own tag so that it can be
 * read: {@code <summary_read_by_successors>} (what the successors read, when contexts are summarized),
 * {@code <successor_output agent="…">} and {@code <final_output agent="…">}. The optimizer sees the downstream
 * failure instead of being told of it.
 */
public final class ProposalPrompt {

    private static final String SYSTEM = "You improve the prompt of one agent of a multi-agent system. "
            + "You study how the agent behaved with its current prompt and write a better prompt.";

    public record Request(String currentPrompt, AgentRole agent, String requirement, List<ProposalTrace> traces,
                          List<MisalignmentTrace> misalignmentCases) {
        public Request {
            traces = List.copyOf(traces);
            misalignmentCases = List.copyOf(misalignmentCases);
        }
    }

    public static ChatPrompt build(Request request) {
        boolean usesContext = request.currentPrompt().contains("{context}");
        StringBuilder user = new StringBuilder()
                .append("# Agent\n").append(request.agent().name()).append(": ").append(request.agent().description())
                .append("\n\n# Requirement\n").append(request.requirement())
                .append("\n\n# Current prompt\n<current_prompt>\n").append(request.currentPrompt())
                .append("\n</current_prompt>\n\n# Instructions\n")
                .append("Analyse the traces below: where the agent's output is wrong, incomplete, too long, or not useful "
                        + "to the agents that read it. Then make one focused modification of the current prompt.\n")
                .append("The new prompt must keep the placeholder {question}")
                .append(usesContext ? " and the placeholder {context}" : "")
                .append(" exactly as written; they are replaced by the actual ")
                .append(usesContext ? "question and by the outputs of the preceding agents" : "question")
                .append(". Use no other placeholder in single braces; write literal braces doubled, as {{ and }}.\n")
                .append("Reply exactly in this format:\n")
                .append("<analyse>what goes wrong and why</analyse>\n")
                .append("<modification>the change you make, in one sentence</modification>\n")
                .append("<prompt>the complete new prompt</prompt>\n\n");
        user.append("# Traces of the current prompt\n");
        appendTraces(user, request.traces());
        if (!request.misalignmentCases().isEmpty()) {
            user.append("# Misalignment cases: looked good locally, failed downstream\n")
                    .append("On these questions a change of the prompt made this agent's own output look better, "
                            + "but the agents that read it, or the final answer, got worse. Each case shows what the "
                            + "following agents read of this agent's output, what they answered, and the final output of "
                            + "the system. Give them extra weight.\n\n");
            for (MisalignmentTrace flagged : request.misalignmentCases()) {
                appendTrace(user, flagged.trace());
                appendDownstream(user, flagged);
                user.append("Downstream: ").append(flagged.downstreamFailure()).append("\n\n");
            }
        }
        return new ChatPrompt(SYSTEM, user.toString());
    }

    private static void appendTraces(StringBuilder user, List<ProposalTrace> traces) {
        for (ProposalTrace trace : traces) {
            appendTrace(user, trace);
            user.append('\n');
        }
    }

    private static void appendTrace(StringBuilder user, ProposalTrace trace) {
        user.append("## Question\n").append(trace.question()).append('\n');
        if (trace.context() != null && !trace.context().isBlank()) {
            user.append("<context>\n").append(trace.context()).append("\n</context>\n");
        }
        user.append("<output>\n").append(trace.output()).append("\n</output>\n");
    }

    private static void appendDownstream(StringBuilder user, MisalignmentTrace flagged) {
        if (flagged.passedOn() != null) {
            user.append("<summary_read_by_successors>\n").append(flagged.passedOn())
                    .append("\n</summary_read_by_successors>\n");
        }
        for (MisalignmentTrace.DownstreamOutput successor : flagged.successorOutputs()) {
            appendOutput(user, "successor_output", successor);
        }
        if (flagged.finalOutput() != null) {
            appendOutput(user, "final_output", flagged.finalOutput());
        }
    }

    private static void appendOutput(StringBuilder user, String tag, MisalignmentTrace.DownstreamOutput output) {
        user.append('<').append(tag).append(" agent=\"").append(output.agent()).append("\">\n").append(output.output())
                .append("\n</").append(tag).append(">\n");
    }

    private ProposalPrompt() {
    }
}
