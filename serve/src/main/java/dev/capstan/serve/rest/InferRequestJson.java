package dev.capstan.serve.rest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import dev.capstan.serve.InferRequest;
import dev.capstan.serve.ServeException;
import dev.capstan.serve.tensor.DataType;
import dev.capstan.serve.tensor.InvalidTensorException;
import dev.capstan.serve.tensor.Tensor;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads the REST protocol's infer request body in one streaming pass. */
public final class InferRequestJson {
    private InferRequestJson() {
    }

    /** Throws a BAD_REQUEST {@link ServeException} saying what is wrong with the body. */
    public static InferRequest parse(byte[] body, int offset, int length) {
        InferRequest plain = InferRequestScanner.read(body, offset, length);
        return plain != null ? plain : parseTokens(body, offset, length);
    }

    /** Jackson's streaming reading: every form the protocol allows, and the error for every body it refuses. */
    static InferRequest parseTokens(byte[] body, int offset, int length) {
        try (JsonParser parser = Json.FACTORY.createParser(body, offset, length)) {
            InferRequest request = request(parser, length);
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

    private static InferRequest request(JsonParser parser, long bodyLength) throws IOException {
        expect(parser.nextToken(), JsonToken.START_OBJECT, "the request");
        String id = null;
        Map<String, Object> parameters = Map.of();
        List<Tensor> inputs = null;
        List<String> outputs = List.of();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            switch (field) {
                case "id" -> id = scalarText(parser, value, "id");
                case "parameters" -> parameters = parameters(parser, value);
                case "inputs" -> inputs = inputs(parser, value, bodyLength);
                case "outputs" -> outputs = outputs(parser, value);
                default -> parser.skipChildren();
            }
        }
        if (inputs == null) {
            throw ServeException.badRequest("'inputs' is missing");
        }
        return new InferRequest(id, parameters, inputs, outputs, false);
    }

    private static List<Tensor> inputs(JsonParser parser, JsonToken token, long bodyLength) throws IOException {
        expect(token, JsonToken.START_ARRAY, "'inputs'");
        List<Tensor> inputs = new ArrayList<>(2);
        for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken()) {
            inputs.add(input(parser, t, inputs.size(), bodyLength));
        }
        if (inputs.isEmpty()) {
            throw ServeException.badRequest("'inputs' is empty");
        }
        return inputs;
    }

    private static Tensor input(JsonParser parser, JsonToken token, int position, long bodyLength) throws IOException {
        expect(token, JsonToken.START_OBJECT, "each input");
        String name = null;
        long[] shape = null;
        DataType type = null;
        Tensor tensor = null;
        TokenBuffer early = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            switch (field) {
                case "name" -> name = scalarText(parser, value, "input name");
                case "shape" -> shape = shape(parser, value);
                case "datatype" -> type = DataType.parse(scalarText(parser, value, "datatype"));
                case "data" -> {
                    if (shape != null && type != null && name != null) {
                        tensor = TensorDataReader.read(parser, name, type, shape, bodyLength);
                    } else {
                        // data came before its shape or datatype: keep its tokens and read them once those are known
                        early = new TokenBuffer(parser, null);
                        early.copyCurrentStructure(parser);
                    }
                }
                default -> parser.skipChildren();
            }
        }
        String label = name != null ? "input '" + name + "'" : "input " + position;
        if (name == null) {
            throw ServeException.badRequest(label + " has no name");
        }
        if (shape == null) {
            throw ServeException.badRequest(label + " has no shape");
        }
        if (type == null) {
            throw ServeException.badRequest(label + " has no datatype");
        }
        if (tensor != null) {
            return tensor;
        }
        if (early == null) {
            throw ServeException.badRequest(label + " has no data");
        }
        try (JsonParser replay = early.asParser()) {
            replay.nextToken();
            return TensorDataReader.read(replay, name, type, shape, bodyLength);
        }
    }

    private static long[] shape(JsonParser parser, JsonToken token) throws IOException {
        expect(token, JsonToken.START_ARRAY, "'shape'");
        long[] dims = new long[4];
        int rank = 0;
        for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken()) {
            if (t != JsonToken.VALUE_NUMBER_INT || parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                throw ServeException.badRequest("'shape' must hold integers, not " + parser.getText());
            }
            if (rank == 64) {
                throw ServeException.badRequest("'shape' has more than 64 dimensions");
            }
            if (rank == dims.length) {
                dims = java.util.Arrays.copyOf(dims, rank * 2);
            }
            dims[rank++] = parser.getLongValue();
        }
        return java.util.Arrays.copyOf(dims, rank);
    }

    private static List<String> outputs(JsonParser parser, JsonToken token) throws IOException {
        expect(token, JsonToken.START_ARRAY, "'outputs'");
        List<String> names = new ArrayList<>();
        for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken()) {
            expect(t, JsonToken.START_OBJECT, "each requested output");
            String name = null;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if (field.equals("name")) {
                    name = scalarText(parser, value, "output name");
                } else {
                    parser.skipChildren();
                }
            }
            if (name == null) {
                throw ServeException.badRequest("a requested output has no name");
            }
            names.add(name);
        }
        return names;
    }

    private static Map<String, Object> parameters(JsonParser parser, JsonToken token) throws IOException {
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

    private static String scalarText(JsonParser parser, JsonToken token, String what) throws IOException {
        if (token != JsonToken.VALUE_STRING) {
            throw ServeException.badRequest(what + " must be a string");
        }
        return parser.getText();
    }

    private static void expect(JsonToken actual, JsonToken wanted, String what) {
        if (actual != wanted) {
            throw ServeException.badRequest(what + " must be " + (wanted == JsonToken.START_ARRAY ? "an array" : "an object"));
        }
    }
}
