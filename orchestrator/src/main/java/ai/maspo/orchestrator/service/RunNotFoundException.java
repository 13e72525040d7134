package ai.maspo.orchestrator.service;

public class RunNotFoundException extends RuntimeException {
    public RunNotFoundException(String id) {
        super("no run with id " + id);
    }
}
