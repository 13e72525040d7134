package ai.maspo.evaluator.prompting;

/** Which output a pairwise comparison judges when the prompt of one agent changes. */
public enum ComparisonKind {
    /** The optimized agent's own output. */
    LOCAL,
    /** The output of an immediate successor that reads the optimized agent's output as context. */
    LOOKAHEAD,
    /** The terminal output of the whole system. */
    GLOBAL
}
