package ai.maspo.orchestrator.domain;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** US dollars per million tokens of one model: prompt tokens, prompt tokens from the provider's cache, completion. */
public record TokenPrice(BigDecimal inputPerMillion, BigDecimal cachedInputPerMillion, BigDecimal outputPerMillion) {

    private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);

    /** Dollars, to the millionth (below a token's price at any listed rate would be noise). */
    public BigDecimal cost(long promptTokens, long cachedPromptTokens, long completionTokens) {
        long cached = Math.min(Math.max(cachedPromptTokens, 0), promptTokens);
        BigDecimal perMillion = inputPerMillion.multiply(BigDecimal.valueOf(promptTokens - cached))
                .add(cachedInputPerMillion.multiply(BigDecimal.valueOf(cached)))
                .add(outputPerMillion.multiply(BigDecimal.valueOf(completionTokens)));
        return perMillion.divide(MILLION, 6, RoundingMode.HALF_UP);
    }

    /** A spec's own price; cached input costs as much as other input when it does not say. */
    public static TokenPrice of(RunSpec.Price price) {
        return new TokenPrice(price.inputPerMillion(), price.cachedInputPerMillion() == null ? price.inputPerMillion()
                : price.cachedInputPerMillion(), price.outputPerMillion());
    }
}
