package ai.maspo.orchestrator.domain;

import java.util.Optional;

/**
 * Text the system can store and pass on: no NUL (PostgreSQL text cannot hold it, and the services downstream would
 * dead-letter it) and no lone UTF-16 surrogate (not a character: it cannot be encoded as UTF-8 on the wire).
 */
public final class PlainText {

    private PlainText() {
    }

    /** @return why {@code text} is refused, empty when it is fine */
    public static Optional<String> problem(String text) {
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (ch == '\u0000') {
                return Optional.of("contains a NUL character (U+0000) at offset " + i);
            }
            if (Character.isHighSurrogate(ch) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(ch)) {
                return Optional.of(String.format("contains a lone surrogate (U+%04X) at offset %d", (int) ch, i));
            }
        }
        return Optional.empty();
    }
}
