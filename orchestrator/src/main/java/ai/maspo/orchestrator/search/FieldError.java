package ai.maspo.orchestrator.search;

/** One invalid setting: the field's name as the run spec spells it, and why it is refused. */
public record FieldError(String field, String message) {
}
