package ai.maspo.simulator.scenario;

import static ai.maspo.simulator.scenario.Checks.require;

import java.util.List;
import java.util.Locale;

/**
 * A behaviour a prompt can switch on by containing one of its phrases (case-insensitive substring).
 *
 * @param kind          descriptive only (trap, gain, fix, format, neutral): documents the scenario, never
 *                      changes behaviour
 * @param critique      fraction of the mislead penalty removed (effects of several skills add up, capped at 1)
 * @param focus         reads the final answer of a context longer than the budget
 * @param answerFormat  the agent tags its answer as {@code <answer>X</answer>}
 * @param obviousness   base weight of proposing this skill when it is absent
 * @param proposedFor   symptoms that make an optimizer add it
 * @param removedFor    symptoms that make an optimizer remove it
 */
public record Skill(String id, String kind, List<String> phrases, double accuracyWithoutContext,
                    double accuracyWithContext, int steps, double critique, boolean focus, boolean answerFormat,
                    double obviousness, List<Symptom> proposedFor, List<Symptom> removedFor) {

    public Skill {
        require(id != null && !id.isBlank(), "skill.id is required");
        require(phrases != null && !phrases.isEmpty() && phrases.stream().noneMatch(String::isBlank),
                "skill " + id + ": at least one non-blank phrase");
        require(obviousness >= 0, "skill " + id + ": obviousness must be >= 0");
        require(critique >= 0 && critique <= 1, "skill " + id + ": critique must be in [0, 1]");
        phrases = List.copyOf(phrases);
        proposedFor = proposedFor == null ? List.of() : List.copyOf(proposedFor);
        removedFor = removedFor == null ? List.of() : List.copyOf(removedFor);
        kind = kind == null ? "neutral" : kind;
    }

    /** Whether the (lower-cased) text switches this skill on. */
    public boolean presentIn(String lowerCaseText) {
        return phrases.stream().anyMatch(p -> lowerCaseText.contains(p.toLowerCase(Locale.ROOT)));
    }
}
