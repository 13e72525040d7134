package ai.maspo.protocol;

/** Kafka topic names shared by all services. Each has a dead-letter twin named {@code <topic>.dlq}. */
public final class Topics {
    /** orchestrator → evaluators: one job per message, keyed by run and question so a run spreads over partitions. */
    public static final String EVALUATION_REQUESTS = "maspo.evaluation-requests";
    /** evaluators → orchestrator and sampler. */
    public static final String EVALUATION_RESULTS = "maspo.evaluation-results";
    /** orchestrator → sampler: pool registrations and mini-batch requests, keyed by run so they stay ordered. */
    public static final String MINIBATCH_REQUESTS = "maspo.minibatch-requests";
    /** sampler → orchestrator. */
    public static final String MINIBATCHES = "maspo.minibatches";
    /** evaluators → orchestrator: {@link UsageReport}s, keyed by run. */
    public static final String USAGE_REPORTS = "maspo.usage-reports";

    public static final String DEAD_LETTER_SUFFIX = ".dlq";

    public static final java.util.List<String> ALL =
            java.util.List.of(EVALUATION_REQUESTS, EVALUATION_RESULTS, MINIBATCH_REQUESTS, MINIBATCHES, USAGE_REPORTS);

    public static String deadLetter(String topic) {
        return topic + DEAD_LETTER_SUFFIX;
    }

    private Topics() {
    }
}
