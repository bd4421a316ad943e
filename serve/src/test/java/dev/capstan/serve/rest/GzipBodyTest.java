package dev.capstan.serve.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.capstan.serve.Http;
import dev.capstan.serve.ModelServer;
import dev.capstan.serve.ServerConfig;
import dev.capstan.serve.TestingModels;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
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

/**
 * Compressed bodies are limited by what they inflate to, in total: a body within the limit is
 * served however much of it one compressed chunk holds, and one past it gets 413.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GzipBodyTest {
    private static final int LIMIT = 8 * 1024 * 1024;
    private ModelServer server;

    @BeforeAll
    void start() throws Exception {
        Path temp = Files.createTempDirectory("gzip-body");
        server = ModelServer.start(ServerConfig.defaults().withHost("127.0.0.1").withPorts(0, -1).withMaxBodyBytes(LIMIT),
                List.of(new ModelServer.ModelSource(TestingModels.echo(temp, "echo", 0, null), null)));
    }

    @AfterAll
    void stop() {
        server.close();
    }

    @Test
    void bodyInflatingPastOneMegabyteAtOnceIsServed() throws Exception {
        // 6 MiB of JSON whitespace compresses to a few KiB, so one read inflates to megabytes
        String body = "{\"inputs\":[{\"name\":\"in_x\",\"shape\":[1,2],\"datatype\":\"FP32\",\"data\":[1,2]}]"
                + " ".repeat(6 * 1024 * 1024) + "}";
        Http.Reply reply = postGzip(body.getBytes(StandardCharsets.UTF_8));
        assertEquals(200, reply.status(), reply.text());
        assertEquals(2, reply.json().get("outputs").get(0).get("data").get(1).asInt());
    }

    @Test
    void bodyInflatingPastTheLimitIs413() throws Exception {
        Http.Reply reply = postGzip(new byte[64 * 1024 * 1024]);
        assertEquals(413, reply.status(), reply.text());
        assertTrue(reply.json() != null && reply.json().get("error").isTextual(), reply.text());
    }

    private Http.Reply postGzip(byte[] plain) throws IOException, InterruptedException {
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(compressed)) {
            gzip.write(plain);
        }
        return Http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + "/v2/models/echo/infer"))
                .header("Content-Encoding", "gzip").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(compressed.toByteArray())));
    }
}
