package dev.capstan.serve.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.capstan.serve.Fixtures;
import dev.capstan.serve.Http;
import dev.capstan.serve.ModelServer;
import dev.capstan.serve.ServerConfig;
import dev.capstan.serve.TestingModels;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bad input always gets a 4xx with a JSON error, never a 500 or a hang. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RestBadInputTest {
    private static final int LIMIT = 64 * 1024;
    private ModelServer server;
    private int port;

    @BeforeAll
    void start() throws Exception {
        Path temp = Files.createTempDirectory("bad-input");
        server = ModelServer.start(ServerConfig.defaults().withHost("127.0.0.1").withPorts(0, -1).withMaxBodyBytes(LIMIT), List.of(
                new ModelServer.ModelSource(Fixtures.dir("mlp"), "mlp"),
                new ModelServer.ModelSource(TestingModels.echo(temp, "slow", 60_000, null), null)));
        port = server.httpPort();
    }

    @AfterAll
    void stop() {
        server.close();
    }

    private static final String OK_INPUT = "{\"name\":\"input\",\"shape\":[1,4],\"datatype\":\"FP32\",\"data\":[1,2,3,4]}";

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "not JSON|400|{inputs",
            "not an object|400|[1,2]",
            "trailing content|400|{\"inputs\":[" + OK_INPUT + "]} {}",
            "no inputs|400|{}",
            "empty inputs|400|{\"inputs\":[]}",
            "inputs not array|400|{\"inputs\":{}}",
            "shape/data mismatch, fewer|400|{\"inputs\":[{\"name\":\"input\",\"shape\":[1,4],\"datatype\":\"FP32\",\"data\":[1,2,3]}]}",
            "shape/data mismatch, more|400|{\"inputs\":[{\"name\":\"input\",\"shape\":[1,4],\"datatype\":\"FP32\",\"data\":[1,2,3,4,5]}]}",
            "unknown datatype|400|{\"inputs\":[{\"name\":\"input\",\"shape\":[1,4],\"datatype\":\"FP128\",\"data\":[1,2,3,4]}]}",
            "wrong datatype for model|400|{\"inputs\":[{\"name\":\"input\",\"shape\":[1,4],\"datatype\":\"FP64\",\"data\":[1,2,3,4]}]}",
            "shape overflow|400|{\"inputs\":[{\"name\":\"input\",\"shape\":[9223372036854775807,9223372036854775807],\"datatype\":\"FP32\",\"data\":[1]}]}",
            "huge shape, tiny body|400|{\"inputs\":[{\"name\":\"input\",\"shape\":[100000000,4],\"datatype\":\"FP32\",\"data\":[1]}]}",
            "negative dimension|400|{\"inputs\":[{\"name\":\"input\",\"shape\":[-1,4],\"datatype\":\"FP32\",\"data\":[1,2,3,4]}]}",
            "shape not integers|400|{\"inputs\":[{\"name\":\"input\",\"shape\":[\"a\"],\"datatype\":\"FP32\",\"data\":[1]}]}",
            "wrong rank for model|400|{\"inputs\":[{\"name\":\"input\",\"shape\":[4],\"datatype\":\"FP32\",\"data\":[1,2,3,4]}]}",
            "wrong input name|400|{\"inputs\":[{\"name\":\"nope\",\"shape\":[1,4],\"datatype\":\"FP32\",\"data\":[1,2,3,4]}]}",
            "missing input name|400|{\"inputs\":[{\"shape\":[1,4],\"datatype\":\"FP32\",\"data\":[1,2,3,4]}]}",
            "duplicate input|400|{\"inputs\":[" + OK_INPUT + "," + OK_INPUT + "]}",
            "missing data|400|{\"inputs\":[{\"name\":\"input\",\"shape\":[1,4],\"datatype\":\"FP32\"}]}",
            "string in FP32 data|400|{\"inputs\":[{\"name\":\"input\",\"shape\":[1,4],\"datatype\":\"FP32\",\"data\":[1,2,\"x\",4]}]}",
            "unknown output|400|{\"inputs\":[" + OK_INPUT + "],\"outputs\":[{\"name\":\"nope\"}]}",
            "id not a string|400|{\"id\":5,\"inputs\":[" + OK_INPUT + "]}"})
    void badBodiesGet400(String why, int status, String body) throws Exception {
        assertJsonError(status, Http.post(port, "/v2/models/mlp/infer", body));
    }

    @Test
    void integersOutOfRangeFor400() throws Exception {
        for (String[] typed : new String[][] {{"UINT8", "256"}, {"INT8", "-129"}, {"UINT64", "-1"}, {"INT64", "9223372036854775808"}, {"BOOL", "2"}}) {
            // the model takes FP32; range is checked while decoding, before the signature
            String body = "{\"inputs\":[{\"name\":\"input\",\"shape\":[1],\"datatype\":\"" + typed[0] + "\",\"data\":[" + typed[1] + "]}]}";
            assertJsonError(400, Http.post(port, "/v2/models/mlp/infer", body));
        }
    }

    @Test
    void jsonNestedTooDeep() throws Exception {
        String deep = "[".repeat(5000) + "1" + "]".repeat(5000);
        assertJsonError(400, Http.post(port, "/v2/models/mlp/infer",
                "{\"inputs\":[{\"name\":\"input\",\"shape\":[1,4],\"datatype\":\"FP32\",\"data\":" + deep + "}]}"));
    }

    @Test
    void unknownModelAndPaths() throws Exception {
        assertJsonError(404, Http.post(port, "/v2/models/nope/infer", "{\"inputs\":[" + OK_INPUT + "]}"));
        assertJsonError(404, Http.post(port, "/v2/models/mlp/versions/9/infer", "{\"inputs\":[" + OK_INPUT + "]}"));
        assertJsonError(404, Http.get(port, "/v3"));
        assertJsonError(405, Http.get(port, "/v2/models/mlp/infer"));
        assertJsonError(404, Http.post(port, "/v2/repository/models/mlp/load", "{}"));
    }

    @Test
    void modelNotReadyIs503() throws Exception {
        server.dispatcher().models().find("slow", null).markUnready();
        assertJsonError(503, Http.post(port, "/v2/models/slow/infer",
                "{\"inputs\":[{\"name\":\"in_x\",\"shape\":[1,2],\"datatype\":\"FP32\",\"data\":[1,2]}]}"));
        assertEquals(false, Http.get(port, "/v2/models/slow/ready").json().get("ready").asBoolean());
        assertEquals(503, Http.get(port, "/v2/health/ready").status());
    }

    @Test
    void bodyOverTheLimitIs413() throws Exception {
        String big = "{\"inputs\":[{\"name\":\"input\",\"shape\":[1,4],\"datatype\":\"FP32\",\"data\":[" + "1,".repeat(LIMIT) + "1]}]}";
        assertJsonError(413, Http.post(port, "/v2/models/mlp/infer", big));
    }

    @Test
    void the413IsNotLostWhileTheClientIsStillSending() throws Exception {
        // the answer comes as soon as the headers are read; closing at once would reset the
        // connection under the client's remaining body and could discard the answer
        String big = "{\"inputs\":[{\"name\":\"input\",\"shape\":[1,4],\"datatype\":\"FP32\",\"data\":[" + "1,".repeat(4 * LIMIT) + "1]}]}";
        for (int round = 0; round < 100; round++) {
            assertJsonError(413, Http.post(port, "/v2/models/mlp/infer", big));
        }
    }

    @Test
    void gzipBombIs413() throws Exception {
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        try (OutputStream gzip = new GZIPOutputStream(compressed)) {
            byte[] spaces = new byte[1024 * 1024];
            java.util.Arrays.fill(spaces, (byte) ' ');
            for (int i = 0; i < 64; i++) {
                gzip.write(spaces);
            }
        }
        assertTrue(compressed.size() < LIMIT, "the compressed body itself fits the limit");
        Http.Reply reply = Http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v2/models/mlp/infer"))
                .header("Content-Encoding", "gzip").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(compressed.toByteArray())));
        assertJsonError(413, reply);
    }

    @Test
    void claimedTenGigabyteBodyIsRefusedBeforeReading() throws Exception {
        long heapBefore = usedHeap();
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v2/models/mlp/infer HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 10737418240\r\n\r\n{\"inputs\":").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(response.startsWith("HTTP/1.1 413"), response);
            assertTrue(response.contains("{\"error\":"), response);
        }
        assertTrue(usedHeap() - heapBefore < 256L * 1024 * 1024, "heap stays bounded");
    }

    @Test
    void streamingChunkedBodyPastTheLimitIsCutOff() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v2/models/mlp/infer HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = ("4000\r\n" + " ".repeat(0x4000) + "\r\n").getBytes(StandardCharsets.US_ASCII);
            try {
                for (int i = 0; i < 1024; i++) {
                    out.write(chunk);
                }
            } catch (java.io.IOException closedByServer) {
                // the server answers and closes once the limit is passed
            }
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(response.startsWith("HTTP/1.1 413"), response);
        }
    }

    private static long usedHeap() {
        Runtime runtime = Runtime.getRuntime();
        return runtime.totalMemory() - runtime.freeMemory();
    }

    private static void assertJsonError(int status, Http.Reply reply) {
        assertEquals(status, reply.status(), reply.text());
        assertTrue(reply.json() != null && reply.json().get("error").isTextual(), reply.text());
    }
}
