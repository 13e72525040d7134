package ai.maspo.evaluator.prompting;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the judge's choice. Reasoning blocks are not read (a model thinks aloud about both outputs before it
 * decides). The last {@code <choose>} block wins (an analysis may quote the tag before the real answer); without one,
 * a reply that is only the letter ("B", "**B**", "Output B") is accepted, else the last verdict phrase real models
 * write instead of the tag ("Answer: B", "**Output B** is better", "I prefer Output B", "\boxed{B}"). A refusal, or a
 * reply that names no single winner, is empty: the caller retries and finally counts the comparison as a tie, never
 * as a win.
 */
public final class JudgeVerdictParser {

    private static final Pattern CHOOSE = Pattern.compile("<choose>(.*?)</choose>", Pattern.DOTALL | Pattern.CASE_INSENSITIVE);
    /** Accepts "A", "b.", "Output A", "**B**" — a single letter with decoration, nothing that names both. */
    private static final Pattern SINGLE_LETTER = Pattern.compile(
            "^[\\s*\"'`(\\[]*(?:(?:output|answer|response)\\s+)?([ab])[\\s*\"'`)\\].!]*$", Pattern.CASE_INSENSITIVE);
    /**
     * A letter as a verdict phrase names it: "Output b", "**B**", "(B)", "`B`"; a bare letter must be a capital, so
     * that the article in "I prefer a shorter one" is no verdict.
     */
    private static final String LETTER = "[*_`\"'(\\[]*(?:(?:output|answer|response)\\s+[*_`\"'(\\[]*([ab])|(?-i:([AB])))"
            + "(?!\\w)[*_`\"')\\]]*";
    private static final Pattern VERDICT_PHRASE = Pattern.compile("(?im)"
            // "Answer: B", "**Verdict:** Output A", "Final choice - B", "Winner: **A**", "### Verdict" + "**B**" below
            + "\\b(?:final\\s+)?(?:answer|verdict|choice|decision|winner|preference|selection|choose|chosen)\\b"
            + "[*_ \\t]*(?:[:：-]|\\R)[*_\\s]*" + LETTER + "(?=[\\s.!,;)*]*(?:$|\\b(?:is|because|as|since|wins)\\b))"
            // "I choose B", "I prefer Output A", "I would pick **B**", "I select Output A"
            + "|\\bi\\s+(?:would\\s+|will\\s+)?(?:choose|prefer|pick|select|go\\s+with)\\s+" + LETTER
            // "**Output B** is better", "B is the better output", "Output A is clearly superior"
            + "|(?<![\\w*`\"'(\\[])(?<!nor\\s)(?<!and\\s)(?<!than\\s)" + LETTER
            + "\\s+(?:is|was)\\s+(?:clearly\\s+|slightly\\s+|much\\s+|significantly\\s+)?"
            + "(?:better|superior|preferred|preferable|stronger|more\\s+(?:correct|accurate|convincing)|the\\s+(?:better|stronger|preferred|winner))"
            // "the better output is B", "the winner is Output A"
            + "|\\bthe\\s+(?:better|stronger|preferred|superior)\\s+(?:one|output|answer|response)\\s+is\\s+" + LETTER
            + "|\\bthe\\s+winner\\s+is\\s+" + LETTER
            + "|\\\\boxed\\{\\s*(?:\\\\text\\{)?\\s*([ab])\\s*}?\\s*}");
    /** Ties and refusals to decide: such a reply names no winner, even if a phrase above also matches. */
    private static final Pattern NO_WINNER = Pattern.compile(
            "(?i)\\b(?:neither|both (?:outputs |answers |responses )?are (?:equally|equivalent|the same)|(?:it(?:'|’)?s|is) a tie|cannot decide|can(?:'|’)?t decide)\\b");

    public static Optional<Choice> parse(String reply) {
        String text = ReplyText.withoutReasoning(reply);
        if (text.isEmpty() || ReplyText.isRefusal(text)) {
            return Optional.empty();
        }
        Matcher matcher = CHOOSE.matcher(text);
        String lastChoice = null;
        while (matcher.find()) {
            lastChoice = matcher.group(1);
        }
        if (lastChoice != null) {
            return letter(lastChoice);
        }
        Optional<Choice> whole = letter(text);
        return whole.isPresent() ? whole : lastVerdictPhrase(text);
    }

    private static Optional<Choice> letter(String text) {
        Matcher matcher = SINGLE_LETTER.matcher(text.strip());
        if (!matcher.matches()) {
            return Optional.empty();
        }
        return Optional.of(Choice.valueOf(matcher.group(1).toUpperCase(Locale.ROOT)));
    }

    /** The last verdict phrase: a model that corrects itself concludes last. */
    private static Optional<Choice> lastVerdictPhrase(String text) {
        if (NO_WINNER.matcher(text).find()) {
            return Optional.empty();
        }
        Matcher matcher = VERDICT_PHRASE.matcher(text);
        String last = null;
        while (matcher.find()) {
            for (int g = 1; g <= matcher.groupCount(); g++) {
                if (matcher.group(g) != null) {
                    last = matcher.group(g);
                }
            }
        }
        return last == null ? Optional.empty() : Optional.of(Choice.valueOf(last.toUpperCase(Locale.ROOT)));
    }

    private JudgeVerdictParser() {
    }
}
