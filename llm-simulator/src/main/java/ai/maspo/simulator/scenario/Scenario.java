package ai.maspo.simulator.scenario;

import static ai.maspo.simulator.scenario.Checks.require;

import java.util.HashSet;
import java.util.List;

/**
 * A hidden world: how questions are generated and how agents, compressions, judges and optimizers behave, and (style,
 * optional) how their replies are worded.
 */
public record Scenario(String name, String description, long seed, ItemSpec items, AgentParams agent,
                       CompressionParams compression, JudgeParams judge, ProposalParams proposal,
                       List<Skill> skills, StyleParams style) {

    public Scenario {
        require(name != null && name.matches("[A-Za-z0-9._-]+"), "scenario name must match [A-Za-z0-9._-]+");
        require(items != null && agent != null && compression != null && judge != null && proposal != null,
                "scenario " + name + ": items, agent, compression, judge and proposal are required");
        skills = skills == null ? List.of() : List.copyOf(skills);
        require(skills.stream().map(Skill::id).allMatch(new HashSet<>()::add), "scenario " + name + ": duplicate skill id");
        description = description == null ? "" : description;
        style = style == null ? StyleParams.DEFAULT : style;
    }

    public Skill skill(String id) {
        return skills.stream().filter(s -> s.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no skill " + id + " in " + name));
    }
}
