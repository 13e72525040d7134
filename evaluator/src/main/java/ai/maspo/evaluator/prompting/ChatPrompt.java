package ai.maspo.evaluator.prompting;

import java.util.Objects;

/** The two messages of one chat-completion request: a system message and a user message. */
public record ChatPrompt(String system, String user) {
    public ChatPrompt {
        Objects.requireNonNull(system, "system");
        Objects.requireNonNull(user, "user");
    }
}
