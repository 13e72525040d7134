package ai.maspo.sampler.domain;

import java.util.List;

/** The question ids of one mini-batch, in order; {@code injected} ones came from misalignment memory. */
public record Draw(List<String> questionIds, List<String> injected) {
}
