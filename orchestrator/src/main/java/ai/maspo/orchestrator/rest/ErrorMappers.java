package ai.maspo.orchestrator.rest;

import ai.maspo.orchestrator.search.FieldError;
import ai.maspo.orchestrator.domain.InvalidRunSpecException;
import ai.maspo.orchestrator.service.RunNotFoundException;
import ai.maspo.protocol.TransientFailures;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import jakarta.persistence.PersistenceException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.List;
import java.util.stream.Collectors;

/** Errors as JSON a client can act on: what is wrong and, for bad input, which field. */
public class ErrorMappers {

    private static final Logger LOG = Logger.getLogger(ErrorMappers.class);
    /** Seconds a client should wait before retrying while the database is unreachable. */
    static final int RETRY_AFTER_SECONDS = 5;

    public record ErrorBody(String error, List<FieldError> violations) {
    }

    @ServerExceptionMapper
    public Response invalidSpec(InvalidRunSpecException e) {
        return Response.status(400).entity(new ErrorBody("invalid run spec", e.errors())).type(MediaType.APPLICATION_JSON).build();
    }

    /** A value of the wrong type or an unknown field; declared so it wins over Quarkus' built-in mapper. */
    @ServerExceptionMapper
    public Response mismatched(MismatchedInputException e) {
        return unreadable(e);
    }

    /** Malformed JSON or a value of the wrong type: name the JSON path Jackson stopped at. */
    @ServerExceptionMapper
    public Response unreadable(JsonProcessingException e) {
        String field = e instanceof JsonMappingException m ? m.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[") : "";
        return Response.status(400).entity(new ErrorBody("unreadable request body",
                List.of(new FieldError(field, e.getOriginalMessage())))).type(MediaType.APPLICATION_JSON).build();
    }

    /** The JSON reader reports unparseable bodies wrapped in a bare 400: give them the same explanation. */
    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        return e.getCause() instanceof JsonProcessingException cause ? unreadable(cause) : e.getResponse();
    }

    @ServerExceptionMapper
    public Response notFound(RunNotFoundException e) {
        return Response.status(404).entity(new ErrorBody(e.getMessage(), List.of())).type(MediaType.APPLICATION_JSON).build();
    }

    /**
     * The database briefly unreachable (an outage, a restart, the pool exhausted) is the service being unavailable,
     * not a server bug: 503 with Retry-After, so clients and load balancers wait and try again.
     */
    @ServerExceptionMapper
    public Response persistence(PersistenceException e) {
        if (TransientFailures.isTransient(e)) {
            LOG.warnf("database unavailable: %s", e.getMessage());
            return Response.status(503).header("Retry-After", RETRY_AFTER_SECONDS)
                    .entity(new ErrorBody("database unavailable, retry later", List.of()))
                    .type(MediaType.APPLICATION_JSON).build();
        }
        LOG.error("persistence failure", e);
        return Response.status(500).entity(new ErrorBody("internal error", List.of())).type(MediaType.APPLICATION_JSON)
                .build();
    }
}
