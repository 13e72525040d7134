package ai.maspo.protocol;

/**
 * One question of a run. {@code reference} is the labelled answer (test set only; null in the
 * optimization pool, which needs no labels).
 */
public record Question(String id, String text, String reference) {
}
