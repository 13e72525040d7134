package ai.maspo.orchestrator.rest;

import ai.maspo.orchestrator.testsupport.TestJson;

import ai.maspo.infra.RunClient;
import ai.maspo.infra.test.KafkaTestResource;
import ai.maspo.infra.test.PostgresTestResource;
import ai.maspo.infra.test.TopicProbe;
import ai.maspo.orchestrator.persistence.SearchHistory;
import ai.maspo.orchestrator.search.SearchState;
import ai.maspo.orchestrator.search.SearchStateFormat;
import ai.maspo.protocol.Minibatch;
import ai.maspo.protocol.MinibatchRequest;
import ai.maspo.protocol.RegisterPool;
import ai.maspo.protocol.SamplerCommand;
import ai.maspo.protocol.Topics;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

import static ai.maspo.orchestrator.testsupport.TestAuth.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The search history in its own table, over a real broker and PostgreSQL, with {@link WireWorld} playing sampler and
 * evaluators (every answer delivered twice). The resources under {@code search-state-v1/} were written by the
 * orchestrator before state format 2 (commit 4c81f93) for this very spec: the state it stored when held before the
 * predictor's second layer, and the complete history its API returned.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, initArgs = @ResourceArg(name = KafkaTestResource.USER_ARG, value = "orchestrator"))
@QuarkusTestResource(PostgresTestResource.class)
class SearchHistoryTest {

    private static final Duration WAIT = Duration.ofMinutes(3);
    private static final String HELD = "/minibatch/predictor/L2";
    private static final int STEPS = 6;
    private static final int STEPS_BEFORE_HELD = 3;

    @Inject
    ObjectMapper mapper;

    @Inject
    EntityManager entityManager;

    /** Two agents, two layers each, one per visit: layers, refreshes, a misalignment case, fractional scores. */
    private static Map<String, Object> spec() {
        Map<String, Object> spec = RunSpecs.reflect(4, 2, 2);
        RunSpecs.at(spec, "search").putAll(Map.of("layersPerAgent", 2, "layersPerTurn", 1, "beamWidth", 2,
                "candidatesPerNode", 1));
        return spec;
    }

    @Test
    void eachStepIsStoredOnceInOrderWithItsTimeAndCostAndReadsAsBefore() throws Exception {
        String runId = submit();
        try (WireWorld world = new WireWorld(mapper, runId)) {
            world.playUntil(completed(runId), WAIT);
        }

        JsonNode history = history(runId);
        assertThat(json(RunClient.searchOnly(history))).isEqualTo(json(previousCompleteHistory()));
        assertThat(history.get(0).fieldNames().next()).isEqualTo("type");
        Instant previousTime = Instant.EPOCH;
        long previousCalls = 0;
        for (JsonNode step : history) {
            Instant recordedAt = Instant.parse(step.path("recordedAt").asText());
            long paidCalls = step.path("paidCallsSoFar").asLong(-1);
            assertThat(recordedAt).isAfterOrEqualTo(previousTime);
            assertThat(paidCalls).isGreaterThanOrEqualTo(previousCalls);
            previousTime = recordedAt;
            previousCalls = paidCalls;
        }
        long paidByTheRun = given().get("/api/v1/runs/" + runId).then().extract().<Integer>path("cost[0].calls");
        // Reports come on their own topic and may trail a little, but not by a whole search.
        assertThat(previousCalls).isPositive().isLessThanOrEqualTo(paidByTheRun);
        assertThat(storedSequence(runId)).containsExactly(0, 1, 2, 3, 4, 5);
        assertThat(new SearchStateFormat(mapper).version(storedState(runId))).isEqualTo(SearchStateFormat.VERSION);
        assertThat(storedState(runId)).doesNotContain("\"history\"");
    }

    /**
     * A run whose state the previous version stored (history embedded, none in the table) is converted when its
     * history is first read, or else when it is next advanced, and continues to the very history the previous
     * version gave; the steps from before carry no time and cost, which were not kept then.
     */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void aRunStoredByThePreviousVersionContinuesWithItsHistoryIntact(boolean readBeforeAdvancing) throws Exception {
        String runId = submit();
        SearchStateFormat format = new SearchStateFormat(mapper);
        String previousState = resource("/search-state-v1/reflect-before-predictor-layer-2.json");
        try (WireWorld world = new WireWorld(mapper, runId).holding(requestId -> requestId.endsWith(HELD))) {
            SearchState previous = format.read(previousState).state();
            // The held mini-batch is requested ahead (during the refresh before its layer): play on to its layer.
            world.playUntil(() -> world.heldRequests() > 0
                    && format.read(storedState(runId)).state().stepIndex() == previous.stepIndex(), WAIT);
            SearchState now = format.read(storedState(runId)).state();
            assertThat(position(now)).as("where the previous version held the run").isEqualTo(position(previous));
            // The previous version requested no mini-batch ahead of its layer: forget those this one did.
            Set<String> ahead = new HashSet<>(now.prefetched().keySet());
            now.outstanding().forEach(c -> ahead.add(c.id()));
            previous.outstanding().forEach(c -> ahead.remove(c.id()));
            QuarkusTransaction.requiringNew().run(() -> {
                for (String commandId : ahead) {
                    entityManager.createNativeQuery("delete from orchestrator.job_reply where run_id = ?1 and command_id = ?2")
                            .setParameter(1, runId).setParameter(2, commandId).executeUpdate();
                    entityManager.createNativeQuery("delete from orchestrator.dispatch where run_id = ?1 and command_id = ?2")
                            .setParameter(1, runId).setParameter(2, commandId).executeUpdate();
                }
                entityManager.createNativeQuery("update orchestrator.run set search_state = ?1 where id = ?2")
                        .setParameter(1, previousState).setParameter(2, runId).executeUpdate();
                entityManager.createNativeQuery("delete from orchestrator.search_history where run_id = ?1")
                        .setParameter(1, runId).executeUpdate();
            });
            if (readBeforeAdvancing) {
                JsonNode before = history(runId);
                assertThat(json(RunClient.searchOnly(before)))
                        .isEqualTo(json(firstSteps(previousCompleteHistory(), STEPS_BEFORE_HELD)));
                assertThat(before).allSatisfy(this::unobserved);
                assertThat(format.version(storedState(runId))).isEqualTo(SearchStateFormat.VERSION);
            }
            world.release();
            world.playUntil(completed(runId), WAIT);
        }

        JsonNode history = history(runId);
        assertThat(json(RunClient.searchOnly(history))).isEqualTo(json(previousCompleteHistory()));
        for (int i = 0; i < STEPS; i++) {
            if (i < STEPS_BEFORE_HELD) {
                unobserved(history.get(i));
            } else {
                assertThat(history.get(i).path("recordedAt").isTextual()).isTrue();
                assertThat(history.get(i).path("paidCallsSoFar").isIntegralNumber()).isTrue();
            }
        }
        assertThat(storedSequence(runId)).containsExactly(0, 1, 2, 3, 4, 5);
        assertThat(format.version(storedState(runId))).isEqualTo(SearchStateFormat.VERSION);
    }

    /** A newer orchestrator's state (after a rollback): its history is not shown empty, its answers wait in the DLQ. */
    @Test
    void aStateOfAFormatThisVersionDoesNotKnowIsRefusedNotReadAsEmpty() throws Exception {
        String runId = submit();
        List<SamplerCommand> commands = TopicProbe.await(Topics.MINIBATCH_REQUESTS, r -> runId.equals(r.key()), 2, WAIT)
                .stream().map(r -> TestJson.read(mapper, r.value(), SamplerCommand.class)).toList();
        QuarkusTransaction.requiringNew().run(() -> entityManager.createNativeQuery(
                        "update orchestrator.run set search_state = ?1 where id = ?2")
                .setParameter(1, "{\"formatVersion\":3,\"anything\":\"new\"}").setParameter(2, runId).executeUpdate());

        given().get("/api/v1/runs/" + runId + "/history").then().statusCode(500);
        MinibatchRequest request = (MinibatchRequest) commands.get(1);
        TopicProbe.send(Topics.MINIBATCHES, runId, mapper.writeValueAsString(new Minibatch(request.requestId(), runId,
                request.agentId(), request.layer(), ((RegisterPool) commands.get(0)).pool().subList(0, 2), List.of())));
        ConsumerRecord<String, String> dead = TopicProbe.await(Topics.deadLetter(Topics.MINIBATCHES),
                r -> runId.equals(r.key()), 1, WAIT).getFirst();
        assertThat(new String(dead.headers().lastHeader("dead-letter-reason").value(), StandardCharsets.UTF_8))
                .contains("formatVersion 3, newer than this orchestrator reads");
    }


    /** What a transition stored again (its transaction retried, its answer redelivered) adds: nothing. */
    @Test
    void anEntryStoredAgainUnderItsNumberIsKeptOnce() {
        String runId = submit();
        QuarkusTransaction.requiringNew().run(() -> {
            SearchHistory.append(runId, 0, List.of("{\"step\":0}"), true);
            SearchHistory.append(runId, 0, List.of("{\"step\":\"again\"}", "{\"step\":1}"), true);
        });
        List<SearchHistory.Row> rows = QuarkusTransaction.requiringNew().call(() -> SearchHistory.of(runId));
        assertThat(rows).extracting(SearchHistory.Row::seq, SearchHistory.Row::entry)
                .containsExactly(tuple(0, "{\"step\":0}"), tuple(1, "{\"step\":1}"));
    }

    /** Where a search is, leaving out what it waits for (this version also waits for mini-batches requested ahead). */
    private static SearchState position(SearchState s) {
        return new SearchState(s.problem(), s.stepIndex(), s.agents(), s.bestChanges(), s.step(), List.of(), Map.of(),
                s.historySize(), s.finishReason());
    }

    private void unobserved(JsonNode step) {
        assertThat(step.get("recordedAt").isNull()).as("recordedAt of %s", step).isTrue();
        assertThat(step.get("paidCallsSoFar").isNull()).as("paidCallsSoFar of %s", step).isTrue();
    }

    private String submit() {
        return given().contentType(ContentType.JSON).body(spec()).post("/api/v1/runs")
                .then().statusCode(201).extract().path("id");
    }

    private BooleanSupplier completed(String runId) {
        return () -> "COMPLETED".equals(given().get("/api/v1/runs/" + runId).then().extract().path("status"));
    }

    private JsonNode history(String runId) throws IOException {
        return mapper.readTree(given().get("/api/v1/runs/" + runId + "/history").then().statusCode(200)
                .contentType(ContentType.JSON).extract().asString());
    }

    private JsonNode previousCompleteHistory() throws IOException {
        JsonNode history = mapper.readTree(resource("/search-state-v1/reflect-complete-history.json"));
        assertThat(history).hasSize(STEPS);
        return history;
    }

    private JsonNode firstSteps(JsonNode history, int n) {
        List<JsonNode> first = new ArrayList<>();
        history.forEach(first::add);
        return mapper.valueToTree(first.subList(0, n));
    }

    /** The JSON text, field order included. */
    private String json(JsonNode node) throws IOException {
        return mapper.writeValueAsString(node);
    }

    private String storedState(String runId) {
        return QuarkusTransaction.requiringNew().call(() -> (String) entityManager.createNativeQuery(
                "select search_state from orchestrator.run where id = ?1").setParameter(1, runId).getSingleResult());
    }

    private List<Integer> storedSequence(String runId) {
        return QuarkusTransaction.requiringNew().call(() -> entityManager.createNativeQuery(
                        "select seq from orchestrator.search_history where run_id = ?1 order by seq", Integer.class)
                .setParameter(1, runId).getResultList());
    }

    private static String resource(String path) throws IOException {
        try (InputStream in = SearchHistoryTest.class.getResourceAsStream(path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
