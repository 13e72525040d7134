package ai.maspo.simulator.world;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.maspo.simulator.scenario.Item;
import ai.maspo.simulator.scenario.Symptom;
import ai.maspo.simulator.world.ProposalBehaviour.Edit;
import ai.maspo.simulator.world.ProposalBehaviour.Symptoms;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Proposals in the evaluator's format: symptoms, downstream evidence, the edit distribution, malformed replies. */
class ProposalTest {

    private static final World WORLD = Mas.shipped("sequential-trap");
    private static final List<Item> ITEMS = new Mas(WORLD, true).items();
    private static final String CURRENT = "You are the reflector.\nQuestion: {question}\nContext: {context}";
    private static final Pattern PROMPT = Pattern.compile("(?s)<prompt>(.*)</prompt>");

    private static String steps(int n) {
        return "Step 1: x\n".repeat(n);
    }

    /** How a proposal request shows the flagged cases: not at all, by the word alone, or with what happened downstream. */
    enum Evidence { NONE, WORD_ONLY, DOWNSTREAM_TAGS, DOWNSTREAM_LINES }

    /**
     * Ten traces: {@code wrong} of them with a wrong answer, the rest right; contexts without answers. With downstream
     * evidence each trace also shows the summary the successor read (no answer) and a wrong final output.
     */
    private static String traces(int wrong, Evidence evidence) {
        StringBuilder text = new StringBuilder("# Traces of the current prompt\n");
        for (int i = 0; i < 10; i++) {
            Item item = ITEMS.get(i);
            String answer = i < wrong ? item.answer() + "1" : item.answer();
            text.append("## Question\n").append(item.question()).append('\n')
                    .append("<context>\nThe output works through 9 steps of reasoning.\n</context>\n")
                    .append("<output>\n").append(steps(3)).append("The answer is ").append(answer).append(".\n</output>\n");
            String lost = "The output works through 3 steps of reasoning without stating a final result.";
            String finalOutput = steps(4) + "The answer is " + item.answer() + "7.";
            if (evidence == Evidence.DOWNSTREAM_TAGS) {
                text.append("<summary_read_by_successors>\n").append(lost).append("\n</summary_read_by_successors>\n")
                        .append("<final_output agent=\"summarizer\">\n").append(finalOutput).append("\n</final_output>\n");
            } else if (evidence == Evidence.DOWNSTREAM_LINES) {
                text.append("Summary passed on to the successor: ").append(lost).append("\n\n")
                        .append("Final output of the system:\n").append(finalOutput).append("\n");
            }
            text.append('\n');
        }
        if (evidence == Evidence.WORD_ONLY) {
            text.append("# Misalignment cases: looked good locally, failed downstream\nThese are misalignment cases.\n");
        }
        return text.toString();
    }

    private static String request(String current, String traces) {
        return "# Agent\nreflector: checks the answer\n\n# Current prompt\n<current_prompt>\n" + current
                + "\n</current_prompt>\n\nReply exactly in this format:\n<analyse>...</analyse>\n"
                + "<modification>...</modification>\n<prompt>the complete new prompt</prompt>\n\n" + traces;
    }

    @Test
    void symptomsAreCountedPerTrace() {
        Symptoms symptoms = WORLD.proposal().symptoms(traces(4, Evidence.NONE));
        assertThat(symptoms.traces()).isEqualTo(10);
        assertThat(symptoms.downstream()).isZero();
        assertThat(symptoms.fractions()).containsEntry(Symptom.WRONG_ANSWER, 0.4).containsEntry(Symptom.NO_ANSWER, 0.0)
                .containsEntry(Symptom.TOO_LONG, 0.0).containsEntry(Symptom.CONTEXT_WITHOUT_ANSWER, 1.0);

        String longNoAnswer = "Question: " + ITEMS.get(0).question() + "\nOutput:\n" + steps(8) + "I am not sure.\n";
        Symptoms other = WORLD.proposal().symptoms(longNoAnswer);
        assertThat(other.fractions()).containsEntry(Symptom.NO_ANSWER, 1.0).containsEntry(Symptom.TOO_LONG, 1.0)
                .containsEntry(Symptom.CONTEXT_WITHOUT_ANSWER, 0.0);
    }

    @Test
    void downstreamEvidenceCountsEachDownstreamSymptomThreeTimesInEitherWording() {
        for (Evidence wording : new Evidence[] {Evidence.DOWNSTREAM_TAGS, Evidence.DOWNSTREAM_LINES}) {
            Symptoms symptoms = WORLD.proposal().symptoms(traces(4, wording));
            assertThat(symptoms.downstream()).as(wording.name()).isEqualTo(10);
            // Six right answers lost in the final output; ten summaries without the answer on top of ten local
            // contexts without one; the outputs themselves are as before.
            assertThat(symptoms.fractions()).as(wording.name()).containsEntry(Symptom.LOST_DOWNSTREAM, 1.8)
                    .containsEntry(Symptom.CONTEXT_WITHOUT_ANSWER, 4.0).containsEntry(Symptom.WRONG_ANSWER, 0.4)
                    .containsEntry(Symptom.NO_ANSWER, 0.0).containsEntry(Symptom.TOO_LONG, 0.0);
            double gain = WORLD.scenario().proposal().symptomGain();
            Map<String, Double> weights = weights(CURRENT, traces(4, wording));
            double focus = WORLD.scenario().skill("focus").obviousness();
            assertThat(weights.get("+focus")).isCloseTo(focus * (1 + gain * 0.4) * (1 + gain * 4.0), within(1e-9));
            assertThat(weights.get("+double-check")).isEqualTo(weights(CURRENT, traces(4, Evidence.NONE)).get("+double-check"));
        }
        // A long output read raw by the successor is over its budget: counted once locally and three times downstream.
        Item item = ITEMS.get(0);
        String raw = "## Question\n" + item.question() + "\n<output>\n" + steps(9) + "The answer is " + item.answer()
                + ".\n</output>\n<successor_output agent=\"reflector\">\n" + steps(3) + "The answer is " + item.answer()
                + ".\n</successor_output>\n";
        assertThat(WORLD.proposal().symptoms(raw).fractions()).containsEntry(Symptom.TOO_LONG, 4.0)
                .containsEntry(Symptom.LOST_DOWNSTREAM, 0.0);
    }

    @Test
    void theWordMisalignmentAloneChangesNothing() {
        Symptoms plain = WORLD.proposal().symptoms(traces(4, Evidence.NONE));
        Symptoms worded = WORLD.proposal().symptoms(traces(4, Evidence.WORD_ONLY));
        assertThat(worded).isEqualTo(plain);
        assertThat(weights(CURRENT, traces(4, Evidence.WORD_ONLY))).isEqualTo(weights(CURRENT, traces(4, Evidence.NONE)));
    }

    @Test
    void aPlaceholderContextIsNoContextInAnyWording() {
        Item item = ITEMS.get(0);
        String output = steps(3) + "The answer is " + item.answer() + ".";
        for (String context : new String[] {"<context>\n(no context)\n</context>\n", "<context>\nnone\n</context>\n",
                "<context>\n</context>\n", "<context>N/A</context>\n", "Context: (none)\n", "Context:\n\n",
                "Context: No previous outputs.\n"}) {
            String trace = "## Question\n" + item.question() + "\n" + context
                    + (context.startsWith("<") ? "<output>\n" + output + "\n</output>\n" : "Output:\n" + output + "\n");
            assertThat(WORLD.proposal().symptoms(trace).fractions()).as(context)
                    .containsEntry(Symptom.CONTEXT_WITHOUT_ANSWER, 0.0).containsEntry(Symptom.WRONG_ANSWER, 0.0);
        }
        String real = "## Question\n" + item.question() + "\n<context>\n[predictor]: The output works through 9 steps."
                + "\n</context>\n<output>\n" + output + "\n</output>\n";
        assertThat(WORLD.proposal().symptoms(real).fractions()).containsEntry(Symptom.CONTEXT_WITHOUT_ANSWER, 1.0);
    }

    @Test
    void proposedEditsFollowTheWeightsAndDownstreamEvidenceShowsInTheDistribution() {
        for (Evidence evidence : new Evidence[] {Evidence.NONE, Evidence.DOWNSTREAM_TAGS}) {
            String text = request(CURRENT, traces(4, evidence));
            Map<String, Double> weights = weights(CURRENT, traces(4, evidence));
            double total = weights.values().stream().mapToDouble(Double::doubleValue).sum();
            Map<String, Integer> counts = new HashMap<>();
            int n = 2000;
            for (long seed = 0; seed < n; seed++) {
                String reply = WORLD.respond(text, seed, 0.7).content();
                counts.merge(editOf(reply), 1, Integer::sum);
            }
            for (Map.Entry<String, Double> edit : weights.entrySet()) {
                double expected = edit.getValue() / total;
                double observed = counts.getOrDefault(edit.getKey(), 0) / (double) n;
                assertThat(observed).as(edit.getKey() + " " + evidence)
                        .isCloseTo(expected, within(4 * Math.sqrt(expected * (1 - expected) / n)));
            }
        }
        // Downstream evidence moves probability mass towards the skills that fix what it shows (focus: contexts
        // without answers), away from those fixing symptoms not seen (answer-tags: no answer).
        Map<String, Double> plain = weights(CURRENT, traces(4, Evidence.NONE));
        Map<String, Double> shown = weights(CURRENT, traces(4, Evidence.DOWNSTREAM_TAGS));
        assertThat(share(shown, "+focus")).isGreaterThan(share(plain, "+focus") + 0.1);
        assertThat(share(shown, "+answer-tags")).isLessThan(share(plain, "+answer-tags"));
    }

    @Test
    void editsAddOrRemoveTheSkillPhraseAndKeepThePlaceholders() {
        String withTrap = CURRENT + "\nExplain every intermediate calculation in full detail.";
        int removals = 0;
        for (long seed = 0; seed < 300; seed++) {
            String reply = WORLD.respond(request(withTrap, traces(0, Evidence.NONE)), seed, 0.7).content();
            Matcher prompt = PROMPT.matcher(reply);
            if (!prompt.find() || !prompt.group(1).contains("{question}")) {
                continue; // a deliberately malformed reply
            }
            String newPrompt = prompt.group(1);
            assertThat(newPrompt).contains("{context}");
            if (editOf(reply).equals("-exhaustive")) {
                assertThat(newPrompt).isEqualTo(CURRENT);
                removals++;
            } else {
                String phrase = WORLD.scenario().skill(editOf(reply).substring(1)).phrases().get(0);
                assertThat(newPrompt).isEqualTo(withTrap + "\n" + phrase + ".");
            }
        }
        assertThat(removals).as("the removal path was exercised").isPositive();
    }

    @Test
    void malformedRepliesComeAtTheConfiguredRate() {
        int malformed = 0;
        int n = 4000;
        String text = request(CURRENT, traces(3, Evidence.NONE));
        for (long seed = 0; seed < n; seed++) {
            Matcher prompt = PROMPT.matcher(WORLD.respond(text, seed, 0.7).content());
            malformed += !prompt.find() || !prompt.group(1).contains("{question}") ? 1 : 0;
        }
        double rate = WORLD.scenario().proposal().malformedRate();
        assertThat(malformed / (double) n).isCloseTo(rate, within(4 * Math.sqrt(rate * (1 - rate) / n)));
    }

    @Test
    void aFencedReferencePromptIsReadToo() {
        String text = "Reference prompt:\n```\nAnswer carefully. {question}\n```\nWrite the new prompt inside <prompt></prompt>.";
        String reply = WORLD.respond(text, 5L, 0).content();
        Matcher prompt = PROMPT.matcher(reply);
        if (prompt.find() && prompt.group(1).contains("{question}")) {
            assertThat(prompt.group(1)).startsWith("Answer carefully. {question}");
        }
        assertThat(reply).contains("<analyse>").contains("<modification>");
    }

    private static Map<String, Double> weights(String current, String traces) {
        Map<String, Double> weights = new HashMap<>();
        for (Edit edit : WORLD.proposal().edits(current, WORLD.proposal().symptoms(traces))) {
            weights.put((edit.add() ? "+" : "-") + edit.skill().id(), edit.weight());
        }
        return weights;
    }

    private static double share(Map<String, Double> weights, String key) {
        return weights.get(key) / weights.values().stream().mapToDouble(Double::doubleValue).sum();
    }

    /** "+id" or "-id" from the reply's modification line. */
    private static String editOf(String reply) {
        Matcher m = Pattern.compile("<modification>(Add|Remove): (.*?)</modification>").matcher(reply);
        assertThat(m.find()).as(reply).isTrue();
        String id = WORLD.scenario().skills().stream().filter(s -> s.phrases().get(0).equals(m.group(2))).findFirst()
                .orElseThrow().id();
        return (m.group(1).equals("Add") ? "+" : "-") + id;
    }
}
