package ai.maspo.evaluator.service;

import ai.maspo.evaluator.SimulatorTestResource;
import ai.maspo.evaluator.config.EvaluatorConfig;
import ai.maspo.evaluator.prompting.ChatPrompt;
import ai.maspo.evaluator.tracing.EvaluatorTracing;
import ai.maspo.infra.test.KafkaTestResource;
import ai.maspo.infra.test.PostgresTestResource;
import ai.maspo.protocol.ModelRole;
import ai.maspo.protocol.ModelSettings;
import ai.maspo.protocol.Usage;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The answer cache shared by evaluator replicas, on a real PostgreSQL: replicas are {@link LlmGateway}s and
 * {@link SharedAnswers} of their own (own memory, own claims) on one database and one endpoint, as separate processes
 * would be.
 */
@QuarkusTest
@TestProfile(SharedAnswersTest.ShortLease.class)
@QuarkusTestResource(value = KafkaTestResource.class, initArgs = @ResourceArg(name = KafkaTestResource.USER_ARG, value = "evaluator"))
@QuarkusTestResource(PostgresTestResource.class)
class SharedAnswersTest {

    static final Duration LEASE = Duration.ofSeconds(1);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    public static class ShortLease implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("maspo.evaluator.answer-cache.claim-lease", LEASE.toMillis() + "ms",
                    "maspo.evaluator.answer-cache.heartbeat", "200ms");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            // slow enough that the replicas' identical calls overlap
            return List.of(new TestResourceEntry(SimulatorTestResource.class, Map.of("latencyMillis", "200")));
        }
    }

    @Inject
    LlmCaller caller;
    @Inject
    SharedAnswers heartbeating;
    @Inject
    DataSource database;
    @Inject
    EvaluatorConfig config;
    @ConfigProperty(name = "maspo.llm.base-url")
    String simulator;

    private static final ModelSettings MODEL = new ModelSettings("sequential-trap", 0);

    /** Another replica: its own memory and claims (no heartbeat: scheduled only for the application's own). */
    private SharedAnswers replica() {
        return new SharedAnswers(database, config, new SimpleMeterRegistry());
    }

    private LlmGateway gateway(SharedAnswers shared) {
        return new LlmGateway(caller, shared, config, new LlmMetrics(new SimpleMeterRegistry()),
                new EvaluatorTracing(OpenTelemetry.noop()));
    }

    @Test
    void replicasAskingTheSameRequestsAtOnceAndARestartedOnePayEachOnce() throws Exception {
        List<ChatPrompt> prompts = new ArrayList<>();
        String tag = UUID.randomUUID().toString();
        for (int i = 0; i < 5; i++) {
            prompts.add(new ChatPrompt("", "#q000" + i + " " + tag + " What is " + i + " + 1?"));
        }
        long before = received();
        List<LlmGateway> replicas = List.of(gateway(heartbeating), gateway(replica()), gateway(replica()));
        List<UsageMeter> meters = new ArrayList<>();
        List<CompletableFuture<String>> answers = new ArrayList<>();
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (LlmGateway replica : replicas) {
                for (int job = 0; job < 4; job++) {
                    UsageMeter meter = new UsageMeter("run-" + tag, "run-" + tag + "/" + meters.size());
                    meters.add(meter);
                    for (ChatPrompt prompt : prompts) {
                        answers.add(CompletableFuture.supplyAsync(
                                () -> replica.complete(ModelRole.AGENT, MODEL, prompt, 7, meter).text(), threads));
                    }
                }
            }
            CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        }
        assertThat(received() - before).as("requests the endpoint received").isEqualTo(5);
        assertThat(sum(meters, Usage::calls)).as("paid calls").isEqualTo(5);
        assertThat(sum(meters, Usage::cachedCalls)).as("cache hits").isEqualTo(3 * 4 * 5 - 5);
        for (int prompt = 0; prompt < prompts.size(); prompt++) {
            int p = prompt;
            assertThat(IntStream.range(0, answers.size()).filter(i -> i % prompts.size() == p)
                    .mapToObj(i -> answers.get(i).join()).distinct()).as("answers to request %d", p).hasSize(1);
        }

        // a restarted evaluator: empty memory, a new identity; the answers are still paid for
        UsageMeter restarted = new UsageMeter("run-" + tag, "run-" + tag + "/restarted");
        LlmGateway fresh = gateway(replica());
        for (ChatPrompt prompt : prompts) {
            assertThat(fresh.complete(ModelRole.AGENT, MODEL, prompt, 7, restarted))
                    .isEqualTo(replicas.getFirst().complete(ModelRole.AGENT, MODEL, prompt, 7, restarted));
        }
        assertThat(received() - before).as("nothing paid again").isEqualTo(5);
        assertThat(restarted.snapshot()).containsExactly(new Usage(ModelRole.AGENT, 0, 10, 0, 0, 0));

        // every parameter is part of the key: another seed is another request
        fresh.complete(ModelRole.AGENT, MODEL, prompts.getFirst(), 8, restarted);
        assertThat(received() - before).isEqualTo(6);
    }

    @Test
    void aReplicaWaitsForTheClaimantsAnswerOrTakesOverWhenTheClaimIsReleased() throws Exception {
        SharedAnswers a = replica();
        SharedAnswers b = replica();
        String answered = key();
        assertThat(a.answerOrClaim(answered, request())).as("a claims").isEmpty();
        CompletableFuture<Optional<LlmReply>> waiting = CompletableFuture.supplyAsync(() -> b.answerOrClaim(answered, request()));
        Thread.sleep(300);
        assertThat(waiting).as("b waits for a's answer").isNotDone();
        a.store(answered, request(), new LlmReply("from a", null, 3, 4));
        assertThat(waiting.get(5, TimeUnit.SECONDS)).contains(new LlmReply("from a", null, 3, 4));

        String failed = key();
        assertThat(a.answerOrClaim(failed, request())).isEmpty();
        waiting = CompletableFuture.supplyAsync(() -> b.answerOrClaim(failed, request()));
        Thread.sleep(300);
        assertThat(waiting).isNotDone();
        a.release(failed); // a's call failed
        assertThat(waiting.get(5, TimeUnit.SECONDS)).as("b claims and calls itself").isEmpty();
        b.store(failed, request(), new LlmReply("from b", null, 1, 1));
        assertThat(a.answerOrClaim(failed, request())).contains(new LlmReply("from b", null, 1, 1));
    }

    @Test
    void aClaimLapsesWhenItsReplicaStopsRefreshingItAndTheFirstAnswerStays() throws Exception {
        SharedAnswers gone = replica(); // never refreshes its claims, as a killed replica
        SharedAnswers b = replica();
        String lapsed = key();
        assertThat(gone.answerOrClaim(lapsed, request())).isEmpty();
        long start = System.nanoTime();
        assertThat(b.answerOrClaim(lapsed, request())).as("b takes the claim over").isEmpty();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(LEASE.minusMillis(100));
        gone.store(lapsed, request(), new LlmReply("late", null, 1, 1)); // it was alive after all, and slow
        b.store(lapsed, request(), new LlmReply("other", null, 2, 2));
        assertThat(storedAnswers(lapsed)).as("stored once, the first answer").containsExactly("late");

        // the application's own instance refreshes its claims: no one takes them over however long its call takes
        String refreshed = key();
        assertThat(heartbeating.answerOrClaim(refreshed, request())).isEmpty();
        CompletableFuture<Optional<LlmReply>> waiting = CompletableFuture.supplyAsync(() -> b.answerOrClaim(refreshed, request()));
        Thread.sleep(LEASE.multipliedBy(3).toMillis());
        assertThat(waiting).as("still waiting after 3 leases").isNotDone();
        heartbeating.store(refreshed, request(), new LlmReply("slow but alive", null, 1, 1));
        assertThat(waiting.get(5, TimeUnit.SECONDS)).contains(new LlmReply("slow but alive", null, 1, 1));
    }

    private static String key() {
        return LlmGateway.cacheKey(new LlmRequest(ModelRole.JUDGE, "http://test", "m", UUID.randomUUID().toString(),
                true, 1));
    }

    private static LlmRequest request() {
        return new LlmRequest(ModelRole.JUDGE, "http://test", "m", "{}", true, 1);
    }

    private List<String> storedAnswers(String key) throws Exception {
        try (Connection connection = database.getConnection();
             PreparedStatement select = connection.prepareStatement(
                     "SELECT answer FROM llm_answers WHERE request_key = ?")) {
            select.setBytes(1, HexFormat.of().parseHex(key));
            List<String> answers = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    answers.add(rows.getString(1));
                }
            }
            return answers;
        }
    }

    private static long sum(List<UsageMeter> meters, ToLongFunction<Usage> field) {
        return meters.stream().flatMap(m -> m.snapshot().stream()).mapToLong(field).sum();
    }

    /** Chat requests the simulator answered (no faults are injected here). */
    private long received() throws Exception {
        JsonNode stats = MAPPER.readTree(HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(simulator.replaceFirst("/v1$", "") + "/sim/stats")).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        long calls = 0;
        for (JsonNode n : stats.path("calls")) {
            calls += n.asLong();
        }
        return calls;
    }
}
