package ai.maspo.simulator.bench;

import ai.maspo.simulator.LlmSimulator;
import ai.maspo.simulator.SimulatorOptions;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Requests per second the simulator sustains at zero latency: N concurrent keep-alive clients, each sending its
 * next request as soon as the previous answer arrives, over a mix shaped like the evaluator's traffic (agent calls
 * with and without context, compressions, pairwise judgements, proposals).
 *
 * <pre>
 * java -cp llm-simulator/target/test-classes:llm-simulator/target/classes:llm-simulator/target/lib/* \
 *     ai.maspo.simulator.bench.ThroughputBenchmark [--clients 64] [--seconds 10] [--warmup 3] [--url http://127.0.0.1:8089/v1]
 * </pre>
 * Without {@code --url} the simulator runs in this JVM, sharing the cores with the clients.
 */
public final class ThroughputBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ThroughputBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int clients = intFlag(args, "--clients", 64);
        int seconds = intFlag(args, "--seconds", 10);
        int warmup = intFlag(args, "--warmup", 3);
        String url = flag(args, "--url");
        LlmSimulator embedded = url == null ? LlmSimulator.start(SimulatorOptions.defaults()) : null;
        URI base = URI.create(url != null ? url : embedded.baseUrl());
        List<Buffer> bodies = requestMix();

        Vertx vertx = Vertx.vertx();
        HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true)
                .setDefaultHost(base.getHost()).setDefaultPort(base.getPort()), new PoolOptions().setHttp1MaxSize(clients));
        String path = base.getPath() + "/chat/completions";
        AtomicLong ok = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicBoolean stopping = new AtomicBoolean();
        CountDownLatch finished = new CountDownLatch(clients);
        for (int c = 0; c < clients; c++) {
            send(client, path, bodies, c, clients, ok, failed, stopping, finished);
        }
        Thread.sleep(TimeUnit.SECONDS.toMillis(warmup));
        long startCount = ok.get();
        long start = System.nanoTime();
        Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
        long count = ok.get() - startCount;
        double elapsed = (System.nanoTime() - start) / 1e9;
        stopping.set(true);
        finished.await(30, TimeUnit.SECONDS);
        System.out.printf("%d clients, %.1f s: %d requests, %.0f requests/s, %d failed (%d cores)%n", clients, elapsed, count,
                count / elapsed, failed.get(), Runtime.getRuntime().availableProcessors());
        vertx.close().toCompletionStage().toCompletableFuture().get();
        if (embedded != null) {
            embedded.close();
        }
    }

    private static void send(HttpClient client, String path, List<Buffer> bodies, int index, int stride, AtomicLong ok,
                             AtomicLong failed, AtomicBoolean stopping, CountDownLatch finished) {
        if (stopping.get()) {
            finished.countDown();
            return;
        }
        client.request(HttpMethod.POST, path)
                .compose(request -> request.putHeader("Content-Type", "application/json").send(bodies.get(index % bodies.size())))
                .compose(response -> response.statusCode() == 200 ? response.body()
                        : io.vertx.core.Future.failedFuture("HTTP " + response.statusCode()))
                .onComplete(done -> {
                    (done.succeeded() ? ok : failed).incrementAndGet();
                    send(client, path, bodies, index + stride, stride, ok, failed, stopping, finished);
                });
    }

    /** 400 requests: 40% agent calls (half with a context), 25% compressions, 30% pairwise judgements, 5% proposals. */
    private static List<Buffer> requestMix() {
        List<Buffer> bodies = new ArrayList<>();
        String output = "Step 1: Identify the quantities.\nStep 2: Work through it.\nStep 3: Check.\nThe answer is %d.";
        for (int i = 0; i < 400; i++) {
            String question = "#q%04d Compute the expression.".formatted(i);
            String answer = output.formatted(i % 37);
            String user = switch (i % 20) {
                case 0, 1, 2, 3 -> "You are the predictor.\nQuestion: " + question;
                case 4, 5, 6, 7 -> "You are the reflector.\nQuestion: " + question + "\nContext:\n" + answer;
                case 8, 9, 10, 11, 12 -> "Summarize the following output in at most 30 words, keeping its final answer "
                        + "exactly as written.\n\n" + answer;
                case 19 -> "# Current prompt\n<current_prompt>\nQuestion: {question}\n</current_prompt>\nReply with "
                        + "<analyse>, <modification> and <prompt>.\n# Traces\n## Question\n" + question + "\n<output>\n"
                        + answer + "\n</output>\n";
                default -> "# Question\n" + question + "\n<output_a>\n" + answer + "\n</output_a>\n<output_b>\n"
                        + output.formatted(i % 11) + "\n</output_b>\nChoose the better one: <choose>A or B</choose>";
            };
            ObjectNode body = JSON.createObjectNode().put("model", "sequential-trap").put("temperature", 0).put("seed", i);
            ArrayNode messages = body.putArray("messages");
            messages.addObject().put("role", "system").put("content", "You are a careful assistant.");
            messages.addObject().put("role", "user").put("content", user);
            bodies.add(Buffer.buffer(body.toString()));
        }
        return bodies;
    }

    private static String flag(String[] args, String name) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return null;
    }

    private static int intFlag(String[] args, String name, int fallback) {
        String value = flag(args, name);
        return value == null ? fallback : Integer.parseInt(value);
    }
}
