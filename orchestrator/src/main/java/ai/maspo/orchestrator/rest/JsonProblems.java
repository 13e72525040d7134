package ai.maspo.orchestrator.rest;

import ai.maspo.orchestrator.search.FieldError;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Collection;
import java.util.Deque;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Why a request body could not be read, as the JSON path of the field at fault and a message in the API's terms.
 * Jackson's own messages name Java types, so they are only passed on for syntax errors, and only when they do not.
 */
final class JsonProblems {

    private JsonProblems() {
    }

    static FieldError describe(JsonProcessingException e) {
        return new FieldError(path(e), message(e));
    }

    private static String message(JsonProcessingException e) {
        if (e instanceof RestJson.RefusedText) {
            return e.getOriginalMessage();
        }
        if (e instanceof UnrecognizedPropertyException u) {
            return "unknown field '" + u.getPropertyName() + "' (known: " + u.getKnownPropertyIds().stream()
                    .map(String::valueOf).sorted().collect(Collectors.joining(", ")) + ")";
        }
        // Jackson's wording is the only mark of this case; the path is the root.
        if (e.getOriginalMessage() != null && e.getOriginalMessage().startsWith("Trailing token")) {
            return "unexpected content after the JSON value";
        }
        if (e instanceof MismatchedInputException m) {
            JsonToken token = e.getProcessor() instanceof JsonParser p ? p.currentToken() : null;
            return token == JsonToken.VALUE_NULL ? "must not be null" : expected(m.getTargetType());
        }
        if (e instanceof JsonMappingException) {
            return "invalid value";
        }
        String location = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column "
                + e.getLocation().getColumnNr();
        String detail = e.getOriginalMessage();
        boolean clean = detail != null && !detail.contains("java.") && !detail.contains("com.fasterxml")
                && !detail.contains("Exception") && !detail.contains("`");
        return "malformed JSON" + location + (clean ? ": " + detail : "");
    }

    private static String expected(Class<?> type) {
        if (type == null) {
            return "has the wrong JSON type";
        }
        if (type.isEnum()) {
            return "must be one of " + Arrays.stream(type.getEnumConstants()).map(c -> wireName(type, (Enum<?>) c)).toList();
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class
                || type == Short.class || type == short.class) {
            return "must be an integer";
        }
        if (Number.class.isAssignableFrom(type) || type == double.class || type == float.class) {
            return "must be a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "must be true or false";
        }
        if (type == String.class || CharSequence.class.isAssignableFrom(type)) {
            return "must be a string";
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "must be a JSON array";
        }
        return Map.class.isAssignableFrom(type) || !type.isPrimitive() ? "must be a JSON object" : "has the wrong JSON type";
    }

    private static String wireName(Class<?> type, Enum<?> constant) {
        try {
            JsonProperty name = type.getField(constant.name()).getAnnotation(JsonProperty.class);
            return name != null ? name.value() : constant.name().toLowerCase(java.util.Locale.ROOT);
        } catch (NoSuchFieldException e) {
            return constant.name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** e.g. {@code search.weights.local} or {@code data.pool[3].text}; "" for the body itself */
    private static String path(JsonProcessingException e) {
        if (e instanceof JsonMappingException m) {
            return m.getPath().stream()
                    .map(r -> r.getFieldName() != null ? "." + r.getFieldName() : "[" + r.getIndex() + "]")
                    .collect(Collectors.joining()).replaceFirst("^\\.", "");
        }
        // Syntax errors (and numbers out of range) carry no mapping path: the parser knows where it stopped.
        if (e.getProcessor() instanceof JsonParser parser) {
            Deque<String> parts = new ArrayDeque<>();
            for (JsonStreamContext c = parser.getParsingContext(); c != null && !c.inRoot(); c = c.getParent()) {
                if (c.inArray()) {
                    parts.addFirst("[" + Math.max(c.getCurrentIndex(), 0) + "]");
                } else if (c.getCurrentName() != null) {
                    parts.addFirst("." + c.getCurrentName());
                }
            }
            return String.join("", parts).replaceFirst("^\\.", "");
        }
        return "";
    }
}
