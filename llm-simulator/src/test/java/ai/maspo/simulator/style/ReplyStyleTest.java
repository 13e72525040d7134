package ai.maspo.simulator.style;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.maspo.simulator.LlmSimulator;
import ai.maspo.simulator.SimulatorOptions;
import ai.maspo.simulator.scenario.Item;
import ai.maspo.simulator.scenario.Scenario;
import ai.maspo.simulator.scenario.ScenarioLoader;
import ai.maspo.simulator.scenario.StyleParams;
import ai.maspo.simulator.world.Draw;
import ai.maspo.simulator.world.Reply;
import ai.maspo.simulator.world.RequestClass;
import ai.maspo.simulator.world.World;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The realistic style is honest: it words the plain reply differently but answers the same, puts disagreeing drafts
 * in the reasoning only, and refuses at its configured rate; plain stays byte for byte the behaviours' reply.
 */
class ReplyStyleTest {

    private static final Pattern ANSWER = Pattern.compile("<answer>\\s*([^<]*?)\\s*</answer>|[Tt]he [Aa]nswer [Ii]s\\s*:?\\s*\\(?([-A-Za-z0-9]+)");
    private static final Pattern STEP = Pattern.compile("(?m)^Step \\d+");
    private static final Pattern THINK = Pattern.compile("(?s)^<think>\\n(.*?)\\n</think>\\n\\n(.*)$");
    private static final StyleParams REALISTIC = new StyleParams(StyleParams.Mode.REALISTIC, 0.02, 0.5, 0.5);

    private final World world = new World(ScenarioLoader.shipped().getFirst());

    @Test
    void realisticAgentRepliesGiveThePlainAnswerAndStepsWithDisagreeingDraftsOnlyInTheReasoning() {
        int styled = 0;
        int refused = 0;
        int inField = 0;
        for (Item item : world.split("train")) {
            String request = "Solve the following problem.\n\n" + item.question();
            Reply plain = world.respond(request, 7L, 0);
            ReplyStyle.Styled s = ReplyStyle.apply(REALISTIC, null, RequestClass.AGENT, plain.content(), draw(request));
            if (s.content().startsWith("I'm sorry")) {
                refused++;
                assertThat(ANSWER.matcher(s.content()).find()).isFalse();
                continue;
            }
            styled++;
            String reasoning;
            String content;
            if (s.reasoningContent() != null) {
                inField++;
                reasoning = s.reasoningContent();
                content = s.content();
            } else {
                Matcher think = THINK.matcher(s.content());
                assertThat(think.matches()).as(s.content()).isTrue();
                reasoning = think.group(1);
                content = think.group(2);
            }
            assertThat(lastAnswer(content)).isEqualTo(lastAnswer(plain.content()));
            assertThat(steps(content)).isEqualTo(steps(plain.content()));
            assertThat(content).doesNotContain("\\boxed").isNotEqualTo(plain.content());
            Matcher draft = Pattern.compile("\\\\boxed\\{([^}]*)}").matcher(reasoning);
            assertThat(draft.find()).as(reasoning).isTrue();
            assertThat(draft.group(1)).isNotEqualTo(lastAnswer(plain.content()));
            // the world's readers find nothing in the reasoning: no answer phrase, no tag, no Step line
            assertThat(lastAnswer(reasoning)).isNull();
            assertThat(steps(reasoning)).isZero();
        }
        int n = world.split("train").size();
        assertThat(refused).as("refusals at rate 0.02 of %d", n)
                .isBetween((int) (n * 0.02 - fourSigma(n, 0.02)), (int) Math.ceil(n * 0.02 + fourSigma(n, 0.02)));
        assertThat(inField).as("reasoning_content at rate 0.5 of %d", styled)
                .isBetween((int) (styled * 0.5 - fourSigma(styled, 0.5)), (int) Math.ceil(styled * 0.5 + fourSigma(styled, 0.5)));
    }

    @Test
    void realisticJudgeRepliesNameTheSameWinnerAsThePlainReply() {
        List<Item> items = world.split("test");
        int drafts = 0;
        for (int i = 0; i < items.size(); i++) {
            Item item = items.get(i);
            String request = "Question: " + item.question() + "\n<output_a>\nStep 1: x\nThe answer is " + (i % 7)
                    + ".\n</output_a>\n<output_b>\nStep 1: y\nThe answer is " + item.answer()
                    + ".\n</output_b>\nWhich output is better? Reply <analyse>…</analyse><choose>A or B</choose>";
            Reply plain = world.respond(request, 3L, 0);
            assertThat(plain.requestClass()).isEqualTo(RequestClass.PAIRWISE_JUDGE);
            String choice = plain.content().replaceAll("(?s).*<choose>([AB])</choose>$", "$1");
            ReplyStyle.Styled s = ReplyStyle.apply(REALISTIC, null, RequestClass.PAIRWISE_JUDGE, plain.content(), draw(request));
            if (s.content().startsWith("I'm sorry")) {
                continue;
            }
            String content = s.reasoningContent() != null ? s.content() : THINK.matcher(s.content()).replaceAll("$2");
            String reasoning = s.reasoningContent() != null ? s.reasoningContent() : THINK.matcher(s.content()).replaceAll("$1");
            assertThat(content).matches("(?s).*(<choose>" + choice + "</choose>|\\*\\*Output " + choice
                    + "\\*\\* is better\\.|\\*\\*Verdict:\\*\\* Output " + choice + "|Answer: " + choice + ")$");
            assertThat(content).doesNotContain("Output " + (choice.equals("A") ? "B" : "A") + "**");
            if (reasoning.contains("<choose>" + (choice.equals("A") ? "B" : "A") + "</choose>")) {
                drafts++;
            }
        }
        assertThat(drafts).as("every styled verdict has a disagreeing draft").isGreaterThan(items.size() * 9 / 10);
    }

    @Test
    void plainIsTheBehavioursReplyAndTheSuffixChoosesPerRequest() {
        Reply plain = world.respond("Solve #q0001", 1L, 0);
        assertThat(ReplyStyle.apply(StyleParams.DEFAULT, null, RequestClass.AGENT, plain.content(), draw("x")))
                .isEqualTo(new ReplyStyle.Styled(plain.content(), null));
        assertThat(ReplyStyle.apply(REALISTIC, StyleParams.Mode.PLAIN, RequestClass.AGENT, plain.content(), draw("x")))
                .isEqualTo(new ReplyStyle.Styled(plain.content(), null));
        assertThat(ReplyStyle.ModelChoice.of("sequential-trap:realistic"))
                .isEqualTo(new ReplyStyle.ModelChoice("sequential-trap", StyleParams.Mode.REALISTIC));
        assertThat(ReplyStyle.ModelChoice.of("debate-trap:plain"))
                .isEqualTo(new ReplyStyle.ModelChoice("debate-trap", StyleParams.Mode.PLAIN));
        assertThat(ReplyStyle.ModelChoice.of("gpt-4o")).isEqualTo(new ReplyStyle.ModelChoice("gpt-4o", null));
    }

    @Test
    void aScenarioChoosesItsDefaultStyleAndRatesAndOutOfRangeRatesAreRefusedWithTheField() {
        String base = yamlOf("sequential-trap");
        Scenario realistic = ScenarioLoader.parse(base + "\nstyle: {mode: realistic, refusalRate: 0.05}\n", "test");
        assertThat(realistic.style()).isEqualTo(new StyleParams(StyleParams.Mode.REALISTIC, 0.05, 0.5, 0.5));
        assertThat(ScenarioLoader.parse(base, "test").style()).isEqualTo(StyleParams.DEFAULT);
        assertThatThrownBy(() -> ScenarioLoader.parse(base + "\nstyle: {mode: realistic, refusalRate: 0.5}\n", "test"))
                .hasMessageContaining("style.refusalRate");
        assertThatThrownBy(() -> ScenarioLoader.parse(base + "\nstyle: {mode: chatty}\n", "test"))
                .hasMessageContaining("style");
    }

    @Test
    void theWireCarriesReasoningContentAndCountsItsTokens() throws Exception {
        ObjectMapper json = new ObjectMapper();
        HttpClient http = HttpClient.newHttpClient();
        try (LlmSimulator simulator = LlmSimulator.start(SimulatorOptions.defaults())) {
            int fields = 0;
            int thinks = 0;
            for (int i = 0; i < 40; i++) {
                String body = json.createObjectNode().put("model", "sequential-trap:realistic").put("seed", i)
                        .set("messages", json.createArrayNode().add(json.createObjectNode().put("role", "user")
                                .put("content", "Solve #q%04d".formatted(i)))).toString();
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(simulator.baseUrl() + "/chat/completions"))
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                        HttpResponse.BodyHandlers.ofString());
                JsonNode root = json.readTree(response.body());
                assertThat(root.path("model").asText()).isEqualTo("sequential-trap:realistic");
                JsonNode message = root.path("choices").get(0).path("message");
                String content = message.path("content").asText();
                if (message.has("reasoning_content")) {
                    fields++;
                    assertThat(content).doesNotContain("<think>");
                    assertThat(root.path("usage").path("completion_tokens").asInt()).isEqualTo(
                            (message.path("reasoning_content").asText().length() + 3) / 4 + (content.length() + 3) / 4);
                } else if (content.startsWith("<think>")) {
                    thinks++;
                }
            }
            assertThat(fields).isPositive();
            assertThat(thinks).isPositive();
        }
    }

    private static String yamlOf(String name) throws RuntimeException {
        try (var in = ReplyStyleTest.class.getClassLoader().getResourceAsStream("scenarios/" + name + ".yaml")) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private Draw draw(String text) {
        return Draw.of(world.scenario().seed(), 5L, text, 0);
    }

    private static String lastAnswer(String text) {
        Matcher m = ANSWER.matcher(text);
        String last = null;
        while (m.find()) {
            last = m.group(1) != null ? m.group(1) : m.group(2);
        }
        return last;
    }

    private static int steps(String text) {
        return (int) STEP.matcher(text).results().count();
    }

    /** Four standard errors of a count drawn n times with probability p. */
    private static double fourSigma(int n, double p) {
        return 4 * Math.sqrt(n * p * (1 - p));
    }
}
