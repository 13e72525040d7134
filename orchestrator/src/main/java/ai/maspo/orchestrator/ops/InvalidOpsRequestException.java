package ai.maspo.orchestrator.ops;

/** An operator request with a bad field; answered with 400 naming it. */
public class InvalidOpsRequestException extends RuntimeException {

    private final String field;

    public InvalidOpsRequestException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
