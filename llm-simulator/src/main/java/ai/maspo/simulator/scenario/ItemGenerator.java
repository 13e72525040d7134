package ai.maspo.simulator.scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Generates a scenario's items: train items first ({@code q0000...}), then test items. Difficulty d gives an
 * expression of d + 1 operands; a choice item asks which of five options equals it.
 * {@link Random} is used because its sequence is specified, so every JVM generates the same items.
 */
public final class ItemGenerator {

    private static final String LETTERS = "ABCDE";

    private ItemGenerator() {
    }

    /** The train items followed by the test items. */
    public static List<Item> generate(ItemSpec spec) {
        Random random = new Random(spec.seed());
        List<Item> items = new ArrayList<>(spec.train() + spec.test());
        for (int i = 0; i < spec.train() + spec.test(); i++) {
            int difficulty = spec.minDifficulty() + random.nextInt(spec.maxDifficulty() - spec.minDifficulty() + 1);
            items.add(generateOne(String.format("q%04d", i), difficulty, spec.kind(), random));
        }
        return List.copyOf(items);
    }

    private static Item generateOne(String id, int difficulty, ItemKind kind, Random random) {
        StringBuilder expression = new StringBuilder();
        int value = 0;
        for (int operand = 0; operand <= difficulty; operand++) {
            int number = 2 + random.nextInt(8 + 6 * difficulty);
            boolean minus = operand > 0 && random.nextBoolean();
            if (operand > 0) {
                expression.append(minus ? " - " : " + ");
            }
            expression.append(number);
            value += minus ? -number : number;
        }
        if (kind == ItemKind.ARITHMETIC) {
            return new Item(id, "#" + id + " Compute " + expression + ".", Integer.toString(value), difficulty, kind);
        }
        int correctIndex = random.nextInt(LETTERS.length());
        StringBuilder question = new StringBuilder("#" + id + " Which value equals " + expression + "?");
        for (int option = 0; option < LETTERS.length(); option++) {
            // Distinct distractors: the true value shifted by a non-zero offset unique to each option.
            int shown = value + (option - correctIndex) * (1 + difficulty % 3);
            question.append(' ').append(LETTERS.charAt(option)).append(") ").append(shown);
        }
        return new Item(id, question.toString(), String.valueOf(LETTERS.charAt(correctIndex)), difficulty, kind);
    }
}
