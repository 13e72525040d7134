package ai.maspo.simulator.scenario;

/** One generated question. Its text starts with {@code #<id>} so it can be recognised inside any prompt. */
public record Item(String id, String question, String answer, int difficulty, ItemKind kind) {

    public String tag() {
        return "#" + id;
    }
}
