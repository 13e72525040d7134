package ai.maspo.evaluator.prompting;

import ai.maspo.protocol.TaskType;

/**
 * The compression request applied to each predecessor output before it becomes context: at most 30 words, 50 for
 * code tasks (as in the reference), keeping the final answer so the successor can still read it.
 */
public final class CompressionPrompt {

    private static final String SYSTEM = "You write very short summaries that keep the final answer.";

    public static int wordLimit(TaskType taskType) {
        return taskType == TaskType.CODE ? 50 : 30;
    }

    public static ChatPrompt build(String output, TaskType taskType) {
        int words = wordLimit(taskType);
        String user = "Summarize the following output in at most " + words + " words, keeping its final answer "
                + "exactly as written.\n\n" + output;
        return new ChatPrompt(SYSTEM, user);
    }

    private CompressionPrompt() {
    }
}
