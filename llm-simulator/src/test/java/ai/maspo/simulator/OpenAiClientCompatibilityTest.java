package ai.maspo.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.openai.OpenAiChatModel;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The stock langchain4j OpenAI client, configured only with the base URL, talks to the simulator unchanged. */
class OpenAiClientCompatibilityTest {

    private static LlmSimulator simulator;

    @BeforeAll
    static void start() {
        simulator = LlmSimulator.start(SimulatorOptions.defaults());
    }

    @AfterAll
    static void stop() {
        simulator.close();
    }

    private static OpenAiChatModel model(String name) {
        return OpenAiChatModel.builder().baseUrl(simulator.baseUrl()).apiKey("sim-key").modelName(name)
                .temperature(0.0).seed(7).timeout(Duration.ofSeconds(10)).maxRetries(0).build();
    }

    @Test
    void agentCallReturnsContentAndTokenUsage() {
        ChatResponse response = model("sequential-trap").chat(ChatRequest.builder()
                .messages(SystemMessage.from("You are the predictor."),
                        UserMessage.from("Question: #q0042 Compute the value."))
                .build());
        assertThat(response.aiMessage().text()).startsWith("Step 1: ").containsPattern("The answer is -?\\d+\\.$");
        assertThat(response.tokenUsage().inputTokenCount()).isPositive();
        assertThat(response.tokenUsage().outputTokenCount()).isEqualTo((response.aiMessage().text().length() + 3) / 4);
        assertThat(response.finishReason()).hasToString("STOP");
        assertThat(response.metadata().modelName()).isEqualTo("sequential-trap");
    }

    @Test
    void judgeAndDefaultModelWorkThroughTheSameClient() {
        String verdict = model("sim-default").chat("Question: #q0001\n<output_a>The answer is 1.</output_a>\n"
                + "<output_b>The answer is 2.</output_b>\nChoose the better output: <choose>A or B</choose>");
        assertThat(verdict).matches("(?s)<analyse>.*</analyse><choose>[AB]</choose>");
    }
}
