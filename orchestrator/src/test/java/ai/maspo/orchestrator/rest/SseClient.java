package ai.maspo.orchestrator.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Reads a server-sent event stream as a browser's EventSource would: events end at a blank line. */
final class SseClient implements AutoCloseable {

    record Event(long id, String type, JsonNode data) {
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private final ObjectMapper mapper;
    private final HttpResponse<InputStream> response;
    private final BufferedReader reader;
    private int comments;

    /** Opens the stream with these headers (name, value, name, value...). */
    SseClient(ObjectMapper mapper, URI uri, String... headers) {
        this.mapper = mapper;
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Accept", "text/event-stream");
            for (int i = 0; i < headers.length; i += 2) {
                request.header(headers[i], headers[i + 1]);
            }
            response = HTTP.send(request.GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
    }

    int status() {
        return response.statusCode();
    }

    String contentType() {
        return response.headers().firstValue("Content-Type").orElse("");
    }

    /** The next event, or null when the server ended the stream. */
    Event next() throws IOException {
        Long id = null;
        String type = "message";
        StringBuilder data = new StringBuilder();
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            if (line.isEmpty()) {
                if (id != null) {
                    return new Event(id, type, mapper.readTree(data.toString()));
                }
                continue;
            }
            int colon = line.indexOf(':');
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1).stripLeading();
            switch (field) {
                case "id" -> id = Long.parseLong(value);
                case "event" -> type = value;
                case "data" -> data.append(data.isEmpty() ? "" : "\n").append(value);
                case "" -> comments++;
                default -> {
                    // retry hints
                }
            }
        }
        return null;
    }

    /** Reads until a comment line comes (and fails if an event comes first). */
    void awaitComment() throws IOException {
        int before = comments;
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            if (line.startsWith(":")) {
                comments++;
                return;
            }
            if (!line.isEmpty()) {
                throw new AssertionError("expected a comment, got " + line);
            }
        }
        throw new AssertionError("the stream ended after " + before + " comments");
    }

    /** Every event until the server ends the stream. */
    List<Event> rest() throws IOException {
        List<Event> events = new ArrayList<>();
        for (Event e = next(); e != null; e = next()) {
            events.add(e);
        }
        return events;
    }

    String body() throws IOException {
        return new String(response.body().readAllBytes(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        response.body().close();
    }
}
