package ai.maspo.simulator.scenario;

/** Validation of scenario values, so that a bad file fails at load time with the field named. */
final class Checks {

    private Checks() {
    }

    static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
