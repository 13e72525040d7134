package ai.maspo.evaluator.prompting;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProposalParserTest {

    @Test
    void takesTheLastCompletePromptBlock() {
        String reply = "<analyse>The old <prompt>Solve {question}</prompt> was vague.</analyse>"
                + "<modification>Ask for steps.</modification>\n<prompt>\n  Solve {question} step by step.\n</prompt>";
        assertThat(ProposalParser.parse(reply)).contains("Solve {question} step by step.");
    }

    @Test
    void keepsMultiLinePromptsAndBraces() {
        String reply = "<prompt>Line one {question}\nUse \\frac{{1}}{{2}}.</prompt>";
        assertThat(ProposalParser.parse(reply)).contains("Line one {question}\nUse \\frac{{1}}{{2}}.");
    }

    @Test
    void emptyWhenMissingUnclosedOrBlank() {
        assertThat(ProposalParser.parse("<analyse>x</analyse>\nNew prompt:\nSolve {question}")).isEmpty();
        assertThat(ProposalParser.parse("<prompt>Solve {question} carefully")).isEmpty();
        assertThat(ProposalParser.parse("<prompt>  \n </prompt>")).isEmpty();
        assertThat(ProposalParser.parse(null)).isEmpty();
    }
}
