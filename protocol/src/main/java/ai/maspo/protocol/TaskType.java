package ai.maspo.protocol;

public enum TaskType {
    MATH, CHOICE, CODE, OPEN
}
