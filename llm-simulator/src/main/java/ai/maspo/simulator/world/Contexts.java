package ai.maspo.simulator.world;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds, in an agent's prompt, the context its template supplies as input from other agents, split into one part
 * per predecessor. Only text the template marks as such counts: a context block ({@code <context>…</context>} and
 * the like), predecessor parts labelled {@code [name]} or {@code [name]:} (the evaluator's format), or the
 * paragraphs after a context label line ("Context:", "A previous solution:", "Solutions from other agents:"...).
 * Examples and instructions elsewhere in the prompt are never a context, nor is a placeholder ("(no context)",
 * "none", an empty block).
 */
final class Contexts {

    private static final Pattern BLOCK = Pattern.compile(
            "(?is)<(context|contexts|inputs?|previous[_-]?\\w*|predecessors?|upstream)>(.*?)</\\1>");
    private static final Pattern PART_LABEL = Pattern.compile("(?m)^[ \\t]*\\[[^\\]\\n]{1,80}\\][ \\t]*:?");
    private static final Pattern CONTEXT_LABEL = Pattern.compile("(?im)^[ \\t#*]*(?:context|inputs?"
            + "|(?:an?|the)?[ \\t]*(?:previous|preceding|prior|earlier|upstream)[ \\t]+[\\w' ]{0,40}?"
            + "|(?:outputs?|answers?|solutions?|responses?|reports?|opinions?)[ \\t]+(?:of|from)[ \\t]+[\\w' ]{1,40}?"
            + "|candidate[ \\t]+(?:solutions?|answers?)|reports?)[ \\t*]*:[ \\t]*");
    /** A line written as an example or an instruction about the format, not an output. */
    private static final Pattern EXAMPLE = Pattern.compile(
            "(?i)\\b(?:for example|for instance|example|such as|like this|format)\\b|\\be\\.g\\.");
    private static final Pattern PLACEHOLDER = Pattern.compile("(?i)[\\s(\\[\"'*_-]*(?:no[ \\t]+context|none|n/?a|empty"
            + "|nothing(?:[ \\t]+yet)?|no[ \\t]+(?:previous|prior|earlier)?[ \\t]*(?:outputs?|answers?|solutions?|inputs?|context)"
            + "(?:[ \\t]+(?:yet|available|given))?)?[\\s)\\]\"'*_.-]*");
    private static final Pattern PARAGRAPH_BREAK = Pattern.compile("\\R[ \\t]*\\R");
    private static final Pattern OUTPUT_LIKE = Pattern.compile(
            "(?im)^[ \\t]*Step \\d+|<answer>|\\b[Tt]he [Aa]nswer [Ii]s\\b|^[ \\t]*\\[[^\\]\\n]{1,80}\\]");

    private Contexts() {
    }

    /** The context's parts (one per predecessor when labelled), placeholders left out; empty when there is none. */
    static List<String> parts(String text) {
        List<String> parts = new ArrayList<>();
        regions(text).forEach(region -> parts.addAll(split(region)));
        return parts;
    }

    /** A context's text split at its part labels ({@code [name]}), placeholders and example lines left out. */
    static List<String> split(String context) {
        List<String> parts = new ArrayList<>();
        Matcher label = PART_LABEL.matcher(context);
        List<Integer> starts = new ArrayList<>();
        while (label.find()) {
            starts.add(label.start());
        }
        if (starts.isEmpty() || starts.get(0) > 0 && !context.substring(0, starts.get(0)).isBlank()) {
            starts.add(0, 0);
        }
        for (int i = 0; i < starts.size(); i++) {
            String part = context.substring(starts.get(i), i + 1 < starts.size() ? starts.get(i + 1) : context.length());
            String body = PART_LABEL.matcher(part).replaceFirst("");
            if (!placeholder(body)) {
                parts.add(withoutExamples(body));
            }
        }
        return parts;
    }

    /** The text of the context: its blocks, else its labelled parts, else what follows a context label line. */
    private static List<String> regions(String text) {
        List<String> regions = new ArrayList<>();
        Matcher block = BLOCK.matcher(text);
        while (block.find()) {
            regions.add(block.group(2));
        }
        if (!regions.isEmpty()) {
            return regions;
        }
        Matcher part = PART_LABEL.matcher(text);
        if (part.find()) {
            regions.add(paragraphsFrom(text, part.start()));
            return regions;
        }
        Matcher label = CONTEXT_LABEL.matcher(text);
        if (label.find()) {
            regions.add(paragraphsFrom(text, label.end()));
        }
        return regions;
    }

    /**
     * The paragraphs from {@code start} on while they read as outputs: the first one (after blank lines), then each
     * following one with a {@code Step} line, an answer or a part label, that is not an example.
     */
    private static String paragraphsFrom(String text, int start) {
        String rest = text.substring(start).stripLeading();
        Matcher breaks = PARAGRAPH_BREAK.matcher(rest);
        int end = rest.length();
        int paragraphEnd = breaks.find() ? breaks.start() : rest.length();
        while (paragraphEnd < rest.length()) {
            int next = breaks.end();
            int nextEnd = breaks.find() ? breaks.start() : rest.length();
            String paragraph = rest.substring(next, nextEnd);
            if (!OUTPUT_LIKE.matcher(paragraph).find() || EXAMPLE.matcher(paragraph).find()) {
                end = paragraphEnd;
                break;
            }
            paragraphEnd = nextEnd;
        }
        return rest.substring(0, Math.min(end, paragraphEnd));
    }

    /** "(no context)", "none", an empty part, or such a first line followed by no output ("Context: none\nAnswer."). */
    private static boolean placeholder(String body) {
        String first = body.strip().lines().findFirst().orElse("");
        return PLACEHOLDER.matcher(body).matches() || PLACEHOLDER.matcher(first).matches() && !OUTPUT_LIKE.matcher(body).find();
    }

    private static String withoutExamples(String part) {
        return part.lines().filter(line -> !EXAMPLE.matcher(line).find()).reduce((a, b) -> a + "\n" + b).orElse("");
    }
}
