package ai.maspo.evaluator.prompting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.maspo.protocol.TaskType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The requests must carry what both an OpenAI model and the simulator's request classifier rely on. */
class PromptsTest {

    private static final AgentRole SOLVER = new AgentRole("solver", "solves the problem step by step");
    private static final AgentRole CRITIC = new AgentRole("critic", "checks the solver's answer");

    private static String text(ChatPrompt prompt) {
        return prompt.system() + "\n" + prompt.user();
    }

    @Test
    void judgePromptLabelsBothOutputsAndAsksForChoose() {
        ChatPrompt prompt = PairwiseJudgePrompt.build(new PairwiseJudgePrompt.Request(ComparisonKind.LOCAL, SOLVER, SOLVER,
                "Answer correctly.", "#q0042 What is 6*7?", "Step 1: 42. The answer is 42.", "The answer is 41."));
        String text = text(prompt);
        assertThat(text.indexOf("<output_a>\nStep 1: 42. The answer is 42.\n</output_a>"))
                .isPositive()
                .isLessThan(text.indexOf("<output_b>\nThe answer is 41.\n</output_b>"));
        assertThat(text).contains("#q0042 What is 6*7?", "Answer correctly.", "<choose>A or B</choose>", "<analyse>");
    }

    @Test
    void judgePromptSaysWhatIsJudged() {
        String local = text(judge(ComparisonKind.LOCAL, SOLVER));
        String lookahead = text(judge(ComparisonKind.LOOKAHEAD, CRITIC));
        String global = text(judge(ComparisonKind.GLOBAL, CRITIC));
        assertThat(local).contains("written by agent \"solver\"").doesNotContain("critic");
        assertThat(lookahead).contains("written by agent \"critic\"", "reads the output of agent \"solver\"");
        assertThat(global).contains("final answers of the whole multi-agent system", "prompt of agent \"solver\"");
    }

    private static ChatPrompt judge(ComparisonKind kind, AgentRole judged) {
        return PairwiseJudgePrompt.build(new PairwiseJudgePrompt.Request(kind, SOLVER, judged, "r", "q", "a", "b"));
    }

    @Test
    void proposalPromptShowsPromptTracesAndReplyFormat() {
        ChatPrompt prompt = ProposalPrompt.build(new ProposalPrompt.Request("Critique {context} then answer {question}",
                CRITIC, "Be right.", List.of(new ProposalTrace("#q0001 1+1?", "Step 1: 2. The answer is 2.", "The answer is 2.")),
                List.of()));
        String text = text(prompt);
        assertThat(text).contains("<current_prompt>\nCritique {context} then answer {question}\n</current_prompt>",
                "<prompt>", "<analyse>", "<modification>", "{question}", "placeholder {context}", "critic",
                "Be right.", "#q0001 1+1?", "<context>\nStep 1: 2. The answer is 2.\n</context>",
                "<output>\nThe answer is 2.\n</output>");
        // The misalignment section appears only when cases are flagged.
        assertThat(text.toLowerCase()).doesNotContain("misalignment").doesNotContain("<output_a>");
    }

    @Test
    void proposalPromptFlagsMisalignmentCasesSeparatelyAndShowsWhatHappenedDownstream() {
        ProposalTrace plain = new ProposalTrace("#q0001 1+1?", null, "The answer is 2.");
        ProposalTrace flagged = new ProposalTrace("#q0002 2+2?", null, "Step 1 ... Step 9. The answer is 4.");
        MisalignmentTrace flaggedCase = new MisalignmentTrace(flagged, "the critic's answer got worse",
                "The output works through 9 steps without stating a final result.",
                List.of(new MisalignmentTrace.DownstreamOutput("critic", "Step 1: guess. The answer is 5.")),
                new MisalignmentTrace.DownstreamOutput("judge", "The answer is 5."));
        String text = text(ProposalPrompt.build(new ProposalPrompt.Request("Solve {question}", SOLVER, "Be right.",
                List.of(plain), List.of(flaggedCase))));
        int heading = text.indexOf("# Misalignment cases: looked good locally, failed downstream");
        assertThat(heading).isGreaterThan(text.indexOf("#q0001"));
        assertThat(text.indexOf("#q0002")).isGreaterThan(heading);
        assertThat(text).contains("Downstream: the critic's answer got worse").doesNotContain("<context>")
                .doesNotContain("placeholder {context}");
        // The downstream evidence follows the flagged output, each part tagged, in the order it happened.
        int output = text.indexOf("<output>\nStep 1 ... Step 9. The answer is 4.\n</output>");
        int summary = text.indexOf("<summary_read_by_successors>\nThe output works through 9 steps without stating a "
                + "final result.\n</summary_read_by_successors>");
        int successor = text.indexOf("<successor_output agent=\"critic\">\nStep 1: guess. The answer is 5.\n</successor_output>");
        int last = text.indexOf("<final_output agent=\"judge\">\nThe answer is 5.\n</final_output>");
        assertThat(List.of(heading, output, summary, successor, last)).isSorted().doesNotContain(-1);
        // The plain trace shows nothing downstream.
        assertThat(text.substring(0, heading)).doesNotContain("<final_output").doesNotContain("<successor_output");
    }

    @Test
    void aFlaggedCaseOfTheTerminalAgentShowsNoDownstreamTags() {
        MisalignmentTrace terminal = new MisalignmentTrace(new ProposalTrace("#q0002 2+2?", "[solver]: 4", "The answer is 5."),
                "the final answer got worse", null, List.of(), null);
        String text = text(ProposalPrompt.build(new ProposalPrompt.Request("Check {context} for {question}", CRITIC,
                "Be right.", List.of(), List.of(terminal))));
        assertThat(text).contains("Downstream: the final answer got worse").doesNotContain("<final_output")
                .doesNotContain("<successor_output").doesNotContain("<summary_read_by_successors>");
    }

    @Test
    void compressionAsksForAtMostNWords() {
        assertThat(CompressionPrompt.build("Step 1: x. The answer is 3.", TaskType.MATH).user())
                .startsWith("Summarize the following output in at most 30 words, keeping its final answer")
                .endsWith("Step 1: x. The answer is 3.");
        assertThat(CompressionPrompt.build("def f(): pass", TaskType.CODE).user()).contains("at most 50 words");
        assertThat(CompressionPrompt.wordLimit(TaskType.CHOICE)).isEqualTo(30);
    }

    @Test
    void templateRendersPlaceholdersAndLiteralBraces() {
        String rendered = PromptTemplate.render("Use \\frac{{1}}{{2}}: {question} given {context}",
                Map.of("question", "#q1 x?", "context", "{none}"));
        assertThat(rendered).isEqualTo("Use \\frac{1}{2}: #q1 x? given {none}");
        assertThatThrownBy(() -> PromptTemplate.render("{answer}", Map.of("question", "q")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PromptTemplate.render("a } b", Map.of())).isInstanceOf(IllegalArgumentException.class);
    }
}
