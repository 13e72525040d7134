package ai.maspo.evaluator.config;

import ai.maspo.evaluator.task.sandbox.PythonSandbox;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Evaluator tuning. LLM endpoints, keys, retries and timeouts are {@link LlmConfig} ({@code maspo.llm.*}). */
@ConfigMapping(prefix = "maspo.evaluator")
public interface EvaluatorConfig {

    /** Deterministic (temperature 0) LLM answers kept in memory; the same upstream prefix is never paid twice. */
    @WithDefault("200000")
    long cacheMaxEntries();

    Sandbox sandbox();

    /**
     * Time bound of one symbolic comparison of math answers ({@code SymbolicEquivalence}); a comparison that takes
     * longer counts as not equivalent.
     */
    @WithDefault("2s")
    Duration casTimeout();

    Shutdown shutdown();

    /** Where candidate code of code tasks runs (see docs/task-formats.md for the isolation). */
    interface Sandbox {
        /** The Python interpreter, an absolute path under /usr (the only host tree the sandbox sees). */
        @WithDefault(PythonSandbox.DEFAULT_PYTHON)
        String python();

        /** The bubblewrap executable; without it code checks are refused (the evaluation fails, saying why). */
        @WithDefault(PythonSandbox.DEFAULT_BWRAP)
        String bwrap();

        @WithDefault("10s")
        Duration timeout();
    }

    /** Graceful stop (scale-in, rolling update): see {@code JobDrain}. */
    interface Shutdown {
        /**
         * How long a stopping evaluator lets its jobs in progress finish before it leaves the consumer group without
         * them (they are then redelivered). Below the pod's termination grace period, with room for the rest of the
         * shutdown (commit, leaving the group, closing the producers).
         */
        @WithDefault("20s")
        Duration drainTimeout();
    }
}
