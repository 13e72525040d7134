package ai.maspo.evaluator.task;

import java.math.BigDecimal;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Brings a LaTeX math answer to a canonical string so that notational variants compare equal:
 * {@code \dfrac{1}{2}}, {@code \frac12} and {@code 1/2}; {@code \left( 3, \frac{\pi}{2} \right)} and
 * {@code (3,\pi/2)}; {@code 90^\circ} and {@code 90}; {@code 5\text{ cm}} and {@code 5};
 * {@code 1,000} and {@code 1000}; {@code 0.50}, {@code .5} and {@code 0.5}; {@code \$5} and {@code 5}.
 * Purely numeric answers are also compared by value ({@code 1/2} equals {@code 0.5}).
 */
public final class MathNormalizer {

    private static final Pattern TRAILING_TEXT_UNIT = Pattern.compile(
            "^(.*?\\S)\\s*\\\\(?:text|textrm|mbox|mathrm)\\s*\\{\\s*[a-zA-Z][^{}]*}(?:\\^\\{?\\d}?)?\\s*$");
    private static final Pattern TRAILING_WORD_UNIT = Pattern.compile(
            "^(-?[\\d.,]+(?:/[\\d.]+)?)\\s+[a-zA-Z]+(?:\\s+[a-zA-Z]+)?(?:\\^\\{?\\d}?)?$");
    private static final Pattern TEXT_WRAPPER = Pattern.compile("\\\\(?:text|textrm|textbf|mbox|mathrm|mathbf)\\s*\\{([^{}]*)}");
    private static final Pattern VARIABLE_ASSIGNMENT = Pattern.compile("^[a-zA-Z](?:_\\{?\\w+}?)?\\s*=\\s*(?!=)(.+)$");
    private static final Pattern WHOLE_NUMBER_WITH_THOUSANDS = Pattern.compile("^-?\\d{1,3}(?:,\\d{3})+(?:\\.\\d+)?$");
    private static final Pattern SHORT_FRAC = Pattern.compile("\\\\frac(\\d)(\\d)");
    private static final Pattern HALF_SHORT_FRAC = Pattern.compile("\\\\frac\\{([^{}]*)}(\\d)");
    private static final Pattern SIMPLE_FRAC = Pattern.compile("\\\\frac\\{([^{}]+)}\\{([^{}]+)}");
    private static final Pattern SHORT_SQRT = Pattern.compile("\\\\sqrt(\\d+|[a-zA-Z])");
    private static final Pattern NUMBER = Pattern.compile("(?<![\\w.\\\\])(\\d*\\.\\d+|\\d+)(?![\\w.])");
    private static final Pattern ATOM = Pattern.compile("-?(?:\\w+|\\\\[a-zA-Z]+)");
    private static final Pattern RATIONAL = Pattern.compile("^(-?)(\\d*\\.?\\d+)(?:/(\\d*\\.?\\d+))?$");

    private MathNormalizer() {
    }

    public static String normalize(String answer) {
        if (answer == null) {
            return "";
        }
        String s = answer.strip().replaceAll("\\s+", " ");
        s = stripMathDelimiters(s);
        s = s.replace("\\!", "").replace("\\,", " ").replace("\\;", " ").replace("\\:", " ").replace("\\ ", " ").replace("~", " ");
        s = s.replace("\\left.", "").replace("\\right.", "");
        s = s.replaceAll("\\\\left(?![a-zA-Z])", "").replaceAll("\\\\right(?![a-zA-Z])", "");
        s = s.replace("\\dfrac", "\\frac").replace("\\tfrac", "\\frac").replace("\\displaystyle", "");
        s = s.replaceAll("\\^\\s*\\{\\s*\\\\circ\\s*}", "").replaceAll("\\^\\s*\\\\circ", "").replace("°", "");
        s = s.replace("\\$", "").replace("$", "").replace("\\%", "").replace("%", "");
        s = s.replace("{,}", ",").strip();
        s = removeTrailingUnits(s);
        s = unwrapText(s).strip();
        s = s.replaceAll("\\s*(?:degrees?|percent)$", "").strip();
        Matcher assignment = VARIABLE_ASSIGNMENT.matcher(s);
        if (assignment.matches()) {
            s = assignment.group(1).strip();
        }
        s = s.replaceAll("[.。]$", "").strip();
        if (WHOLE_NUMBER_WITH_THOUSANDS.matcher(s).matches()) {
            s = s.replace(",", "");
        }
        s = s.replace(" ", "");
        s = SHORT_SQRT.matcher(s).replaceAll("\\\\sqrt{$1}");
        s = SHORT_FRAC.matcher(s).replaceAll("\\\\frac{$1}{$2}");
        s = HALF_SHORT_FRAC.matcher(s).replaceAll("\\\\frac{$1}{$2}");
        s = rewriteFractions(s);
        s = canonicalNumbers(s);
        return s;
    }

    /** True when both answers normalize to the same string or denote the same rational number. */
    public static boolean equivalent(String a, String b) {
        String na = normalize(a);
        String nb = normalize(b);
        if (na.isEmpty() || nb.isEmpty()) {
            return false;
        }
        if (na.equals(nb)) {
            return true;
        }
        Optional<BigDecimal[]> ra = rational(na);
        Optional<BigDecimal[]> rb = rational(nb);
        return ra.isPresent() && rb.isPresent()
                && ra.get()[0].multiply(rb.get()[1]).compareTo(rb.get()[0].multiply(ra.get()[1])) == 0;
    }

    /** True when both answers are plain rational numbers: {@link #equivalent} then settles them, no CAS can add to it. */
    static boolean bothRational(String a, String b) {
        return rational(normalize(a)).isPresent() && rational(normalize(b)).isPresent();
    }

    private static String stripMathDelimiters(String s) {
        String t = s;
        boolean changed = true;
        while (changed) {
            changed = false;
            for (String[] pair : new String[][] {{"$$", "$$"}, {"$", "$"}, {"\\(", "\\)"}, {"\\[", "\\]"}}) {
                if (t.length() >= pair[0].length() + pair[1].length() && t.startsWith(pair[0]) && t.endsWith(pair[1])) {
                    t = t.substring(pair[0].length(), t.length() - pair[1].length()).strip();
                    changed = true;
                }
            }
        }
        return t;
    }

    private static String removeTrailingUnits(String s) {
        String t = s;
        Matcher m = TRAILING_TEXT_UNIT.matcher(t);
        while (m.matches()) {
            t = m.group(1).strip();
            m = TRAILING_TEXT_UNIT.matcher(t);
        }
        Matcher word = TRAILING_WORD_UNIT.matcher(t);
        return word.matches() ? word.group(1) : t;
    }

    private static String unwrapText(String s) {
        String t = s;
        String previous;
        do {
            previous = t;
            t = TEXT_WRAPPER.matcher(t).replaceAll(m -> Matcher.quoteReplacement(m.group(1)));
        } while (!t.equals(previous));
        return t;
    }

    /** {@code \frac{a}{b}} becomes {@code a/b} for atomic parts, {@code (a)/(b)} otherwise; innermost first. */
    private static String rewriteFractions(String s) {
        String t = s;
        String previous;
        do {
            previous = t;
            t = SIMPLE_FRAC.matcher(t).replaceAll(m -> Matcher.quoteReplacement(
                    parenthesize(m.group(1)) + "/" + parenthesize(m.group(2))));
        } while (!t.equals(previous));
        return t;
    }

    private static String parenthesize(String part) {
        return ATOM.matcher(part).matches() ? part : "(" + part + ")";
    }

    private static String canonicalNumbers(String s) {
        return NUMBER.matcher(s).replaceAll(m -> {
            String number = m.group(1);
            String plain = new BigDecimal(number).stripTrailingZeros().toPlainString();
            return Matcher.quoteReplacement(plain);
        });
    }

    /** numerator and denominator of a normalized answer that is a plain rational number */
    private static Optional<BigDecimal[]> rational(String normalized) {
        Matcher m = RATIONAL.matcher(normalized);
        if (!m.matches()) {
            return Optional.empty();
        }
        BigDecimal numerator = new BigDecimal(m.group(2));
        BigDecimal denominator = m.group(3) == null ? BigDecimal.ONE : new BigDecimal(m.group(3));
        if (denominator.signum() == 0) {
            return Optional.empty();
        }
        return Optional.of(new BigDecimal[] {m.group(1).isEmpty() ? numerator : numerator.negate(), denominator});
    }
}
