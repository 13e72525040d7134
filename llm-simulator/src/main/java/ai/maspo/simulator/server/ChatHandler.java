package ai.maspo.simulator.server;

import ai.maspo.simulator.SimulatorOptions;
import ai.maspo.simulator.scenario.Item;
import ai.maspo.simulator.style.ReplyStyle;
import ai.maspo.simulator.world.Draw;
import ai.maspo.simulator.world.Reply;
import ai.maspo.simulator.world.World;
import ai.maspo.simulator.world.Worlds;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/** The HTTP endpoints, shared by all event-loop verticles (stateless apart from thread-safe counters). */
final class ChatHandler {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MALFORMED_BODY = "{\"id\":\"chatcmpl-sim\",\"object\":\"chat.completion\",\"choices\":[{\"message\":{\"content\":\"";

    private final Worlds worlds;
    private final SimulatorOptions options;
    private final FaultInjector faults;
    private final SimulatorStats stats = new SimulatorStats();
    private final AtomicLong completionIds = new AtomicLong();

    ChatHandler(Worlds worlds, SimulatorOptions options) {
        this.worlds = worlds;
        this.options = options;
        this.faults = new FaultInjector(options);
    }

    void handle(Vertx vertx, HttpServerRequest request) {
        String path = request.path();
        HttpMethod method = request.method();
        if (method == HttpMethod.POST && (path.equals("/v1/chat/completions") || path.equals("/chat/completions"))) {
            countOpen(request.response());
            request.body().onSuccess(body -> chat(vertx, request.response(), body))
                    .onFailure(e -> error(request.response(), 400, "invalid_request_error", e.getMessage()));
        } else if (method == HttpMethod.GET && (path.equals("/v1/models") || path.equals("/models"))) {
            json(request.response(), 200, models());
        } else if (method == HttpMethod.GET && path.startsWith("/sim/datasets/")) {
            dataset(request.response(), path.substring("/sim/datasets/".length()).split("/"));
        } else if (method == HttpMethod.GET && path.equals("/sim/stats")) {
            json(request.response(), 200, JSON.valueToTree(stats.snapshot()));
        } else if (method == HttpMethod.POST && path.equals("/sim/reset")) {
            stats.reset();
            request.response().setStatusCode(204).end();
        } else {
            error(request.response(), 404, "invalid_request_error", "no route " + method + " " + path);
        }
    }

    /** Counts the request as open until its answer is sent or its client goes, whichever comes first. */
    private void countOpen(HttpServerResponse response) {
        stats.opened();
        AtomicBoolean done = new AtomicBoolean();
        Runnable close = () -> {
            if (done.compareAndSet(false, true)) {
                stats.closed();
            }
        };
        response.endHandler(v -> close.run());
        response.closeHandler(v -> close.run());
    }

    private void chat(Vertx vertx, HttpServerResponse response, Buffer body) {
        ChatRequest chat;
        try {
            chat = ChatRequest.parse(JSON.readTree(body.getBytes()));
        } catch (IOException | IllegalArgumentException e) {
            error(response, 400, "invalid_request_error", "invalid chat request: " + e.getMessage());
            return;
        }
        FaultInjector.Fault fault = faults.draw();
        if (fault != FaultInjector.Fault.NONE) {
            stats.fault(fault.statsName);
        }
        switch (fault) {
            case RATE_LIMITED -> {
                response.putHeader("Retry-After", "1");
                error(response, 429, "rate_limit_error", "Rate limit reached (simulated). Retry after 1 s.");
                return;
            }
            case SERVER_ERROR -> {
                error(response, 500, "server_error", "Internal server error (simulated).");
                return;
            }
            case MALFORMED -> {
                response.setStatusCode(200).putHeader("Content-Type", "application/json").end(MALFORMED_BODY);
                return;
            }
            default -> {
            }
        }
        ReplyStyle.ModelChoice choice = ReplyStyle.ModelChoice.of(chat.model());
        World world = worlds.forModel(choice.model());
        Reply reply = world.respond(chat.text(), chat.seed(), chat.temperature());
        ReplyStyle.Styled styled = ReplyStyle.apply(world.scenario().style(), choice.mode(), reply.requestClass(),
                reply.content(), Draw.of(world.scenario().seed(), chat.seed(), chat.text(), 0));
        String content = styled.content();
        String reasoning = styled.reasoningContent();
        String finishReason = "stop";
        // reasoning tokens count against max_tokens first, as with real reasoning models
        int reasoningTokens = reasoning == null ? 0 : Tokens.count(reasoning);
        if (chat.maxTokens() != null && reasoningTokens + Tokens.count(content) > chat.maxTokens()) {
            int left = Math.max(0, chat.maxTokens() - reasoningTokens);
            content = content.substring(0, Math.min(content.length(), 4 * left));
            finishReason = "length";
        }
        int promptTokens = Tokens.count(chat.text());
        int completionTokens = reasoningTokens + Tokens.count(content);
        stats.call(reply.requestClass().label(), world.scenario().name(), promptTokens, completionTokens);

        String id = "chatcmpl-sim-" + Long.toHexString(completionIds.incrementAndGet());
        long created = System.currentTimeMillis() / 1000;
        String model = chat.model() == null ? Worlds.DEFAULT_MODEL : chat.model();
        ObjectNode usage = JSON.createObjectNode().put("prompt_tokens", promptTokens)
                .put("completion_tokens", completionTokens).put("total_tokens", promptTokens + completionTokens);
        String finalContent = content;
        String finalFinishReason = finishReason;
        Runnable send = chat.stream()
                ? () -> stream(response, id, created, model, finalContent, reasoning, finalFinishReason, usage)
                : () -> json(response, 200, completion(id, created, model, finalContent, reasoning, finalFinishReason,
                        usage));
        long delay = Math.round(options.latencyMillis() + options.latencyMillisPerOutputToken() * completionTokens)
                + (fault == FaultInjector.Fault.HANG ? options.hangMillis() : 0);
        if (delay <= 0) {
            send.run();
        } else {
            // A client that timed out has gone: nothing to answer.
            vertx.setTimer(delay, timer -> {
                if (!response.closed()) {
                    send.run();
                }
            });
        }
    }

    private static ObjectNode completion(String id, long created, String model, String content, String reasoning,
                                         String finishReason, ObjectNode usage) {
        ObjectNode root = JSON.createObjectNode().put("id", id).put("object", "chat.completion").put("created", created)
                .put("model", model).put("system_fingerprint", "maspo-llm-simulator");
        ObjectNode choice = root.putArray("choices").addObject().put("index", 0);
        ObjectNode message = choice.putObject("message").put("role", "assistant").put("content", content);
        if (reasoning != null) {
            message.put("reasoning_content", reasoning);
        }
        choice.putNull("logprobs");
        choice.put("finish_reason", finishReason);
        root.set("usage", usage);
        return root;
    }

    /** Server-sent events as OpenAI streams them: one content chunk, one final chunk with usage, then [DONE]. */
    private static void stream(HttpServerResponse response, String id, long created, String model, String content,
                               String reasoning, String finishReason, ObjectNode usage) {
        ObjectNode first = chunk(id, created, model);
        ObjectNode delta = ((ObjectNode) first.withArray("choices").get(0)).putObject("delta").put("role", "assistant")
                .put("content", content);
        if (reasoning != null) {
            delta.put("reasoning_content", reasoning);
        }
        ObjectNode last = chunk(id, created, model);
        ObjectNode lastChoice = (ObjectNode) last.withArray("choices").get(0);
        lastChoice.putObject("delta");
        lastChoice.put("finish_reason", finishReason);
        last.set("usage", usage);
        response.setStatusCode(200).putHeader("Content-Type", "text/event-stream").putHeader("Cache-Control", "no-cache")
                .end("data: " + first + "\n\ndata: " + last + "\n\ndata: [DONE]\n\n");
    }

    private static ObjectNode chunk(String id, long created, String model) {
        ObjectNode root = JSON.createObjectNode().put("id", id).put("object", "chat.completion.chunk")
                .put("created", created).put("model", model);
        root.putArray("choices").addObject().put("index", 0).putNull("finish_reason");
        return root;
    }

    private ObjectNode models() {
        ObjectNode root = JSON.createObjectNode().put("object", "list");
        ArrayNode data = root.putArray("data");
        worlds.modelNames().stream().sorted().forEach(name -> data.addObject().put("id", name).put("object", "model")
                .put("created", 0).put("owned_by", "maspo-llm-simulator"));
        return root;
    }

    private void dataset(HttpServerResponse response, String[] parts) {
        World world = parts.length == 2 ? worlds.named(parts[0]) : null;
        List<Item> items = world == null ? null : world.split(parts[1]);
        if (items == null) {
            error(response, 404, "invalid_request_error", "use /sim/datasets/{scenario}/{train|test} with a loaded scenario");
            return;
        }
        StringBuilder lines = new StringBuilder(items.size() * 96);
        for (Item item : items) {
            lines.append(JSON.createObjectNode().put("id", item.id()).put("question", item.question())
                    .put("answer", item.answer())).append('\n');
        }
        response.setStatusCode(200).putHeader("Content-Type", "application/x-ndjson").end(lines.toString());
    }

    private static void json(HttpServerResponse response, int status, JsonNode body) {
        response.setStatusCode(status).putHeader("Content-Type", "application/json").end(body.toString());
    }

    private static void error(HttpServerResponse response, int status, String type, String message) {
        ObjectNode error = JSON.createObjectNode();
        error.putObject("error").put("message", String.valueOf(message)).put("type", type).putNull("param").putNull("code");
        json(response, status, error);
    }
}
