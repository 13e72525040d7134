package ai.maspo.evaluator.service;

import ai.maspo.evaluator.prompting.ChatPrompt;
import ai.maspo.protocol.ModelRole;
import ai.maspo.protocol.ModelSettings;
import ai.maspo.protocol.Usage;
import ai.maspo.protocol.UsageReport;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The write-ahead count with a broker whose acknowledgements the test gives (Kafka's {@link MockProducer}): attempts
 * announced while a wave is in flight share the next wave, an attempt the broker did not acknowledge is never sent,
 * and an attempt that never reached the server is withdrawn. The real broker: {@code WriteAheadUsageTest}.
 */
@Timeout(60) // a broken announcer leaves its callers waiting forever
class WriteAheadCountTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final ModelSettings MODEL = new ModelSettings("any-model", 0);
    private static final ChatPrompt PROMPT = new ChatPrompt("", "#q0001 What is 2 + 3?");

    @Test
    void attemptsAnnouncedWhileAWaveIsInFlightGoOutTogetherInTheNextOne() throws Exception {
        MockProducer<String, String> broker = new MockProducer<>(false, null, new StringSerializer(), new StringSerializer());
        UsageAnnouncer announcer = new UsageAnnouncer(broker, MAPPER, new SimpleMeterRegistry());
        UsageMeter jobA = new UsageMeter("run-1", "run-1/a");
        UsageMeter jobB = new UsageMeter("run-2", "run-2/b");
        try {
            List<Thread> callers = new ArrayList<>();
            callers.add(Thread.ofPlatform().daemon().start(() -> announcer.announce(jobA, ModelRole.AGENT)));
            await().atMost(Duration.ofSeconds(10)).until(() -> broker.history().size() == 1);
            for (int i = 0; i < 19; i++) {
                UsageMeter job = i % 2 == 0 ? jobA : jobB;
                callers.add(Thread.ofPlatform().daemon().start(() -> announcer.announce(job, ModelRole.JUDGE)));
            }
            // parked on their acknowledgement, i.e. queued for the next wave
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    callers.stream().skip(1).allMatch(t -> t.getState() == Thread.State.WAITING));
            assertThat(broker.history()).as("nothing else is sent while a wave is in flight").hasSize(1);
            assertThat(callers.getFirst().isAlive()).as("unacknowledged: the first attempt is not sent yet").isTrue();

            broker.completeNext();
            await().atMost(Duration.ofSeconds(10)).until(() -> broker.history().size() == 3);
            broker.completeNext();
            broker.completeNext();
            for (Thread caller : callers) {
                caller.join(Duration.ofSeconds(10));
                assertThat(caller.isAlive()).isFalse();
            }
            List<UsageReport> reports = broker.history().stream().map(r -> read(r.value())).toList();
            assertThat(reports.get(0).usage()).containsExactly(new Usage(ModelRole.AGENT, 1, 0, 0, 0, 0));
            // the second wave: one report per job
            Map<String, List<Usage>> wave = reports.subList(1, 3).stream()
                    .collect(Collectors.toMap(UsageReport::requestId, UsageReport::usage));
            assertThat(wave).containsOnly(Map.entry("run-1/a", List.of(new Usage(ModelRole.JUDGE, 10, 0, 0, 0, 0))),
                    Map.entry("run-2/b", List.of(new Usage(ModelRole.JUDGE, 9, 0, 0, 0, 0))));
            assertThat(broker.history()).allSatisfy(r -> assertThat(r.value()).as("keyed by run").contains(r.key()));
            assertThat(jobA.snapshot()).containsExactlyInAnyOrder(new Usage(ModelRole.AGENT, 1, 0, 0, 0, 0),
                    new Usage(ModelRole.JUDGE, 10, 0, 0, 0, 0));
        } finally {
            announcer.close();
        }
    }

    @Test
    void anAttemptWhoseCountTheBrokerDidNotAcknowledgeIsNeverSent() throws Exception {
        AtomicInteger received = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            received.incrementAndGet();
            exchange.sendResponseHeaders(500, -1);
            exchange.close();
        });
        server.start();
        MockProducer<String, String> broker = new MockProducer<>(false, null, new StringSerializer(), new StringSerializer());
        UsageAnnouncer announcer = new UsageAnnouncer(broker, MAPPER, new SimpleMeterRegistry());
        try {
            LlmCaller caller = caller("http://127.0.0.1:" + server.getAddress().getPort() + "/v1", announcer);
            UsageMeter job = new UsageMeter("run-1", "run-1/a");
            Thread.ofPlatform().daemon().start(() -> {
                await().atMost(Duration.ofSeconds(10)).until(() -> broker.history().size() == 1);
                broker.errorNext(new TimeoutException("Expiring 1 record(s): 120000 ms has passed since batch creation"));
            });

            assertThatThrownBy(() -> caller.call(caller.request(ModelRole.AGENT, MODEL, PROMPT, 7), job))
                    .isInstanceOf(LlmCallFailedException.class)
                    .hasMessageContaining("not sent").hasMessageContaining("120000 ms");
            assertThat(received).as("requests the server received").hasValue(0);
            assertThat(broker.history()).as("one announcement, not retried as an attempt").hasSize(1);
            assertThat(job.snapshot()).as("nothing counted").isEmpty();
        } finally {
            announcer.close();
            server.stop(0);
        }
    }

    @Test
    void anAttemptThatNeverReachedTheServerIsWithdrawn() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        MockProducer<String, String> broker = new MockProducer<>(true, null, new StringSerializer(), new StringSerializer());
        UsageAnnouncer announcer = new UsageAnnouncer(broker, MAPPER, new SimpleMeterRegistry());
        try {
            LlmCaller caller = caller("http://127.0.0.1:" + closedPort + "/v1", announcer);
            UsageMeter job = new UsageMeter("run-1", "run-1/a");

            assertThatThrownBy(() -> caller.call(caller.request(ModelRole.AGENT, MODEL, PROMPT, 7), job))
                    .isInstanceOf(LlmCallFailedException.class).hasMessageContaining("cannot connect");
            long announced = broker.history().stream().map(r -> read(r.value()))
                    .flatMap(r -> r.usage().stream()).mapToLong(Usage::calls).sum();
            assertThat(announced).as("each attempt counted before it was tried").isEqualTo(3);
            assertThat(job.drainUnreported()).as("and withdrawn in the job's next report")
                    .containsExactly(new Usage(ModelRole.AGENT, -3, 0, 0, 0, 0));
            assertThat(job.snapshot()).containsExactly(new Usage(ModelRole.AGENT, 0, 0, 0, 0, 0));
        } finally {
            announcer.close();
        }
    }

    private static LlmCaller caller(String baseUrl, UsageAnnouncer announcer) {
        return new LlmCaller(TestLlmConfig.of(baseUrl, Map.of("maspo.llm.retry.max-attempts", "3",
                "maspo.llm.retry.initial-backoff", "1ms")), announcer, MAPPER, new SimpleMeterRegistry());
    }

    private static UsageReport read(String json) {
        try {
            return MAPPER.readValue(json, UsageReport.class);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
