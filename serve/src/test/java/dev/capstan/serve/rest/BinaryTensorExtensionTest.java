package dev.capstan.serve.rest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.capstan.serve.Fixtures;
import dev.capstan.serve.ModelServer;
import dev.capstan.serve.ServerConfig;
import dev.capstan.serve.TestingModels;
import dev.capstan.serve.tensor.DataType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The binary tensor extension over REST, both ways, with bodies built and read as KServe's Python
 * SDK builds and reads them ({@link KServeWire}), against real engines and a real HTTP client.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BinaryTensorExtensionTest {
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private ModelServer server;
    private int port;

    record Reply(int status, String contentType, String headerLength, byte[] body) {
        JsonNode json() throws java.io.IOException {
            return KServeWire.JSON.readTree(body);
        }

        JsonNode header() throws java.io.IOException {
            return KServeWire.JSON.readTree(new String(body, 0, Integer.parseInt(headerLength), StandardCharsets.UTF_8));
        }

        Map<String, KServeWire.Output> outputs() throws java.io.IOException {
            assertEquals(BinaryInferResponse.OCTET_STREAM, contentType);
            return KServeWire.response(body, Integer.parseInt(headerLength));
        }
    }

    @BeforeAll
    void start() throws Exception {
        Path temp = Files.createTempDirectory("binary-extension");
        server = ModelServer.start(ServerConfig.defaults().withHost("127.0.0.1").withPorts(0, -1), List.of(
                new ModelServer.ModelSource(Fixtures.dir("mlp"), "mlp"),
                new ModelServer.ModelSource(TestingModels.echoAllTypes(temp, "echo", 0, null), null)));
        port = server.httpPort();
    }

    @AfterAll
    void stop() {
        server.close();
    }

    @Test
    void kserveBinaryRequestAndResponseMatchTorch() throws Exception {
        JsonNode expected = Fixtures.expectedMlp();
        KServeWire.Body body = KServeWire.request("req-7", "mlp",
                List.of(KServeWire.Input.binary("input", new long[] {3, 4}, "FP32", KServeWire.fp32(Fixtures.flatFloats(expected.get("input"))))),
                null, Map.of("binary_data_output", true));
        Reply reply = infer("mlp", body.bytes(), Integer.toString(body.jsonLength()));
        assertEquals(200, reply.status(), new String(reply.body(), StandardCharsets.UTF_8));
        KServeWire.Output output = reply.outputs().get("output");
        assertEquals("FP32", output.datatype());
        assertEquals("[3,3]", output.shape().toString());
        assertEquals(36, output.parameters().get("binary_data_size").asInt());
        assertNull(output.data());
        float[] got = new float[9];
        ByteBuffer.wrap(output.raw()).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(got);
        assertArrayEquals(Fixtures.flatFloats(expected.get("output")), got, 1e-5f);
        JsonNode header = reply.header();
        assertEquals("req-7", header.get("id").asText());
        assertEquals("mlp", header.get("model_name").asText());
    }

    @Test
    void everyDatatypeTravelsBinaryBothWays() throws Exception {
        List<KServeWire.Input> inputs = new ArrayList<>();
        for (DataType type : DataType.values()) {
            inputs.add(KServeWire.Input.binary("in_" + type, new long[] {2, 2}, type.name(), raw(type)));
        }
        KServeWire.Body body = KServeWire.request("", "echo", inputs, null, Map.of("binary_data_output", true));
        Reply reply = infer("echo", body.bytes(), Integer.toString(body.jsonLength()));
        assertEquals(200, reply.status(), new String(reply.body(), StandardCharsets.UTF_8));
        Map<String, KServeWire.Output> outputs = reply.outputs();
        assertEquals(DataType.values().length, outputs.size());
        for (DataType type : DataType.values()) {
            KServeWire.Output output = outputs.get("out_" + type);
            assertEquals(type.name(), output.datatype());
            assertArrayEquals(raw(type), output.raw(), type.name());
            assertEquals(raw(type).length, output.parameters().get("binary_data_size").asInt());
        }
        // an empty id is echoed as it came
        assertEquals("", reply.header().get("id").asText());
    }

    @Test
    void mixedJsonAndBinaryInputsAndEachOutputsOwnChoice() throws Exception {
        KServeWire.Body body = KServeWire.request("mixed", "echo", List.of(
                KServeWire.Input.binary("in_BYTES", new long[] {2, 2}, "BYTES", KServeWire.bytesTensor("ab", "", "h\u00e9llo", "z")),
                KServeWire.Input.json("in_INT64", new long[] {1, 2}, "INT64", List.of(-5, 7)),
                KServeWire.Input.binary("in_FP32", new long[] {1, 2}, "FP32", KServeWire.fp32(0.5f, -1.25f))), List.of(
                Map.of("name", "out_BYTES"),
                Map.of("name", "out_INT64", "parameters", Map.of("binary_data", false)),
                Map.of("name", "out_FP32", "parameters", Map.of("binary_data", true))),
                Map.of("binary_data_output", true));
        // the echo model wants every datatype: send the rest as JSON, after the binary ones' bytes are claimed
        String json = new String(body.bytes(), 0, body.jsonLength(), StandardCharsets.UTF_8);
        StringBuilder more = new StringBuilder();
        for (DataType type : DataType.values()) {
            if (type != DataType.BYTES && type != DataType.INT64 && type != DataType.FP32) {
                more.append(",{\"name\":\"in_").append(type).append("\",\"shape\":[1,2],\"datatype\":\"").append(type)
                        .append("\",\"parameters\":null,\"data\":").append(type == DataType.BOOL ? "[true,false]" : "[1,0]").append('}');
            }
        }
        assertTrue(json.contains("}],\"outputs\""), json);
        json = json.replace("}],\"outputs\"", "}" + more + "],\"outputs\"");
        byte[] header = json.getBytes(StandardCharsets.UTF_8);
        byte[] tail = java.util.Arrays.copyOfRange(body.bytes(), body.jsonLength(), body.bytes().length);
        byte[] all = ByteBuffer.allocate(header.length + tail.length).put(header).put(tail).array();
        Reply reply = infer("echo", all, Integer.toString(header.length));
        assertEquals(200, reply.status(), new String(reply.body(), StandardCharsets.UTF_8));
        Map<String, KServeWire.Output> outputs = reply.outputs();
        // in the model's order, the raw bytes following the header in that same order
        assertEquals(java.util.Set.of("out_BYTES", "out_INT64", "out_FP32"), outputs.keySet());
        assertArrayEquals(KServeWire.bytesTensor("ab", "", "h\u00e9llo", "z"), outputs.get("out_BYTES").raw());
        assertNull(outputs.get("out_INT64").raw());
        assertEquals("[-5,7]", outputs.get("out_INT64").data().toString());
        assertArrayEquals(KServeWire.fp32(0.5f, -1.25f), outputs.get("out_FP32").raw());
    }

    @Test
    void aBinaryRequestWithoutBinaryOutputsGetsJson() throws Exception {
        KServeWire.Body body = KServeWire.request("j", "mlp",
                List.of(KServeWire.Input.binary("input", new long[] {1, 4}, "FP32", KServeWire.fp32(1, 2, 3, 4))), null, null);
        Reply reply = infer("mlp", body.bytes(), Integer.toString(body.jsonLength()));
        assertEquals(200, reply.status());
        assertEquals("application/json", reply.contentType());
        assertNull(reply.headerLength());
        assertEquals(3, reply.json().get("outputs").get(0).get("data").size());
    }

    @Test
    void malformedHeaderLengthsAre400WithoutReadingPastTheBody() throws Exception {
        KServeWire.Body body = KServeWire.request("m", "mlp",
                List.of(KServeWire.Input.binary("input", new long[] {1, 4}, "FP32", KServeWire.fp32(1, 2, 3, 4))), null, null);
        String pastTheBody = Integer.toString(body.bytes().length + 1);
        for (String value : List.of("-1", pastTheBody, "2147483648", "99999999999999999999", "12abc", "abc", "0x10")) {
            Reply reply = infer("mlp", body.bytes(), value);
            assertEquals(400, reply.status(), value);
            assertTrue(reply.json().get("error").asText().contains("Inference-Header-Content-Length"), value + ": " + reply.json());
        }
        // a header length inside the body that cuts the JSON short is a JSON error, still 400
        Reply cut = infer("mlp", body.bytes(), Integer.toString(body.jsonLength() - 3));
        assertEquals(400, cut.status());
        assertTrue(cut.json().has("error"));
    }

    @Test
    void binaryDataSizesAreCheckedAgainstShapeDatatypeAndBody() throws Exception {
        // binary_data_size that does not match shape x datatype
        assertRefused(rawRequest("{\"inputs\":[{\"name\":\"input\",\"shape\":[1,4],\"datatype\":\"FP32\",\"parameters\":{\"binary_data_size\":12}}]}",
                new byte[12]), "binary_data_size is 12");
        // ... that runs past the body
        assertRefused(rawRequest("{\"inputs\":[{\"name\":\"input\",\"shape\":[1,4],\"datatype\":\"FP32\",\"parameters\":{\"binary_data_size\":16}}]}",
                new byte[8]), "only 8 bytes");
        // ... huge, or not a count
        assertRefused(rawRequest("{\"inputs\":[{\"name\":\"input\",\"shape\":[1,4],\"datatype\":\"FP32\",\"parameters\":{\"binary_data_size\":9223372036854775807}}]}",
                new byte[16]), "only 16 bytes");
        assertRefused(rawRequest("{\"inputs\":[{\"name\":\"input\",\"shape\":[1,4],\"datatype\":\"FP32\",\"parameters\":{\"binary_data_size\":-16}}]}",
                new byte[16]), "non-negative integer");
        // bytes that no input claims
        assertRefused(rawRequest("{\"inputs\":[{\"name\":\"input\",\"shape\":[1,4],\"datatype\":\"FP32\",\"parameters\":{\"binary_data_size\":16}}]}",
                new byte[20]), "4 bytes of binary data");
        // both data and binary_data_size
        assertRefused(rawRequest("{\"inputs\":[{\"name\":\"input\",\"shape\":[1,4],\"datatype\":\"FP32\",\"data\":[1,2,3,4],\"parameters\":{\"binary_data_size\":16}}]}",
                new byte[16]), "both");
        // binary_data_size in a body without the header
        Reply noHeader = infer("mlp", "{\"inputs\":[{\"name\":\"input\",\"shape\":[1,4],\"datatype\":\"FP32\",\"parameters\":{\"binary_data_size\":16}}]}"
                .getBytes(StandardCharsets.UTF_8), null);
        assertEquals(400, noHeader.status());
        assertTrue(noHeader.json().get("error").asText().contains("Inference-Header-Content-Length"), noHeader.json().toString());
        // a BYTES element whose length runs past its input's bytes, into the next input's
        byte[] bytes = KServeWire.bytesTensor("abc");
        bytes[0] = 7;
        byte[] tail = ByteBuffer.allocate(bytes.length + 8).put(bytes).put(new byte[8]).array();
        Reply strayRequest = rawRequest("{\"inputs\":[{\"name\":\"in_BYTES\",\"shape\":[1],\"datatype\":\"BYTES\",\"parameters\":{\"binary_data_size\":"
                + bytes.length + "}},{\"name\":\"in_FP32\",\"shape\":[1,2],\"datatype\":\"FP32\",\"parameters\":{\"binary_data_size\":8}}]}", tail);
        Reply stray = infer("echo", strayRequest.body(), strayRequest.headerLength());
        assertEquals(400, stray.status());
        assertTrue(stray.json().get("error").asText().contains("claims 7 bytes, but only 3 follow"), stray.json().toString());
    }

    @Test
    void bf16TravelsAsJsonNumbersRoundedToNearestEven() throws Exception {
        StringBuilder inputs = new StringBuilder();
        for (DataType type : DataType.values()) {
            String data = switch (type) {
                case BOOL -> "[true, false]";
                case BYTES -> "[\"x\", \"y\"]";
                case BF16 -> "[1.00390625, -2.5e38]";
                default -> "[1, 0]";
            };
            String shape = "[1, 2]";
            inputs.append(inputs.isEmpty() ? "" : ",").append("{\"name\":\"in_").append(type).append("\",\"shape\":").append(shape)
                    .append(",\"datatype\":\"").append(type).append("\",\"data\":").append(data).append('}');
        }
        Reply reply = infer("echo", ("{\"id\":\"\",\"parameters\":null,\"inputs\":[" + inputs + "],\"outputs\":[{\"name\":\"out_BF16\",\"parameters\":null}]}")
                .getBytes(StandardCharsets.UTF_8), null);
        assertEquals(200, reply.status(), new String(reply.body(), StandardCharsets.UTF_8));
        JsonNode output = reply.json().get("outputs").get(0);
        assertEquals("BF16", output.get("datatype").asText());
        // 1.00390625 lies halfway between 1.0 and 1.0078125 and goes to the even one; -2.5e38 keeps 8 significant bits
        assertEquals(1.0, output.get("data").get(0).asDouble());
        assertEquals(-2.5e38, output.get("data").get(1).asDouble(), 0.004 * 2.5e38);
        assertEquals("", reply.json().get("id").asText());
    }

    private Reply rawRequest(String json, byte[] tail) {
        byte[] header = json.getBytes(StandardCharsets.UTF_8);
        return new Reply(0, null, Integer.toString(header.length), ByteBuffer.allocate(header.length + tail.length).put(header).put(tail).array());
    }

    private void assertRefused(Reply request, String why) throws Exception {
        Reply reply = infer("mlp", request.body(), request.headerLength());
        assertEquals(400, reply.status(), why);
        assertTrue(reply.json().get("error").asText().contains(why), why + ": " + reply.json());
    }

    private Reply infer(String model, byte[] body, String headerLength) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v2/models/" + model + "/infer"))
                .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        request.header("Content-Type", headerLength == null ? "application/json" : "application/octet-stream");
        if (headerLength != null) {
            request.header("Inference-Header-Content-Length", headerLength);
        }
        HttpResponse<byte[]> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        return new Reply(response.statusCode(), response.headers().firstValue("Content-Type").orElse(null),
                response.headers().firstValue("Inference-Header-Content-Length").orElse(null), response.body());
    }

    /** Four elements of a datatype in raw form, every byte different where the datatype allows. */
    static byte[] raw(DataType type) {
        if (type == DataType.BYTES) {
            return KServeWire.bytesTensor("ab", "", "c", "d\u00e9f");
        }
        byte[] bytes = new byte[4 * type.elementSize()];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (type == DataType.BOOL ? i % 2 : i * 37 + 5);
        }
        return bytes;
    }
}
