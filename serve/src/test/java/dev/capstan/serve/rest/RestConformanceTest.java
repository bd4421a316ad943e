package dev.capstan.serve.rest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.capstan.serve.Fixtures;
import dev.capstan.serve.Http;
import dev.capstan.serve.ModelServer;
import dev.capstan.serve.ServerConfig;
import dev.capstan.serve.TestingModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every REST endpoint of the protocol against real engines and a real HTTP client (and curl). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RestConformanceTest {
    private ModelServer server;
    private int port;

    @BeforeAll
    void start() throws Exception {
        Path temp = Files.createTempDirectory("rest-conformance");
        server = ModelServer.start(ServerConfig.defaults().withHost("127.0.0.1").withPorts(0, -1), List.of(
                new ModelServer.ModelSource(Fixtures.dir("mlp"), "mlp"),
                new ModelServer.ModelSource(Fixtures.dir("mlp-torchscript"), "mlp-ts"),
                new ModelServer.ModelSource(Fixtures.dir("identity"), "identity"),
                new ModelServer.ModelSource(TestingModels.echoAllTypes(temp, "echo", 0, null), null)));
        port = server.httpPort();
    }

    @AfterAll
    void stop() {
        server.close();
    }

    @Test
    void serverMetadataLiveAndReady() throws Exception {
        Http.Reply meta = Http.get(port, "/v2");
        assertEquals(200, meta.status());
        assertEquals("capstan", meta.json().get("name").asText());
        assertTrue(meta.json().get("version").isTextual());
        assertTrue(meta.json().get("extensions").isArray());
        assertEquals("{\"live\":true}", Http.get(port, "/v2/health/live").text());
        assertEquals("{\"ready\":true}", Http.get(port, "/v2/health/ready").text());
    }

    @Test
    void modelMetadataComesFromTheModel() throws Exception {
        JsonNode meta = Http.get(port, "/v2/models/mlp").json();
        assertEquals("mlp", meta.get("name").asText());
        assertEquals("onnxruntime_onnx", meta.get("platform").asText());
        assertEquals("1", meta.get("versions").get(0).asText());
        JsonNode input = meta.get("inputs").get(0);
        assertEquals("input", input.get("name").asText());
        assertEquals("FP32", input.get("datatype").asText());
        assertEquals("[-1,4]", input.get("shape").toString());
        assertEquals("[-1,3]", meta.get("outputs").get(0).get("shape").toString());
        assertEquals(meta, Http.get(port, "/v2/models/mlp/versions/1").json());
        assertEquals("pytorch_torchscript", Http.get(port, "/v2/models/mlp-ts").json().get("platform").asText());
    }

    @Test
    void modelReady() throws Exception {
        assertEquals("{\"name\":\"mlp\",\"ready\":true}", Http.get(port, "/v2/models/mlp/ready").text());
        assertEquals(200, Http.get(port, "/v2/models/echo/versions/3/ready").status());
        assertEquals(404, Http.get(port, "/v2/models/echo/versions/4/ready").status());
        assertEquals(404, Http.get(port, "/v2/models/nope/ready").status());
    }

    @ParameterizedTest
    @CsvSource({"mlp,input", "mlp-ts,input__0"})
    void inferFlatAndNestedMatchTorch(String model, String inputName) throws Exception {
        JsonNode expected = Fixtures.expectedMlp();
        float[] want = Fixtures.flatFloats(expected.get("output"));
        String nested = expected.get("input").toString();
        String flat = Http.JSON.writeValueAsString(Fixtures.flatFloats(expected.get("input")));
        for (String data : List.of(nested, flat)) {
            Http.Reply reply = Http.post(port, "/v2/models/" + model + "/infer", "{\"id\":\"req-1\",\"inputs\":[{\"name\":\"" + inputName
                    + "\",\"shape\":[3,4],\"datatype\":\"FP32\",\"data\":" + data + "}]}");
            assertEquals(200, reply.status(), reply.text());
            assertEquals(model, reply.json().get("model_name").asText());
            assertEquals("req-1", reply.json().get("id").asText());
            JsonNode output = reply.json().get("outputs").get(0);
            assertEquals("FP32", output.get("datatype").asText());
            assertEquals("[3,3]", output.get("shape").toString());
            float[] got = Http.JSON.treeToValue(output.get("data"), float[].class);
            assertArrayEquals(want, got, 1e-5f);
        }
    }

    @Test
    void dataBeforeShapeAndVersionedPathAndRequestedOutputs() throws Exception {
        Http.Reply reply = Http.post(port, "/v2/models/mlp/versions/1/infer",
                "{\"inputs\":[{\"data\":[1,2,3,4],\"datatype\":\"FP32\",\"name\":\"input\",\"shape\":[1,4]}],\"outputs\":[{\"name\":\"output\"}]}");
        assertEquals(200, reply.status(), reply.text());
        assertEquals("1", reply.json().get("model_version").asText());
        assertTrue(reply.json().get("id").asText().length() > 0);
        assertEquals(1, reply.json().get("outputs").size());
    }

    /** One value table per datatype, nested [2, 2]; shared with the gRPC conformance test. */
    public static final String[][] TYPED_DATA = {
            {"BOOL", "[[true,false],[false,true]]"},
            {"UINT8", "[[0,255],[1,2]]"},
            {"UINT16", "[[0,65535],[1,2]]"},
            {"UINT32", "[[0,4294967295],[1,2]]"},
            {"UINT64", "[[0,18446744073709551615],[1,2]]"},
            {"INT8", "[[-128,127],[0,1]]"},
            {"INT16", "[[-32768,32767],[0,1]]"},
            {"INT32", "[[-2147483648,2147483647],[0,1]]"},
            {"INT64", "[[-9223372036854775808,9223372036854775807],[0,1]]"},
            {"FP16", "[[1.5,-2.0],[0.25,65504.0]]"},
            {"FP32", "[[1.5,-2.25],[3.0E-5,1.0E20]]"},
            {"FP64", "[[1.5,-2.25],[1.0E-300,1.0E300]]"},
            {"BF16", "[[1.5,-2.0],[0.25,-0.0078125]]"},
            {"BYTES", "[[\"a\",\"\"],[\"h\u00e9llo\",\"x y\"]]"}};

    @Test
    void everyDatatypeRoundTrips() throws Exception {
        // the echo engine carries every datatype; ONNX Runtime's identity model those its Java API can feed
        roundTrip("echo", List.of());
        roundTrip("identity", List.of("UINT16", "UINT32", "UINT64", "BF16"));
    }

    private void roundTrip(String model, List<String> skip) throws Exception {
        StringBuilder body = new StringBuilder("{\"inputs\":[");
        for (String[] typed : TYPED_DATA) {
            if (!skip.contains(typed[0])) {
                body.append(body.charAt(body.length() - 1) == '[' ? "" : ",").append("{\"name\":\"in_").append(typed[0])
                        .append("\",\"shape\":[2,2],\"datatype\":\"").append(typed[0]).append("\",\"data\":").append(typed[1]).append('}');
            }
        }
        body.append("]}");
        Http.Reply reply = Http.post(port, "/v2/models/" + model + "/infer", body.toString());
        assertEquals(200, reply.status(), model + ": " + reply.text());
        java.util.Map<String, JsonNode> outputs = new java.util.HashMap<>();
        reply.json().get("outputs").forEach(o -> outputs.put(o.get("name").asText(), o));
        for (String[] typed : TYPED_DATA) {
            if (skip.contains(typed[0])) {
                continue;
            }
            JsonNode output = outputs.get("out_" + typed[0]);
            assertEquals(typed[0], output.get("datatype").asText());
            assertEquals("[2,2]", output.get("shape").toString());
            List<JsonNode> flat = new java.util.ArrayList<>();
            Http.JSON.readTree(typed[1]).forEach(row -> row.forEach(flat::add));
            assertEquals(Http.JSON.valueToTree(flat).toString(), output.get("data").toString(), model + " " + typed[0]);
        }
    }

    @Test
    void curlInfersAndReadsHealth() throws Exception {
        String body = "{\"inputs\":[{\"name\":\"input\",\"shape\":[1,4],\"datatype\":\"FP32\",\"data\":[0.5,-1.0,2.0,0.25]}]}";
        Process curl = new ProcessBuilder("curl", "-sS", "-w", "\\n%{http_code}", "-H", "Content-Type: application/json",
                "--data-binary", body, "http://127.0.0.1:" + port + "/v2/models/mlp/infer").redirectErrorStream(true).start();
        assertTrue(curl.waitFor(30, TimeUnit.SECONDS));
        String[] lines = new String(curl.getInputStream().readAllBytes()).split("\n");
        assertEquals("200", lines[lines.length - 1]);
        JsonNode reply = Http.JSON.readTree(lines[0]);
        float[] got = Http.JSON.treeToValue(reply.get("outputs").get(0).get("data"), float[].class);
        float[] want = java.util.Arrays.copyOf(Fixtures.flatFloats(Fixtures.expectedMlp().get("output")), 3);
        assertArrayEquals(want, got, 1e-5f);
    }
}
