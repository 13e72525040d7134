package ai.maspo.orchestrator.search;

/**
 * The acceptance guards of {@code maspo-guarded}, each an ablation switch (see docs/algorithm.md). The paper's rule,
 * R > 0 on one mini-batch, is {@link #OFF}.
 *
 * @param boundAcceptance   accept only when R's lower confidence bound is above 0 (and refuse once its upper bound
 *                          is below 0), instead of R > 0
 * @param confidence        z of the bound: mean of the per-question joint values ± z · standard error
 * @param doNoHarm          refuse a candidate whose lookahead or global rate is below 0.5 (the system's outputs got
 *                          worse more often than better), however well it did locally
 * @param adaptiveMinibatch score a candidate first on half the mini-batch, then add half a mini-batch at a time
 *                          while its decision is open, up to {@code maxMinibatchSize} questions
 * @param maxMinibatchSize  questions a candidate may be scored on at most (≥ B; the layer draws this many)
 */
public record Guards(boolean boundAcceptance, double confidence, boolean doNoHarm, boolean adaptiveMinibatch,
                     int maxMinibatchSize) {

    public static final Guards OFF = new Guards(false, 0, false, false, 0);

    /**
     * z = 1, a one-sided 84 % bound. Not 1.645: with one vote per question an honest gain of R ≈ +0.06 needs far
     * more questions than a layer has to clear a 95 % bound, and the search then stops moving (measured on
     * aligned-control, docs/algorithm.md); the trap is the do-no-harm guard's business.
     */
    public static final double DEFAULT_CONFIDENCE = 1.0;

    /**
     * All guards on; up to two mini-batches of questions for an open decision, fewer when the optimization pool is
     * smaller (a small pool leaves less room to extend, which is not an error).
     */
    public static Guards defaults(int minibatchSize, int poolSize) {
        return new Guards(true, DEFAULT_CONFIDENCE, true, true, Math.max(minibatchSize, Math.min(2 * minibatchSize,
                poolSize)));
    }

    /** How many questions the first scoring round uses. */
    int firstRound(int minibatchSize) {
        return adaptiveMinibatch ? (minibatchSize + 1) / 2 : minibatchSize;
    }

    /** Questions a layer draws: enough for the longest adaptive scoring. */
    int layerDraw(int minibatchSize) {
        return adaptiveMinibatch ? Math.max(minibatchSize, maxMinibatchSize) : minibatchSize;
    }
}
