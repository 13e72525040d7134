package ai.maspo.protocol;

public enum ModelRole {
    AGENT, OPTIMIZER, JUDGE
}
