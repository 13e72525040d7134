package ai.maspo.orchestrator.search;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The prompt template grammar (the evaluator renders the same one): {@code {name}} is a placeholder,
 * {@code {{} and {@code }}} are literal braces. {@link #normalise} turns free text from the optimizer into a
 * template: known placeholders stay, every other brace becomes literal (escaped), except an identifier in braces
 * outside LaTeX, e.g. {@code {answer}}, which is reported as an unknown placeholder — the optimizer meant a
 * variable we cannot fill. LaTeX context = right after a {@code \command}, a {@code }}, {@code ^} or {@code _}
 * (as in {@code \text{answer}}, {@code \frac{a}{b}}, {@code x^{n}}).
 */
public final class TemplateGrammar {

    public static final String QUESTION = "question";
    public static final String CONTEXT = "context";
    private static final Set<String> KNOWN = Set.of(QUESTION, CONTEXT);
    private static final Pattern IDENTIFIER_IN_BRACES = Pattern.compile("\\{([A-Za-z_][A-Za-z0-9_]*)}");
    private static final Pattern LATEX_COMMAND_BEFORE = Pattern.compile("\\\\[A-Za-z]+$");

    /**
     * @param template     the text with literal braces escaped
     * @param placeholders known placeholders used, in order of first use
     * @param unknown      identifier placeholders that are not known, in order of first use
     */
    public record Normalised(String template, Set<String> placeholders, Set<String> unknown) {
    }

    public static Normalised normalise(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        Set<String> placeholders = new LinkedHashSet<>();
        Set<String> unknown = new LinkedHashSet<>();
        Matcher identifier = IDENTIFIER_IN_BRACES.matcher(text);
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            boolean doubled = i + 1 < text.length() && text.charAt(i + 1) == c;
            if ((c == '{' || c == '}') && doubled) {
                out.append(c).append(c);
                i += 2;
            } else if (c == '{' && identifier.region(i, text.length()).lookingAt()) {
                String name = identifier.group(1);
                if (KNOWN.contains(name)) {
                    placeholders.add(name);
                    out.append(identifier.group());
                } else if (latexBefore(text, i)) {
                    out.append("{{").append(name).append("}}");
                } else {
                    unknown.add(name);
                    out.append(identifier.group());
                }
                i = identifier.end();
            } else if (c == '{' || c == '}') {
                out.append(c).append(c);
                i++;
            } else {
                out.append(c);
                i++;
            }
        }
        return new Normalised(out.toString(), placeholders, unknown);
    }

    /** The placeholders of a template that is already in the grammar (e.g. a seed prompt or a beam prompt). */
    public static Set<String> placeholders(String template) {
        return normalise(template).placeholders();
    }

    private static boolean latexBefore(String text, int braceIndex) {
        if (braceIndex == 0) {
            return false;
        }
        char before = text.charAt(braceIndex - 1);
        return before == '}' || before == '^' || before == '_'
                || LATEX_COMMAND_BEFORE.matcher(text.substring(Math.max(0, braceIndex - 40), braceIndex)).find();
    }

    private TemplateGrammar() {
    }
}
