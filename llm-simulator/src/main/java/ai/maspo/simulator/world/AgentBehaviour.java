package ai.maspo.simulator.world;

import ai.maspo.simulator.scenario.AgentParams;
import ai.maspo.simulator.scenario.Item;
import ai.maspo.simulator.scenario.ItemKind;
import ai.maspo.simulator.scenario.Skill;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An agent answering a question, helped or hurt by its skills and by the context of its predecessors: each part of
 * the context ({@link Contexts}) is read within the budget, and the readable answers are weighed by majority.
 */
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
        boolean focus = skills.stream().anyMatch(Skill::focus);
        boolean hasContext = false;
        List<String> readable = new ArrayList<>();
        for (String part : Contexts.parts(text)) {
            String answer = Texts.lastAnswer(part, item);
            int steps = Texts.stepLines(part);
            hasContext |= answer != null || steps > 0;
            if (answer != null && (steps <= agent.contextBudget() || focus)) {
                readable.add(answer);
            }
        }
        String contextAnswer = majority(readable, draw);

        double logit = agent.ability() - item.difficulty() * agent.difficultyWeight();
        for (Skill skill : skills) {
            logit += hasContext ? skill.accuracyWithContext() : skill.accuracyWithoutContext();
        }
        boolean contextCorrect = contextAnswer != null && contextAnswer.equals(item.answer());
        if (contextAnswer != null) {
            double critique = Math.min(1, skills.stream().mapToDouble(Skill::critique).sum());
            logit += contextCorrect ? agent.trust() : -agent.mislead() * (1 - critique);
        }
        boolean correct = draw.uniform("agent-correct") < sigmoid(logit);
        String answer;
        if (correct) {
            answer = item.answer();
        } else if (contextAnswer != null && !contextCorrect) {
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

    /**
     * The answer most readable parts of the context agree on (ties broken by the hash), or null when none is
     * readable: an agent reading several predecessors weighs all of them, so an aggregator aggregates.
     */
    static String majority(List<String> answers, Draw draw) {
        if (answers.isEmpty()) {
            return null;
        }
        Map<String, Integer> votes = new TreeMap<>();
        answers.forEach(a -> votes.merge(a, 1, Integer::sum));
        int most = Collections.max(votes.values());
        List<String> tied = votes.entrySet().stream().filter(e -> e.getValue() == most).map(Map.Entry::getKey).toList();
        return tied.get(draw.index("context-tie", tied.size()));
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
