package ai.maspo.orchestrator.domain;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The agent graph of a multi-agent system: predecessors, successors, topological levels (Kahn), the terminal.
 * Construction does not validate; {@link #unplaceable()} and {@link #terminals()} tell what is wrong.
 */
public final class MasGraph {

    private final List<String> agents;
    private final Map<String, Set<String>> predecessors = new LinkedHashMap<>();
    private final Map<String, Set<String>> successors = new LinkedHashMap<>();

    public MasGraph(List<String> agents, Collection<Map.Entry<String, String>> edges) {
        this.agents = List.copyOf(agents);
        for (String a : agents) {
            predecessors.put(a, new LinkedHashSet<>());
            successors.put(a, new LinkedHashSet<>());
        }
        for (Map.Entry<String, String> e : edges) {
            successors.get(e.getKey()).add(e.getValue());
            predecessors.get(e.getValue()).add(e.getKey());
        }
    }

    public List<String> agents() {
        return agents;
    }

    public Set<String> predecessors(String agent) {
        return predecessors.get(agent);
    }

    public Set<String> successors(String agent) {
        return successors.get(agent);
    }

    public List<String> terminals() {
        return agents.stream().filter(a -> successors.get(a).isEmpty()).toList();
    }

    /** Levels in topological order, agents of one level in declaration order; empty if the graph has a cycle. */
    public Optional<List<List<String>>> levels() {
        List<List<String>> levels = kahnLevels();
        return levels.stream().mapToInt(List::size).sum() == agents.size() ? Optional.of(levels) : Optional.empty();
    }

    /** The agents a topological sort cannot place: those on or behind a cycle, in declaration order. */
    public List<String> unplaceable() {
        Set<String> placed = new LinkedHashSet<>();
        kahnLevels().forEach(placed::addAll);
        return agents.stream().filter(a -> !placed.contains(a)).toList();
    }

    private List<List<String>> kahnLevels() {
        Map<String, Integer> indegree = new LinkedHashMap<>();
        agents.forEach(a -> indegree.put(a, predecessors.get(a).size()));
        List<List<String>> levels = new ArrayList<>();
        List<String> current = agents.stream().filter(a -> indegree.get(a) == 0).toList();
        while (!current.isEmpty()) {
            levels.add(current);
            Set<String> next = new LinkedHashSet<>();
            for (String a : current) {
                for (String s : successors.get(a)) {
                    if (indegree.merge(s, -1, Integer::sum) == 0) {
                        next.add(s);
                    }
                }
            }
            current = agents.stream().filter(next::contains).toList();
        }
        return levels;
    }
}
