package ai.maspo.orchestrator.service;

import java.util.List;

/** One page of the run list, with what a client needs to ask for the others. */
public record RunPage(List<RunView> items, int page, int size, long totalItems, long totalPages) {
}
