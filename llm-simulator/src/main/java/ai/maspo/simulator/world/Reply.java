package ai.maspo.simulator.world;

/** The world's answer to one request. */
public record Reply(RequestClass requestClass, String content) {
}
