package ai.maspo.orchestrator.rest;

import ai.maspo.orchestrator.config.OrchestratorConfig;
import ai.maspo.orchestrator.search.FieldError;
import ai.maspo.orchestrator.security.Access;
import ai.maspo.orchestrator.service.RunEvent;
import ai.maspo.orchestrator.service.RunEvents;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A run's events as server-sent events. Each open stream asks the database for the events after the last one it sent,
 * at once and then every {@code maspo.orchestrator.events.poll-interval}: the events are derived from what is stored
 * ({@link RunEvent}), so a stream needs no message from the replica that advanced the run, and a client that
 * reconnects (to any replica, after any restart) with {@code Last-Event-ID} gets what it missed, then what follows.
 */
@Path("/api/v1/runs/{id}/events")
public class RunEventsResource {

    private static final String LAST_EVENT_ID = "Last-Event-ID";

    private final RunEvents events;
    private final EventStreams streams;
    private final Access access;
    private final ObjectMapper mapper;
    private final Duration pollInterval;
    private final Duration keepAlive;

    RunEventsResource(RunEvents events, EventStreams streams, Access access, ObjectMapper mapper,
                      OrchestratorConfig config) {
        this.events = events;
        this.streams = streams;
        this.access = access;
        this.mapper = mapper;
        this.pollInterval = config.events().pollInterval();
        this.keepAlive = config.events().keepAlive();
    }

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Blocking // the ownership check reads the database
    @Operation(summary = "The run's progress as server-sent events: phase, layer, refresh, best, cost, finished",
            description = "Each event has an increasing id and JSON data; the stream ends after 'finished'. "
                    + "Send Last-Event-ID to resume after the event of that id (see the README for the event types); "
                    + "one that is not a non-negative integer is refused with 400, as an invalid run id is.")
    @APIResponse(responseCode = "200", description = "The event stream: id, event (the type) and data (JSON) per event",
            content = @Content(mediaType = MediaType.SERVER_SENT_EVENTS, schema = @Schema(type = SchemaType.STRING)))
    @APIResponse(responseCode = "400", ref = ApiExamples.INVALID_ID_RESPONSE)
    @APIResponse(responseCode = "404", ref = ApiExamples.NOT_FOUND_RESPONSE)
    @APIResponse(responseCode = "429", description = "The caller has the maximum of event streams open on this server")
    public Multi<OutboundSseEvent> stream(@PathParam("id") String id,
                                          @Parameter(description = "Send only the events after the one with this id")
                                          @HeaderParam(LAST_EVENT_ID) String lastEventId,
                                          @Context Sse sse) {
        access.requireRun(id);
        RunEvents.Cursor cursor = new RunEvents.Cursor(afterId(lastEventId));
        EventStreams.Permit permit = streams.open(access.caller().owner());
        AtomicLong lastWrite = new AtomicLong(System.nanoTime());
        return Multi.createBy().repeating()
                .uni(() -> Uni.createFrom().item(() -> events.next(id, cursor))
                        .runSubscriptionOn(Infrastructure.getDefaultWorkerPool()))
                .withDelay(pollInterval)
                // A batch that ends the run is sent whole; the one after it is empty and ends the stream.
                .until(batch -> batch.events().isEmpty() && batch.done())
                .onItem().transformToIterable(batch -> outbound(batch, cursor, lastWrite, sse))
                .onTermination().invoke(permit::close);
    }

    /** A batch's events as SSE events; a comment instead when the stream has been silent for {@link #keepAlive}. */
    private List<OutboundSseEvent> outbound(RunEvents.Batch batch, RunEvents.Cursor cursor, AtomicLong lastWrite,
                                            Sse sse) {
        if (!batch.events().isEmpty()) {
            lastWrite.set(System.nanoTime());
            cursor.sent(batch.events().getLast().id());
            return batch.events().stream().map(event -> sse.newEventBuilder().id(Long.toString(event.id()))
                    .name(event.type()).data(json(event.data())).build()).toList();
        }
        if (System.nanoTime() - lastWrite.get() >= keepAlive.toNanos()) {
            lastWrite.set(System.nanoTime());
            return List.of(sse.newEventBuilder().comment("keep-alive").build());
        }
        return List.of();
    }

    private static long afterId(String lastEventId) {
        if (lastEventId == null || lastEventId.isBlank()) {
            return 0;
        }
        try {
            long id = Long.parseLong(lastEventId.strip());
            if (id >= 0) {
                return id;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new InvalidLastEventIdException();
    }

    private String json(Object data) {
        try {
            return mapper.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode an event", e);
        }
    }

    static class InvalidLastEventIdException extends RuntimeException {
    }

    @ServerExceptionMapper
    public Response invalidLastEventId(InvalidLastEventIdException e) {
        return ErrorMappers.badRequest("invalid request",
                List.of(new FieldError("header." + LAST_EVENT_ID, "must be the id of an event: an integer, 0 or more")));
    }

    @ServerExceptionMapper
    public Response tooManyStreams(EventStreams.TooManyStreamsException e) {
        return Response.status(429).header("Retry-After", 10)
                .entity(new ErrorMappers.ErrorBody(e.getMessage(), List.of())).type(MediaType.APPLICATION_JSON).build();
    }
}
