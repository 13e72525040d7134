package ai.maspo.evaluator.messaging;

import ai.maspo.evaluator.service.UsageAnnouncer;
import ai.maspo.evaluator.service.UsageMeter;
import ai.maspo.infra.test.KafkaTestResource;
import ai.maspo.infra.test.PostgresTestResource;
import ai.maspo.protocol.EvaluationResult;
import ai.maspo.protocol.ModelRole;
import ai.maspo.protocol.Question;
import ai.maspo.protocol.ResultStatus;
import ai.maspo.protocol.Usage;
import ai.maspo.protocol.UsageReport;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static ai.maspo.evaluator.messaging.EvaluatorTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The write-ahead count against the real broker: requests an LLM server holds (as if the evaluator had died the moment
 * they arrived: nothing of theirs comes back) are already in the run's usage reports on the real topic, and attempts
 * made at once share reports. Also measures what the count adds to an attempt.
 */
@QuarkusTest
@TestProfile(WriteAheadUsageTest.HoldingEndpoint.class)
@QuarkusTestResource(value = KafkaTestResource.class, initArgs = @ResourceArg(name = KafkaTestResource.USER_ARG, value = "evaluator"))
@QuarkusTestResource(PostgresTestResource.class)
class WriteAheadUsageTest {

    public static class HoldingEndpoint implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // Held requests must not be cut and retried while the test looks at them.
            return Map.of("maspo.llm.timeout", "5m");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(HoldingLlmServer.class));
        }
    }

    /** An LLM endpoint that counts each request and answers nothing (400) until released. */
    public static class HoldingLlmServer implements QuarkusTestResourceLifecycleManager {
        static final AtomicInteger RECEIVED = new AtomicInteger();
        static final CountDownLatch RELEASE = new CountDownLatch(1);
        private HttpServer server;

        @Override
        public Map<String, String> start() {
            try {
                server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 100);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            server.createContext("/", exchange -> {
                exchange.getRequestBody().readAllBytes();
                RECEIVED.incrementAndGet();
                try {
                    RELEASE.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                byte[] body = "{\"error\": {\"message\": \"released\"}}".getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(400, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            server.start();
            return Map.of("maspo.llm.base-url", "http://127.0.0.1:" + server.getAddress().getPort() + "/v1",
                    "maspo.llm.api-key", "test-key");
        }

        @Override
        public void stop() {
            RELEASE.countDown();
            server.stop(0);
        }
    }

    @Inject
    UsageAnnouncer announcer;

    @Inject
    MeterRegistry registry;

    @Test
    void everyRequestTheServerReceivedIsInTheDurableReportsBeforeAnythingComesBack() throws Exception {
        String runId = "run-" + UUID.randomUUID();
        int perJob = 12;
        // Two jobs at once, each asking its predictor about every question in parallel: 24 requests in flight.
        for (int job = 0; job < 2; job++) {
            int first = job * perJob;
            List<Question> questions = IntStream.range(first, first + perJob).mapToObj(i -> new Question("q" + i,
                    String.format(Locale.ROOT, "#q%04d What is %d + 1?", i, i), Integer.toString(i + 1), null)).toList();
            send(runId + ":" + job, MAPPER.writeValueAsString(request(runId + "/" + job, runId, questions)));
        }
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> HoldingLlmServer.RECEIVED.get() == 2 * perJob);

            // Nothing has come back from the server: these counts were made before the requests were sent.
            List<UsageReport> reports = usageReports(runId, 2 * perJob, Duration.ofSeconds(30));
            assertThat(HoldingLlmServer.RECEIVED).as("no other request reached the server").hasValue(2 * perJob);
            assertThat(paidCalls(reports)).as("calls in the durable reports").isEqualTo(2 * perJob);
            assertThat(reports).as("attempts made at once share reports").hasSizeLessThan(2 * perJob)
                    .allSatisfy(r -> assertThat(r.usage()).allSatisfy(u -> {
                        assertThat(u.role()).isEqualTo(ModelRole.AGENT);
                        assertThat(u.promptTokens() + u.completionTokens() + u.millis()).isZero();
                    }));
        } finally {
            HoldingLlmServer.RELEASE.countDown();
        }
        // The server's 400 is no reason to retry: both jobs fail, and their 24 paid calls stay counted once.
        assertThat(List.of(awaitResult(runId + "/0"), awaitResult(runId + "/1"))).extracting(EvaluationResult::status)
                .containsOnly(ResultStatus.FAILED);
        List<UsageReport> reports = usageReports(runId, 2 * perJob, Duration.ofSeconds(30));
        assertThat(paidCalls(reports)).isEqualTo(2 * perJob);
        assertThat(reports.stream().flatMap(r -> r.usage().stream()).mapToLong(Usage::millis).sum())
                .as("the attempts' time follows in later reports").isPositive();
    }

    /**
     * What the count adds to an attempt: one at a time (a broker round trip each), and 64 at once (they share waves).
     * Prints the figures; asserts only that the concurrent ones shared reports.
     */
    @Test
    void measuresTheWaitAnAnnouncementAddsToAnAttempt() throws Exception {
        UsageMeter meter = new UsageMeter("latency-probe-" + UUID.randomUUID(), "latency-probe");
        for (int i = 0; i < 50; i++) { // warm-up: connection, metadata, JIT
            announcer.announce(meter, ModelRole.AGENT);
        }
        int sequential = 300;
        long[] nanos = new long[sequential];
        for (int i = 0; i < sequential; i++) {
            long start = System.nanoTime();
            announcer.announce(meter, ModelRole.AGENT);
            nanos[i] = System.nanoTime() - start;
        }

        double reportsBefore = registry.counter("maspo.llm.usage.announce.reports").count();
        int rounds = 20, concurrent = 64;
        long[] waits = new long[rounds * concurrent];
        List<UsageMeter> jobs = IntStream.range(0, 4).mapToObj(j -> new UsageMeter(meter.runId(), "latency-probe-" + j))
                .toList();
        long concurrentStart = System.nanoTime();
        for (int round = 0; round < rounds; round++) {
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < concurrent; t++) {
                int slot = round * concurrent + t;
                UsageMeter job = jobs.get(t % jobs.size());
                threads.add(Thread.ofVirtual().start(() -> {
                    long start = System.nanoTime();
                    announcer.announce(job, ModelRole.JUDGE);
                    waits[slot] = System.nanoTime() - start;
                }));
            }
            for (Thread thread : threads) {
                thread.join();
            }
        }
        double concurrentMillis = (System.nanoTime() - concurrentStart) / 1e6;
        double reports = registry.counter("maspo.llm.usage.announce.reports").count() - reportsBefore;

        System.out.printf(Locale.ROOT, "write-ahead count, one attempt at a time: %s%n", summary(nanos));
        System.out.printf(Locale.ROOT, "write-ahead count, %d attempts at once x %d rounds: %s; %.0f reports for %d "
                        + "attempts; %.1f ms per round%n", concurrent, rounds, summary(waits), reports,
                rounds * concurrent, concurrentMillis / rounds);
        assertThat(reports).as("attempts made at once share reports").isLessThan(rounds * concurrent / 4.0);
    }

    private static String summary(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return String.format(Locale.ROOT, "mean %.2f ms, median %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms",
                Arrays.stream(sorted).average().orElse(0) / 1e6, sorted[sorted.length / 2] / 1e6,
                sorted[sorted.length * 9 / 10] / 1e6, sorted[sorted.length * 99 / 100] / 1e6,
                sorted[sorted.length - 1] / 1e6);
    }
}
