package ai.maspo.simulator.server;

/** The simulator's token count: about one token per 4 characters, as for English text with OpenAI tokenizers. */
final class Tokens {

    private Tokens() {
    }

    static int count(String text) {
        return (text.length() + 3) / 4;
    }
}
