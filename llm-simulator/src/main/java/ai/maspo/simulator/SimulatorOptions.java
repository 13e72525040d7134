package ai.maspo.simulator;

import java.nio.file.Path;

/**
 * How to run the simulator.
 *
 * @param port                        TCP port on 127.0.0.1, 0 for a free port
 * @param scenarioDir                 folder of extra scenario files (*.yaml, *.yml, *.json), null for the shipped ones only
 * @param latencyMillis               fixed delay before each answer
 * @param latencyMillisPerOutputToken extra delay per completion token
 * @param rate429                     fraction of requests answered HTTP 429 with {@code Retry-After}
 * @param rate500                     fraction answered HTTP 500
 * @param rateHang                    fraction answered only after hangMillis (longer than a client's timeout)
 * @param rateMalformed               fraction answered HTTP 200 with a truncated JSON body
 * @param hangMillis                  how long a hanging request waits before it is answered
 * @param host                        interface to listen on; null = 127.0.0.1 (0.0.0.0 in a container)
 */
public record SimulatorOptions(int port, Path scenarioDir, long latencyMillis, double latencyMillisPerOutputToken,
                               double rate429, double rate500, double rateHang, double rateMalformed, long hangMillis,
                               String host) {

    public SimulatorOptions {
        host = host == null || host.isBlank() ? "127.0.0.1" : host;
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be in [0, 65535]: " + port);
        }
        if (latencyMillis < 0 || latencyMillisPerOutputToken < 0 || hangMillis < 0) {
            throw new IllegalArgumentException("latencies and hangMillis must be >= 0");
        }
        if (rate429 < 0 || rate500 < 0 || rateHang < 0 || rateMalformed < 0
                || rate429 + rate500 + rateHang + rateMalformed > 1) {
            throw new IllegalArgumentException("fault rates must be >= 0 and sum to at most 1");
        }
    }

    /** Free port, shipped scenarios, no latency, no faults, hangs of 120 s. */
    public static SimulatorOptions defaults() {
        return new SimulatorOptions(0, null, 0, 0, 0, 0, 0, 0, 120_000, null);
    }
}
