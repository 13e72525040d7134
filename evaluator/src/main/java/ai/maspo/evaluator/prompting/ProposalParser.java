package ai.maspo.evaluator.prompting;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Extracts the new prompt from an optimizer reply. Reasoning blocks are not read (a model drafts prompts while it
 * thinks). The <em>last</em> complete {@code <prompt>…</prompt>} block is taken: the requested format puts it after
 * the analysis, which may quote the tag. A prompt wrapped whole in a markdown code fence inside the tags is unwrapped.
 * A reply without a closed block (e.g. truncated), with a blank one, or a refusal gives empty; judging whether the
 * prompt is usable is the validator's job.
 */
public final class ProposalParser {

    private static final Pattern PROMPT = Pattern.compile("<prompt>(.*?)</prompt>", Pattern.DOTALL | Pattern.CASE_INSENSITIVE);
    private static final Pattern WHOLE_FENCE = Pattern.compile("(?s)^```[\\w-]*[ \\t]*\\n(.*?)\\n?```$");

    public static Optional<String> parse(String reply) {
        String text = ReplyText.withoutReasoning(reply);
        if (ReplyText.isRefusal(text)) {
            return Optional.empty();
        }
        Matcher matcher = PROMPT.matcher(text);
        String last = null;
        while (matcher.find()) {
            last = matcher.group(1).strip();
        }
        if (last == null) {
            return Optional.empty();
        }
        Matcher fence = WHOLE_FENCE.matcher(last);
        if (fence.matches()) {
            last = fence.group(1).strip();
        }
        return last.isEmpty() ? Optional.empty() : Optional.of(last);
    }

    private ProposalParser() {
    }
}
