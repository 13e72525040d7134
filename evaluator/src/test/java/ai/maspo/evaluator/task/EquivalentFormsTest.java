package ai.maspo.evaluator.task;

import static org.assertj.core.api.Assertions.assertThat;

import ai.maspo.protocol.TaskDefinition;
import ai.maspo.protocol.TaskType;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The benchmark files' reference answers rewritten the way a model writes the same value (terms in another order,
 * {@code \sqrt{12}} for {@code 2\sqrt{3}}, a rationalized fraction turned back, a list in another order, {@code \pi}
 * moved out of a fraction), and near misses (a number off by one, a different root, a sign, a tuple reversed):
 * how many the normalizer alone accepts, how many the checker with the CAS accepts; no near miss may be accepted.
 */
class EquivalentFormsTest {

    private static final Duration BOUND = Duration.ofSeconds(20); // generous: the shared machine is loaded
    private static final TaskDefinition MATH = new TaskDefinition(TaskType.MATH, "boxed", "r", "exact");
    private static final Pattern K_SQRT = Pattern.compile("(?<![\\d^_{.])(\\d+)\\\\sqrt\\{(\\d+)}");
    private static final Pattern FRAC_SQRT = Pattern.compile("^\\\\d?frac\\{(\\d*)\\\\sqrt\\{(\\d+)}}\\{(\\d+)}$");
    private static final Pattern FRAC_START = Pattern.compile("^\\\\d?frac\\{");
    private static final Pattern FIRST_INTEGER = Pattern.compile("(?<![\\d.])(\\d+)(?![\\d.])");
    private static final Pattern SQRT_ARG = Pattern.compile("\\\\sqrt\\{(\\d+)}");

    private final AnswerChecker checker = new AnswerChecker(null, null, BOUND);

    private static final List<UnaryOperator<String>> EQUIVALENT = List.of(
            // the terms of a sum in reverse order: x^2-4x+3 → 3-4x+x^2
            r -> {
                if (r.contains("=") || r.contains(",") || r.contains("\\pm") || r.contains("\\text") || r.contains("\\begin")) {
                    return null;
                }
                List<String> terms = terms(r);
                if (terms.size() < 2) {
                    return null;
                }
                StringBuilder reversed = new StringBuilder();
                for (String term : terms.reversed()) {
                    reversed.append(term.startsWith("-") ? term : "+" + term);
                }
                return reversed.charAt(0) == '+' ? reversed.substring(1) : reversed.toString();
            },
            // a product in another order: 2\sqrt{3} → \sqrt{3}\cdot 2
            r -> {
                Matcher m = K_SQRT.matcher(r);
                return m.find() ? r.substring(0, m.start()) + "\\sqrt{" + m.group(2) + "}\\cdot " + m.group(1)
                        + r.substring(m.end()) : null;
            },
            // 2\sqrt{3} → \sqrt{12}
            r -> {
                Matcher m = K_SQRT.matcher(r);
                if (!m.find() || m.group(1).length() > 4 || m.group(2).length() > 6) {
                    return null;
                }
                long k = Long.parseLong(m.group(1));
                return r.substring(0, m.start()) + "\\sqrt{" + (k * k * Long.parseLong(m.group(2))) + "}" + r.substring(m.end());
            },
            // \frac{k\sqrt{m}}{n} → \frac{km}{n\sqrt{m}}
            r -> {
                Matcher m = FRAC_SQRT.matcher(r);
                if (!m.matches()) {
                    return null;
                }
                long k = m.group(1).isEmpty() ? 1 : Long.parseLong(m.group(1));
                return "\\frac{" + k * Long.parseLong(m.group(2)) + "}{" + m.group(3) + "\\sqrt{" + m.group(2) + "}}";
            },
            // a fraction's non-numeric factor moved out: \frac{3\pi}{4} → \frac{3}{4}\pi, \frac{\sqrt{3}}{2} → \frac{1}{2}\sqrt{3}
            r -> {
                Matcher m = FRAC_START.matcher(r);
                if (!m.find()) {
                    return null;
                }
                int close = closing(r, m.end() - 1);
                if (close < 0 || close + 1 >= r.length() || r.charAt(close + 1) != '{') {
                    return null;
                }
                int end = closing(r, close + 1);
                String numerator = r.substring(m.end(), close);
                String denominator = r.substring(close + 2, Math.max(close + 2, end));
                if (end != r.length() - 1 || !denominator.matches("\\d+") || numerator.matches("-?[\\d.]+")) {
                    return null;
                }
                if (numerator.matches(".*[+-].*")) {
                    return "\\frac{1}{" + denominator + "}(" + numerator + ")";
                }
                Matcher coefficient = Pattern.compile("^(\\d+)(\\D.*)$").matcher(numerator);
                return coefficient.matches() ? "\\frac{" + coefficient.group(1) + "}{" + denominator + "}" + coefficient.group(2)
                        : "\\frac{1}{" + denominator + "}" + numerator;
            },
            // an unordered list or set in reverse order
            r -> {
                boolean set = r.startsWith("\\{") && r.endsWith("\\}");
                String inner = set ? r.substring(2, r.length() - 2) : r;
                if (!set && (r.startsWith("(") || r.startsWith("[") || r.startsWith("\\left"))) {
                    return null;
                }
                List<String> parts = topLevel(inner);
                if (parts.size() < 2 || parts.stream().distinct().count() < parts.size()
                        || parts.stream().anyMatch(p -> p.strip().matches("(?:\\\\!)?\\d{3}"))) { // 1,000 is a number
                    return null;
                }
                List<String> reversed = new ArrayList<>(parts).reversed();
                String joined = String.join(", ", reversed.stream().map(String::strip).toList());
                return set ? "\\{" + joined + "\\}" : joined;
            });

    private static final List<UnaryOperator<String>> NEAR_MISSES = List.of(
            r -> {
                Matcher m = FIRST_INTEGER.matcher(r);
                return m.find() && m.group(1).length() < 9
                        ? r.substring(0, m.start()) + (Long.parseLong(m.group(1)) + 1) + r.substring(m.end()) : null;
            },
            r -> {
                Matcher m = SQRT_ARG.matcher(r);
                return m.find() && m.group(1).length() < 9
                        ? r.substring(0, m.start()) + "\\sqrt{" + (Long.parseLong(m.group(1)) + 1) + "}" + r.substring(m.end()) : null;
            },
            r -> MathNormalizer.normalize(r).matches("-?0") || r.contains(",") || r.contains("\\text") ? null : "-(" + r + ")",
            r -> {
                if (!(r.startsWith("(") || r.startsWith("\\left(")) || !(r.endsWith(")") || r.endsWith("\\right)"))) {
                    return null;
                }
                String inner = r.replaceFirst("^\\\\left\\(|^\\(", "").replaceFirst("\\\\right\\)$|\\)$", "");
                List<String> parts = topLevel(inner);
                if (parts.size() != 2 || MathNormalizer.equivalent(parts.get(0), parts.get(1))) {
                    return null;
                }
                return "(" + parts.get(1).strip() + ", " + parts.get(0).strip() + ")";
            });

    @Test
    void math500() {
        measure("MATH-500", SharedDatasets.rows("math-500/math_500.jsonl"));
    }

    @Test
    void agievalMath() {
        measure("AGIEval-MATH", SharedDatasets.rows("AGIEval_MATH/test.jsonl"));
    }

    private void measure(String name, List<JsonNode> rows) {
        int forms = 0;
        int before = 0;
        int after = 0;
        int misses = 0;
        List<String> missesAccepted = new ArrayList<>();
        List<String> formsRefused = new ArrayList<>();
        for (JsonNode row : rows) {
            String reference = row.get("answer").asText().strip();
            for (UnaryOperator<String> rewrite : EQUIVALENT) {
                String form = rewrite.apply(reference);
                if (form == null || form.equals(reference)) {
                    continue;
                }
                forms++;
                if (MathNormalizer.equivalent(form, reference)) {
                    before++;
                }
                if (accepted(form, reference)) {
                    after++;
                } else {
                    formsRefused.add(form + "  vs  " + reference);
                }
            }
            for (UnaryOperator<String> miss : NEAR_MISSES) {
                String wrong = miss.apply(reference);
                if (wrong == null) {
                    continue;
                }
                misses++;
                if (accepted(wrong, reference)) {
                    missesAccepted.add(wrong + "  vs  " + reference);
                }
            }
        }
        System.out.printf("%s: %d equivalent forms, accepted %d before (normalizer) and %d after (CAS); "
                + "%d near misses, %d accepted%n", name, forms, before, after, misses, missesAccepted.size());
        formsRefused.stream().limit(15).forEach(f -> System.out.println("  form refused: " + f));
        missesAccepted.forEach(f -> System.out.println("  near miss accepted: " + f));
        assertThat(missesAccepted).as("near misses accepted").isEmpty();
        assertThat(after).as("forms accepted with the CAS").isGreaterThanOrEqualTo(before)
                .isGreaterThanOrEqualTo((int) (0.9 * forms));
    }

    private boolean accepted(String answer, String reference) {
        return checker.check(MATH, "q", "\\boxed{" + answer + "}", reference, Optional.empty()).correct();
    }

    /** The index of the brace closing the one at {@code open}, or -1. */
    private static int closing(String t, int open) {
        int depth = 0;
        for (int i = open; i < t.length(); i++) {
            if (t.charAt(i) == '{') {
                depth++;
            } else if (t.charAt(i) == '}' && --depth == 0) {
                return i;
            }
        }
        return -1;
    }

    /** The signed terms of a sum at the top level ("-" kept on its term), one term when it is not a sum. */
    private static List<String> terms(String t) {
        int[] depth = LatexMath.depths(t);
        List<String> terms = new ArrayList<>();
        int start = 0;
        for (int i = 1; i < t.length(); i++) {
            char c = t.charAt(i);
            if ((c == '+' || c == '-') && depth[i] == 0 && t.charAt(i - 1) != '^' && t.charAt(i - 1) != '\\') {
                terms.add(t.substring(start, i).strip());
                start = c == '+' ? i + 1 : i;
            }
        }
        terms.add(t.substring(start).strip());
        return terms.stream().filter(x -> !x.isEmpty()).toList();
    }

    private static List<String> topLevel(String t) {
        return LatexMath.splitTopLevel(t);
    }
}
