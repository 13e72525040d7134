package ai.maspo.e2e;

import ai.maspo.infra.LocalStack;
import ai.maspo.infra.LocalStackOptions;
import ai.maspo.infra.RunClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The example run against a model that speaks like a real reasoning model (the simulator's realistic style: reasoning
 * blocks whose drafts disagree with the final answer, in the content or in {@code reasoning_content}, markdown
 * verdicts, chatter, refusals) reaches the accuracies of the same run against tidy replies, within the noise measured
 * here: four search seeds per style, the means compared within three standard errors of their difference (the spread
 * of the runs, or the binomial noise of the test set when that is larger).
 */
class RealisticRepliesEndToEndTest {

    private static final Duration HANG_GUARD = Duration.ofMinutes(15);
    private static final int TEST_SIZE = 200;
    private static final List<Long> SEEDS = List.of(11L, 12L, 13L, 14L);

    @Test
    void realisticRepliesReachThePlainAccuracies() throws Exception {
        try (LocalStack stack = LocalStack.start(LocalStackOptions.defaults().withEvaluatorReplicas(1))) {
            RunClient client = stack.runClient();
            String simulator = stack.simulatorUrl().orElseThrow();
            Map<String, String> runIds = new LinkedHashMap<>();
            for (long seed : SEEDS) {
                for (String model : List.of("sequential-trap", "sequential-trap:realistic")) {
                    runIds.put(model + " seed " + seed, client.submit(client.withSimulatorData(spec(model, seed), simulator)));
                }
            }
            Map<String, List<Double>> accuracies = new LinkedHashMap<>();
            for (var run : runIds.entrySet()) {
                JsonNode done = client.awaitTerminal(run.getValue(), HANG_GUARD, r -> { });
                assertThat(done.path("status").asText()).as("%s: %s (logs in %s)", run.getKey(), done, stack.logDir())
                        .isEqualTo("COMPLETED");
                String style = run.getKey().contains(":realistic") ? "realistic" : "plain";
                accuracies.computeIfAbsent(style + " seed", k -> new ArrayList<>()).add(done.path("seedAccuracy").asDouble());
                accuracies.computeIfAbsent(style + " optimized", k -> new ArrayList<>())
                        .add(done.path("optimizedAccuracy").asDouble());
                if (style.equals("realistic")) {
                    for (String agent : List.of("predictor", "reflector")) {
                        assertThat(done.path("bestPrompts").path(agent).asText()).as("best prompt of %s", agent)
                                .contains("{question}").doesNotContain("<think>", "<prompt>");
                    }
                }
            }
            System.out.println("accuracies per search seed " + SEEDS + ": " + accuracies);
            for (String what : List.of("seed", "optimized")) {
                List<Double> plain = accuracies.get("plain " + what);
                List<Double> realistic = accuracies.get("realistic " + what);
                double p = mean(plain);
                double binomialFloor = Math.sqrt(2 * p * (1 - p) / (TEST_SIZE * (double) SEEDS.size()));
                double spread = Math.sqrt((variance(plain) + variance(realistic)) / SEEDS.size());
                double tolerance = 3 * Math.max(binomialFloor, spread);
                System.out.printf("%s accuracy: plain %.3f, realistic %.3f, tolerance %.3f (spread %.3f, binomial %.3f)%n",
                        what, p, mean(realistic), tolerance, spread, binomialFloor);
                assertThat(p).as("plain %s accuracy: the run answers a fair share on tidy replies", what).isGreaterThan(0.3);
                assertThat(mean(realistic)).as("mean %s accuracy, realistic vs plain", what)
                        .isCloseTo(p, Offset.offset(tolerance));
            }
        }
    }

    /** The example spec with a short search and a large test set, every model role speaking {@code model}. */
    private static ObjectNode spec(String model, long seed) throws Exception {
        ObjectNode spec = LocalStackEndToEndTest.smallExample();
        ((ObjectNode) spec.path("data")).put("testSize", TEST_SIZE);
        ((ObjectNode) spec.path("search")).put("seed", seed);
        for (String role : List.of("agent", "optimizer", "judge")) {
            ((ObjectNode) spec.path("models").path(role)).put("model", model);
        }
        return spec;
    }

    private static double mean(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    }

    /** The sample variance (n - 1). */
    private static double variance(List<Double> values) {
        double m = mean(values);
        return values.stream().mapToDouble(v -> (v - m) * (v - m)).sum() / (values.size() - 1);
    }
}
