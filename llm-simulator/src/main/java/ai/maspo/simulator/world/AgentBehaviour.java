package ai.maspo.simulator.world;

import ai.maspo.simulator.scenario.AgentParams;
import ai.maspo.simulator.scenario.Item;
import ai.maspo.simulator.scenario.ItemKind;
import ai.maspo.simulator.scenario.Skill;
import java.util.List;

/** An agent answering a question, helped or hurt by its skills and by the context of its predecessors. */
final class AgentBehaviour {

    private static final List<String> STEP_TEXTS = List.of(
            "Identify the quantities in the question.",
            "Work through the first part of the computation.",
            "Carry the intermediate result forward.",
            "Check the intermediate result.",
            "Combine the partial results.");

    private final World world;

    AgentBehaviour(World world) {
        this.world = world;
    }

    String respond(String text, Draw draw) {
        Item item = Texts.findItem(text, world.items());
        if (item == null) {
            return "I am happy to help. Please give me the question you want answered.";
        }
        AgentParams agent = world.scenario().agent();
        List<Skill> skills = world.skillsIn(text);
        String contextAnswer = Texts.lastAnswer(text, item);
        int contextSteps = Texts.stepLines(text);
        boolean hasContext = contextAnswer != null || contextSteps > 0;
        boolean focus = skills.stream().anyMatch(Skill::focus);
        boolean readable = contextAnswer != null && (contextSteps <= agent.contextBudget() || focus);

        double logit = agent.ability() - item.difficulty() * agent.difficultyWeight();
        for (Skill skill : skills) {
            logit += hasContext ? skill.accuracyWithContext() : skill.accuracyWithoutContext();
        }
        boolean contextCorrect = readable && contextAnswer.equals(item.answer());
        if (readable) {
            double critique = Math.min(1, skills.stream().mapToDouble(Skill::critique).sum());
            logit += contextCorrect ? agent.trust() : -agent.mislead() * (1 - critique);
        }
        boolean correct = draw.uniform("agent-correct") < sigmoid(logit);
        String answer;
        if (correct) {
            answer = item.answer();
        } else if (readable && !contextCorrect) {
            answer = contextAnswer; // misled: repeats the context's wrong answer
        } else {
            answer = wrongAnswer(item, draw);
        }

        int steps = Math.max(1, agent.baseSteps() + skills.stream().mapToInt(Skill::steps).sum());
        StringBuilder reply = new StringBuilder(steps * 48 + 32);
        for (int i = 1; i <= steps; i++) {
            reply.append("Step ").append(i).append(": ").append(STEP_TEXTS.get((i - 1) % STEP_TEXTS.size())).append('\n');
        }
        boolean tags = skills.stream().anyMatch(Skill::answerFormat);
        reply.append(tags ? "<answer>" + answer + "</answer>" : "The answer is " + answer + ".");
        return reply.toString();
    }

    static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    private static String wrongAnswer(Item item, Draw draw) {
        if (item.kind() == ItemKind.CHOICE) {
            int truth = item.answer().charAt(0) - 'A';
            return String.valueOf((char) ('A' + (truth + 1 + draw.index("agent-wrong", 4)) % 5));
        }
        int offset = 1 + draw.index("agent-wrong", 5);
        return Integer.toString(Integer.parseInt(item.answer()) + (draw.uniform("agent-wrong-sign") < 0.5 ? -offset : offset));
    }
}
