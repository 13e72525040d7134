package ai.maspo.evaluator.prompting;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A model's reply split into what it says and how it reasoned. Reasoning models put a draft-filled reasoning block
 * before the answer ({@code <think>…</think>}, {@code <thinking>}, {@code <reasoning>}), or send it in a separate
 * {@code reasoning_content} / {@code reasoning} field; chat templates that open the block themselves leave only a
 * closing {@code </think>} in the content; harmony-format servers pass {@code <|channel|>final<|message|>} through.
 * Drafts in the reasoning often disagree with the final answer, so everything that is extracted, compressed, judged
 * or shown to the optimizer reads {@link #text()} only; {@link #reasoning()} is kept for inspection.
 *
 * @param text      the reply without its reasoning, stripped; empty when the reply was reasoning only
 * @param reasoning the reasoning (field first, then the blocks taken out of the content), null when there was none
 */
public record ReplyText(String text, String reasoning) {

    private static final Pattern BLOCK = Pattern.compile("(?is)<(think|thinking|reasoning)>(.*?)</\\1>");
    private static final Pattern UNCLOSED = Pattern.compile("(?is)<(?:think|thinking|reasoning)>(.*)$");
    private static final Pattern ORPHAN_CLOSE = Pattern.compile("(?is)^(.*)</(?:think|thinking|reasoning)>");
    private static final String HARMONY_FINAL = "<|channel|>final<|message|>";
    private static final Pattern HARMONY_TOKEN = Pattern.compile("<\\|[a-z_]+\\|>");

    /**
     * Refusal openers ("I'm sorry, but I can't…", "As an AI…"); a reply counts as a refusal only when it also carries
     * none of the answer formats the evaluator asks for, so "Sorry, I slipped above: the answer is 5" is an answer.
     */
    private static final Pattern REFUSAL_OPENER = Pattern.compile("(?i)^[\\W_]*(?:i(?:'|’)?m sorry|i am sorry|sorry\\b"
            + "|i apologi[sz]e|i (?:can(?:'|’)?t|cannot|can not|won(?:'|’)?t|am unable|(?:'|’)?m unable|am not able"
            + "|(?:'|’)?m not able|must decline|have to decline)|unfortunately,? i|as an ai\\b)");
    private static final Pattern ANSWER_MARKER = Pattern.compile(
            "(?i)<answer>|\\\\boxed|\\banswer\\s+is\\b|\\banswer\\s*[:：]|<choose>|<prompt>|```");
    private static final int LONGEST_REFUSAL = 400;

    /** @param content        the message content (null when the response had none)
     *  @param reasoningField the response's {@code reasoning_content} or {@code reasoning}, null when absent */
    public static ReplyText of(String content, String reasoningField) {
        List<String> reasoning = new ArrayList<>();
        if (reasoningField != null && !reasoningField.isBlank()) {
            reasoning.add(reasoningField.strip());
        }
        String text = content == null ? "" : content;
        int harmony = text.lastIndexOf(HARMONY_FINAL);
        if (harmony >= 0) {
            addIfAny(reasoning, HARMONY_TOKEN.matcher(text.substring(0, harmony)).replaceAll(" "));
            text = text.substring(harmony + HARMONY_FINAL.length());
        }
        Matcher block = BLOCK.matcher(text);
        StringBuilder rest = new StringBuilder();
        while (block.find()) {
            addIfAny(reasoning, block.group(2));
            block.appendReplacement(rest, "");
        }
        block.appendTail(rest);
        text = rest.toString();
        Matcher orphan = ORPHAN_CLOSE.matcher(text);
        if (orphan.find()) {
            addIfAny(reasoning, orphan.group(1));
            text = text.substring(orphan.end());
        }
        Matcher unclosed = UNCLOSED.matcher(text);
        if (unclosed.find()) { // cut off while reasoning: whatever came before it is the answer, if anything
            addIfAny(reasoning, unclosed.group(1));
            text = text.substring(0, unclosed.start());
        }
        return new ReplyText(text.strip(), reasoning.isEmpty() ? null : String.join("\n\n", reasoning));
    }

    /** The reply without its reasoning blocks. */
    public static String withoutReasoning(String content) {
        return of(content, null).text();
    }

    /** A short reply that declines to answer and carries no answer in any of the requested formats. */
    public static boolean isRefusal(String text) {
        if (text == null) {
            return false;
        }
        String t = text.strip();
        return t.length() <= LONGEST_REFUSAL && REFUSAL_OPENER.matcher(t).find() && !ANSWER_MARKER.matcher(t).find();
    }

    /** Nothing usable: empty once the reasoning is taken out, or a refusal. */
    public boolean unusable() {
        return text.isEmpty() || isRefusal(text);
    }

    private static void addIfAny(List<String> reasoning, String part) {
        if (part != null && !part.isBlank()) {
            reasoning.add(part.strip());
        }
    }
}
