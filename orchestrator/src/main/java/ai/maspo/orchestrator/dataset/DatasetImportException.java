package ai.maspo.orchestrator.dataset;

/** Bad import input; answered with HTTP 400 naming the source, line and field. Nothing is stored. */
public class DatasetImportException extends RuntimeException {

    private final String source;
    private final Integer line;
    private final String field;
    private final String reason;

    public DatasetImportException(String source, Integer line, String field, String reason) {
        super(describe(source, line, field, reason));
        this.source = source;
        this.line = line;
        this.field = field;
        this.reason = reason;
    }

    /** a problem with a request field rather than a source line */
    public DatasetImportException(String field, String reason) {
        this(null, null, field, reason);
    }

    /** the same problem, attributed to a named source (e.g. "split.pool") */
    public DatasetImportException in(String sourceName) {
        return new DatasetImportException(sourceName, line, field, reason);
    }

    public String source() {
        return source;
    }

    public Integer line() {
        return line;
    }

    public String field() {
        return field;
    }

    public String reason() {
        return reason;
    }

    private static String describe(String source, Integer line, String field, String reason) {
        StringBuilder where = new StringBuilder();
        if (source != null) {
            where.append(source);
        }
        if (line != null) {
            where.append(where.isEmpty() ? "" : " ").append("line ").append(line);
        }
        if (field != null) {
            where.append(where.isEmpty() ? "" : " ").append("field '").append(field).append("'");
        }
        return where.isEmpty() ? reason : where + ": " + reason;
    }
}
