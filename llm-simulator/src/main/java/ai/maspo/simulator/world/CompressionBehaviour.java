package ai.maspo.simulator.world;

import ai.maspo.simulator.scenario.Item;
import java.util.Arrays;

/** Summarizes an output in at most N words, keeping its final answer only when the output is short enough. */
final class CompressionBehaviour {

    private final World world;

    CompressionBehaviour(World world) {
        this.world = world;
    }

    String respond(String text, int maxWords, Draw draw) {
        Item item = Texts.findItem(text, world.items());
        String answer = Texts.lastAnswer(text, item);
        int steps = Texts.stepLines(text);
        boolean keep = answer != null
                && draw.uniform("compression-drop") >= world.scenario().compression().dropProbability(steps);
        // The answer comes first so that a tight word limit never cuts it.
        String summary = keep
                ? "The answer is " + answer + ". It follows a " + steps + "-step solution."
                : "The output works through " + steps + " steps of reasoning without stating a final result.";
        String[] words = summary.split(" ");
        return words.length <= maxWords ? summary : String.join(" ", Arrays.copyOf(words, Math.max(1, maxWords)));
    }
}
