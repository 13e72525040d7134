package ai.maspo.simulator.scenario;

import static ai.maspo.simulator.scenario.Checks.require;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * How replies are worded, never what they answer. {@code plain}: the tidy replies of the behaviours. {@code realistic}:
 * as a real reasoning model would say the same thing: a reasoning block whose drafts disagree with the final answer
 * (sent as a {@code reasoning_content} field with probability reasoningFieldRate, else as {@code <think>…</think>}
 * before the content), chatter before and after, markdown around the final answer or verdict with probability
 * markdownRate, and with probability refusalRate a refusal instead of the reply.
 *
 * @param mode the style of requests whose model name has no {@code :plain} / {@code :realistic} suffix
 */
public record StyleParams(Mode mode, double refusalRate, double reasoningFieldRate, double markdownRate) {

    public enum Mode {
        @JsonProperty("plain") PLAIN,
        @JsonProperty("realistic") REALISTIC
    }

    /** Plain by default; the rates a {@code :realistic} request gets from a scenario that sets none. */
    public static final StyleParams DEFAULT = new StyleParams(Mode.PLAIN, 0.01, 0.5, 0.5);

    @JsonCreator
    public StyleParams(@JsonProperty("mode") Mode mode, @JsonProperty("refusalRate") Double refusalRate,
                       @JsonProperty("reasoningFieldRate") Double reasoningFieldRate,
                       @JsonProperty("markdownRate") Double markdownRate) {
        this(mode == null ? DEFAULT.mode : mode, refusalRate == null ? DEFAULT.refusalRate : refusalRate,
                reasoningFieldRate == null ? DEFAULT.reasoningFieldRate : reasoningFieldRate,
                markdownRate == null ? DEFAULT.markdownRate : markdownRate);
    }

    public StyleParams {
        require(mode != null, "style.mode must be plain or realistic");
        require(refusalRate >= 0 && refusalRate <= 0.2, "style.refusalRate must be in [0, 0.2]");
        require(reasoningFieldRate >= 0 && reasoningFieldRate <= 1, "style.reasoningFieldRate must be in [0, 1]");
        require(markdownRate >= 0 && markdownRate <= 1, "style.markdownRate must be in [0, 1]");
    }
}
