package dev.capstan.serve.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.capstan.serve.ModelServer;
import dev.capstan.serve.ServerConfig;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** HEAD on the health endpoints answers as GET does, less the body, so a connection carries on after it. */
class HeadRequestTest {
    @ParameterizedTest
    @ValueSource(strings = {"live", "ready"})
    void headOnHealthHasGetsStatusAndHeadersButNoBody(String check) throws Exception {
        try (ModelServer server = ModelServer.start(ServerConfig.defaults().withHost("127.0.0.1").withPorts(0, -1), List.of());
             Socket socket = new Socket("127.0.0.1", server.httpPort())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("HEAD /v2/health/" + check + " HTTP/1.1\r\nHost: capstan\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String head = readResponseHeaders(socket);
            // then a GET on the same connection: had HEAD's answer carried a body, this would read it instead
            out.write(("GET /v2/health/" + check + " HTTP/1.1\r\nHost: capstan\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String rest = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String body = "{\"" + check + "\":true}";
            assertTrue(head.startsWith("HTTP/1.1 200"), head);
            assertTrue(head.toLowerCase().contains("content-length: " + body.length()), head);
            assertTrue(rest.startsWith("HTTP/1.1 200"), rest);
            assertTrue(rest.endsWith("\r\n\r\n" + body), rest);
            assertEquals(1, rest.split("HTTP/1.1", -1).length - 1, rest);
        }
    }

    /** Reads up to and including the blank line that ends a response's headers, and not a byte more. */
    private static String readResponseHeaders(Socket socket) throws Exception {
        StringBuilder text = new StringBuilder();
        while (!text.toString().endsWith("\r\n\r\n")) {
            int b = socket.getInputStream().read();
            if (b < 0) {
                break;
            }
            text.append((char) b);
        }
        return text.toString();
    }
}
