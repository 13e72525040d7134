package ai.maspo.orchestrator.dataset;

import ai.maspo.orchestrator.domain.Limits;
import jakarta.validation.constraints.Size;

/**
 * Which source fields the {@code generic} format reads. Only {@code text} is required; each other entry
 * names a field of the source rows (dotted paths are not supported).
 *
 * @param id          unique id per row (default: derived from the line number)
 * @param text        the question
 * @param reference   the labelled answer
 * @param options     answer options, a list or a string, appended to the question on separate lines
 * @param tests       Python test statements (a list, or one string) for code tasks
 * @param testImports statements run before the candidate code (a list, or one string)
 * @param entryPoint  the function under test
 * @param stub        code the candidate completes (prepended when the candidate omits the function)
 */
public record FieldMapping(@Size(max = Limits.NAME) String id, @Size(max = Limits.NAME) String text,
                           @Size(max = Limits.NAME) String reference, @Size(max = Limits.NAME) String options,
                           @Size(max = Limits.NAME) String tests, @Size(max = Limits.NAME) String testImports,
                           @Size(max = Limits.NAME) String entryPoint, @Size(max = Limits.NAME) String stub) {
}
