package ai.maspo.orchestrator.persistence;

/** Where a run is: searching for better prompts, measuring test accuracy of seed and best prompts, done. */
public enum RunPhase {
    SEARCHING, TESTING, DONE
}
