package dev.capstan.serve.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.capstan.serve.ModelServer;
import dev.capstan.serve.ServerConfig;
import dev.capstan.serve.TestingModels;
import dev.capstan.serve.transport.ConnectionLimits;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * HTTP/1.1 connection handling a plain socket client can rely on: pipelined requests are answered
 * in the order they were sent, and none is cut off by the idle timer while it waits its turn; a
 * client that half-closes after its request still gets the answer; a body that trickles in too
 * slowly gets a 408 instead of holding the connection for as long as each pause stays short.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConnectionHandlingTest {
    private static final String BODY = "{\"inputs\":[{\"name\":\"in_x\",\"shape\":[1,2],\"datatype\":\"FP32\",\"data\":[1,2]}]}";
    private static final Pattern STATUS = Pattern.compile("HTTP/1\\.1 (\\d{3})");
    private ModelServer server;
    private int port;

    @BeforeAll
    void start() throws Exception {
        Path temp = Files.createTempDirectory("connections");
        ConnectionLimits limits = ConnectionLimits.defaults().withIdleTimeout(Duration.ofSeconds(1))
                .withHeaderTimeout(Duration.ofSeconds(1));
        server = ModelServer.start(ServerConfig.defaults().withHost("127.0.0.1").withPorts(0, -1).withConnections(limits), List.of(
                new ModelServer.ModelSource(TestingModels.echo(temp, "slow", 1_500, null), null)));
        port = server.httpPort();
    }

    @AfterAll
    void stop() {
        server.close();
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrderAndNoneIsCutOffWhileItWaits() throws Exception {
        try (Socket client = new Socket("127.0.0.1", port)) {
            client.setSoTimeout(60_000);
            String infer = post("/v2/models/slow/infer", BODY, false);
            String live = "GET /v2/health/live HTTP/1.1\r\nHost: x\r\n\r\n";
            String last = post("/v2/models/slow/infer", BODY, true);
            // one write: the slow answer first, a fast one behind it, and a slow one that outlasts the idle timeout
            client.getOutputStream().write((infer + live + last).getBytes(StandardCharsets.US_ASCII));
            client.getOutputStream().flush();
            String answers = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(List.of("200", "200", "200"), statuses(answers), answers);
            int firstOutputs = answers.indexOf("\"outputs\"");
            int secondOutputs = answers.indexOf("\"outputs\"", firstOutputs + 1);
            int liveAnswer = answers.indexOf("HTTP/1.1 200", answers.indexOf("HTTP/1.1 200") + 1);
            assertTrue(firstOutputs > 0 && firstOutputs < liveAnswer && liveAnswer < secondOutputs,
                    "answers in the order of the requests: " + answers);
        }
    }

    @Test
    void aClientThatHalfClosesAfterItsRequestStillGetsTheAnswer() throws Exception {
        try (Socket client = new Socket("127.0.0.1", port)) {
            client.setSoTimeout(60_000);
            client.getOutputStream().write(post("/v2/models/slow/infer", BODY, false).getBytes(StandardCharsets.US_ASCII));
            client.shutdownOutput();
            String answer = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(List.of("200"), statuses(answer), answer);
            assertTrue(answer.contains("\"outputs\""), answer);
        }
    }

    @Test
    void aBodyThatTricklesInGets408() throws Exception {
        try (Socket client = new Socket("127.0.0.1", port)) {
            client.setSoTimeout(60_000);
            OutputStream out = client.getOutputStream();
            InputStream in = client.getInputStream();
            out.write(("POST /v2/models/slow/infer HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 100000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            // each pause (0.3 s) stays well inside the idle timeout (1 s); the rate never reaches the minimum
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            try {
                while (in.available() == 0 && System.nanoTime() < deadline) {
                    out.write(' ');
                    out.flush();
                    Thread.sleep(300);
                }
            } catch (java.io.IOException closed) {
                // the server answered and closed while we were still sending
            }
            String answer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(List.of("408"), statuses(answer), answer);
            assertTrue(answer.contains("{\"error\":") && answer.contains("bytes/s"), answer);
        }
    }

    private static String post(String path, String body, boolean close) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return "POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: " + bytes.length
                + "\r\n" + (close ? "Connection: close\r\n" : "") + "\r\n" + body;
    }

    private static List<String> statuses(String answers) {
        List<String> found = new ArrayList<>();
        Matcher m = STATUS.matcher(answers);
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }
}
