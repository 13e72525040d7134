package ai.maspo.simulator;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the simulator as a process. Flags (or environment variables MASPO_SIM_PORT, MASPO_SIM_SCENARIO_DIR, ...):
 * {@code --host --port --scenario-dir --latency-ms --latency-per-token-ms --rate-429 --rate-500 --rate-hang
 * --rate-malformed --hang-ms}. Prints one line when ready; stops cleanly on SIGTERM.
 */
public final class SimulatorMain {

    static final int DEFAULT_PORT = 8089;
    private static final Set<String> FLAGS = Set.of("port", "scenario-dir", "latency-ms", "latency-per-token-ms",
            "rate-429", "rate-500", "rate-hang", "rate-malformed", "hang-ms", "host");

    private SimulatorMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        SimulatorOptions options;
        try {
            options = parse(args, System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("LLM simulator: " + e.getMessage());
            System.err.println("usage: SimulatorMain [--" + String.join(" N] [--", FLAGS.stream().sorted().toList()) + " N]");
            System.exit(2);
            return;
        }
        LlmSimulator simulator = LlmSimulator.start(options);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            simulator.close();
            stopped.countDown();
        }, "llm-simulator-shutdown"));
        System.out.println("LLM simulator listening on " + simulator.baseUrl());
        System.out.flush();
        stopped.await();
    }

    /** Flags win over environment variables, which win over {@link SimulatorOptions#defaults()}. */
    static SimulatorOptions parse(String[] args, Map<String, String> env) {
        Map<String, String> values = new HashMap<>();
        for (String flag : FLAGS) {
            String fromEnv = env.get("MASPO_SIM_" + flag.toUpperCase(Locale.ROOT).replace('-', '_'));
            if (fromEnv != null && !fromEnv.isBlank()) {
                values.put(flag, fromEnv.strip());
            }
        }
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument " + arg);
            }
            String name = arg.substring(2);
            String value;
            int equals = name.indexOf('=');
            if (equals >= 0) {
                value = name.substring(equals + 1);
                name = name.substring(0, equals);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new IllegalArgumentException("missing value for " + arg);
            }
            if (!FLAGS.contains(name)) {
                throw new IllegalArgumentException("unknown flag --" + name);
            }
            values.put(name, value);
        }
        SimulatorOptions d = SimulatorOptions.defaults();
        try {
            return new SimulatorOptions(
                    Integer.parseInt(values.getOrDefault("port", Integer.toString(DEFAULT_PORT))),
                    values.containsKey("scenario-dir") ? Path.of(values.get("scenario-dir")) : null,
                    longValue(values, "latency-ms", d.latencyMillis()),
                    doubleValue(values, "latency-per-token-ms", d.latencyMillisPerOutputToken()),
                    doubleValue(values, "rate-429", d.rate429()),
                    doubleValue(values, "rate-500", d.rate500()),
                    doubleValue(values, "rate-hang", d.rateHang()),
                    doubleValue(values, "rate-malformed", d.rateMalformed()),
                    longValue(values, "hang-ms", d.hangMillis()),
                    values.get("host"));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a number: " + e.getMessage(), e);
        }
    }

    private static long longValue(Map<String, String> values, String flag, long fallback) {
        return values.containsKey(flag) ? Long.parseLong(values.get(flag)) : fallback;
    }

    private static double doubleValue(Map<String, String> values, String flag, double fallback) {
        return values.containsKey(flag) ? Double.parseDouble(values.get(flag)) : fallback;
    }
}
