package ai.maspo.simulator.world;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RequestClassifierTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            <output_a>x</output_a> <output_b>y</output_b> Choose one: <choose>A</choose>      | PAIRWISE_JUDGE
            Output A: x\\nOutput B: y\\nWhich is better? Answer A or B.                         | PAIRWISE_JUDGE
            Answer A: x\\nAnswer B: y\\nWhich answer do you prefer?                            | PAIRWISE_JUDGE
            # A\\nx\\n# B\\ny\\nSelect the better output.                                       | PAIRWISE_JUDGE
            Output A: x\\nOutput B: y                                                       | AGENT
            Reference answer: 4\\nResponse: The answer is 4.\\nReply True or False.          | CORRECTNESS_JUDGE
            The correct answer is 4. Is the response right? Answer true or false.           | CORRECTNESS_JUDGE
            <current_prompt>{question}</current_prompt> Give the new prompt in <prompt></prompt>. | PROPOSAL
            Reference prompt:\\n```\\n{question}\\n```\\nWrite <prompt>...</prompt>              | PROPOSAL
            Summarize the following output in at most 30 words.\\nThe answer is 3.          | COMPRESSION
            Please summarise this in at most 12 words: Step 1: x                            | COMPRESSION
            Question: #q0001 Compute 1 + 2.                                                 | AGENT
            Summarize the question.                                                         | AGENT
            """)
    void classifiesTheRequestFormats(String text, RequestClass expected) {
        assertThat(RequestClassifier.classify(text.replace("\\n", "\n"))).isEqualTo(expected);
    }
}
