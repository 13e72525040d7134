package ai.maspo.evaluator;

import ai.maspo.simulator.LlmSimulator;
import ai.maspo.simulator.SimulatorOptions;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/**
 * An llm-simulator per test application, as the evaluator's OpenAI-compatible endpoint for all three roles.
 * Init args {@code rate429}, {@code rate500}, {@code rateHang}, {@code rateMalformed} set the fraction of calls
 * that suffer that fault (see docs/llm-simulator.md); {@code hangMillis} how long a hung call waits.
 */
public class SimulatorTestResource implements QuarkusTestResourceLifecycleManager {

    private LlmSimulator simulator;
    private Map<String, String> args = Map.of();

    @Override
    public void init(Map<String, String> initArgs) {
        args = initArgs;
    }

    @Override
    public Map<String, String> start() {
        SimulatorOptions d = SimulatorOptions.defaults();
        simulator = LlmSimulator.start(new SimulatorOptions(0, null,
                Long.parseLong(args.getOrDefault("latencyMillis", "0")), 0, rate("rate429"), rate("rate500"),
                rate("rateHang"), rate("rateMalformed"),
                Long.parseLong(args.getOrDefault("hangMillis", Long.toString(d.hangMillis()))), null));
        return Map.of("maspo.llm.base-url", simulator.baseUrl(), "maspo.llm.api-key", "test-key");
    }

    private double rate(String name) {
        return Double.parseDouble(args.getOrDefault(name, "0"));
    }

    @Override
    public void stop() {
        if (simulator != null) {
            simulator.close();
        }
    }
}
