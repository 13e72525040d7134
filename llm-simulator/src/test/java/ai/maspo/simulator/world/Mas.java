package ai.maspo.simulator.world;

import ai.maspo.simulator.scenario.Item;
import ai.maspo.simulator.scenario.Scenario;
import ai.maspo.simulator.scenario.ScenarioLoader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small in-process multi-agent system driving a {@link World} with requests shaped like the evaluator's
 * (agent templates with {question} and {context}, 30-word compression, {@code <output_a>} judge asked in both
 * orders), so that tests can measure local and global effects of prompts over many items.
 */
final class Mas {

    /** An agent: its name, its predecessors (in context order) and the skill phrases its prompt contains. */
    record Agent(String name, List<String> predecessors, List<String> phrases) {
        Agent with(String phrase) {
            List<String> more = new ArrayList<>(phrases);
            more.add(phrase);
            return new Agent(name, predecessors, more);
        }
    }

    final World world;
    private final boolean compressContexts;

    Mas(World world, boolean compressContexts) {
        this.world = world;
        this.compressContexts = compressContexts;
    }

    static World shipped(String name) {
        Scenario scenario = ScenarioLoader.shipped().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
        return new World(scenario);
    }

    /** All items, train and test: a few hundred questions per scenario. */
    List<Item> items() {
        List<Item> all = new ArrayList<>(world.split("train"));
        all.addAll(world.split("test"));
        return all;
    }

    static String prompt(Agent agent, boolean withContext) {
        StringBuilder template = new StringBuilder("You are the " + agent.name() + " of a team solving questions.\n");
        agent.phrases().forEach(p -> template.append(p).append(".\n"));
        template.append("Question: {question}\n");
        if (withContext) {
            template.append("Outputs of the previous agents:\n{context}\n");
        }
        return template.toString();
    }

    String ask(String text, long seed) {
        return world.respond(text, seed, 0).content();
    }

    /** Runs the agents (given in topological order) on one item; returns every agent's raw output. */
    Map<String, String> run(List<Agent> agents, Item item, long seed) {
        Map<String, String> outputs = new LinkedHashMap<>();
        for (Agent agent : agents) {
            StringBuilder context = new StringBuilder();
            for (String predecessor : agent.predecessors()) {
                String output = outputs.get(predecessor);
                String shown = compressContexts ? ask("Summarize the following output in at most 30 words, keeping "
                        + "its final answer exactly as written.\n\n" + output, seed) : output;
                context.append('[').append(predecessor).append("]\n").append(shown).append("\n\n");
            }
            String text = prompt(agent, !agent.predecessors().isEmpty()).replace("{question}", item.question())
                    .replace("{context}", context.toString().strip());
            outputs.put(agent.name(), ask(text, seed));
        }
        return outputs;
    }

    boolean correct(Item item, String output) {
        return item.answer().equals(Texts.lastAnswer(output, item));
    }

    /** 1 when the judge prefers the candidate in both orders, 0 in neither, 0.5 when the orders disagree. */
    double judge(Item item, String candidate, String parent, long seed) {
        int wins = (firstIsChosen(item, candidate, parent, seed) ? 1 : 0) + (firstIsChosen(item, parent, candidate, seed) ? 0 : 1);
        return wins / 2.0;
    }

    /** Local win rate of the candidate agent's outputs and final accuracies of parent and candidate systems. */
    record Comparison(double localWinRate, double parentAccuracy, double candidateAccuracy) {
        double globalDelta() {
            return candidateAccuracy - parentAccuracy;
        }
    }

    /** Compares two systems differing in the prompt of agent {@code changed}, over all items and the given seeds. */
    Comparison compare(List<Agent> parent, List<Agent> candidate, String changed, int seeds) {
        String terminal = parent.get(parent.size() - 1).name();
        double wins = 0;
        int parentCorrect = 0;
        int candidateCorrect = 0;
        int samples = 0;
        for (long seed = 1; seed <= seeds; seed++) {
            for (Item item : items()) {
                Map<String, String> before = run(parent, item, seed);
                Map<String, String> after = run(candidate, item, seed);
                wins += judge(item, after.get(changed), before.get(changed), seed);
                parentCorrect += correct(item, before.get(terminal)) ? 1 : 0;
                candidateCorrect += correct(item, after.get(terminal)) ? 1 : 0;
                samples++;
            }
        }
        return new Comparison(wins / samples, (double) parentCorrect / samples, (double) candidateCorrect / samples);
    }

    /** Final accuracy of a system over all items and the given seeds. */
    double accuracy(List<Agent> agents, int seeds) {
        String terminal = agents.get(agents.size() - 1).name();
        int correct = 0;
        int samples = 0;
        for (long seed = 1; seed <= seeds; seed++) {
            for (Item item : items()) {
                correct += correct(item, run(agents, item, seed).get(terminal)) ? 1 : 0;
                samples++;
            }
        }
        return (double) correct / samples;
    }

    /** The system with one agent's prompt extended by a skill phrase. */
    static List<Agent> withPhrase(List<Agent> agents, String name, String phrase) {
        return agents.stream().map(a -> a.name().equals(name) ? a.with(phrase) : a).toList();
    }

    boolean firstIsChosen(Item item, String a, String b, long seed) {
        String text = "# Question\n" + item.question() + "\n\n<output_a>\n" + a + "\n</output_a>\n\n<output_b>\n" + b
                + "\n</output_b>\n\nCompare output A and output B and choose the better one. Reply exactly as "
                + "<analyse>...</analyse>\n<choose>A or B</choose>";
        String reply = ask(text, seed);
        return reply.endsWith("<choose>A</choose>");
    }
}
