package ai.maspo.orchestrator.rest;

import ai.maspo.orchestrator.search.FieldError;

import java.util.List;

/** Query parameters that cannot be used as given, each named {@code query.<name>}: answered 400. */
public class InvalidParametersException extends RuntimeException {

    private final List<FieldError> errors;

    public InvalidParametersException(List<FieldError> errors) {
        super(errors.toString());
        this.errors = List.copyOf(errors);
    }

    public List<FieldError> errors() {
        return errors;
    }
}
