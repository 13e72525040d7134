package ai.maspo.sampler.domain;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Composes one misalignment-aware mini-batch: up to {@code min(maxInjected, size / 2)} questions from the
 * misalignment memory (most telling first, newest layer first, then by id, so the choice is reproducible),
 * then questions drawn at random from the rest of the pool without replacement. The draw depends only on the
 * seed and the inputs, never on the order rows came out of the database.
 */
public final class MinibatchComposer {

    private MinibatchComposer() {
    }

    public static Draw compose(List<String> poolIds, List<MemoryCase> memory, int size, int maxInjected, long seed) {
        if (size > poolIds.size()) {
            throw new IllegalArgumentException("mini-batch of " + size + " from a pool of " + poolIds.size());
        }
        Set<String> pool = new LinkedHashSet<>(poolIds);
        int injectable = Math.min(maxInjected, size / 2);
        Set<String> chosen = new LinkedHashSet<>();
        memory.stream()
                .sorted(Comparator.comparingInt(MemoryCase::priority)
                        .thenComparing(Comparator.comparingInt(MemoryCase::layer).reversed())
                        .thenComparing(MemoryCase::questionId))
                .map(MemoryCase::questionId)
                .filter(pool::contains)
                .distinct()
                .limit(injectable)
                .forEach(chosen::add);
        List<String> injected = List.copyOf(chosen);

        List<String> rest = new ArrayList<>(pool);
        rest.removeAll(chosen);
        rest.sort(Comparator.naturalOrder());
        SplittableRandom random = new SplittableRandom(seed);
        // Partial Fisher–Yates: the first k positions become a uniform sample without replacement.
        int needed = size - chosen.size();
        for (int i = 0; i < needed; i++) {
            int j = i + random.nextInt(rest.size() - i);
            String tmp = rest.get(i);
            rest.set(i, rest.get(j));
            rest.set(j, tmp);
            chosen.add(rest.get(i));
        }
        return new Draw(List.copyOf(chosen), injected);
    }
}
