package dev.capstan.serve.rest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.capstan.serve.InferRequest;
import dev.capstan.serve.ServeException;
import dev.capstan.serve.tensor.InvalidTensorException;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads the REST protocol's infer request body in one streaming pass. */
public final class InferRequestJson {
    private InferRequestJson() {
    }

    /** Throws a BAD_REQUEST {@link ServeException} saying what is wrong with the body. */
    public static InferRequest parse(byte[] body, int offset, int length) {
        return read(body, offset, length, null).request();
    }

    /**
     * A JSON body, or with {@code headerLength} (the value of {@code Inference-Header-Content-Length})
     * a body in the binary tensor extension's form: that many bytes of JSON, then raw tensor data.
     */
    static RestInferRequest read(byte[] body, int offset, int length, String headerLength) {
        if (headerLength == null) {
            InferRequest plain = InferRequestScanner.read(body, offset, length);
            return plain != null ? new RestInferRequest(plain, BinaryOutputs.NONE) : parseTokens(body, offset, length, null);
        }
        int json = BinaryTensorData.headerLength(headerLength, length);
        BinaryTensorData binary = new BinaryTensorData(body, offset + json, offset + length);
        RestInferRequest request = parseTokens(body, offset, json, binary);
        binary.requireConsumed();
        return request;
    }

    /** Jackson's streaming reading: every form the protocol allows, and the error for every body it refuses. */
    static InferRequest parseTokens(byte[] body, int offset, int length) {
        return parseTokens(body, offset, length, null).request();
    }

    private static RestInferRequest parseTokens(byte[] body, int offset, int length, BinaryTensorData binary) {
        try (JsonParser parser = Json.FACTORY.createParser(body, offset, length)) {
            RestInferRequest request = new InferRequestReader(parser, length, binary).request();
            if (parser.nextToken() != null) {
                throw ServeException.badRequest("unexpected content after the request object");
            }
            return request;
        } catch (JsonProcessingException e) {
            throw ServeException.badRequest("invalid JSON: " + e.getOriginalMessage());
        } catch (InvalidTensorException e) {
            throw ServeException.badRequest(e.getMessage());
        } catch (IOException e) {
            throw ServeException.badRequest("cannot read request: " + e.getMessage());
        }
    }

    /** Reads only the {@code parameters} object of a body such as a repository load request. */
    public static Map<String, Object> parametersOnly(byte[] body, int offset, int length) {
        try (JsonParser parser = Json.FACTORY.createParser(body, offset, length)) {
            expect(parser.nextToken(), JsonToken.START_OBJECT, "the request");
            Map<String, Object> parameters = Map.of();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if (field.equals("parameters")) {
                    parameters = parameters(parser, value);
                } else {
                    parser.skipChildren();
                }
            }
            return parameters;
        } catch (IOException e) {
            throw ServeException.badRequest("invalid JSON: " + e.getMessage());
        }
    }

    /** A {@code parameters} object; {@code null} stands for none. */
    static Map<String, Object> parameters(JsonParser parser, JsonToken token) throws IOException {
        if (token == JsonToken.VALUE_NULL) {
            return Map.of();
        }
        expect(token, JsonToken.START_OBJECT, "'parameters'");
        Map<String, Object> parameters = new LinkedHashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String key = parser.currentName();
            JsonToken value = parser.nextToken();
            switch (value) {
                case VALUE_TRUE, VALUE_FALSE -> parameters.put(key, value == JsonToken.VALUE_TRUE);
                case VALUE_NUMBER_INT -> parameters.put(key, parser.getLongValue());
                case VALUE_NUMBER_FLOAT -> parameters.put(key, parser.getDoubleValue());
                case VALUE_STRING -> parameters.put(key, parser.getText());
                default -> throw ServeException.badRequest("parameter '" + key + "' must be a bool, number or string");
            }
        }
        return parameters;
    }

    static String scalarText(JsonParser parser, JsonToken token, String what) throws IOException {
        if (token != JsonToken.VALUE_STRING) {
            throw ServeException.badRequest(what + " must be a string");
        }
        return parser.getText();
    }

    static void expect(JsonToken actual, JsonToken wanted, String what) {
        if (actual != wanted) {
            throw ServeException.badRequest(what + " must be " + (wanted == JsonToken.START_ARRAY ? "an array" : "an object"));
        }
    }
}
