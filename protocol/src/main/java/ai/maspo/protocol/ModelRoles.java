package ai.maspo.protocol;

/** The three model roles of a run: backbone agents, optimizer (proposals) and pairwise judge. */
public record ModelRoles(ModelEndpoint agent, ModelEndpoint optimizer, ModelEndpoint judge) {
}
