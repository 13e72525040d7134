package ai.maspo.evaluator.task;

import ai.maspo.evaluator.prompting.ReplyText;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the final answer out of an agent's free-text output. Every rule falls back to the other
 * common answer markers, because agents do not always follow the requested format.
 */
public final class AnswerExtractor {

    private static final Pattern ANSWER_TAG = Pattern.compile("(?is)<answer>(.*?)</answer>");
    /** "the (final) answer is X", or a line starting "(Final) answer: X" */
    private static final Pattern ANSWER_IS = Pattern.compile(
            "(?im)(?:\\bthe\\s+(?:final\\s+|correct\\s+)?answer\\s+is\\s*[:：]?|^[ \\t*#>-]*(?:final\\s+)?answer\\s*\\**\\s*[:：])"
                    + "\\s*([^\\n]*\\S[^\\n]*)");
    /** A markdown heading "### Final answer" whose answer is the next non-blank line. */
    private static final Pattern ANSWER_HEADING = Pattern.compile(
            "(?im)^[ \\t]*(?:#{1,6}[ \\t]*|\\*\\*)(?:final\\s+)?answer[ \\t:*]*\\n\\s*([^\\n]*\\S[^\\n]*)");
    /** Lines a chatty model adds after its answer ("Let me know if…", "I hope this helps!"). */
    private static final Pattern SIGN_OFF = Pattern.compile(
            "(?i)^[\\W_]*(?:let me know|i hope (?:this|that) helps|hope (?:this|that) helps|feel free|happy to help"
                    + "|if you have (?:any )?(?:other|more|further) questions)");
    private static final Pattern LONE_LETTER = Pattern.compile("(?i)^\\(?([a-j])\\)?[.)]?$");
    private static final Pattern FENCED_BLOCK = Pattern.compile("(?s)```[ \\t]*([\\w+#.-]*)[^\\n]*\\n(.*?)```");
    private static final Pattern LEADING_LETTER = Pattern.compile("^\\(?([A-J])\\)?(?=$|[\\s.):,;])");
    private static final Pattern OPTION_WORD = Pattern.compile("(?i)\\b(?:option|choice)\\s*\\(?([A-J])\\)?(?![A-Za-z])");
    private static final Pattern LETTER_AFTER_ANSWER = Pattern.compile(
            "(?i)\\banswer\\s*(?:is|:|-)?\\s*[:：]?\\s*(?:option\\s*)?\\(?([A-J])\\)?(?![A-Za-z])");
    private static final Pattern LOOKS_LIKE_CODE = Pattern.compile("(?m)^(?:def |class |import |from \\S+ import )");

    private AnswerExtractor() {
    }

    /**
     * The answer under {@code rule}, or empty when the output carries none. Reasoning blocks are not read (their
     * drafts often disagree with the final answer), and a refusal carries no answer.
     */
    public static Optional<String> extract(ExtractionRule rule, String reply) {
        String output = ReplyText.withoutReasoning(reply);
        if (output.isEmpty() || ReplyText.isRefusal(output)) {
            return Optional.empty();
        }
        return switch (rule) {
            case ANSWER_TAG -> lastAnswerTag(output).map(AnswerExtractor::unwrapBoxed)
                    .or(() -> lastBoxed(output)).or(() -> answerIsPhrase(output));
            case BOXED -> lastBoxed(output).or(() -> lastAnswerTag(output).map(AnswerExtractor::unwrapBoxed))
                    .or(() -> answerIsPhrase(output));
            case CHOICE_LETTER -> choiceLetter(output);
            case CODE_BLOCK -> codeBlock(output);
            case LAST_LINE -> lastLine(output);
        };
    }

    /** Content of the last {@code <answer>…</answer>} (the last one wins: agents often restate). */
    public static Optional<String> lastAnswerTag(String output) {
        Matcher m = ANSWER_TAG.matcher(output);
        String last = null;
        while (m.find()) {
            last = m.group(1).trim();
        }
        return Optional.ofNullable(last).filter(s -> !s.isEmpty());
    }

    /** Content of the last {@code \boxed{…}} or {@code \fbox{…}}, nested braces respected. */
    public static Optional<String> lastBoxed(String output) {
        int start = Math.max(output.lastIndexOf("\\boxed"), output.lastIndexOf("\\fbox"));
        if (start < 0) {
            return Optional.empty();
        }
        int i = start + (output.startsWith("\\boxed", start) ? 6 : 5);
        while (i < output.length() && output.charAt(i) == ' ') {
            i++;
        }
        if (i < output.length() && output.charAt(i) == '{') {
            int depth = 0;
            for (int j = i; j < output.length(); j++) {
                char c = output.charAt(j);
                if (c == '{') {
                    depth++;
                } else if (c == '}' && --depth == 0) {
                    String content = output.substring(i + 1, j).trim();
                    return content.isEmpty() ? Optional.empty() : Optional.of(content);
                }
            }
            return Optional.empty(); // unbalanced: the output was cut off
        }
        // "\boxed 5" form: the argument runs to the next space or math delimiter
        int end = i;
        while (end < output.length() && !Character.isWhitespace(output.charAt(end)) && output.charAt(end) != '$') {
            end++;
        }
        return end > i ? Optional.of(output.substring(i, end)) : Optional.empty();
    }

    /** X in the last "The answer is X" (rest of the line, without a closing period or markdown bold). */
    public static Optional<String> answerIsPhrase(String output) {
        Matcher m = ANSWER_IS.matcher(output);
        String last = null;
        int lastAt = -1;
        while (m.find()) {
            last = m.group(1);
            lastAt = m.start();
        }
        Matcher heading = ANSWER_HEADING.matcher(output);
        while (heading.find()) {
            if (heading.start() > lastAt) {
                last = heading.group(1);
                lastAt = heading.start();
            }
        }
        if (last == null) {
            return Optional.empty();
        }
        String answer = last.trim().replace("**", "").trim();
        answer = answer.replaceAll("[.。]\\s*$", "").trim();
        if (answer.length() > 1 && answer.startsWith("$") && answer.endsWith("$")) {
            answer = answer.substring(1, answer.length() - 1).trim();
        }
        if (ANSWER_IS.matcher(answer).find()) { // "**Final answer:** The answer is 14."
            return answerIsPhrase(answer);
        }
        return Optional.of(unwrapBoxed(answer)).filter(s -> !s.isEmpty());
    }

    /** An option letter A–J: from the marked answer when there is one, else from "answer: X" phrases. */
    public static Optional<String> choiceLetter(String output) {
        Optional<String> marked = lastAnswerTag(output).or(() -> lastBoxed(output)).or(() -> answerIsPhrase(output));
        if (marked.isPresent()) {
            Optional<String> letter = letterOf(marked.get());
            if (letter.isPresent()) {
                return letter;
            }
        }
        Matcher m = LETTER_AFTER_ANSWER.matcher(output);
        String last = null;
        while (m.find()) {
            last = m.group(1);
        }
        if (last != null) {
            return Optional.of(last.toUpperCase());
        }
        String whole = output.strip();
        return whole.length() <= 3 ? letterOf(whole.toUpperCase(java.util.Locale.ROOT)) : Optional.empty();
    }

    /** The option letter an answer text starts with or names ("(C)", "C) 600", "\text{(B)}", "option d"). */
    public static Optional<String> letterOf(String answer) {
        String text = answer.replaceAll("\\\\text(?:bf)?\\{([^{}]*)}", "$1").replace("**", "").replace("$", "").strip();
        Matcher lone = LONE_LETTER.matcher(text);
        if (lone.matches()) {
            return Optional.of(lone.group(1).toUpperCase(java.util.Locale.ROOT));
        }
        Matcher leading = LEADING_LETTER.matcher(text);
        if (leading.find()) {
            return Optional.of(leading.group(1));
        }
        Matcher option = OPTION_WORD.matcher(text);
        if (option.find()) {
            return Optional.of(option.group(1).toUpperCase());
        }
        return Optional.empty();
    }

    /**
     * The last fenced block labelled python (or unlabelled), else the last fenced block of any language,
     * else the answer tag, else the whole output when it plainly is code.
     */
    public static Optional<String> codeBlock(String output) {
        Matcher m = FENCED_BLOCK.matcher(output);
        String lastPython = null;
        String lastAny = null;
        while (m.find()) {
            String language = m.group(1).toLowerCase();
            lastAny = m.group(2);
            if (language.isEmpty() || language.startsWith("py")) {
                lastPython = m.group(2);
            }
        }
        String block = lastPython != null ? lastPython : lastAny;
        if (block != null && !block.isBlank()) {
            return Optional.of(block.stripTrailing());
        }
        Optional<String> tagged = lastAnswerTag(output);
        if (tagged.isPresent() && LOOKS_LIKE_CODE.matcher(tagged.get()).find()) {
            return tagged;
        }
        return LOOKS_LIKE_CODE.matcher(output).find() ? Optional.of(output.strip()) : Optional.empty();
    }

    /** The last non-blank line that is not a sign-off. */
    public static Optional<String> lastLine(String output) {
        String[] lines = output.strip().split("\\R");
        for (int i = lines.length - 1; i >= 0; i--) {
            String line = lines[i].strip();
            if (!line.isEmpty() && !SIGN_OFF.matcher(line).find()) {
                return Optional.of(line);
            }
        }
        return Optional.empty();
    }

    private static String unwrapBoxed(String answer) {
        return lastBoxed(answer).orElse(answer);
    }
}
