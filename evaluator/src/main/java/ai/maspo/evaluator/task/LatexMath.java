package ai.maspo.evaluator.task;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Converts a LaTeX math answer into the input syntax of the computer-algebra system (Symja), for the common forms:
 * numbers (decimals as exact fractions), single-letter variables, {@code + - * / ^}, {@code \cdot}, {@code \times},
 * {@code \div}, implicit products ({@code 2x}, {@code x(x+2)}, {@code 2\sqrt{3}}), {@code \frac}, {@code \dfrac},
 * {@code \sqrt{}} and {@code \sqrt[n]{}}, {@code \pi}, {@code e}, {@code i}, {@code \sin}…{@code \ln}, braces and
 * {@code \left( \right)}; and a whole answer that is a set {@code \{a, b\}}, a bare list {@code a, b} (order does not
 * matter) or a tuple/interval {@code (a, b)}, {@code [a, b)} (order and brackets matter).
 *
 * <p>Only whitelisted tokens become CAS input, so no text of a model can name a CAS function: anything else (words,
 * matrices, subscripts, {@code |x|}, factorials) is {@link Optional#empty()}, and the caller keeps the textual answer.
 */
final class LatexMath {

    /** An answer: one expression, or several whose order matters ({@code ordered}) or not. */
    record Form(List<String> elements, boolean ordered, String brackets) {
        boolean single() {
            return elements.size() == 1 && brackets.isEmpty();
        }
    }

    static final int LONGEST_INPUT = 200;
    /** Three letters in a row outside a command are a word, not a product ("listen" is no anagram of "silent"). */
    private static final Pattern WORD = Pattern.compile("(?<![\\\\a-zA-Z])[a-zA-Z]{3,}");

    private static final Map<String, String> FUNCTIONS = Map.of("sin", "Sin", "cos", "Cos", "tan", "Tan", "cot", "Cot",
            "sec", "Sec", "csc", "Csc", "ln", "Log", "log", "Log", "exp", "Exp");
    private static final List<String> GREEK = List.of("alpha", "beta", "gamma", "delta", "theta", "lambda", "mu",
            "phi", "omega", "sigma", "tau", "rho");

    private final String s;
    private int pos;

    private LatexMath(String s) {
        this.s = s;
    }

    /** The CAS form of a LaTeX answer, or empty when it is not (only) math this converter knows. */
    static Optional<Form> convert(String latex) {
        String t = MathNormalizer.normalize(latex);
        if (t.isEmpty() || t.length() > LONGEST_INPUT || WORD.matcher(t).find()) {
            return Optional.empty();
        }
        try {
            if (t.startsWith("\\{") && t.endsWith("\\}")) {
                return elements(t.substring(2, t.length() - 2)).map(e -> new Form(e, false, "{}"));
            }
            char open = t.charAt(0);
            char close = t.charAt(t.length() - 1);
            if ((open == '(' || open == '[') && (close == ')' || close == ']') && enclosesAll(t)) {
                List<String> parts = splitTopLevel(t.substring(1, t.length() - 1));
                if (parts.size() > 1) {
                    return elements(t.substring(1, t.length() - 1)).map(e -> new Form(e, true, "" + open + close));
                }
            }
            if (splitTopLevel(t).size() > 1) {
                return elements(t).map(e -> new Form(e, false, ""));
            }
            return expression(t).map(e -> new Form(List.of(e), true, ""));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static Optional<List<String>> elements(String inner) {
        List<String> out = new ArrayList<>();
        for (String part : splitTopLevel(inner)) {
            String element = part.replaceFirst("^[a-zA-Z]=(?!=)", "");
            Optional<String> e = expression(element);
            if (e.isEmpty()) {
                return Optional.empty();
            }
            out.add(e.get());
        }
        return Optional.of(out);
    }

    private static Optional<String> expression(String text) {
        if (text.isEmpty()) {
            return Optional.empty();
        }
        LatexMath parser = new LatexMath(text);
        String e = parser.sum();
        return parser.pos == text.length() ? Optional.of(e) : Optional.empty();
    }

    /** True when the first bracket closes at the very end, so "(1,2)" is a tuple but "(1)(2)" is not. */
    private static boolean enclosesAll(String t) {
        int[] depth = depths(t);
        for (int i = 0; i < t.length() - 1; i++) {
            if (depth[i] == 0) {
                return false;
            }
        }
        return depth[t.length() - 1] == 0;
    }

    /** The parts between commas outside brackets and braces. */
    static List<String> splitTopLevel(String t) {
        int[] depth = depths(t);
        List<String> parts = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < t.length(); i++) {
            if (t.charAt(i) == ',' && depth[i] == 0) {
                parts.add(t.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(t.substring(start));
        return parts;
    }

    /** The bracket and brace depth after each character. */
    static int[] depths(String t) {
        int[] depth = new int[t.length()];
        int d = 0;
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            d += c == '(' || c == '[' || c == '{' ? 1 : c == ')' || c == ']' || c == '}' ? -1 : 0;
            depth[i] = d;
        }
        return depth;
    }

    // sum := ['+'|'-'] product {('+'|'-') product}
    private String sum() {
        StringBuilder out = new StringBuilder();
        if (peek('+')) {
            pos++;
        } else if (peek('-')) {
            pos++;
            out.append('-');
        }
        out.append(product());
        while (peek('+') || peek('-')) {
            out.append(s.charAt(pos++));
            out.append(product());
        }
        return "(" + out + ")";
    }

    // product := power {('*'|'/'|\cdot|\times|\div|implicit) power}
    private String product() {
        StringBuilder out = new StringBuilder(power());
        while (pos < s.length()) {
            if (peek('*') || command("cdot") || command("times")) {
                pos += peek('*') ? 1 : s.startsWith("\\cdot", pos) ? 5 : 6;
                out.append('*').append(power());
            } else if (peek('/') || command("div")) {
                pos += peek('/') ? 1 : 4;
                out.append('/').append(power());
            } else if (startsPrimary()) {
                out.append('*').append(power());
            } else {
                break;
            }
        }
        return "(" + out + ")";
    }

    // power := primary ['^' exponent]; a minus right after an operator is a sign
    private String power() {
        if (peek('-')) {
            pos++;
            return "(-" + power() + ")";
        }
        String base = primary();
        if (peek('^')) {
            pos++;
            String exponent;
            if (peek('{')) {
                exponent = braced();
            } else if (pos < s.length() && Character.isDigit(s.charAt(pos))) {
                exponent = String.valueOf(s.charAt(pos++)); // x^23 is x^{2}3 in LaTeX
            } else {
                exponent = primary();
            }
            return "(" + base + ")^(" + exponent + ")";
        }
        return base;
    }

    private String primary() {
        if (pos >= s.length()) {
            throw new IllegalArgumentException("expression ends early");
        }
        char c = s.charAt(pos);
        if (Character.isDigit(c) || c == '.') {
            return number();
        }
        if (c == '(' || c == '[') {
            pos++;
            String inner = sum();
            expect(c == '(' ? ')' : ']');
            return inner;
        }
        if (c == '{') {
            return braced();
        }
        if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
            pos++;
            return switch (c) {
                case 'e' -> "E";
                case 'i' -> "I";
                default -> variable(String.valueOf(c));
            };
        }
        if (c == '\\') {
            return commandPrimary();
        }
        throw new IllegalArgumentException("unexpected '" + c + "'");
    }

    private String commandPrimary() {
        if (command("frac")) {
            pos += 5;
            String numerator = group();
            String denominator = group();
            return "((" + numerator + ")/(" + denominator + "))";
        }
        if (command("sqrt")) {
            pos += 5;
            if (peek('[')) {
                pos++;
                String index = sum();
                expect(']');
                return "((" + group() + ")^(1/(" + index + ")))";
            }
            return "Sqrt(" + group() + ")";
        }
        if (command("pi")) {
            pos += 3;
            return "Pi";
        }
        for (var f : FUNCTIONS.entrySet()) {
            if (command(f.getKey())) {
                pos += 1 + f.getKey().length();
                return f.getValue() + "(" + (peek('(') || peek('{') ? primary() : power()) + ")";
            }
        }
        for (String letter : GREEK) {
            if (command(letter)) {
                pos += 1 + letter.length();
                return variable(letter);
            }
        }
        throw new IllegalArgumentException("unknown command at " + pos);
    }

    /** A {@code {…}} group or a single primary ({@code \sqrt2}, {@code \frac12} were braced by the normalizer). */
    private String group() {
        return peek('{') ? braced() : primary();
    }

    private String braced() {
        expect('{');
        String inner = sum();
        expect('}');
        return inner;
    }

    /** A decimal as an exact fraction, so that no rounding can make a near miss equal. */
    private String number() {
        int start = pos;
        while (pos < s.length() && (Character.isDigit(s.charAt(pos)) || s.charAt(pos) == '.')) {
            pos++;
        }
        BigDecimal value = new BigDecimal(s.substring(start, pos));
        return value.scale() <= 0 ? value.toPlainString()
                : "(" + value.unscaledValue() + "/10^" + value.scale() + ")";
    }

    /** CAS-safe names: no single letter may collide with a built-in symbol (N, D, C, I, E…). */
    private static String variable(String name) {
        return (Character.isUpperCase(name.charAt(0)) ? "vu" : "v") + name.toLowerCase();
    }

    private boolean startsPrimary() {
        if (pos >= s.length()) {
            return false;
        }
        char c = s.charAt(pos);
        return Character.isLetterOrDigit(c) || c == '(' || c == '{' || c == '.'
                || c == '\\' && !command("cdot") && !command("times") && !command("div");
    }

    private boolean command(String name) {
        return s.startsWith("\\" + name, pos);
    }

    private boolean peek(char c) {
        return pos < s.length() && s.charAt(pos) == c;
    }

    private void expect(char c) {
        if (!peek(c)) {
            throw new IllegalArgumentException("expected '" + c + "' at " + pos);
        }
        pos++;
    }
}
