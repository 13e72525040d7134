package ai.maspo.evaluator.prompting;

import java.util.Map;

/**
 * Renders an agent's prompt template. Grammar (shared with the orchestrator's proposal validator):
 * {@code {name}} is a placeholder ({@code question}, {@code context}), {@code {{} and {@code }}} are literal braces.
 * The orchestrator only lets through templates whose other braces are escaped, so a single brace here is a
 * placeholder delimiter; an unknown placeholder name is an error rather than text sent to the model.
 */
public final class PromptTemplate {

    public static String render(String template, Map<String, String> values) {
        StringBuilder out = new StringBuilder(template.length() + 256);
        int i = 0;
        while (i < template.length()) {
            char c = template.charAt(i);
            boolean doubled = i + 1 < template.length() && template.charAt(i + 1) == c;
            if ((c == '{' || c == '}') && doubled) {
                out.append(c);
                i += 2;
            } else if (c == '{') {
                int end = template.indexOf('}', i);
                String name = end < 0 ? null : template.substring(i + 1, end);
                if (name == null || !values.containsKey(name)) {
                    throw new IllegalArgumentException("unknown placeholder at " + i + " in template: " + template);
                }
                out.append(values.get(name));
                i = end + 1;
            } else if (c == '}') {
                throw new IllegalArgumentException("unescaped '}' at " + i + " in template: " + template);
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private PromptTemplate() {
    }
}
