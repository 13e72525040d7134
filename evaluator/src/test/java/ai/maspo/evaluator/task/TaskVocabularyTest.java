package ai.maspo.evaluator.task;

import ai.maspo.protocol.AnswerCheck;
import ai.maspo.protocol.AnswerExtraction;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/** The orchestrator refuses at submit time what the protocol does not list: the lists must be what this evaluator runs. */
class TaskVocabularyTest {

    @Test
    void theProtocolListsExactlyTheExtractionRulesAndCheckersOfTheEvaluator() {
        assertThat(Arrays.stream(AnswerExtraction.values()).map(AnswerExtraction::wireName))
                .containsExactlyInAnyOrderElementsOf(Arrays.stream(ExtractionRule.values()).map(ExtractionRule::wireName).toList());
        assertThat(Arrays.stream(AnswerCheck.values()).map(AnswerCheck::wireName))
                .containsExactlyInAnyOrderElementsOf(Arrays.stream(CheckerKind.values()).map(CheckerKind::wireName).toList());
    }
}
