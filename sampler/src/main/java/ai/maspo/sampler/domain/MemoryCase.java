package ai.maspo.sampler.domain;

/** A misalignment case remembered for an agent; lower {@code priority} is more telling (both downstream checks lost). */
public record MemoryCase(String questionId, int priority, int layer) {
}
