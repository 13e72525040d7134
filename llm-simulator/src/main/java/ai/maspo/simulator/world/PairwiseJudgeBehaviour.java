package ai.maspo.simulator.world;

import ai.maspo.simulator.scenario.Item;
import ai.maspo.simulator.scenario.JudgeParams;

/** Compares two labelled outputs: perceived correctness, detail and format, with a position bias towards A. */
final class PairwiseJudgeBehaviour {

    private final World world;

    PairwiseJudgeBehaviour(World world) {
        this.world = world;
    }

    String respond(String text, Draw draw) {
        String[] outputs = RequestClassifier.labelledOutputs(text);
        Item item = Texts.findItem(text, world.items());
        JudgeParams judge = world.scenario().judge();
        double scoreA = score(outputs[0], item, judge, draw.uniform("judge-perceive-a"));
        double scoreB = score(outputs[1], item, judge, draw.uniform("judge-perceive-b"));
        String choice;
        String reason;
        if (draw.uniform("judge-position-bias") < judge.positionBias()) {
            choice = "A";
            reason = "Output A reads well.";
        } else if (scoreA != scoreB) {
            choice = scoreA > scoreB ? "A" : "B";
            reason = "Output " + choice + " is more convincing.";
        } else {
            choice = draw.uniform("judge-tie") < 0.5 ? "A" : "B";
            reason = "Both outputs are comparable; slight preference for " + choice + ".";
        }
        return text.contains("<choose>") ? "<analyse>" + reason + "</analyse><choose>" + choice + "</choose>" : choice;
    }

    private static double score(String output, Item item, JudgeParams judge, double perceptionDraw) {
        boolean perceivedCorrect = false;
        if (item != null) {
            boolean correct = item.answer().equals(Texts.lastAnswer(output, item));
            perceivedCorrect = (perceptionDraw < judge.accuracy()) == correct;
        }
        return judge.correctnessWeight() * (perceivedCorrect ? 1 : 0)
                + judge.detailWeight() * Math.min(Texts.stepLines(output), judge.detailCap())
                + judge.formatWeight() * (Texts.tagged(output) ? 1 : 0);
    }
}
