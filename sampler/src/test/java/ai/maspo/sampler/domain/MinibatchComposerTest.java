package ai.maspo.sampler.domain;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MinibatchComposerTest {

    private static final List<String> POOL = IntStream.range(0, 50).mapToObj(i -> "q" + i).toList();

    @Test
    void drawsDistinctPoolQuestionsReproduciblyFromTheSeed() {
        Draw first = MinibatchComposer.compose(POOL, List.of(), 10, 5, 42);
        Draw again = MinibatchComposer.compose(POOL.reversed(), List.of(), 10, 5, 42);
        Draw other = MinibatchComposer.compose(POOL, List.of(), 10, 5, 43);

        assertThat(first.questionIds()).hasSize(10).doesNotHaveDuplicates().isSubsetOf(POOL);
        assertThat(first.injected()).isEmpty();
        assertThat(again).as("row order from the database must not matter").isEqualTo(first);
        assertThat(other.questionIds()).isNotEqualTo(first.questionIds());
    }

    @Test
    void injectsAtMostHalfTheBatchFromMemoryMostTellingFirst() {
        List<MemoryCase> memory = List.of(
                new MemoryCase("q7", 3, 1), new MemoryCase("q8", 1, 0), new MemoryCase("q9", 2, 4),
                new MemoryCase("q1", 1, 2), new MemoryCase("q2", 1, 2), new MemoryCase("q3", 2, 0),
                new MemoryCase("not-in-pool", 1, 9));

        Draw draw = MinibatchComposer.compose(POOL, memory, 8, 5, 1);

        // min(5, 8/2) = 4 injected: priority 1 first, newest layer first, then by id.
        assertThat(draw.injected()).containsExactly("q1", "q2", "q8", "q9");
        assertThat(draw.questionIds()).hasSize(8).doesNotHaveDuplicates().startsWith("q1", "q2", "q8", "q9");
    }

    @Test
    void randomPartIsUniformOverThePool() {
        Map<String, Integer> counts = new HashMap<>();
        for (long seed = 0; seed < 5000; seed++) {
            MinibatchComposer.compose(POOL, List.of(), 10, 5, seed).questionIds()
                    .forEach(q -> counts.merge(q, 1, Integer::sum));
        }
        // Each question is expected 5000 * 10/50 = 1000 times; sd ≈ 28, so ±150 is far beyond chance.
        assertThat(counts).hasSize(50);
        assertThat(counts.values()).allSatisfy(c -> assertThat(c).isBetween(850, 1150));
    }

    @Test
    void refusesABatchLargerThanThePool() {
        assertThatThrownBy(() -> MinibatchComposer.compose(POOL.subList(0, 3), List.of(), 4, 0, 1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
