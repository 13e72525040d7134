package ai.maspo.evaluator.service;

import ai.maspo.evaluator.prompting.ChatPrompt;
import ai.maspo.protocol.ModelRole;
import ai.maspo.protocol.ModelSettings;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.ref.Reference;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which endpoint gets which limits: one gate per distinct base URL, and roles sharing one must agree. */
class EndpointLimitsConfigTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final UsageAnnouncer announcer = new UsageAnnouncer(
            new MockProducer<>(true, null, new StringSerializer(), new StringSerializer()), MAPPER,
            new SimpleMeterRegistry());

    @AfterEach
    void close() {
        announcer.close();
    }

    @Test
    void rolesOnTheSameBaseUrlShareOneEndpointAndAnotherUrlIsAnotherEndpoint() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        LlmCaller caller = new LlmCaller(TestLlmConfig.of("http://shared.test/v1/", Map.of(
                "maspo.llm.judge.base-url", "http://user:secret@judge.test:8443/v1?x=1",
                "maspo.llm.limits.max-in-flight", "16",
                "maspo.llm.agent.limits.max-in-flight", "4")), announcer, MAPPER, registry);

        assertThat(registry.find("maspo.llm.endpoint.limit").gauges())
                .extracting(g -> g.getId().getTag("endpoint") + "=" + g.value())
                .as("agent and optimizer share the agent's limit; the judge has the default; no credentials shown")
                .containsExactlyInAnyOrder("http://shared.test/v1=4.0", "http://judge.test:8443/v1=16.0");
        Reference.reachabilityFence(caller); // gauges hold their gates weakly
    }

    @Test
    void rolesSharingAnEndpointWithDifferentLimitsRefuseToStart() {
        assertThatThrownBy(() -> new LlmCaller(TestLlmConfig.of("http://shared.test/v1", Map.of(
                "maspo.llm.agent.limits.requests-per-minute", "100",
                "maspo.llm.judge.limits.requests-per-minute", "200")), announcer, MAPPER, new SimpleMeterRegistry()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("[AGENT, JUDGE] share endpoint http://shared.test/v1")
                .hasMessageContaining("limits.requests-per-minute: agent=100, judge=200");
    }

    @Test
    void theCacheKeyAndTheTokenEstimateComeFromTheFinalRequest() {
        LlmCaller caller = new LlmCaller(TestLlmConfig.of("http://shared.test/v1", Map.of(
                "maspo.llm.limits.completion-tokens-estimate", "100")), announcer, MAPPER, new SimpleMeterRegistry());
        ChatPrompt prompt = new ChatPrompt("", "x".repeat(400));
        LlmRequest t0 = caller.request(ModelRole.AGENT, new ModelSettings("m", 0), prompt, 1);
        LlmRequest warm = caller.request(ModelRole.OPTIMIZER, new ModelSettings("m", 0.7), prompt, 1);

        assertThat(t0.estimatedTokens()).as("400 characters / 4 + the completion estimate").isEqualTo(200);
        assertThat(t0.endpoint()).isEqualTo(warm.endpoint());
        assertThat(warm.reproducible()).as("seeded").isTrue();
        assertThat(LlmGateway.cacheKey(t0)).isNotEqualTo(LlmGateway.cacheKey(warm))
                .isNotEqualTo(LlmGateway.cacheKey(caller.request(ModelRole.AGENT, new ModelSettings("m", 0), prompt, 2)))
                .isEqualTo(LlmGateway.cacheKey(caller.request(ModelRole.AGENT, new ModelSettings("m", 0), prompt, 1)));
    }
}
