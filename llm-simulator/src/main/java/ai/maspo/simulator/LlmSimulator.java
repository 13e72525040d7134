package ai.maspo.simulator;

import ai.maspo.simulator.server.HttpFrontend;

/**
 * An OpenAI-compatible chat-completions server on 127.0.0.1 whose answers follow a hidden, deterministic
 * world (see docs/llm-simulator.md). A test instrument: start it, point any OpenAI client at {@link #baseUrl()}.
 */
public final class LlmSimulator implements AutoCloseable {

    private final HttpFrontend frontend;

    private LlmSimulator(HttpFrontend frontend) {
        this.frontend = frontend;
    }

    /** Loads the scenarios and listens; returns once the port is bound. */
    public static LlmSimulator start(SimulatorOptions options) {
        return new LlmSimulator(HttpFrontend.start(options));
    }

    public int port() {
        return frontend.port();
    }

    /** The OpenAI base URL, {@code http://127.0.0.1:PORT/v1}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port() + "/v1";
    }

    @Override
    public void close() {
        frontend.close();
    }
}
