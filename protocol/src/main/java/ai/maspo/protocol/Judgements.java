package ai.maspo.protocol;

import java.util.List;

/** The judge's verdicts of a {@link ScoreCandidateJob}: one per question and judged agent. */
public record Judgements(List<Verdict> verdicts) implements EvaluationOutcome {

    /** What the judge preferred with the candidate shown first, and with it shown second. */
    public record Verdict(String questionId, String judgedAgent, Preference candidateShownFirst,
                          Preference candidateShownSecond) {
    }

    /** NONE: the judge's answer could not be parsed, even after retries. */
    public enum Preference {
        CANDIDATE, PARENT, NONE
    }
}
