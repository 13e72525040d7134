package ai.maspo.orchestrator.search;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.Arrays;
import java.util.Optional;

/**
 * The search strategies of DESIGN.md §4: MASPO and its ablations and baselines, all on the same engine. The API
 * names them by wire name (listed again for the OpenAPI document; a test keeps the two lists equal).
 */
@Schema(type = SchemaType.STRING, description = "A search strategy: MASPO or one of its ablations and baselines",
        enumeration = {"maspo", "maspo-no-lookahead", "maspo-local-only", "maspo-no-misalignment-sampling",
                "maspo-success-case-sampling", "maspo-no-beam-refresh", "single-cycle", "serial-search", "spo",
                "topological", "maspo-guarded"})
public enum Strategy {
    MASPO("maspo"),
    MASPO_NO_LOOKAHEAD("maspo-no-lookahead"),
    MASPO_LOCAL_ONLY("maspo-local-only"),
    MASPO_NO_MISALIGNMENT_SAMPLING("maspo-no-misalignment-sampling"),
    MASPO_SUCCESS_CASE_SAMPLING("maspo-success-case-sampling"),
    MASPO_NO_BEAM_REFRESH("maspo-no-beam-refresh"),
    SINGLE_CYCLE("single-cycle"),
    SERIAL_SEARCH("serial-search"),
    SPO("spo"),
    TOPOLOGICAL("topological"),
    /** MASPO with the acceptance {@link Guards} (beyond the paper: see docs/algorithm.md). */
    MASPO_GUARDED("maspo-guarded");

    /** SPO compares a candidate with the current prompt on 3 questions. */
    static final int SPO_QUESTIONS = 3;

    private final String wireName;

    Strategy(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<Strategy> fromWireName(String name) {
        return Arrays.stream(values()).filter(s -> s.wireName.equals(name)).findFirst();
    }

    public EffectiveSettings apply(SearchSettings s) {
        int k = s.beamWidth();
        int c = s.candidatesPerNode();
        int b = s.minibatchSize();
        int t = s.layersPerTurn();
        JointWeights weights = s.weights();
        SamplingMode sampling = SamplingMode.MISALIGNMENT;
        boolean refresh = true;
        Guards guards = Guards.OFF;
        switch (this) {
            case MASPO -> { }
            case MASPO_GUARDED -> guards = s.guards() == null ? Guards.defaults(b, 2 * b) : s.guards();
            case MASPO_NO_LOOKAHEAD -> weights = new JointWeights(0.7, 0, 0.3);
            // Without downstream comparisons there is nothing to mine, so memory sampling has no input.
            case MASPO_LOCAL_ONLY -> {
                weights = new JointWeights(1, 0, 0);
                sampling = SamplingMode.NONE;
            }
            case MASPO_NO_MISALIGNMENT_SAMPLING -> sampling = SamplingMode.NONE;
            case MASPO_SUCCESS_CASE_SAMPLING -> sampling = SamplingMode.SUCCESS;
            case MASPO_NO_BEAM_REFRESH -> refresh = false;
            case SINGLE_CYCLE -> t = s.layersPerAgent();
            case SERIAL_SEARCH -> {
                k = 1;
                c = 1;
            }
            case SPO -> {
                k = 1;
                c = 1;
                b = SPO_QUESTIONS;
                weights = new JointWeights(1, 0, 0);
                sampling = SamplingMode.NONE;
                refresh = false;
                t = s.layersPerAgent();
            }
            // Each agent once, in order: with T = D no agent is ever revisited, so no refresh either.
            case TOPOLOGICAL -> {
                refresh = false;
                t = s.layersPerAgent();
            }
        }
        int maxInjected = sampling == SamplingMode.NONE ? 0 : Math.min(s.maxInjected(), b / 2);
        return new EffectiveSettings(k, c, b, s.layersPerAgent(), t, weights.normalised(), s.misalignmentCasesKept(),
                maxInjected, sampling, refresh, s.seed(), guards);
    }
}
