package ai.maspo.orchestrator.search;

import java.util.ArrayList;
import java.util.List;

/**
 * The search settings of a run spec, before the strategy adjusts them. Defaults are the paper's.
 *
 * @param beamWidth             K, distinct prompts kept per agent
 * @param candidatesPerNode     C, optimizer calls per beam node and layer
 * @param minibatchSize         B, questions per layer
 * @param layersPerAgent        D
 * @param layersPerTurn         T, layers per visit of an agent in coordinate ascent
 * @param weights               local:lookahead:global, any positive scale
 * @param misalignmentCasesKept K_mis, cases stored per accepted best candidate
 * @param maxInjected           ceiling of memory questions per mini-batch (also at most B/2)
 * @param guards                the acceptance guards of {@code maspo-guarded}; null = its defaults
 */
public record SearchSettings(int beamWidth, int candidatesPerNode, int minibatchSize, int layersPerAgent,
                             int layersPerTurn, JointWeights weights, int misalignmentCasesKept, int maxInjected,
                             long seed, Guards guards) {

    /** z of a 99.99 % bound: anything wider refuses every candidate a mini-batch can score. */
    public static final double MAX_CONFIDENCE = 4;

    /** Settings without guards (every strategy but {@code maspo-guarded} ignores them). */
    public SearchSettings(int beamWidth, int candidatesPerNode, int minibatchSize, int layersPerAgent, int layersPerTurn,
                          JointWeights weights, int misalignmentCasesKept, int maxInjected, long seed) {
        this(beamWidth, candidatesPerNode, minibatchSize, layersPerAgent, layersPerTurn, weights, misalignmentCasesKept,
                maxInjected, seed, null);
    }

    public static SearchSettings defaults(long seed) {
        return new SearchSettings(2, 2, 10, 9, 3, JointWeights.PAPER, 3, 5, seed);
    }

    public SearchSettings withGuards(Guards next) {
        return new SearchSettings(beamWidth, candidatesPerNode, minibatchSize, layersPerAgent, layersPerTurn, weights,
                misalignmentCasesKept, maxInjected, seed, next);
    }

    /** Every problem, each naming its field; {@code poolSize} is the optimization pool the mini-batches come from. */
    public List<FieldError> validate(int poolSize) {
        List<FieldError> errors = new ArrayList<>();
        atLeastOne(errors, "beamWidth", beamWidth);
        atLeastOne(errors, "candidatesPerNode", candidatesPerNode);
        atLeastOne(errors, "minibatchSize", minibatchSize);
        atLeastOne(errors, "layersPerAgent", layersPerAgent);
        atLeastOne(errors, "layersPerTurn", layersPerTurn);
        if (minibatchSize > poolSize) {
            errors.add(new FieldError("minibatchSize", "must not exceed the optimization pool size " + poolSize
                    + " (mini-batches are drawn without replacement), was " + minibatchSize));
        }
        if (layersPerTurn > layersPerAgent) {
            errors.add(new FieldError("layersPerTurn", "must not exceed layersPerAgent " + layersPerAgent
                    + ", was " + layersPerTurn));
        }
        if (weights == null) {
            errors.add(new FieldError("weights", "is required"));
        } else {
            nonNegative(errors, "weights.local", weights.local());
            nonNegative(errors, "weights.lookahead", weights.lookahead());
            nonNegative(errors, "weights.global", weights.global());
            if (weights.local() + weights.lookahead() + weights.global() <= 0) {
                errors.add(new FieldError("weights", "at least one weight must be positive"));
            }
        }
        if (misalignmentCasesKept < 0) {
            errors.add(new FieldError("misalignmentCasesKept", "must be at least 0, was " + misalignmentCasesKept));
        }
        if (maxInjected < 0) {
            errors.add(new FieldError("maxInjected", "must be at least 0, was " + maxInjected));
        }
        if (guards != null) {
            if (!(guards.confidence() >= 0 && guards.confidence() <= MAX_CONFIDENCE)) {
                errors.add(new FieldError("guards.confidence", "must be between 0 and " + MAX_CONFIDENCE + ", was "
                        + guards.confidence()));
            }
            if (guards.adaptiveMinibatch() && guards.maxMinibatchSize() < minibatchSize) {
                errors.add(new FieldError("guards.maxMinibatchSize", "must be at least minibatchSize " + minibatchSize
                        + ", was " + guards.maxMinibatchSize()));
            }
            if (guards.adaptiveMinibatch() && guards.maxMinibatchSize() > poolSize) {
                errors.add(new FieldError("guards.maxMinibatchSize", "must not exceed the optimization pool size "
                        + poolSize + " (a layer draws that many questions), was " + guards.maxMinibatchSize()));
            }
        }
        return errors;
    }

    private static void atLeastOne(List<FieldError> errors, String field, int value) {
        if (value < 1) {
            errors.add(new FieldError(field, "must be at least 1, was " + value));
        }
    }

    private static void nonNegative(List<FieldError> errors, String field, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            errors.add(new FieldError(field, "must be a finite number at least 0, was " + value));
        }
    }
}
