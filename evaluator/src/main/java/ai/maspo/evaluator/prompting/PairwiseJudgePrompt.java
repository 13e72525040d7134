package ai.maspo.evaluator.prompting;

/**
 * The pairwise judge request. The outputs are labelled {@code <output_a>}/{@code <output_b>} and the reply format
 * names {@code <choose>}, which is what OpenAI models follow and what the simulator classifies as a pairwise judge.
 * The caller asks twice with the outputs swapped; this class only builds one order.
 */
public final class PairwiseJudgePrompt {

    private static final String SYSTEM = "You are a strict, impartial evaluator of the outputs of a multi-agent system. "
            + "You compare two outputs and choose the one that better meets the requirement. "
            + "The order in which the outputs are shown carries no information.";

    /**
     * @param optimized the agent whose prompt differs between the two runs
     * @param judged    the agent whose output is compared: the optimized agent itself (local), one of its
     *                  successors (lookahead) or the terminal agent (global)
     */
    public record Request(ComparisonKind kind, AgentRole optimized, AgentRole judged, String requirement,
                          String question, String outputA, String outputB) {
    }

    public static ChatPrompt build(Request request) {
        String user = "# What is judged\n" + whatIsJudged(request) + "\n\n"
                + "# Requirement\n" + request.requirement() + "\n\n"
                + "# Question\n" + request.question() + "\n\n"
                + "<output_a>\n" + request.outputA() + "\n</output_a>\n\n"
                + "<output_b>\n" + request.outputB() + "\n</output_b>\n\n"
                + "Compare output A and output B against the requirement, above all on the correctness of the final "
                + "answer, and choose the better one. Reply exactly in this format:\n"
                + "<analyse>your comparison</analyse>\n<choose>A or B</choose>";
        return new ChatPrompt(SYSTEM, user);
    }

    private static String whatIsJudged(Request request) {
        AgentRole optimized = request.optimized();
        String changed = "The two runs differ only in the prompt of agent \"" + optimized.name() + "\" ("
                + optimized.description() + ").";
        return switch (request.kind()) {
            case LOCAL -> "Both outputs were written by agent \"" + optimized.name() + "\" (" + optimized.description()
                    + ") for the same question, each with a different prompt. Judge which output of this agent is better.";
            case LOOKAHEAD -> "Both outputs were written by agent \"" + request.judged().name() + "\" ("
                    + request.judged().description() + "), which reads the output of agent \"" + optimized.name()
                    + "\" as its context. " + changed + " Judge which output of \"" + request.judged().name()
                    + "\" is better.";
            case GLOBAL -> "Both outputs are final answers of the whole multi-agent system, written by agent \""
                    + request.judged().name() + "\". " + changed + " Judge which final answer is better.";
        };
    }

    private PairwiseJudgePrompt() {
    }
}
