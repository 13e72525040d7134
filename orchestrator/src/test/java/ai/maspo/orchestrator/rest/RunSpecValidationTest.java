package ai.maspo.orchestrator.rest;

import ai.maspo.infra.test.KafkaTestResource;
import ai.maspo.infra.test.PostgresTestResource;
import ai.maspo.orchestrator.persistence.RunEntity;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static ai.maspo.orchestrator.testsupport.TestAuth.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.equalTo;

/** Every invalid spec is refused with 400 naming the field, and nothing is created. */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, initArgs = @ResourceArg(name = KafkaTestResource.USER_ARG, value = "orchestrator"))
@QuarkusTestResource(PostgresTestResource.class)
class RunSpecValidationTest {

    @Test
    void refusesInvalidSpecsNamingTheField() {
        long before = RunEntity.count();
        refused(s -> RunSpecs.at(s, "mas").put("edges", List.of(Map.of("from", "predictor", "to", "reflector"),
                Map.of("from", "reflector", "to", "predictor"))), "mas.edges", "cycle");
        refused(s -> RunSpecs.at(s, "mas").put("edges", List.of()), "mas.edges", "exactly one terminal");
        refused(s -> RunSpecs.at(s, "mas").put("edges", List.of(Map.of("from", "predictor", "to", "ghost"))),
                "mas.edges[0].to", "unknown agent 'ghost'");
        refused(s -> RunSpecs.at(s, "mas", "agents", "0").put("prompt", "Solve it."), "mas.agents[0].prompt", "{question}");
        refused(s -> RunSpecs.at(s, "mas", "agents", "0").put("prompt", "{question} {answer}"),
                "mas.agents[0].prompt", "unknown placeholder {answer}");
        refused(s -> RunSpecs.at(s, "mas", "agents", "1").put("id", "predictor"), "mas.agents[1].id", "duplicates");
        refused(s -> RunSpecs.at(s, "search").put("minibatchSize", 50), "search.minibatchSize", "pool size 20");
        refused(s -> RunSpecs.at(s, "search").put("strategy", "greedy"), "search.strategy", "unknown strategy");
        refused(s -> RunSpecs.at(s, "search").put("guards", Map.of("doNoHarm", false)), "search.guards",
                "only to strategy maspo-guarded");
        refused(s -> RunSpecs.at(s, "search").putAll(Map.of("strategy", "maspo-guarded", "guards", Map.of("maxMinibatchSize", 30))),
                "search.guards.maxMinibatchSize", "pool size 20");
        refused(s -> RunSpecs.at(s, "search").putAll(Map.of("strategy", "maspo-guarded", "guards", Map.of("maxMinibatchSize", 4))),
                "search.guards.maxMinibatchSize", "at least minibatchSize");
        refused(s -> RunSpecs.at(s, "search").putAll(Map.of("strategy", "maspo-guarded", "guards", Map.of("confidence", 7))),
                "search.guards.confidence", "less than or equal to 4");
        refused(s -> RunSpecs.at(s, "data").put("test", List.of(Map.of("id", "p3", "text", "x", "reference", "1"))),
                "data.test[0]", "disjoint");
        refused(s -> RunSpecs.at(s, "data").put("test", List.of(Map.of("id", "t0", "text", "x"))),
                "data.test[0].reference", "required");
        refused(s -> s.remove("task"), "task.type", "required");
        refused(s -> RunSpecs.at(s, "models").put("agent", Map.of("model", "m", "temperature", 3)),
                "models.agent.temperature", "less than or equal to 2");
        refused(s -> RunSpecs.at(s, "task").put("type", "poetry"), "task.type", "must be one of [math, choice, code, open]");
        refused(s -> RunSpecs.at(s, "search").put("minibatchsize", 5), "search.minibatchsize", "unknown field 'minibatchsize'");
        refused(s -> s.put("data", Map.of("datasetId", "no-such-dataset")), "data.datasetId", "no dataset");
        refused(s -> RunSpecs.at(s, "data").put("datasetId", "x"), "data.datasetId", "not both");

        refused(s -> agentModel(s).put("maxTokens", 0), "models.agent.maxTokens", "greater than or equal to 1");
        refused(s -> agentModel(s).put("maxTokens", 1_000_001), "models.agent.maxTokens", "less than or equal to 1000000");
        refused(s -> agentModel(s).put("topP", 0), "models.agent.topP", "greater than 0");
        refused(s -> agentModel(s).put("topP", 1.5), "models.agent.topP", "less than or equal to 1");
        refused(s -> agentModel(s).put("stop", List.of("a", "b", "c", "d", "e")), "models.agent.stop", "size must be");
        refused(s -> agentModel(s).put("stop", List.of("x".repeat(101))), "models.agent.stop[0]",
                "size must be");
        refused(s -> agentModel(s).put("stop", List.of("")), "models.agent.stop[0]", "size must be");
        refused(s -> agentModel(s).put("reasoningEffort", "extreme"), "models.agent.reasoningEffort",
                "must be one of [low, medium, high]");
        refused(s -> agentModel(s).put("sendSeed", "no"), "models.agent.sendSeed", "");
        refused(s -> agentModel(s).put("extraBody", List.of(1)), "models.agent.extraBody", "");
        for (String platformField : List.of("model", "messages", "temperature", "seed", "stream", "n", "max_tokens",
                "top_p", "stop", "reasoning_effort")) {
            refused(s -> agentModel(s).put("extraBody", Map.of(platformField, 1)),
                    "models.agent.extraBody." + platformField, "set by the platform");
        }
        refused(s -> RunSpecs.at(s, "models").put("judge", Map.of("extraBody", Map.of("stream", true))),
                "models.judge.extraBody.stream", "cannot be overridden");
        refused(s -> agentModel(s).put("extraBody", Map.of("logit_bias", Map.of("1", Map.of("2", Map.of("3",
                Map.of("4", Map.of("5", Map.of("6", 1)))))))), "models.agent.extraBody.logit_bias", "deeper than 5");
        refused(s -> agentModel(s).put("extraBody", Map.of("metadata", "x".repeat(5000))), "models.agent.extraBody",
                "at most 4096 characters");
        refused(s -> agentModel(s).put("extraBody", manyFields(17)), "models.agent.extraBody", "size must be");
        refused(s -> agentModel(s).put("price", Map.of("inputPerMillion", -1, "outputPerMillion", 1)),
                "models.agent.price.inputPerMillion", "greater than or equal to 0");
        refused(s -> agentModel(s).put("price", Map.of("inputPerMillion", 1)), "models.agent.price.outputPerMillion",
                "must not be null");
        refused(s -> s.put("budget", Map.of("maxCostUsd", 0)), "budget.maxCostUsd", "greater than 0");
        refused(s -> s.put("budget", Map.of("maxCostUsd", 5)), "budget.maxCostUsd",
                "no price is known for model 'sequential-trap' (role agent)");
        refused(s -> {
            agentModel(s).put("price", Map.of("inputPerMillion", 1, "outputPerMillion", 2));
            RunSpecs.at(s, "models").put("judge", Map.of("model", "unpriced-judge"));
            s.put("budget", Map.of("maxCostUsd", 5));
        }, "budget.maxCostUsd", "no price is known for model 'unpriced-judge' (role judge)");

        given().contentType(ContentType.JSON).body("{\"name\": ").post("/api/v1/runs")
                .then().statusCode(400).body("error", equalTo("unreadable request body"));
        assertThat(RunEntity.count()).as("nothing half-created").isEqualTo(before);
    }

    @Test
    void acceptsEveryModelParameterWithinItsBounds() {
        Map<String, Object> spec = RunSpecs.reflect(20, 5, 10);
        agentModel(spec).putAll(Map.of("maxTokens", 1_000_000, "topP", 1, "stop", List.of("a", "b", "c", "x".repeat(100)),
                "sendSeed", false, "reasoningEffort", "high", "extraBody", manyFields(16),
                "price", Map.of("inputPerMillion", 0, "outputPerMillion", 10_000)));
        spec.put("budget", Map.of("maxCostUsd", 1));
        given().contentType(ContentType.JSON).body(spec).post("/api/v1/runs").then().statusCode(201);
    }

    /** The agent role's model spec, made editable. */
    private static Map<String, Object> agentModel(Map<String, Object> spec) {
        Map<String, Object> agent = new java.util.LinkedHashMap<>(RunSpecs.at(spec, "models", "agent"));
        RunSpecs.at(spec, "models").put("agent", agent);
        return agent;
    }

    private static Map<String, Object> manyFields(int n) {
        Map<String, Object> fields = new java.util.LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            fields.put("vendor_option_" + i, i);
        }
        return fields;
    }

    private static void refused(Consumer<Map<String, Object>> breakIt, String field, String reason) {
        Map<String, Object> spec = RunSpecs.reflect(20, 5, 10);
        breakIt.accept(spec);
        String body = given().contentType(ContentType.JSON).body(spec).post("/api/v1/runs")
                .then().statusCode(400)
                .body("violations.field", hasItem(field))
                .extract().asString();
        assertThat(body).as("reason for %s", field).contains(reason);
    }
}
