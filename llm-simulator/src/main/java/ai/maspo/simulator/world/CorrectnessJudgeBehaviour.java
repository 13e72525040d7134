package ai.maspo.simulator.world;

import ai.maspo.simulator.scenario.Item;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Says whether an answer matches the reference, right with the judge's accuracy. */
final class CorrectnessJudgeBehaviour {

    private static final Pattern REFERENCE = Pattern.compile(
            "\\b(?:[Rr]eference|[Cc]orrect|[Ee]xpected|[Gg]old|[Gg]round[- ][Tt]ruth)\\s+[Aa]nswer\\s*(?:is)?\\s*[:=]?\\s*\\(?([-A-Za-z0-9]+)");
    /** A labelled candidate ("Candidate answer:", "Response:", ...) up to the next blank line. */
    private static final Pattern CANDIDATE = Pattern.compile(
            "\\b(?:[Cc]andidate(?: [Aa]nswer)?|[Rr]esponse|[Pp]redicted [Aa]nswer|[Mm]odel [Aa]nswer|[Ss]tudent [Aa]nswer)"
                    + "[ \\t]*:[ \\t]*\\R?(.*?)(?:\\R[ \\t]*\\R|\\z)", Pattern.DOTALL);
    private static final Pattern BARE_ANSWER = Pattern.compile("^\\(?(-?[A-Za-z0-9]+)\\)?(?=$|[\\s.):,;])");

    private final World world;

    CorrectnessJudgeBehaviour(World world) {
        this.world = world;
    }

    String respond(String text, Draw draw) {
        Item item = Texts.findItem(text, world.items());
        Matcher reference = REFERENCE.matcher(text);
        String truth = item != null ? item.answer() : reference.find() ? reference.group(1) : null;
        boolean correct = truth != null && truth.equals(candidate(text, item));
        boolean perceivedRight = draw.uniform("judge-correctness") < world.scenario().judge().accuracy();
        return correct == perceivedRight ? "True" : "False";
    }

    /**
     * The candidate's answer: in a labelled candidate block, its last "The answer is X" / {@code <answer>X</answer>}
     * or else its leading bare answer ("17", "C) 27"); without a label, the last stated answer outside the
     * reference phrase.
     */
    private static String candidate(String text, Item item) {
        Matcher labelled = CANDIDATE.matcher(text);
        if (labelled.find()) {
            String block = labelled.group(1).strip();
            String stated = Texts.lastAnswer(block, item);
            if (stated != null) {
                return stated;
            }
            Matcher bare = BARE_ANSWER.matcher(block);
            return bare.find() ? bare.group(1) : null;
        }
        return Texts.lastAnswer(REFERENCE.matcher(text).replaceAll(" "), item);
    }
}
