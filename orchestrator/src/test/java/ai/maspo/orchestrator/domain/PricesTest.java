package ai.maspo.orchestrator.domain;

import ai.maspo.orchestrator.search.Strategy;
import ai.maspo.protocol.ModelRole;
import ai.maspo.protocol.ModelRoles;
import ai.maspo.protocol.ModelSettings;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Dollars from tokens, and which price a role of a run is charged at. */
class PricesTest {

    private static final TokenPrice MINI = new TokenPrice(new BigDecimal("0.15"), new BigDecimal("0.075"),
            new BigDecimal("0.60"));

    @Test
    void cachedPromptTokensArePricedApartFromTheRestOfThePrompt() {
        // 30,750 uncached x 0.15 + 20,480 cached x 0.075 + 12,408 completion x 0.60, per million
        assertThat(MINI.cost(51_230, 20_480, 12_408)).isEqualByComparingTo("0.013593");
        assertThat(MINI.cost(1_000_000, 0, 0)).isEqualByComparingTo("0.15");
        assertThat(MINI.cost(0, 0, 1_000_000)).isEqualByComparingTo("0.60");
        assertThat(MINI.cost(1_000_000, 1_000_000, 0)).isEqualByComparingTo("0.075");
        assertThat(MINI.cost(0, 0, 0)).isEqualByComparingTo("0");
        // A report claiming more cached tokens than prompt tokens is not a discount below the cached price.
        assertThat(MINI.cost(100, 500, 0)).isEqualByComparingTo(MINI.cost(100, 100, 0));
    }

    @Test
    void aSpecPriceWithoutACachedRateChargesCachedTokensAsInput() {
        TokenPrice price = TokenPrice.of(new RunSpec.Price(new BigDecimal("2"), new BigDecimal("8"), null));
        assertThat(price.cost(1_000_000, 400_000, 0)).isEqualByComparingTo("2");
    }

    @Test
    void theRolesOwnPriceThenTheAgentsForTheSameModelThenTheServerTable() {
        Prices prices = new Prices(Map.of("gpt-4o-mini", MINI, "o3-mini", new TokenPrice(BigDecimal.ONE,
                BigDecimal.ONE, BigDecimal.TEN)));
        RunSpec.Price own = new RunSpec.Price(new BigDecimal("3"), new BigDecimal("4"), new BigDecimal("1"));

        ValidRun tableOnly = run(spec("gpt-4o-mini", null), null, spec("o3-mini", null), null);
        assertThat(prices.of(tableOnly, ModelRole.AGENT)).contains(MINI);
        assertThat(prices.of(tableOnly, ModelRole.OPTIMIZER)).contains(MINI);
        assertThat(prices.of(tableOnly, ModelRole.JUDGE).orElseThrow().outputPerMillion()).isEqualByComparingTo("10");

        ValidRun agentPriced = run(spec("gpt-4o-mini", own), null, spec("o3-mini", null), null);
        assertThat(prices.of(agentPriced, ModelRole.AGENT)).contains(TokenPrice.of(own));
        assertThat(prices.of(agentPriced, ModelRole.OPTIMIZER)).as("same model as the agent").contains(TokenPrice.of(own));
        assertThat(prices.of(agentPriced, ModelRole.JUDGE)).as("another model: the table").isPresent()
                .get().isNotEqualTo(TokenPrice.of(own));

        ValidRun unknown = run(spec("my-finetune", null), null, null, null);
        assertThat(prices.of(unknown, ModelRole.AGENT)).isEmpty();
    }

    @Test
    void aMoneyBudgetNeedsAPriceForEveryRole() {
        Prices prices = new Prices(Map.of("gpt-4o-mini", MINI));
        RunSpec.Budget budget = new RunSpec.Budget(null, null, null, BigDecimal.TEN);
        prices.checkBudget(run(spec("gpt-4o-mini", null), null, null, budget));

        assertThatThrownBy(() -> prices.checkBudget(run(spec("gpt-4o-mini", null), spec("local-llama", null), null,
                budget)))
                .isInstanceOfSatisfying(InvalidRunSpecException.class, e -> assertThat(e.errors()).singleElement()
                        .satisfies(error -> {
                            assertThat(error.field()).isEqualTo("budget.maxCostUsd");
                            assertThat(error.message()).contains("'local-llama' (role optimizer)");
                        }));
        // Without a money budget, an unknown price only leaves the cost in money unknown.
        prices.checkBudget(run(spec("local-llama", null), null, null, null));
    }

    private static RunSpec.ModelSpec spec(String model, RunSpec.Price price) {
        return new RunSpec.ModelSpec(model, null, null, null, null, null, null, null, price);
    }

    /** The parts of a validated run that pricing reads: the spec's model roles and the resolved models. */
    private static ValidRun run(RunSpec.ModelSpec agent, RunSpec.ModelSpec optimizer, RunSpec.ModelSpec judge,
                                RunSpec.Budget budget) {
        RunSpec spec = new RunSpec("t", null, null, null, new RunSpec.Models(agent, optimizer, judge), null, budget);
        ModelRoles models = new ModelRoles(new ModelSettings(agent.model(), 0),
                new ModelSettings(optimizer == null ? agent.model() : optimizer.model(), 0.7),
                new ModelSettings(judge == null ? agent.model() : judge.model(), 0));
        return new ValidRun(spec, null, models, Map.of(), null, null, Strategy.MASPO, null, null);
    }
}
