package ai.maspo.evaluator.prompting;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the judge's choice. The last {@code <choose>} block wins (an analysis may quote the tag before the real
 * answer); without one, a reply that is only "A" or "B" is accepted. Anything else is empty: the caller retries and
 * finally counts the comparison as a tie, never as a win.
 */
public final class JudgeVerdictParser {

    private static final Pattern CHOOSE = Pattern.compile("<choose>(.*?)</choose>", Pattern.DOTALL | Pattern.CASE_INSENSITIVE);
    /** Accepts "A", "b.", "Output A", "**B**" — a single letter with decoration, nothing that names both. */
    private static final Pattern SINGLE_LETTER = Pattern.compile("^[\\s*\"'`(\\[]*(?:output\\s+)?([ab])[\\s*\"'`)\\].!]*$",
            Pattern.CASE_INSENSITIVE);

    public static Optional<Choice> parse(String reply) {
        if (reply == null) {
            return Optional.empty();
        }
        Matcher matcher = CHOOSE.matcher(reply);
        String lastChoice = null;
        while (matcher.find()) {
            lastChoice = matcher.group(1);
        }
        return letter(lastChoice != null ? lastChoice : reply);
    }

    private static Optional<Choice> letter(String text) {
        Matcher matcher = SINGLE_LETTER.matcher(text.strip());
        if (!matcher.matches()) {
            return Optional.empty();
        }
        return Optional.of(Choice.valueOf(matcher.group(1).toUpperCase(Locale.ROOT)));
    }

    private JudgeVerdictParser() {
    }
}
