package ai.maspo.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;

import java.util.Comparator;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * JSON on the wire, the same way in every service: a message that does not parse or breaks the contract's
 * constraints is refused with a {@link MalformedMessageException} (consumers let it go to the dead-letter topic).
 */
public final class WireCodec {

    private final ObjectMapper mapper;
    private final Validator validator;

    public WireCodec(ObjectMapper mapper, Validator validator) {
        this.mapper = mapper;
        this.validator = validator;
    }

    public <T> T decode(String payload, Class<T> type) {
        if (payload == null || payload.isBlank()) {
            throw new MalformedMessageException("empty " + type.getSimpleName() + " message");
        }
        T message;
        try {
            message = mapper.readValue(payload, type);
        } catch (JsonProcessingException e) {
            throw new MalformedMessageException("not a valid " + type.getSimpleName() + ": " + e.getOriginalMessage());
        }
        Set<ConstraintViolation<T>> violations = validator.validate(message);
        if (!violations.isEmpty()) {
            throw new MalformedMessageException("invalid " + type.getSimpleName() + ": " + violations.stream()
                    .map(v -> v.getPropertyPath() + " " + v.getMessage())
                    .sorted(Comparator.naturalOrder())
                    .collect(Collectors.joining(", ")));
        }
        return message;
    }

    public String encode(Object message) {
        try {
            return mapper.writeValueAsString(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + message.getClass().getSimpleName(), e);
        }
    }

    /** A message that cannot be processed whatever the retry: it belongs on the dead-letter topic. */
    public static final class MalformedMessageException extends RuntimeException {
        public MalformedMessageException(String message) {
            super(message);
        }
    }
}
