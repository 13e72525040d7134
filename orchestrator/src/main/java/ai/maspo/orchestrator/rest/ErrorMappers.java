package ai.maspo.orchestrator.rest;

import ai.maspo.orchestrator.domain.InvalidRunSpecException;
import ai.maspo.orchestrator.search.FieldError;
import ai.maspo.orchestrator.service.RunNotCancellableException;
import ai.maspo.orchestrator.service.RunNotFoundException;
import ai.maspo.protocol.TransientFailures;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import jakarta.persistence.PersistenceException;
import io.quarkus.hibernate.validator.runtime.jaxrs.ResteasyReactiveViolationException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Path;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.Comparator;
import java.util.List;

/**
 * Errors as JSON a client can act on: what is wrong and, for bad input, which field (as a JSON path). No body
 * carries a Java type name or a stack trace.
 */
public class ErrorMappers {

    private static final Logger LOG = Logger.getLogger(ErrorMappers.class);
    /** Seconds a client should wait before retrying while the database is unreachable. */
    static final int RETRY_AFTER_SECONDS = 5;

    /** The body of the API's refusals (400, 404, 409) and failures (5xx). */
    @Schema(description = "What went wrong; for bad input, every violation names its field: a JSON path into the "
            + "body, or path.<name> / query.<name> for a parameter (empty for errors that are not about a field)",
            example = "{\"error\": \"invalid request\", \"violations\": [{\"field\": \"query.size\", "
                    + "\"message\": \"must be an integer from 1 to 100\"}]}")
    public record ErrorBody(String error, List<FieldError> violations) {
    }

    static Response badRequest(String error, List<FieldError> violations) {
        return Response.status(400).entity(new ErrorBody(error, violations)).type(MediaType.APPLICATION_JSON).build();
    }

    @ServerExceptionMapper
    public Response invalidSpec(InvalidRunSpecException e) {
        return badRequest("invalid run spec", e.errors());
    }

    /** A value of the wrong type or an unknown field; declared so it wins over Quarkus' built-in mapper. */
    @ServerExceptionMapper
    public Response mismatched(MismatchedInputException e) {
        return unreadable(e);
    }

    @ServerExceptionMapper
    public Response unreadable(JsonProcessingException e) {
        return badRequest("unreadable request body", List.of(JsonProblems.describe(e)));
    }

    /** The JSON reader reports unparseable bodies wrapped in a bare 400: give them the same explanation. */
    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        return e.getCause() instanceof JsonProcessingException cause ? unreadable(cause) : e.getResponse();
    }

    /** Bounds of the request records ({@code @Valid} bodies); the specific type so it wins over the built-in mapper. */
    @ServerExceptionMapper
    public Response violated(ResteasyReactiveViolationException e) {
        return constraints(e);
    }

    @ServerExceptionMapper
    public Response constraints(ConstraintViolationException e) {
        return badRequest("invalid request", e.getConstraintViolations().stream()
                .map(v -> new FieldError(jsonPath(v), v.getMessage()))
                .sorted(Comparator.comparing(FieldError::field)).toList());
    }

    @ServerExceptionMapper
    public Response invalidParameters(InvalidParametersException e) {
        return badRequest("invalid request", e.errors());
    }

    @ServerExceptionMapper
    public Response notFound(RunNotFoundException e) {
        return Response.status(404).entity(new ErrorBody(e.getMessage(), List.of())).type(MediaType.APPLICATION_JSON).build();
    }

    /** The run's state forbids the request (cancel of a completed run): 409, the body says which state. */
    @ServerExceptionMapper
    public Response conflict(RunNotCancellableException e) {
        return Response.status(409).entity(new ErrorBody(e.getMessage(), List.of())).type(MediaType.APPLICATION_JSON).build();
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

    /** The property path below the validated body parameter, spelled like the JSON: {@code data.pool[3].text}. */
    private static String jsonPath(ConstraintViolation<?> violation) {
        StringBuilder path = new StringBuilder();
        for (Path.Node node : violation.getPropertyPath()) {
            switch (node.getKind()) {
                case PROPERTY, BEAN -> {
                    appendIndex(path, node);
                    if (node.getName() != null) {
                        path.append('.').append(node.getName());
                    }
                }
                case CONTAINER_ELEMENT -> appendIndex(path, node);
                default -> {
                    // the method and its body parameter are the root of the JSON
                }
            }
        }
        return path.toString().replaceFirst("^\\.", "");
    }

    private static void appendIndex(StringBuilder path, Path.Node node) {
        if (!node.isInIterable()) {
            return;
        }
        if (node.getIndex() != null) {
            path.append('[').append(node.getIndex()).append(']');
        } else if (node.getKey() != null) {
            path.append('.').append(node.getKey());
        }
    }
}
