package ai.maspo.simulator.world;

import ai.maspo.simulator.scenario.Item;
import ai.maspo.simulator.scenario.ItemKind;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reading prompts and outputs: item tags, final answers, {@code Step} lines. */
final class Texts {

    static final Pattern ITEM_TAG = Pattern.compile("#(q\\d{4})\\b");
    private static final Pattern ANSWER = Pattern.compile(
            "<answer>\\s*([^<]*?)\\s*</answer>|[Tt]he [Aa]nswer [Ii]s\\s*:?\\s*\\(?([-A-Za-z0-9]+)");
    private static final Pattern STEP_LINE = Pattern.compile("(?m)^[ \\t]*Step \\d+");
    private static final Predicate<String> ANY_VALID =
            a -> ItemKind.ARITHMETIC.isValidAnswer(a) || ItemKind.CHOICE.isValidAnswer(a);

    private Texts() {
    }

    /** The item of the first known tag in the text, or null. */
    static Item findItem(String text, Map<String, Item> items) {
        Matcher m = ITEM_TAG.matcher(text);
        while (m.find()) {
            Item item = items.get(m.group(1));
            if (item != null) {
                return item;
            }
        }
        return null;
    }

    /**
     * The last {@code <answer>X</answer>} or {@code The answer is X} whose X is a valid answer for the item's
     * kind (any kind when item is null), or null.
     */
    static String lastAnswer(String text, Item item) {
        Predicate<String> valid = item == null ? ANY_VALID : item.kind()::isValidAnswer;
        String last = null;
        Matcher m = ANSWER.matcher(text);
        while (m.find()) {
            String candidate = m.group(1) != null ? m.group(1) : m.group(2);
            if (valid.test(candidate)) {
                last = candidate;
            }
        }
        return last;
    }

    static int stepLines(String text) {
        int count = 0;
        Matcher m = STEP_LINE.matcher(text);
        while (m.find()) {
            count++;
        }
        return count;
    }

    static boolean tagged(String text) {
        return text.contains("<answer>");
    }
}
