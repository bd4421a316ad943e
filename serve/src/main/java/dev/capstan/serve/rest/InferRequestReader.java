package dev.capstan.serve.rest;

import static dev.capstan.serve.rest.InferRequestJson.expect;
import static dev.capstan.serve.rest.InferRequestJson.parameters;
import static dev.capstan.serve.rest.InferRequestJson.scalarText;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import dev.capstan.serve.InferRequest;
import dev.capstan.serve.ServeException;
import dev.capstan.serve.tensor.DataType;
import dev.capstan.serve.tensor.Tensor;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One streaming pass over an infer request's JSON with Jackson: every form the protocol allows,
 * the binary tensor extension's inputs ({@code parameters.binary_data_size}, data from
 * {@link BinaryTensorData}) and outputs ({@code binary_data}, {@code binary_data_output}), and the
 * error for every body it refuses. {@code null} stands for an absent {@code id} or {@code parameters}.
 */
final class InferRequestReader {
    private final JsonParser parser;
    private final long bodyLength;
    /** Where binary inputs take their data; null for a plain JSON body. */
    private final BinaryTensorData binary;
    private final Map<String, Boolean> binaryByOutput = new HashMap<>();

    InferRequestReader(JsonParser parser, long bodyLength, BinaryTensorData binary) {
        this.parser = parser;
        this.bodyLength = bodyLength;
        this.binary = binary;
    }

    RestInferRequest request() throws IOException {
        expect(parser.nextToken(), JsonToken.START_OBJECT, "the request");
        String id = null;
        Map<String, Object> parameters = Map.of();
        List<Tensor> inputs = null;
        List<String> outputs = List.of();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            switch (field) {
                case "id" -> id = value == JsonToken.VALUE_NULL ? null : scalarText(parser, value, "id");
                case "parameters" -> parameters = parameters(parser, value);
                case "inputs" -> inputs = inputs(value);
                case "outputs" -> outputs = value == JsonToken.VALUE_NULL ? List.of() : outputs(value);
                default -> parser.skipChildren();
            }
        }
        if (inputs == null) {
            throw ServeException.badRequest("'inputs' is missing");
        }
        boolean byDefault = flag(parameters, "binary_data_output", "parameters.binary_data_output");
        return new RestInferRequest(new InferRequest(id, parameters, inputs, outputs, false), new BinaryOutputs(byDefault, Map.copyOf(binaryByOutput)));
    }

    private List<Tensor> inputs(JsonToken token) throws IOException {
        expect(token, JsonToken.START_ARRAY, "'inputs'");
        List<Tensor> inputs = new ArrayList<>(2);
        for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken()) {
            inputs.add(input(t, inputs.size()));
        }
        if (inputs.isEmpty()) {
            throw ServeException.badRequest("'inputs' is empty");
        }
        return inputs;
    }

    private Tensor input(JsonToken token, int position) throws IOException {
        expect(token, JsonToken.START_OBJECT, "each input");
        String name = null;
        long[] shape = null;
        DataType type = null;
        Tensor tensor = null;
        TokenBuffer early = null;
        Long binarySize = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            switch (field) {
                case "name" -> name = scalarText(parser, value, "input name");
                case "shape" -> shape = shape(value);
                case "datatype" -> type = DataType.parse(scalarText(parser, value, "datatype"));
                case "parameters" -> binarySize = binarySize(parameters(parser, value), name != null ? "input '" + name + "'" : "input " + position);
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
        if (binarySize != null) {
            if (tensor != null || early != null) {
                throw ServeException.badRequest(label + " has both 'data' and parameters.binary_data_size");
            }
            if (binary == null) {
                throw ServeException.badRequest(label + " has parameters.binary_data_size but the request has no "
                        + BinaryTensorData.HEADER + " header");
            }
            return binary.take(name, type, shape, binarySize);
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

    private static Long binarySize(Map<String, Object> parameters, String label) {
        Object size = parameters.get("binary_data_size");
        if (size == null) {
            return null;
        }
        if (!(size instanceof Long bytes) || bytes < 0) {
            throw ServeException.badRequest(label + ": parameters.binary_data_size must be a non-negative integer, not " + size);
        }
        return bytes;
    }

    private long[] shape(JsonToken token) throws IOException {
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

    private List<String> outputs(JsonToken token) throws IOException {
        expect(token, JsonToken.START_ARRAY, "'outputs'");
        List<String> names = new ArrayList<>();
        for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken()) {
            expect(t, JsonToken.START_OBJECT, "each requested output");
            String name = null;
            Map<String, Object> parameters = Map.of();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                switch (field) {
                    case "name" -> name = scalarText(parser, value, "output name");
                    case "parameters" -> parameters = parameters(parser, value);
                    default -> parser.skipChildren();
                }
            }
            if (name == null) {
                throw ServeException.badRequest("a requested output has no name");
            }
            if (parameters.containsKey("binary_data")) {
                binaryByOutput.put(name, flag(parameters, "binary_data", "output '" + name + "': parameters.binary_data"));
            }
            names.add(name);
        }
        return names;
    }

    private static boolean flag(Map<String, Object> parameters, String key, String label) {
        Object value = parameters.get(key);
        if (value == null) {
            return false;
        }
        if (!(value instanceof Boolean b)) {
            throw ServeException.badRequest(label + " must be true or false, not " + value);
        }
        return b;
    }
}
