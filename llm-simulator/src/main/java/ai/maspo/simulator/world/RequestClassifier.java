package ai.maspo.simulator.world;

import java.util.List;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Decides the {@link RequestClass} of a request from the text of all its messages. */
final class RequestClassifier {

    /** A style of labelling the two outputs of a pairwise comparison; a tag style also has the closing tags. */
    record OutputLabels(Pattern a, Pattern b, Pattern closeA, Pattern closeB) {
        /** {@code %s} in the regular expressions stands for the letter; {@code close} is null without closing tags. */
        static OutputLabels of(String open, String close) {
            return new OutputLabels(letter(open, 'A'), letter(open, 'B'), letter(close, 'A'), letter(close, 'B'));
        }

        private static Pattern letter(String regex, char letter) {
            return regex == null ? null : Pattern.compile(regex.replace("%s", String.valueOf(letter)));
        }
    }

    private static final String NAME = "(?:output|response|answer|candidate)";
    static final List<OutputLabels> OUTPUT_LABELS = List.of(
            OutputLabels.of("(?i)<" + NAME + "[_ -]?%s>", "(?i)</" + NAME + "[_ -]?%s>"),
            OutputLabels.of("(?i)\\[" + NAME + "[ \\t]+%s\\]", null),
            OutputLabels.of("(?i)\\b" + NAME + "[ \\t]+%s[ \\t]*:", null),
            OutputLabels.of("(?im)^[ \\t]*#+[ \\t]*(?:" + NAME + "[ \\t]+)?%s[ \\t]*:?[ \\t]*$", null));
    /**
     * A paragraph of the template after the outputs: it names the outputs or the choice, or sets guidelines
     * (output B ends before it when B has no closing tag).
     */
    private static final Pattern TEMPLATE_PARAGRAPH = Pattern.compile("(?i)\\b" + NAME + "s?[ \\t]+[AB]\\b"
            + "|\\b(?:both|two|the)[ \\t]+(?:outputs|responses|answers|candidates)\\b"
            + "|\\b(?:choose|compare|select|prefer|judge|guidelines?|criteria|criterion|instructions?|rubric|format\\w*)\\b");
    private static final Pattern PARAGRAPH_BREAK = Pattern.compile("\\R[ \\t]*\\R");
    private static final Pattern CHOOSE_REQUEST = Pattern.compile("(?i)\\b(choose|which|better|prefer|select)\\b");
    private static final Pattern REFERENCE = Pattern.compile(
            "\\b(?:[Rr]eference|[Cc]orrect|[Ee]xpected|[Gg]old|[Gg]round[- ][Tt]ruth)\\s+[Aa]nswer");
    private static final Pattern TRUE = Pattern.compile("\\b(?:[Tt]rue|TRUE)\\b");
    private static final Pattern FALSE = Pattern.compile("\\b(?:[Ff]alse|FALSE)\\b");
    private static final Pattern SUMMARIZE = Pattern.compile("(?s)[Ss]ummari[sz]e.*?\\b[Aa]t most\\s+(\\d+)\\s+words");

    private RequestClassifier() {
    }

    static RequestClass classify(String text) {
        if (labelledOutputs(text) != null && CHOOSE_REQUEST.matcher(text).find()) {
            return RequestClass.PAIRWISE_JUDGE;
        }
        if (REFERENCE.matcher(text).find() && TRUE.matcher(text).find() && FALSE.matcher(text).find()) {
            return RequestClass.CORRECTNESS_JUDGE;
        }
        if (text.contains("<prompt>")) {
            return RequestClass.PROPOSAL;
        }
        if (summaryWordLimit(text).isPresent()) {
            return RequestClass.COMPRESSION;
        }
        return RequestClass.AGENT;
    }

    /**
     * The texts of outputs A and B, or null. A runs from its label to B's label (or its own closing tag); B to its
     * closing tag, else to the first paragraph of the template after it: instructions after the outputs belong to
     * no output.
     */
    static String[] labelledOutputs(String text) {
        for (OutputLabels labels : OUTPUT_LABELS) {
            Matcher a = labels.a().matcher(text);
            if (!a.find()) {
                continue;
            }
            Matcher b = labels.b().matcher(text);
            if (b.find(a.end())) {
                String outputA = text.substring(a.end(), b.start());
                Matcher endA = labels.closeA() == null ? null : labels.closeA().matcher(outputA);
                if (endA != null && endA.find()) {
                    outputA = outputA.substring(0, endA.start());
                }
                return new String[] {outputA, outputB(text.substring(b.end()), labels.closeB())};
            }
        }
        return null;
    }

    private static String outputB(String rest, Pattern closing) {
        Matcher end = closing == null ? null : closing.matcher(rest);
        if (end != null && end.find()) {
            return rest.substring(0, end.start());
        }
        String body = rest.stripLeading();
        Matcher breaks = PARAGRAPH_BREAK.matcher(body);
        int from = 0;
        while (breaks.find()) {
            if (from > 0 && TEMPLATE_PARAGRAPH.matcher(body.substring(from, breaks.start())).find()) {
                return body.substring(0, from);
            }
            from = breaks.end();
        }
        return from > 0 && TEMPLATE_PARAGRAPH.matcher(body.substring(from)).find() ? body.substring(0, from) : body;
    }

    static OptionalInt summaryWordLimit(String text) {
        Matcher m = SUMMARIZE.matcher(text);
        if (!m.find()) {
            return OptionalInt.empty();
        }
        try {
            return OptionalInt.of(Integer.parseInt(m.group(1)));
        } catch (NumberFormatException tooLong) {
            return OptionalInt.of(Integer.MAX_VALUE);
        }
    }
}
