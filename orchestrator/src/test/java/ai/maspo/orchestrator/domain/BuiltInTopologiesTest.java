package ai.maspo.orchestrator.domain;

import ai.maspo.protocol.AgentType;
import ai.maspo.protocol.MasDefinition;
import ai.maspo.protocol.TaskType;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BuiltInTopologiesTest {

    @Test
    void everyBuiltInTopologyIsAValidSystemWithOneTerminal() {
        for (String name : BuiltInTopologies.NAMES) {
            ValidRun run = RunSpecValidator.validate(spec(new RunSpec.Mas(null, null, name, null, null)));
            MasDefinition mas = run.mas();
            assertThat(mas.levels()).as(name).hasSizeGreaterThanOrEqualTo(2);
            assertThat(mas.levels().getLast()).as(name).containsExactly(mas.terminal());
            assertThat(mas.edges()).as(name).isNotEmpty();
        }
    }

    @Test
    void sizesShapeTheTopologies() {
        MasDefinition reflect = RunSpecValidator.validate(spec(new RunSpec.Mas(null, null, "reflect", 3, null))).mas();
        assertThat(reflect.levels()).containsExactly(List.of("predictor"), List.of("reflector_1"), List.of("reflector_2"),
                List.of("reflector_3"));

        ValidRun aggregate = RunSpecValidator.validate(spec(new RunSpec.Mas(null, null, "aggregate", 5, null)));
        assertThat(aggregate.mas().levels().getFirst()).hasSize(5);
        assertThat(aggregate.mas().agents()).filteredOn(a -> a.type() == AgentType.MAJORITY_VOTE)
                .extracting(a -> a.id()).containsExactly(aggregate.mas().terminal());
        assertThat(aggregate.seedPrompts()).as("a vote is never optimized").doesNotContainKey("vote").hasSize(5);

        MasDefinition debateAgg = RunSpecValidator.validate(spec(new RunSpec.Mas(null, null, "debate_llm_agg", null, null))).mas();
        assertThat(debateAgg.levels()).containsExactly(List.of("predictor_1", "predictor_2"),
                List.of("debater_1", "debater_2"), List.of("aggregator"));
    }

    @Test
    void promptsCanBeOverriddenByAgentId() {
        ValidRun run = RunSpecValidator.validate(spec(new RunSpec.Mas(null, null, "debate", null,
                Map.of("debater", "Pick the better answer.\n{question}\n{context}"))));
        assertThat(run.seedPrompts().get("debater")).isEqualTo("Pick the better answer.\n{question}\n{context}");
    }

    @Test
    void mistakesNameTheField() {
        assertRefused(new RunSpec.Mas(null, null, "pyramid", null, null), "mas.topology", "unknown topology");
        assertRefused(new RunSpec.Mas(List.of(), null, "reflect", null, null), "mas.topology", "not both");
        assertRefused(new RunSpec.Mas(null, null, "reflect", 0, null), "mas.size", "between 1 and 10");
        assertRefused(new RunSpec.Mas(null, null, "reflect", null, Map.of("critic", "{question}")), "mas.prompts.critic",
                "no agent 'critic'");
        assertRefused(new RunSpec.Mas(null, null, "summarize", null, Map.of("summarizer", "Summarize {question}")),
                "mas.agents[1].prompt", "must contain {context}");
    }

    private static void assertRefused(RunSpec.Mas mas, String field, String reason) {
        assertThatThrownBy(() -> RunSpecValidator.validate(spec(mas)))
                .isInstanceOfSatisfying(InvalidRunSpecException.class, e -> assertThat(e.errors())
                        .anySatisfy(error -> {
                            assertThat(error.field()).isEqualTo(field);
                            assertThat(error.message()).contains(reason);
                        }));
    }

    private static RunSpec spec(RunSpec.Mas mas) {
        List<RunSpec.QuestionSpec> pool = IntStream.range(0, 12)
                .mapToObj(i -> new RunSpec.QuestionSpec("p" + i, "question " + i, null, null)).toList();
        List<RunSpec.QuestionSpec> test = List.of(new RunSpec.QuestionSpec("t0", "test question", "1", null));
        return new RunSpec("t", mas, new RunSpec.Task(TaskType.MATH, null, null, null),
                new RunSpec.Data(pool, test, null), new RunSpec.Models(new RunSpec.ModelSpec("m", null, null, null, null, null, null, null, null), null, null),
                null, null);
    }
}
