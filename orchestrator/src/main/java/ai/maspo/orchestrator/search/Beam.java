package ai.maspo.orchestrator.search;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Beam selection: the K best distinct prompts by J. */
public final class Beam {

    /** Highest J first; equal J by node id, which is derived from the search position, so the order is stable. */
    public static final Comparator<BeamNode> BEST_FIRST =
            Comparator.comparingDouble(BeamNode::score).reversed().thenComparing(BeamNode::id);

    /** Keeps, per distinct prompt, its best node, then the first {@code width} of those. */
    public static List<BeamNode> select(List<BeamNode> pool, int width) {
        List<BeamNode> sorted = new ArrayList<>(pool);
        sorted.sort(BEST_FIRST);
        Set<String> prompts = new HashSet<>();
        List<BeamNode> beam = new ArrayList<>();
        for (BeamNode node : sorted) {
            if (beam.size() < width && prompts.add(node.prompt())) {
                beam.add(node);
            }
        }
        return List.copyOf(beam);
    }

    private Beam() {
    }
}
