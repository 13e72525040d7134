package ai.maspo.orchestrator.rest;

import ai.maspo.infra.test.KafkaTestResource;
import ai.maspo.infra.test.PostgresTestResource;
import ai.maspo.orchestrator.testsupport.TestAuth;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static ai.maspo.orchestrator.testsupport.TestAuth.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * {@code GET /api/v1/runs/{id}/events} over a real broker and PostgreSQL, {@link WireWorld} playing sampler and
 * evaluators: two agents, two layers each, one per visit, so the search has 6 steps (4 layers, 2 refreshes).
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, initArgs = @ResourceArg(name = KafkaTestResource.USER_ARG, value = "orchestrator"))
@QuarkusTestResource(PostgresTestResource.class)
@Timeout(value = 3, unit = TimeUnit.MINUTES) // a stream that never ends must fail the test, not hang the build
class RunEventsTest {

    private static final Duration WAIT = Duration.ofMinutes(2);
    /** The run waits for this mini-batch after its first 3 steps (predictor L1, reflector L1, predictor's refresh). */
    private static final String HELD = "/minibatch/predictor/L2";

    @Inject
    ObjectMapper mapper;

    @TestHTTPResource("/api/v1/runs/")
    URL runs;

    @Test
    void aLiveStreamShowsEveryStepInOrderThenTheTestPhaseAndEndsWhenTheRunFinishes() throws Exception {
        String runId = submit(TestAuth.USER);
        try (SseClient stream = open(runId, TestAuth.USER)) {
            assertThat(stream.status()).isEqualTo(200);
            assertThat(stream.contentType()).startsWith("text/event-stream");
            CompletableFuture<List<SseClient.Event>> read = CompletableFuture.supplyAsync(() -> rest(stream));
            try (WireWorld world = new WireWorld(mapper, runId)) {
                world.playUntil(completed(runId), WAIT);
            }
            List<SseClient.Event> events = read.get(WAIT.toSeconds(), TimeUnit.SECONDS);

            assertThat(events).extracting(SseClient.Event::id).isSorted().doesNotHaveDuplicates();
            SseClient.Event start = events.getFirst();
            assertThat(start.type()).isEqualTo("phase");
            assertThat(start.id()).isEqualTo(1);
            assertThat(start.data().get("phase").asText()).isEqualTo("SEARCHING");
            assertThat(start.data().get("steps").asInt()).isEqualTo(6);
            assertThat(texts(start.data().get("agents"))).containsExactly("predictor", "reflector");
            assertThat(start.data().at("/seedPrompts/predictor").asText()).isEqualTo("Solve step by step.\n{question}");

            List<SseClient.Event> steps = ofType(events, "layer", "refresh");
            assertThat(steps).extracting(e -> e.type(), e -> e.data().get("agent").asText(), e -> e.data().get("step").asInt())
                    .containsExactly(tuple("layer", "predictor", 0), tuple("layer", "reflector", 1),
                            tuple("refresh", "predictor", 2), tuple("layer", "predictor", 3),
                            tuple("refresh", "reflector", 4), tuple("layer", "reflector", 5));
            JsonNode history = mapper.readTree(given().get("/api/v1/runs/" + runId + "/history").then().statusCode(200)
                    .extract().asString());
            for (SseClient.Event layer : ofType(events, "layer")) {
                JsonNode step = history.get(layer.data().get("step").asInt());
                assertThat(layer.data().get("layer").asInt()).isEqualTo(step.get("layer").asInt());
                assertThat(layer.data().get("topScore").asDouble()).isEqualTo(step.at("/beamAfter/0/score").asDouble());
                assertThat(layer.data().get("accepted").asInt() + layer.data().get("rejected").asInt()
                        + layer.data().get("failed").asInt()).isEqualTo(step.get("candidates").size());
                assertThat(layer.data().get("recordedAt").asText()).isEqualTo(step.get("recordedAt").asText());
            }
            assertThat(ofType(events, "layer")).filteredOn(e -> e.data().get("agent").asText().equals("predictor"))
                    .allSatisfy(e -> assertThat(e.data().get("drawn").asInt()).isPositive());
            List<SseClient.Event> costs = ofType(events, "cost");
            assertThat(costs).hasSize(7);
            assertThat(costs).extracting(e -> e.data().get("paidCallsSoFar").asLong()).isSorted();
            assertThat(costs.getLast().data().at("/roles/0/role").asText()).isEqualTo("AGENT");
            // Each agent's last best prompt is its optimized one (a refresh may have re-anchored the seed).
            List<SseClient.Event> bests = ofType(events, "best");
            assertThat(bests).extracting(e -> e.data().get("prompt").asText()).anyMatch(p -> p.contains("Check each step."));
            SseClient.Event finished = events.getLast();
            for (String agent : List.of("predictor", "reflector")) {
                String last = bests.stream().filter(e -> e.data().get("agent").asText().equals(agent))
                        .map(e -> e.data().get("prompt").asText()).reduce((a, b) -> b)
                        .orElse(start.data().at("/seedPrompts/" + agent).asText());
                assertThat(finished.data().at("/bestPrompts/" + agent).asText()).isEqualTo(last);
            }

            SseClient.Event testing = events.get(events.size() - 3);
            assertThat(testing.type()).isEqualTo("phase");
            assertThat(testing.data().get("phase").asText()).isEqualTo("TESTING");
            assertThat(finished.type()).isEqualTo("finished");
            assertThat(finished.id()).isEqualTo(4 * 7 + 3);
            assertThat(finished.data().get("status").asText()).isEqualTo("COMPLETED");
            assertThat(finished.data().get("optimizedAccuracy").asDouble()).isEqualTo(1.0);
            assertThat(finished.data().at("/bestPrompts/predictor").asText()).isEqualTo(
                    given().get("/api/v1/runs/" + runId).then().extract().<String>path("bestPrompts.predictor"));
        }
    }

    @Test
    void aStreamResumedWithLastEventIdGetsWhatItMissedThenWhatFollows() throws Exception {
        String runId = submit(TestAuth.USER);
        List<SseClient.Event> before = new ArrayList<>();
        try (WireWorld world = new WireWorld(mapper, runId).holding(requestId -> requestId.endsWith(HELD))) {
            world.playUntil(() -> world.heldRequests() > 0 && given().get("/api/v1/runs/" + runId + "/history")
                    .then().extract().<List<?>>path("$").size() == 3, WAIT);
            try (SseClient stream = open(runId, TestAuth.USER)) {
                // The cost of step 2 is the last event before the held mini-batch.
                SseClient.Event e;
                do {
                    e = stream.next();
                    before.add(e);
                } while (e.id() < 4 * 3 + 2);
            }
            world.release();
            world.playUntil(completed(runId), WAIT);
        }
        long lastSeen = before.getLast().id();

        List<SseClient.Event> all;
        try (SseClient stream = open(runId, TestAuth.USER)) {
            all = stream.rest();
        }
        List<SseClient.Event> resumed;
        try (SseClient stream = open(runId, TestAuth.USER, "Last-Event-ID", String.valueOf(lastSeen))) {
            resumed = stream.rest();
        }
        assertThat(all.subList(0, before.size())).isEqualTo(before);
        assertThat(resumed).isEqualTo(all.subList(before.size(), all.size()));
        assertThat(resumed.getFirst().data().get("step").asInt()).isEqualTo(3);
        assertThat(resumed.getLast().type()).isEqualTo("finished");

        try (SseClient stream = open(runId, TestAuth.USER, "Last-Event-ID", String.valueOf(all.getLast().id()))) {
            assertThat(stream.status()).isEqualTo(200);
            assertThat(stream.rest()).isEmpty();
        }
    }

    @Test
    void anotherUsersRunIsNotFoundAndAnInvalidLastEventIdIsRefused() throws Exception {
        String runId = submit("olivia");
        try (SseClient stream = open(runId, "mallory")) {
            assertThat(stream.status()).isEqualTo(404);
            assertThat(mapper.readTree(stream.body()).get("error").asText()).isEqualTo("no run with id " + runId);
        }
        try (SseClient stream = new SseClient(mapper, URI.create(runs + runId + "/events"))) {
            assertThat(stream.status()).isEqualTo(401);
        }
        try (SseClient stream = open(runId, "olivia", "Last-Event-ID", "soon")) {
            assertThat(stream.status()).isEqualTo(400);
            assertThat(mapper.readTree(stream.body()).at("/violations/0/field").asText())
                    .isEqualTo("header.Last-Event-ID");
        }
    }

    /**
     * The test profile allows 3 open streams per user and replica, and sends a keep-alive comment after 1 s without
     * events (the run here gets no answer, so it stays at its start).
     */
    @Test
    void aUserHasABoundedNumberOfOpenStreamsWhichStayAliveWhenQuiet() throws Exception {
        String runId = submit("streamer");
        List<SseClient> open = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                SseClient stream = open(runId, "streamer");
                open.add(stream);
                assertThat(stream.next().type()).isEqualTo("phase");
            }
            open.getFirst().awaitComment();
            try (SseClient refused = open(runId, "streamer")) {
                assertThat(refused.status()).isEqualTo(429);
                assertThat(mapper.readTree(refused.body()).get("error").asText())
                        .isEqualTo("at most 3 event streams per user are open at once; close one first");
            }
            open.removeFirst().close();
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                SseClient again = open(runId, "streamer");
                if (again.status() == 200) {
                    open.add(again);
                    return true;
                }
                again.close();
                return false;
            });
        } finally {
            for (SseClient stream : open) {
                stream.close();
            }
        }
    }

    private SseClient open(String runId, String user, String... headers) {
        List<String> all = new ArrayList<>(List.of("Authorization", "Bearer " + TestAuth.token(user)));
        all.addAll(List.of(headers));
        return new SseClient(mapper, URI.create(runs + runId + "/events"), all.toArray(String[]::new));
    }

    private static List<SseClient.Event> rest(SseClient stream) {
        try {
            return stream.rest();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<SseClient.Event> ofType(List<SseClient.Event> events, String... types) {
        return events.stream().filter(e -> List.of(types).contains(e.type())).toList();
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(n -> texts.add(n.asText()));
        return texts;
    }

    private String submit(String user) {
        Map<String, Object> spec = RunSpecs.reflect(4, 2, 2);
        RunSpecs.at(spec, "search").putAll(Map.of("layersPerAgent", 2, "layersPerTurn", 1, "beamWidth", 2,
                "candidatesPerNode", 1));
        return TestAuth.as(user).contentType(ContentType.JSON).body(spec).post("/api/v1/runs")
                .then().statusCode(201).body("owner", equalTo(user)).extract().path("id");
    }

    private BooleanSupplier completed(String runId) {
        return () -> "COMPLETED".equals(given().get("/api/v1/runs/" + runId).then().extract().path("status"));
    }
}
