package ai.maspo.protocol;

/** A directed edge of the agent DAG: {@code from}'s output becomes part of {@code to}'s context. */
public record Edge(String from, String to) {
}
