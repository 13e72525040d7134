package ai.maspo.evaluator.service;

import ai.maspo.evaluator.config.LlmConfig;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** {@link LlmConfig} from properties, for tests that build the LLM client without an application. */
final class TestLlmConfig {

    /** {@code maspo.llm.*} with this base URL, a test key and {@code more} on top. */
    static LlmConfig of(String baseUrl, Map<String, String> more) {
        Map<String, String> properties = new HashMap<>(Map.of("maspo.llm.base-url", baseUrl,
                "maspo.llm.api-key", "test-key"));
        properties.putAll(more);
        return new SmallRyeConfigBuilder().withMapping(LlmConfig.class)
                .withConverter(Duration.class, 100, new DurationConverter())
                .withSources(new PropertiesConfigSource(properties, "test", 100))
                .build().getConfigMapping(LlmConfig.class);
    }

    private TestLlmConfig() {
    }
}
