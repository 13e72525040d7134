package ai.maspo.orchestrator.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithParentName;
import jakarta.validation.constraints.DecimalMin;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Optional;

/**
 * What models cost, in US dollars per million tokens, by model name as runs name it, e.g.
 * {@code maspo.prices."gpt-4o-mini".input-per-million=0.15}. A model that is not listed has no known price: its cost
 * in money is reported as unknown, never as 0 (a run spec may give its own price per role).
 */
@ConfigMapping(prefix = "maspo.prices")
public interface PriceTable {

    @WithParentName
    Map<String, ModelPrice> models();

    interface ModelPrice {
        @DecimalMin("0")
        BigDecimal inputPerMillion();

        @DecimalMin("0")
        BigDecimal outputPerMillion();

        /** Prompt tokens served from the provider's prompt cache; priced as other input when absent. */
        Optional<@DecimalMin("0") BigDecimal> cachedInputPerMillion();
    }
}
