package ai.maspo.simulator.world;

import static org.assertj.core.api.Assertions.assertThat;

import ai.maspo.simulator.scenario.Item;
import ai.maspo.simulator.world.Mas.Agent;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/**
 * The same request in other clients' wordings is read the same way: the outputs of a pairwise judge end before the
 * instructions written after them, an agent's context is only what its template supplies from other agents, and an
 * agent reading several predecessors weighs all of them.
 */
class TemplateWordingTest {

    private static final World SEQUENTIAL = Mas.shipped("sequential-trap");
    private static final World CHOICE = Mas.shipped("hierarchical-trap");
    private static final String A = "Step 1: Identify the quantities in the question.\nThe answer is 12.";
    private static final String B = "Step 1: Identify the quantities in the question.\n\nStep 2: Check it.\nThe answer is 17.";
    private static final String FORMAT_NOTE = "Formatting guidelines: a good output gives its final result inside "
            + "<answer></answer> tags, for example <answer>42</answer>.";

    /** Pairwise templates of several clients, each with instructions after the outputs. */
    private static final List<BiFunction<String, String, String>> JUDGE_TEMPLATES = List.of(
            (a, b) -> "# Question\nq\n\n<output_a>\n" + a + "\n</output_a>\n\n<output_b>\n" + b + "\n</output_b>\n\n"
                    + FORMAT_NOTE + "\nChoose the better one: <choose>A or B</choose>",
            (a, b) -> "Question: q\n\nOutput A:\n" + a + "\n\nOutput B:\n" + b + "\n\n" + FORMAT_NOTE
                    + "\nWhich output is better? Reply A or B.",
            (a, b) -> "Question: q\nOutput A: " + a + "\nOutput B: " + b + "\n\nGuidelines:\n- " + FORMAT_NOTE
                    + "\n\nWhich is better?",
            (a, b) -> "### Response A\n" + a + "\n\n### Response B\n" + b + "\n\n### Evaluation criteria\n" + FORMAT_NOTE
                    + "\nSelect the better response.",
            (a, b) -> "[Output A]\n" + a + "\n\n[Output B]\n" + b + "\n\nCompare both outputs. " + FORMAT_NOTE
                    + " Which do you prefer?",
            (a, b) -> "Answer A: " + a + "\n\nAnswer B: " + b + "\n\nPlease judge which answer is better. Note: "
                    + "answers should use <answer> tags.",
            (a, b) -> "<response_a>" + a + "</response_a>\n<response_b>" + b + "</response_b>\n" + FORMAT_NOTE
                    + " Which response is better?");

    @Test
    void eachJudgeTemplateEndsOutputBBeforeTheInstructionsAfterIt() {
        for (BiFunction<String, String, String> template : JUDGE_TEMPLATES) {
            String text = template.apply(A, B);
            assertThat(RequestClassifier.classify(text)).as(text).isEqualTo(RequestClass.PAIRWISE_JUDGE);
            String[] outputs = RequestClassifier.labelledOutputs(text);
            assertThat(outputs[0].strip()).as(text).isEqualTo(A);
            assertThat(outputs[1].strip()).as(text).isEqualTo(B);
        }
    }

    @Test
    void instructionsAfterTheOutputsNoLongerGiveOutputBTheFormatBonus() {
        // Candidate (double-check, more often right) as A, parent as B; the trailing guideline mentions <answer>.
        Mas mas = new Mas(SEQUENTIAL, true);
        String gain = SEQUENTIAL.scenario().skill("double-check").phrases().get(0);
        Agent plain = new Agent("predictor", List.of(), List.of());
        int asSent = 0;
        int withoutGuideline = 0;
        List<Item> items = mas.items().subList(0, 300);
        for (Item item : items) {
            String parent = mas.ask(Mas.prompt(plain, false).replace("{question}", item.question()), 1);
            String candidate = mas.ask(Mas.prompt(plain.with(gain), false).replace("{question}", item.question()), 1);
            String outputs = "Question: " + item.question() + "\n\nOutput A:\n" + candidate + "\n\nOutput B:\n" + parent;
            String ask = "\n\nWhich output is better? Reply A or B.";
            asSent += mas.ask(outputs + "\n\n" + FORMAT_NOTE + ask, 1).startsWith("A") ? 1 : 0;
            withoutGuideline += mas.ask(outputs + ask, 1).startsWith("A") ? 1 : 0;
        }
        System.out.printf("judge, candidate as A: %d/300 wins as sent, %d/300 without the trailing guideline%n",
                asSent, withoutGuideline);
        // Different texts draw different perceptions, so only the rates agree: within 4 standard errors of a
        // difference of two proportions near 0.8 (reading the guideline as part of B cost the candidate about 130).
        assertThat(Math.abs(asSent - withoutGuideline)).isLessThan(40);
    }

    /** Agent prompts of several clients, none of which supplies a context from other agents. */
    private static final List<String> NO_CONTEXT_PROMPTS = List.of(
            "You are an expert. State the letter of your choice in answer tags, for example <answer>A</answer>.\n"
                    + "Question: {question}",
            "Question: {question}\nContext: (no context)\nAnswer the question.",
            "{question}\n\nPrevious answers:\nnone\n\nGive the final answer, e.g. The answer is A.",
            "<context>\n</context>\n<question>{question}</question>\nFormat: <answer>A</answer>",
            "Solve the question.\n\nExample:\nQuestion: Which value equals 1 + 1? A) 2 B) 3\nStep 1: add.\n"
                    + "The answer is A.\n\nQuestion: {question}",
            "Question: {question}\n\nOutputs of the previous agents:\n[no context]\n\nAnswer in the format <answer>A</answer>.");

    @Test
    void examplesInstructionsAndPlaceholdersAreNoContextInAnyWording() {
        Item item = CHOICE.split("train").get(0);
        for (String prompt : NO_CONTEXT_PROMPTS) {
            assertThat(Contexts.parts(prompt.replace("{question}", item.question()))).as(prompt).isEmpty();
        }
    }

    @Test
    void anExampleAnswerInTheInstructionsIsNotRepeatedByTheAgents() {
        List<Item> items = new Mas(CHOICE, true).items().subList(0, 200);
        for (String prompt : NO_CONTEXT_PROMPTS) {
            int answeredA = 0;
            int plainA = 0;
            for (Item item : items) {
                answeredA += answers(CHOICE, prompt.replace("{question}", item.question()), item, "A");
                plainA += answers(CHOICE, "Question: " + item.question(), item, "A");
            }
            System.out.printf("%d/200 replies answer A (%d without the example) to: %s%n", answeredA, plainA,
                    prompt.replace("\n", " | "));
            // Was 161/200 for the first prompt when the example was read as a context answer.
            assertThat(Math.abs(answeredA - plainA)).as(prompt).isLessThan(25);
        }
    }

    @Test
    void theContextIsFoundInTheTemplatesOfSeveralClients() {
        Item item = SEQUENTIAL.split("train").get(0);
        String part1 = "Step 1: Identify the quantities.\nThe answer is 5.";
        String part2 = "The answer is 7. It follows a 3-step solution.";
        Map<String, List<String>> prompts = Map.of(
                "Problem:\n{question}\n\nA previous solution:\n[predictor]: " + part1 + "\n\nCheck the solution, and "
                        + "state the final answer, for example <answer>3</answer>.", List.of(part1),
                "Problem:\n{question}\n\nSolutions from other agents:\n[predictor_1]: " + part1 + "\n\n[predictor_2]: "
                        + part2 + "\n\nWeigh the solutions, decide which is right.", List.of(part1, part2),
                "You are the reflector.\nQuestion: {question}\nOutputs of the previous agents:\n[predictor]\n" + part1
                        + "\n", List.of(part1),
                "Question: {question}\n<context>\n" + part2 + "\n</context>\nFor example <answer>9</answer>.", List.of(part2),
                "Question: {question}\nContext: " + part2 + "\n\nAnswer like this: The answer is 4.", List.of(part2));
        prompts.forEach((prompt, expected) -> assertThat(Contexts.parts(prompt.replace("{question}", item.question()))
                .stream().map(String::strip).toList()).as(prompt).isEqualTo(expected));
    }

    @Test
    void theMajorityOfReadableAnswersWinsAndTiesAreBrokenByTheHash() {
        Draw draw = Draw.of(1, 2L, "x", 0);
        assertThat(AgentBehaviour.majority(List.of("5", "7", "5"), draw)).isEqualTo("5");
        assertThat(AgentBehaviour.majority(List.of("7", "5", "5"), draw)).isEqualTo("5");
        assertThat(AgentBehaviour.majority(List.of(), draw)).isNull();
        Map<String, Integer> tieWinners = new TreeMap<>();
        for (int i = 0; i < 400; i++) {
            tieWinners.merge(AgentBehaviour.majority(List.of("5", "7"), Draw.of(1, null, "tie " + i, 0)), 1, Integer::sum);
        }
        assertThat(tieWinners.keySet()).containsExactly("5", "7");
        assertThat(tieWinners.get("5")).isBetween(160, 240);
    }

    @Test
    void anAggregatorFollowsTheMajorityOfItsPredictorsNotTheLastOneRead() {
        // Two right predictors and a wrong last one, against two wrong and a right last one: with the last answer
        // read the second would be the better context; weighing all parts, the first is.
        List<Item> items = new Mas(SEQUENTIAL, true).items();
        int majorityRight = 0;
        int majorityWrong = 0;
        for (Item item : items) {
            String right = "The answer is " + item.answer() + ".";
            String wrong = "The answer is " + (Integer.parseInt(item.answer()) + 2) + ".";
            majorityRight += answers(SEQUENTIAL, aggregator(item, right, right, wrong), item, item.answer());
            majorityWrong += answers(SEQUENTIAL, aggregator(item, wrong, wrong, right), item, item.answer());
        }
        System.out.printf("aggregator over %d items: %d right with a right majority, %d with a wrong majority%n",
                items.size(), majorityRight, majorityWrong);
        assertThat(majorityRight).isGreaterThan(items.size() * 9 / 10);
        assertThat(majorityWrong).isLessThan(items.size() / 2);
    }

    private static String aggregator(Item item, String... predictors) {
        StringBuilder context = new StringBuilder();
        for (int i = 0; i < predictors.length; i++) {
            context.append("[predictor_").append(i + 1).append("]: ").append(predictors[i]).append("\n\n");
        }
        return "Problem:\n" + item.question() + "\n\nCandidate solutions:\n" + context
                + "Combine the candidates into the single best final answer.";
    }

    private static int answers(World world, String prompt, Item item, String answer) {
        return answer.equals(Texts.lastAnswer(world.respond(prompt, 1L, 0).content(), item)) ? 1 : 0;
    }
}
