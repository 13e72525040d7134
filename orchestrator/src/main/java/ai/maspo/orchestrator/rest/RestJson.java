package ai.maspo.orchestrator.rest;

import ai.maspo.orchestrator.domain.PlainText;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.deser.std.DelegatingDeserializer;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.KeyDeserializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import jakarta.ws.rs.ext.ContextResolver;
import jakarta.ws.rs.ext.Provider;

import java.io.IOException;

/**
 * The JSON reader of the HTTP API: the application's strict mapper ({@link StrictJson}) that also refuses, in any
 * string value or object key, text {@link PlainText} refuses, naming the field. Only for HTTP: what the evaluators
 * send back (LLM output) is not the user's input and is handled by the services' own contract.
 */
@Provider
public class RestJson implements ContextResolver<ObjectMapper> {

    private final ObjectMapper mapper;

    RestJson(ObjectMapper application) {
        this.mapper = application.copy().registerModule(new SimpleModule("plain-text")
                .addDeserializer(String.class, new PlainStringDeserializer())
                .addKeyDeserializer(String.class, new PlainKeyDeserializer())
                .setDeserializerModifier(new BeanDeserializerModifier() {
                    // enum values do not pass through the String deserializer: check their text too
                    @Override
                    public JsonDeserializer<?> modifyEnumDeserializer(DeserializationConfig config, JavaType type,
                                                                      BeanDescription description, JsonDeserializer<?> deserializer) {
                        return new PlainEnumDeserializer(deserializer);
                    }
                }));
    }

    @Override
    public ObjectMapper getContext(Class<?> type) {
        return mapper;
    }

    /** A refused string; its message is written for the client and carries no Java names. */
    static final class RefusedText extends JsonMappingException {
        RefusedText(JsonParser parser, String message) {
            super(parser, message);
        }
    }

    private static String checked(String value, JsonParser parser) throws RefusedText {
        if (value != null) {
            var problem = PlainText.problem(value);
            if (problem.isPresent()) {
                throw new RefusedText(parser, problem.get());
            }
        }
        return value;
    }

    private static final class PlainStringDeserializer extends StdScalarDeserializer<String> {
        PlainStringDeserializer() {
            super(String.class);
        }

        @Override
        public String deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            return checked(StringDeserializer.instance.deserialize(parser, context), parser);
        }
    }

    private static final class PlainEnumDeserializer extends DelegatingDeserializer {
        PlainEnumDeserializer(JsonDeserializer<?> delegate) {
            super(delegate);
        }

        @Override
        protected JsonDeserializer<?> newDelegatingInstance(JsonDeserializer<?> delegate) {
            return new PlainEnumDeserializer(delegate);
        }

        @Override
        public Object deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            if (parser.currentToken() == JsonToken.VALUE_STRING) {
                checked(parser.getText(), parser);
            }
            return super.deserialize(parser, context);
        }
    }

    private static final class PlainKeyDeserializer extends KeyDeserializer {
        @Override
        public Object deserializeKey(String key, DeserializationContext context) throws IOException {
            return checked(key, context.getParser());
        }
    }
}
