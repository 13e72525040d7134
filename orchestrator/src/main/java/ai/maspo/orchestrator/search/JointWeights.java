package ai.maspo.orchestrator.search;

/** Weights of the local, lookahead and global rates in the joint score, as given (e.g. 4:4:2). */
public record JointWeights(double local, double lookahead, double global) {

    public static final JointWeights PAPER = new JointWeights(4, 4, 2);

    /** The same proportions summing to 1, which is what the joint score uses. */
    public JointWeights normalised() {
        double sum = local + lookahead + global;
        return new JointWeights(local / sum, lookahead / sum, global / sum);
    }
}
