package ai.maspo.evaluator.prompting;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Extracts the new prompt from an optimizer reply. The <em>last</em> complete {@code <prompt>…</prompt>} block is
 * taken: the requested format puts it after the analysis, which may quote the tag. A reply without a closed block
 * (e.g. truncated) or with a blank one gives empty; judging whether the prompt is usable is the validator's job.
 */
public final class ProposalParser {

    private static final Pattern PROMPT = Pattern.compile("<prompt>(.*?)</prompt>", Pattern.DOTALL | Pattern.CASE_INSENSITIVE);

    public static Optional<String> parse(String reply) {
        if (reply == null) {
            return Optional.empty();
        }
        Matcher matcher = PROMPT.matcher(reply);
        String last = null;
        while (matcher.find()) {
            last = matcher.group(1).strip();
        }
        return last == null || last.isEmpty() ? Optional.empty() : Optional.of(last);
    }

    private ProposalParser() {
    }
}
