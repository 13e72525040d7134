package ai.maspo.protocol;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;

import java.util.List;
import java.util.Map;

/**
 * Run the MAS with the given prompts (agent id → template) on the questions and return traces.
 * Questions that carry a reference are also checked, which is how test accuracy is measured.
 */
public record RunMasJob(@NotEmpty Map<String, String> prompts, @NotEmpty List<@Valid Question> questions)
        implements EvaluationJob {
}
