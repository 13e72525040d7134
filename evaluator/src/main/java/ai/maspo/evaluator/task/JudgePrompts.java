package ai.maspo.evaluator.task;

import ai.maspo.evaluator.prompting.ReplyText;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The correctness-judge request (reference answer + a request for True/False) and the reading of its reply. */
public final class JudgePrompts {

    private static final Pattern VERDICT = Pattern.compile("(?i)\\b(true|false)\\b");

    private JudgePrompts() {
    }

    public static String correctnessPrompt(String question, String reference, String answer) {
        return """
                You are grading an answer against the reference answer of a question.
                Decide whether the candidate answer is equivalent to the reference answer; ignore formatting, \
                units and wording differences, but not differences in value or meaning.

                Question:
                %s

                Reference answer:
                %s

                Candidate answer:
                %s

                Is the candidate answer correct? Reply with exactly one word: True or False.
                """.formatted(question.strip(), reference.strip(), answer.strip());
    }

    /**
     * The verdict: the first standalone True/False word of the reply, looked for first in the reply's
     * last line (models often reason before concluding), then anywhere; reasoning blocks are not read. Empty when
     * there is none, or when the reply is a refusal.
     */
    public static Optional<Boolean> parseVerdict(String reply) {
        String stripped = ReplyText.withoutReasoning(reply);
        if (stripped.isEmpty() || ReplyText.isRefusal(stripped)) {
            return Optional.empty();
        }
        String[] lines = stripped.split("\\R");
        Optional<Boolean> fromLastLine = firstVerdict(lines[lines.length - 1]);
        return fromLastLine.isPresent() ? fromLastLine : firstVerdict(stripped);
    }

    private static Optional<Boolean> firstVerdict(String text) {
        Matcher m = VERDICT.matcher(text);
        return m.find() ? Optional.of(m.group(1).equalsIgnoreCase("true")) : Optional.empty();
    }
}
