package ai.maspo.orchestrator.domain;

import ai.maspo.orchestrator.search.FieldError;
import java.util.List;

public class InvalidRunSpecException extends RuntimeException {

    private final List<FieldError> errors;

    public InvalidRunSpecException(List<FieldError> errors) {
        super(errors.isEmpty() ? "invalid run spec" : errors.getFirst().field() + ": " + errors.getFirst().message());
        this.errors = List.copyOf(errors);
    }

    public List<FieldError> errors() {
        return errors;
    }
}
