package dev.capstan.serve.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Request and response bytes of the binary tensor extension exactly as KServe's Python SDK makes
 * and reads them. No KServe SDK can be installed here (no package index is reachable), so this
 * stands in for it, written from the layouts in kserve/protocol/infer_type.py:
 * {@code InferRequest.to_rest()} sends {"id", "model_name", "inputs": [{"name", "shape",
 * "datatype", "parameters": {"binary_data_size": n}}], "outputs"?, "parameters"?} as compact JSON,
 * then each binary input's bytes in input order (numpy {@code tobytes()}: row-major, little-endian;
 * BYTES as {@code serialize_byte_tensor}: a 4-byte little-endian length before each element), with
 * the JSON's length in {@code Inference-Header-Content-Length}. {@code InferResponse.from_bytes()}
 * reads the JSON header of that length, then for each output with {@code parameters.binary_data_size}
 * the next that many bytes.
 */
final class KServeWire {
    static final ObjectMapper JSON = new ObjectMapper();

    /** One input: JSON {@code data} when {@code raw} is null, else binary. */
    record Input(String name, long[] shape, String datatype, byte[] raw, Object data) {
        static Input binary(String name, long[] shape, String datatype, byte[] raw) {
            return new Input(name, shape, datatype, raw, null);
        }

        static Input json(String name, long[] shape, String datatype, Object data) {
            return new Input(name, shape, datatype, null, data);
        }
    }

    /** A request body and the value of its Inference-Header-Content-Length. */
    record Body(byte[] bytes, int jsonLength) {
    }

    /** An output as {@code from_bytes} sees it: raw bytes for binary outputs, else the JSON data. */
    record Output(String name, String datatype, JsonNode shape, JsonNode parameters, byte[] raw, JsonNode data) {
    }

    private KServeWire() {
    }

    static Body request(String id, String model, List<Input> inputs, List<Map<String, Object>> outputs, Map<String, Object> parameters)
            throws IOException {
        List<Object> inputDicts = new ArrayList<>();
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        for (Input input : inputs) {
            Map<String, Object> dict = new LinkedHashMap<>();
            dict.put("name", input.name());
            dict.put("shape", input.shape());
            dict.put("datatype", input.datatype());
            if (input.raw() != null) {
                dict.put("parameters", Map.of("binary_data_size", input.raw().length));
                raw.write(input.raw());
            } else {
                dict.put("data", input.data());
            }
            inputDicts.add(dict);
        }
        Map<String, Object> res = new LinkedHashMap<>();
        res.put("id", id);
        res.put("model_name", model);
        res.put("inputs", inputDicts);
        if (outputs != null && !outputs.isEmpty()) {
            res.put("outputs", outputs);
        }
        if (parameters != null && !parameters.isEmpty()) {
            res.put("parameters", parameters);
        }
        byte[] json = JSON.writeValueAsBytes(res);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(json);
        body.write(raw.toByteArray());
        return new Body(body.toByteArray(), json.length);
    }

    /** Reads a response as {@code InferResponse.from_bytes(res_bytes, json_length)} does. */
    static Map<String, Output> response(byte[] bytes, int jsonLength) throws IOException {
        JsonNode header = JSON.readTree(new String(bytes, 0, jsonLength, StandardCharsets.UTF_8));
        Map<String, Output> outputs = new LinkedHashMap<>();
        int start = jsonLength;
        for (JsonNode output : header.get("outputs")) {
            JsonNode parameters = output.get("parameters");
            byte[] raw = null;
            if (parameters != null && parameters.has("binary_data_size")) {
                int size = parameters.get("binary_data_size").asInt();
                raw = java.util.Arrays.copyOfRange(bytes, start, start + size);
                start += size;
            }
            outputs.put(output.get("name").asText(), new Output(output.get("name").asText(), output.get("datatype").asText(),
                    output.get("shape"), parameters, raw, output.get("data")));
        }
        if (start != bytes.length) {
            throw new IOException("response has " + (bytes.length - start) + " bytes no output claims");
        }
        return outputs;
    }

    /** numpy's {@code tobytes()} of float32 values. */
    static byte[] fp32(float... values) {
        ByteBuffer out = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            out.putFloat(v);
        }
        return out.array();
    }

    /** {@code serialize_byte_tensor}: each element's 4-byte little-endian length, then its bytes. */
    static byte[] bytesTensor(String... values) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String value : values) {
            byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
            out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(utf8.length).array());
            out.writeBytes(utf8);
        }
        return out.toByteArray();
    }
}
