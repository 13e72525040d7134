package ai.maspo.evaluator.prompting;

/** The judge's pick between the output shown as A and the one shown as B. */
public enum Choice {
    A, B
}
