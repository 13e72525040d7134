package ai.maspo.evaluator.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/** Evaluator tuning. LLM endpoints, keys, retries and timeouts are {@link LlmConfig} ({@code maspo.llm.*}). */
@ConfigMapping(prefix = "maspo.evaluator")
public interface EvaluatorConfig {

    /** Deterministic (temperature 0) LLM answers kept in memory; the same upstream prefix is never paid twice. */
    @WithDefault("200000")
    long cacheMaxEntries();

    Sandbox sandbox();

    /** Where candidate code of code tasks runs (see docs/task-formats.md for the isolation). */
    interface Sandbox {
        /** The Python interpreter; default /usr/bin/python3 when present, else python3 from PATH. */
        Optional<String> python();

        @WithDefault("10s")
        Duration timeout();
    }
}
