package ai.maspo.evaluator.config;

import ai.maspo.evaluator.task.sandbox.PythonSandbox;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Evaluator tuning. LLM endpoints, keys, retries and timeouts are {@link LlmConfig} ({@code maspo.llm.*}). */
@ConfigMapping(prefix = "maspo.evaluator")
public interface EvaluatorConfig {

    /**
     * Answers of reproducible LLM requests kept in memory in front of the shared answer cache (PostgreSQL, schema
     * evaluator), so that the same upstream prefix is not even looked up twice.
     */
    @WithDefault("200000")
    long cacheMaxEntries();

    AnswerCache answerCache();

    Sandbox sandbox();

    /**
     * Time bound of one symbolic comparison of math answers ({@code SymbolicEquivalence}); a comparison that takes
     * longer counts as not equivalent.
     */
    @WithDefault("2s")
    Duration casTimeout();

    Shutdown shutdown();

    /** The answer cache shared by all replicas ({@code LlmGateway}, {@code SharedAnswers}). */
    interface AnswerCache {
        /**
         * A replica calling the LLM for a request others wait for refreshes its claim this often (a scheduler
         * setting: read once at start).
         */
        @WithDefault("10s")
        Duration heartbeat();

        /** A claim not refreshed for this long belongs to a replica that is gone: another takes it over. */
        @WithDefault("30s")
        Duration claimLease();

        /** Answers older than this are deleted (hourly): a model behind an unchanged name may change. */
        @WithDefault("30d")
        Duration retention();
    }

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
