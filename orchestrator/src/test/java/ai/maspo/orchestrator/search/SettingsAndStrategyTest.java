package ai.maspo.orchestrator.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SettingsAndStrategyTest {

    private static final SearchSettings PAPER = SearchSettings.defaults(7);

    @Test
    void defaultsAreThePapersAndValid() {
        assertThat(PAPER).isEqualTo(new SearchSettings(2, 2, 10, 9, 3, new JointWeights(4, 4, 2), 3, 5, 7));
        assertThat(PAPER.validate(50)).isEmpty();
    }

    @Test
    void validationNamesEveryBadField() {
        SearchSettings bad = new SearchSettings(0, 0, 60, 0, 4, new JointWeights(-1, 0, 0), -1, -2, 1);
        assertThat(bad.validate(50)).extracting(FieldError::field).containsExactlyInAnyOrder(
                "beamWidth", "candidatesPerNode", "layersPerAgent", "minibatchSize", "layersPerTurn",
                "weights.local", "weights", "misalignmentCasesKept", "maxInjected");
        assertThat(new SearchSettings(2, 2, 10, 9, 3, null, 3, 5, 1).validate(50))
                .containsExactly(new FieldError("weights", "is required"));
    }

    @Test
    void wireNamesRoundTrip() {
        assertThat(Arrays.stream(Strategy.values()).map(Strategy::wireName)).containsExactly("maspo",
                "maspo-no-lookahead", "maspo-local-only", "maspo-no-misalignment-sampling",
                "maspo-success-case-sampling", "maspo-no-beam-refresh", "single-cycle", "serial-search", "spo",
                "topological", "maspo-guarded");
        for (Strategy s : Strategy.values()) {
            assertThat(Strategy.fromWireName(s.wireName())).contains(s);
        }
        assertThat(Strategy.fromWireName("MASPO")).isEmpty();
    }

    @Test
    void maspoKeepsTheSettingsWithNormalisedWeights() {
        EffectiveSettings e = Strategy.MASPO.apply(PAPER);
        assertThat(e.weights().local()).isCloseTo(0.4, within(1e-12));
        assertThat(e.weights().lookahead()).isCloseTo(0.4, within(1e-12));
        assertThat(e.weights().global()).isCloseTo(0.2, within(1e-12));
        assertThat(e).extracting(EffectiveSettings::beamWidth, EffectiveSettings::candidatesPerNode,
                        EffectiveSettings::minibatchSize, EffectiveSettings::layersPerTurn, EffectiveSettings::maxInjected,
                        EffectiveSettings::sampling, EffectiveSettings::beamRefresh)
                .containsExactly(2, 2, 10, 3, 5, SamplingMode.MISALIGNMENT, true);
    }

    @Test
    void ablationsChangeOnlyWhatTheyAblate() {
        assertThat(Strategy.MASPO_NO_LOOKAHEAD.apply(PAPER).weights()).isEqualTo(new JointWeights(0.7, 0, 0.3));
        EffectiveSettings localOnly = Strategy.MASPO_LOCAL_ONLY.apply(PAPER);
        assertThat(localOnly.weights()).isEqualTo(new JointWeights(1, 0, 0));
        assertThat(localOnly.sampling()).isEqualTo(SamplingMode.NONE);
        assertThat(localOnly.maxInjected()).isZero();
        assertThat(Strategy.MASPO_NO_MISALIGNMENT_SAMPLING.apply(PAPER).sampling()).isEqualTo(SamplingMode.NONE);
        assertThat(Strategy.MASPO_SUCCESS_CASE_SAMPLING.apply(PAPER).sampling()).isEqualTo(SamplingMode.SUCCESS);
        assertThat(Strategy.MASPO_NO_BEAM_REFRESH.apply(PAPER).beamRefresh()).isFalse();
        assertThat(Strategy.SINGLE_CYCLE.apply(PAPER).layersPerTurn()).isEqualTo(9);
        EffectiveSettings serial = Strategy.SERIAL_SEARCH.apply(PAPER);
        assertThat(serial.beamWidth()).isEqualTo(1);
        assertThat(serial.candidatesPerNode()).isEqualTo(1);
        assertThat(serial.beamRefresh()).isTrue();
    }

    @Test
    void spoIsSerialLocalPairwiseOnThreeQuestionsPerAgent() {
        EffectiveSettings spo = Strategy.SPO.apply(PAPER);
        assertThat(spo).extracting(EffectiveSettings::beamWidth, EffectiveSettings::candidatesPerNode,
                        EffectiveSettings::minibatchSize, EffectiveSettings::layersPerTurn, EffectiveSettings::weights,
                        EffectiveSettings::sampling, EffectiveSettings::beamRefresh, EffectiveSettings::maxInjected)
                .containsExactly(1, 1, 3, 9, new JointWeights(1, 0, 0), SamplingMode.NONE, false, 0);
        EffectiveSettings topological = Strategy.TOPOLOGICAL.apply(PAPER);
        assertThat(topological.layersPerTurn()).isEqualTo(9);
        assertThat(topological.beamRefresh()).isFalse();
    }

    @Test
    void injectedQuestionsAreAtMostHalfTheMinibatch() {
        SearchSettings small = new SearchSettings(2, 2, 6, 9, 3, JointWeights.PAPER, 3, 5, 1);
        assertThat(Strategy.MASPO.apply(small).maxInjected()).isEqualTo(3);
    }
}
