package ai.maspo.simulator.world;

import java.util.List;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Decides the {@link RequestClass} of a request from the text of all its messages. */
final class RequestClassifier {

    /** A pair of labels marking the two outputs of a pairwise comparison. */
    record OutputLabels(Pattern a, Pattern b) {
    }

    static final List<OutputLabels> OUTPUT_LABELS = List.of(
            new OutputLabels(Pattern.compile("<output_a>"), Pattern.compile("<output_b>")),
            new OutputLabels(Pattern.compile("[Oo]utput [Aa]:"), Pattern.compile("[Oo]utput [Bb]:")),
            new OutputLabels(Pattern.compile("[Aa]nswer [Aa]:"), Pattern.compile("[Aa]nswer [Bb]:")),
            new OutputLabels(Pattern.compile("(?m)^[ \\t]*#[ \\t]*A[ \\t]*$"), Pattern.compile("(?m)^[ \\t]*#[ \\t]*B[ \\t]*$")));
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

    /** The texts of outputs A and B (label A first, then label B after it), or null. */
    static String[] labelledOutputs(String text) {
        for (OutputLabels labels : OUTPUT_LABELS) {
            Matcher a = labels.a().matcher(text);
            if (!a.find()) {
                continue;
            }
            Matcher b = labels.b().matcher(text);
            if (b.find(a.end())) {
                return new String[] {text.substring(a.end(), b.start()), text.substring(b.end())};
            }
        }
        return null;
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
