package ai.maspo.simulator.world;

/** What a chat request asks for, decided on the text of all its messages (first match wins, in this order). */
public enum RequestClass {
    PAIRWISE_JUDGE("pairwise_judge"),
    CORRECTNESS_JUDGE("correctness_judge"),
    PROPOSAL("proposal"),
    COMPRESSION("compression"),
    AGENT("agent");

    private final String label;

    RequestClass(String label) {
        this.label = label;
    }

    /** The name used in {@code /sim/stats}. */
    public String label() {
        return label;
    }
}
