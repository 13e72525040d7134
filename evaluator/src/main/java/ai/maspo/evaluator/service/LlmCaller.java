package ai.maspo.evaluator.service;

import ai.maspo.evaluator.prompting.ChatPrompt;
import ai.maspo.protocol.ModelRole;
import ai.maspo.protocol.ModelSettings;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.NonRetriableException;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.openai.OpenAiChatRequestParameters;
import dev.langchain4j.model.output.TokenUsage;
import io.quarkiverse.langchain4j.ModelName;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import io.smallrye.faulttolerance.api.ExponentialBackoff;
import org.eclipse.microprofile.faulttolerance.Retry;

import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * One chat completion against the endpoint configured for a model role, with bounded retries.
 * Model name, temperature and seed come from the run, per request; endpoints and keys from configuration
 * ({@code quarkus.langchain4j.openai.<role>.*}).
 */
@ApplicationScoped
public class LlmCaller {

    @Inject
    @ModelName("agent")
    ChatModel agentModel;

    @Inject
    @ModelName("optimizer")
    ChatModel optimizerModel;

    @Inject
    @ModelName("judge")
    ChatModel judgeModel;

    /**
     * Retries cover rate limits, server errors, timeouts and malformed bodies; requests the endpoint rejects
     * as invalid or unauthorised are not retried. The langchain4j client already repeats a retriable failure
     * once at its lowest setting ({@code max-retries=1}), so 2 retries here mean at most 6 HTTP attempts per
     * call, with growing back-off between the last four. Overridable with the MicroProfile Fault Tolerance keys
     * ({@code ai.maspo.evaluator.service.LlmCaller/call/Retry/maxRetries}).
     */
    @Retry(maxRetries = 2, delay = 200, jitter = 100, maxDuration = 5, durationUnit = ChronoUnit.MINUTES,
            abortOn = NonRetriableException.class)
    @ExponentialBackoff(maxDelay = 10, maxDelayUnit = ChronoUnit.SECONDS)
    public LlmReply call(ModelRole role, ModelSettings settings, ChatPrompt prompt, long seed) {
        List<ChatMessage> messages = new ArrayList<>(2);
        if (!prompt.system().isBlank()) {
            messages.add(SystemMessage.from(prompt.system()));
        }
        messages.add(UserMessage.from(prompt.user()));
        ChatRequest request = ChatRequest.builder()
                .messages(messages)
                .parameters(OpenAiChatRequestParameters.builder()
                        .modelName(settings.model())
                        .temperature(settings.temperature())
                        .seed((int) (seed ^ (seed >>> 32)))
                        .build())
                .build();
        ChatResponse response = model(role).chat(request);
        String text = response.aiMessage() == null ? null : response.aiMessage().text();
        if (text == null) {
            throw new IllegalStateException("the " + role + " model returned no text");
        }
        TokenUsage usage = response.tokenUsage();
        return new LlmReply(text,
                usage == null || usage.inputTokenCount() == null ? 0 : usage.inputTokenCount(),
                usage == null || usage.outputTokenCount() == null ? 0 : usage.outputTokenCount());
    }

    private ChatModel model(ModelRole role) {
        return switch (role) {
            case AGENT -> agentModel;
            case OPTIMIZER -> optimizerModel;
            case JUDGE -> judgeModel;
        };
    }
}
