package ai.maspo.simulator.style;

import ai.maspo.simulator.scenario.StyleParams;
import ai.maspo.simulator.world.Draw;
import ai.maspo.simulator.world.RequestClass;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Words a behaviour's plain reply the way a real reasoning model would, without changing what it answers: the final
 * answer, verdict, summary or prompt of a styled reply is the plain reply's, kept verbatim (so the world's own
 * readers — {@code Step} lines, {@code The answer is X}, {@code <answer>} — read a styled output exactly as the plain
 * one); drafts that disagree are in the reasoning only; a refusal replaces the whole reply with probability
 * {@code refusalRate}. A separate layer: it reads only the reply text and its request class, never the world.
 */
public final class ReplyStyle {

    /** A model name may end with one of these to choose the style per request; any OpenAI client can send it. */
    public static final String PLAIN_SUFFIX = ":plain";
    public static final String REALISTIC_SUFFIX = ":realistic";

    private static final Pattern FINAL_ANSWER = Pattern.compile(
            "(?:<answer>\\s*([^<]*?)\\s*</answer>|The answer is ([-A-Za-z0-9]+)\\.?)\\s*$");
    private static final Pattern CHOOSE = Pattern.compile("<choose>([AB])</choose>\\s*$");
    private static final Pattern BARE_CHOICE = Pattern.compile("^([AB])$");
    private static final Pattern VERDICT = Pattern.compile("^(True|False)$");
    private static final List<String> OPENERS = List.of("Sure! Let's solve this step by step.",
            "Let's work through this carefully.", "Here is my solution.");
    private static final List<String> CLOSERS = List.of("Let me know if you'd like me to double-check anything!",
            "I hope this helps.", "Feel free to ask if anything is unclear.");
    private static final String REFUSAL = "I'm sorry, but I can't help with that request.";

    /** What the response carries: the content, and the reasoning for a {@code reasoning_content} field (or null). */
    public record Styled(String content, String reasoningContent) {
    }

    /** The model name without a style suffix, and the style it asks for (null: the scenario's default). */
    public record ModelChoice(String model, StyleParams.Mode mode) {

        public static ModelChoice of(String model) {
            if (model != null && model.endsWith(REALISTIC_SUFFIX)) {
                return new ModelChoice(model.substring(0, model.length() - REALISTIC_SUFFIX.length()),
                        StyleParams.Mode.REALISTIC);
            }
            if (model != null && model.endsWith(PLAIN_SUFFIX)) {
                return new ModelChoice(model.substring(0, model.length() - PLAIN_SUFFIX.length()), StyleParams.Mode.PLAIN);
            }
            return new ModelChoice(model, null);
        }
    }

    private ReplyStyle() {
    }

    /**
     * @param requested the style the request asked for, or null for the scenario's
     * @param draw      the request's own randomness (the same request is always worded the same way)
     */
    public static Styled apply(StyleParams params, StyleParams.Mode requested, RequestClass requestClass,
                               String plain, Draw draw) {
        StyleParams.Mode mode = requested != null ? requested : params.mode();
        if (mode == StyleParams.Mode.PLAIN) {
            return new Styled(plain, null);
        }
        if (draw.uniform("style-refusal") < params.refusalRate()) {
            return new Styled(REFUSAL, null);
        }
        boolean markdown = draw.uniform("style-markdown") < params.markdownRate();
        String reasoning;
        String content;
        switch (requestClass) {
            case AGENT -> {
                Matcher answer = FINAL_ANSWER.matcher(plain);
                String value = answer.find() ? (answer.group(1) != null ? answer.group(1) : answer.group(2)) : null;
                reasoning = "Okay, let me work through this.\n"
                        + (value == null ? "" : "First guess: \\boxed{" + draft(value, draw) + "}? That seems off.\n")
                        + "Let me redo the computation carefully and check each part before answering.";
                String body = value != null && markdown
                        ? plain.substring(0, answer.start()) + "**Final answer:** " + answer.group() : plain;
                content = pick(OPENERS, draw, "style-opener") + "\n\n" + body + "\n\n" + pick(CLOSERS, draw, "style-closer");
            }
            case COMPRESSION -> {
                reasoning = "I need a short summary that keeps the final answer. A first draft was too long; cut it.";
                content = "Here's a concise summary:\n\n" + plain;
            }
            case PAIRWISE_JUDGE -> {
                Matcher tagged = CHOOSE.matcher(plain);
                Matcher bare = BARE_CHOICE.matcher(plain.strip());
                String choice = tagged.find() ? tagged.group(1) : bare.matches() ? bare.group(1) : null;
                if (choice == null) {
                    return wrap(params, draw, "Let me compare the two outputs.", plain);
                }
                String other = choice.equals("A") ? "B" : "A";
                reasoning = "Let me compare the two outputs. At first glance Output " + other + " looks stronger, so "
                        + "<choose>" + other + "</choose>? No: looking at the final answers again, Output " + choice
                        + " is better.";
                content = markdown ? markdownVerdict(choice, draw) : plain;
            }
            case CORRECTNESS_JUDGE -> {
                Matcher verdict = VERDICT.matcher(plain.strip());
                if (!verdict.matches()) {
                    return wrap(params, draw, "Let me compare the candidate with the reference.", plain);
                }
                String other = verdict.group(1).equals("True") ? "False" : "True";
                reasoning = "The forms differ at first sight, so maybe " + other + "? Comparing the values instead.";
                content = markdown ? "After comparing the values:\n\n**" + verdict.group(1) + "**" : plain;
            }
            case PROPOSAL -> {
                reasoning = "Let me study the traces. Draft: <prompt>Answer the question.</prompt> That loses the "
                        + "placeholder and is too vague; I will make one focused change instead.";
                content = "Here is my proposal.\n\n" + plain + "\n\nThis change should address the failures above.";
            }
            default -> throw new IllegalStateException("unknown request class " + requestClass);
        }
        return wrap(params, draw, reasoning, content);
    }

    private static Styled wrap(StyleParams params, Draw draw, String reasoning, String content) {
        return draw.uniform("style-reasoning-field") < params.reasoningFieldRate()
                ? new Styled(content, reasoning)
                : new Styled("<think>\n" + reasoning + "\n</think>\n\n" + content, null);
    }

    /** A different answer of the same kind: another letter, or the number off by 1 to 5. */
    private static String draft(String answer, Draw draw) {
        if (answer.matches("[A-E]")) {
            return String.valueOf((char) ('A' + (answer.charAt(0) - 'A' + 1 + draw.index("style-draft", 4)) % 5));
        }
        if (answer.matches("-?\\d{1,9}")) {
            return Long.toString(Long.parseLong(answer) + 1 + draw.index("style-draft", 5));
        }
        return answer + "0";
    }

    private static String markdownVerdict(String choice, Draw draw) {
        return switch (draw.index("style-verdict-form", 3)) {
            case 0 -> "**Output " + choice + "** is better.";
            case 1 -> "Both outputs are close, but the final answers decide it.\n\n**Verdict:** Output " + choice;
            default -> "Answer: " + choice;
        };
    }

    private static String pick(List<String> options, Draw draw, String label) {
        return options.get(draw.index(label, options.size()));
    }
}
