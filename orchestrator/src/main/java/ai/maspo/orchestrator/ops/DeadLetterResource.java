package ai.maspo.orchestrator.ops;

import ai.maspo.orchestrator.rest.ErrorMappers.ErrorBody;
import ai.maspo.orchestrator.search.FieldError;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Operator access to the dead-letter topics of all services: which exist and how many records each holds, their
 * records with the reason SmallRye recorded (headers {@code dead-letter-reason}, {@code dead-letter-cause}, ...),
 * and replay to the original topic. Under {@code /api/v1/admin}: for the admin role only.
 */
@Path("/api/v1/admin/dlq")
@Produces(MediaType.APPLICATION_JSON)
public class DeadLetterResource {

    private static final Pattern TOPIC = Pattern.compile("[A-Za-z0-9._-]{1,245}\\.dlq");
    static final int DEFAULT_LIMIT = 50;
    /** A corrected payload may not be larger than this (Kafka's default message size is 1 MB). */
    static final int MAX_PAYLOAD = 1_000_000;

    private final DeadLetterArchive deadLetters;

    DeadLetterResource(DeadLetterArchive deadLetters) {
        this.deadLetters = deadLetters;
    }

    /**
     * What to replay: {@code all}, or the records at the given partitions and offsets, each optionally with a
     * corrected {@code payload} that replaces the dead-lettered one.
     */
    public record ReplayRequest(Boolean all, List<Selected> records) {
    }

    public record Selected(Integer partition, Long offset, String payload) {
    }

    @GET
    public List<DeadLetterArchive.TopicSummary> topics() {
        return deadLetters.topics();
    }

    @GET
    @Path("/{topic}")
    public DeadLetterArchive.Page records(@PathParam("topic") String topic, @QueryParam("partition") String partition,
                                    @QueryParam("offset") String offset, @QueryParam("limit") String limit) {
        validTopic(topic);
        Long partitionValue = number("partition", partition, 0, Integer.MAX_VALUE, null);
        long from = number("offset", offset, 0, Long.MAX_VALUE, 0L);
        long max = number("limit", limit, 1, DeadLetterArchive.MAX_LIST, (long) DEFAULT_LIMIT);
        return found(topic, deadLetters.list(topic, partitionValue == null ? null : partitionValue.intValue(), from,
                (int) max));
    }

    @POST
    @Path("/{topic}/replay")
    public DeadLetterArchive.Replayed replay(@PathParam("topic") String topic, ReplayRequest request) {
        validTopic(topic);
        if (request == null) {
            throw new InvalidOpsRequestException("records", "give \"all\": true or the records to replay");
        }
        boolean all = Boolean.TRUE.equals(request.all());
        if (all == (request.records() != null && !request.records().isEmpty())) {
            throw new InvalidOpsRequestException("records", "give either \"all\": true or a non-empty list of records");
        }
        if (all) {
            return found(topic, deadLetters.replayAll(topic));
        }
        if (request.records().size() > DeadLetterArchive.MAX_REPLAY) {
            throw new InvalidOpsRequestException("records", "at most " + DeadLetterArchive.MAX_REPLAY + " records per replay");
        }
        List<DeadLetterArchive.Selection> selections = new ArrayList<>();
        for (int i = 0; i < request.records().size(); i++) {
            Selected s = request.records().get(i);
            String at = "records[" + i + "]";
            if (s == null) {
                throw new InvalidOpsRequestException(at, "must not be null");
            }
            if (s.partition() == null || s.partition() < 0) {
                throw new InvalidOpsRequestException(at + ".partition", "a partition number (0 or more) is required");
            }
            if (s.offset() == null || s.offset() < 0) {
                throw new InvalidOpsRequestException(at + ".offset", "an offset (0 or more) is required");
            }
            if (s.payload() != null && (s.payload().isBlank() || s.payload().length() > MAX_PAYLOAD)) {
                throw new InvalidOpsRequestException(at + ".payload", "a corrected payload is non-blank and at most "
                        + MAX_PAYLOAD + " characters");
            }
            selections.add(new DeadLetterArchive.Selection(s.partition(), s.offset(), s.payload()));
        }
        return found(topic, deadLetters.replay(topic, selections));
    }

    @ServerExceptionMapper
    public Response invalid(InvalidOpsRequestException e) {
        return Response.status(400).entity(new ErrorBody("invalid request", List.of(new FieldError(e.field(),
                e.getMessage())))).type(MediaType.APPLICATION_JSON).build();
    }

    /** A topic the orchestrator's Kafka user may not read is not one of the platform's dead-letter topics. */
    @ServerExceptionMapper
    public Response notOurs(org.apache.kafka.common.errors.TopicAuthorizationException e) {
        return Response.status(404).entity(new ErrorBody("no such dead-letter topic", List.of()))
                .type(MediaType.APPLICATION_JSON).build();
    }

    private static void validTopic(String topic) {
        if (!TOPIC.matcher(topic).matches()) {
            throw new InvalidOpsRequestException("topic", "a dead-letter topic name ends with " + DeadLetterArchive.SUFFIX
                    + " and has only letters, digits, '.', '_' and '-'");
        }
    }

    private static <T> T found(String topic, Optional<T> result) {
        return result.orElseThrow(() -> new jakarta.ws.rs.NotFoundException("no topic " + topic));
    }

    private static Long number(String field, String raw, long min, long max, Long absent) {
        if (raw == null || raw.isEmpty()) {
            return absent;
        }
        try {
            long value = Long.parseLong(raw);
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below, with the range
        }
        throw new InvalidOpsRequestException(field, "an integer from " + min + " to " + max);
    }
}
