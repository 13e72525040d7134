package ai.maspo.simulator.scenario;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.regex.Pattern;

/** The shape of an item's answer. */
public enum ItemKind {
    /** An integer answer. */
    @JsonProperty("arithmetic") ARITHMETIC(Pattern.compile("-?\\d+")),
    /** One option letter A–E. */
    @JsonProperty("choice") CHOICE(Pattern.compile("[A-E]"));

    private final Pattern validAnswer;

    ItemKind(Pattern validAnswer) {
        this.validAnswer = validAnswer;
    }

    public boolean isValidAnswer(String answer) {
        return validAnswer.matcher(answer).matches();
    }
}
