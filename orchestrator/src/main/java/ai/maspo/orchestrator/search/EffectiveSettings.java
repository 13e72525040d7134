package ai.maspo.orchestrator.search;

/**
 * What the engine runs with once the strategy has adjusted the run's settings.
 *
 * @param weights            normalised (sum 1)
 * @param maxInjected        memory questions per mini-batch: min(setting, B/2), 0 without memory sampling
 * @param beamRefresh        re-score the beam when an agent is revisited after others changed
 * @param guards             the acceptance guards ({@link Guards#OFF} except for {@code maspo-guarded}; a state
 *                           stored before they existed has none, which reads as off)
 */
public record EffectiveSettings(int beamWidth, int candidatesPerNode, int minibatchSize, int layersPerAgent,
                                int layersPerTurn, JointWeights weights, int misalignmentCasesKept, int maxInjected,
                                SamplingMode sampling, boolean beamRefresh, long seed, Guards guards) {
    public EffectiveSettings {
        guards = guards == null ? Guards.OFF : guards;
    }
}
