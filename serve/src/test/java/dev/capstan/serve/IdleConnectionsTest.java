package dev.capstan.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.capstan.serve.fetch.WorkArea;
import dev.capstan.serve.grpc.proto.GRPCInferenceServiceGrpc;
import dev.capstan.serve.grpc.proto.InferTensorContents;
import dev.capstan.serve.grpc.proto.ModelInferRequest;
import dev.capstan.serve.grpc.proto.ModelInferResponse;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * A server process with a 256 file descriptor limit, and more idle connections than it can hold:
 * it keeps serving REST and gRPC, while they are open (idle ones are shed) and after they close.
 */
class IdleConnectionsTest {
    private static final int DESCRIPTOR_LIMIT = 256;
    private static final int IDLE_CONNECTIONS = 400;
    private static final int IDLE_GRPC_CONNECTIONS = 600;
    /** The client connection preface and an empty SETTINGS frame (RFC 9113 §3.4, §6.5). */
    private static final byte[] HTTP2_PREFACE_AND_EMPTY_SETTINGS = concat("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII),
            new byte[] {0, 0, 0, 4, 0, 0, 0, 0, 0});
    private static final String BODY = "{\"inputs\":[{\"name\":\"in_x\",\"shape\":[1,2],\"datatype\":\"FP32\",\"data\":[1,2]}]}";

    @Test
    void theDerivedCapKeepsIdleConnectionsFromExhaustingDescriptors() throws Exception {
        try (ServerProcess server = ServerProcess.start(List.of())) {
            assertTrue(server.output().contains("capstan-serve connections: at most "), server.output());
            servesThroughIdleConnections(server);
            String metrics = Http.get(server.restPort(), "/metrics").text();
            assertTrue(metrics.matches("(?s).*capstan_serve_connections_shed_total [1-9].*"), metrics);
        }
    }

    @Test
    void acceptingPastTheDescriptorLimitBacksOffShedsAndRecovers() throws Exception {
        // a cap the limit cannot honour: accepting fails with EMFILE, which must not stop the listeners
        try (ServerProcess server = ServerProcess.start(List.of("--max-connections", "5000"))) {
            servesThroughIdleConnections(server);
            assertTrue(server.output().contains("cannot accept a connection"), server.output());
        }
    }

    @Test
    void idleGrpcConnectionsAreShedLikeRestOnes() throws Exception {
        // half only connect, half also send the HTTP/2 preface and SETTINGS; none ever reads, so a
        // graceful close (GOAWAY, then a PING no one answers) would hold each descriptor for seconds
        try (ServerProcess server = ServerProcess.start(List.of())) {
            inferOverRest(server);
            inferOverGrpc(server);
            List<SocketChannel> idle = new ArrayList<>();
            try {
                for (int i = 0; i < IDLE_GRPC_CONNECTIONS; i++) {
                    idle.add(connectIdleGrpc(server.grpcPort(), i % 2 == 0));
                    if (i % 50 == 0) {
                        assertBelowDescriptorLimit(server);
                    }
                }
                // the listener has taken in every one (not just the kernel's backlog): all but the cap were shed
                awaitClosedByServer(idle, IDLE_GRPC_CONNECTIONS - server.cap(), server);
                assertBelowDescriptorLimit(server);
                inferOverRest(server);
                inferOverGrpc(server);
                assertBelowDescriptorLimit(server);
            } finally {
                for (SocketChannel socket : idle) {
                    socket.close();
                }
            }
            inferOverRest(server);
            inferOverGrpc(server);
            String output = server.output();
            assertFalse(output.contains("cannot accept a connection"), "the cap keeps descriptors from running out: " + output);
        }
    }

    @Test
    void slowHeadersGet408AndSilentConnectionsAreClosed() throws Exception {
        try (ServerProcess server = ServerProcess.start(List.of("--header-timeout", "1s", "--idle-timeout", "2s"));
             Socket slow = new Socket("127.0.0.1", server.restPort());
             Socket silent = new Socket("127.0.0.1", server.restPort());
             Socket silentGrpc = new Socket("127.0.0.1", server.grpcPort())) {
            slow.setSoTimeout(60_000);
            silent.setSoTimeout(60_000);
            silentGrpc.setSoTimeout(60_000);
            OutputStream out = slow.getOutputStream();
            out.write("GET /v2/health/live HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush(); // the blank line that ends the headers never comes
            String response = new String(slow.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(response.startsWith("HTTP/1.1 408"), response);
            assertTrue(response.contains("{\"error\":"), response);
            assertEquals(-1, silent.getInputStream().read(), "an idle connection is closed after the idle timeout");
            // no HTTP/2 preface within the header timeout: gRPC's handshake timeout closes it (the
            // read returns at the end of the stream; a read timeout would fail the test)
            silentGrpc.getInputStream().readAllBytes();
            assertEquals(200, Http.post(server.restPort(), "/v2/models/echo/infer", BODY).status());
        }
    }

    @Test
    void aBodyAfter100ContinueIsTimedAsABody() throws Exception {
        // curl sends "Expect: 100-continue" before large bodies; the interim 100 ends no request
        try (ServerProcess server = ServerProcess.start(List.of("--header-timeout", "1s", "--idle-timeout", "30s"));
             Socket client = new Socket("127.0.0.1", server.restPort())) {
            client.setSoTimeout(60_000);
            OutputStream out = client.getOutputStream();
            InputStream in = client.getInputStream();
            byte[] body = BODY.getBytes(StandardCharsets.US_ASCII);
            out.write(("POST /v2/models/echo/infer HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nExpect: 100-continue\r\n"
                    + "Connection: close\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String interim = new String(in.readNBytes("HTTP/1.1 100 Continue\r\n\r\n".length()), StandardCharsets.US_ASCII);
            assertTrue(interim.startsWith("HTTP/1.1 100"), interim);
            out.write(body, 0, 10);
            out.flush();
            Thread.sleep(3_000); // a pause in the body longer than the header timeout, well within the idle timeout
            out.write(body, 10, body.length - 10);
            out.flush();
            String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(response.startsWith("HTTP/1.1 200"), response);
        }
    }

    private static void servesThroughIdleConnections(ServerProcess server) throws Exception {
        inferOverRest(server);
        inferOverGrpc(server);
        List<Socket> idle = new ArrayList<>();
        try {
            for (int i = 0; i < IDLE_CONNECTIONS; i++) {
                idle.add(new Socket("127.0.0.1", i % 4 == 0 ? server.grpcPort() : server.restPort()));
            }
            inferOverRest(server);
            inferOverGrpc(server);
        } finally {
            for (Socket socket : idle) {
                socket.close();
            }
        }
        inferOverRest(server);
        inferOverGrpc(server);
        assertTrue(server.process().isAlive(), server.output());
    }

    private static SocketChannel connectIdleGrpc(int port, boolean sendPreface) throws IOException {
        SocketChannel socket = SocketChannel.open();
        socket.socket().connect(new InetSocketAddress("127.0.0.1", port), 30_000);
        if (sendPreface) {
            try {
                socket.write(ByteBuffer.wrap(HTTP2_PREFACE_AND_EMPTY_SETTINGS));
            } catch (IOException shedAlready) {
                // the server may have shed it before the preface arrived
            }
        }
        socket.configureBlocking(false);
        return socket;
    }

    /** Polls until at least {@code count} of the connections have been closed by the server (end of stream or reset). */
    private static void awaitClosedByServer(List<SocketChannel> connections, int count, ServerProcess server) throws Exception {
        ByteBuffer discard = ByteBuffer.allocate(4096);
        Set<SocketChannel> closed = new HashSet<>();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (closed.size() < count) {
            assertTrue(System.nanoTime() < end, "the server closed " + closed.size() + " of the idle connections, not " + count
                    + ": " + server.output());
            for (SocketChannel connection : connections) {
                if (!closed.contains(connection) && closedByPeer(connection, discard)) {
                    closed.add(connection);
                }
            }
            Thread.sleep(20);
        }
    }

    private static boolean closedByPeer(SocketChannel connection, ByteBuffer discard) {
        try {
            int read;
            do {
                discard.clear();
                read = connection.read(discard);
            } while (read > 0);
            return read < 0;
        } catch (IOException reset) {
            return true;
        }
    }

    /** Counts the server's descriptors (its /proc entry): reaching the limit means accepting has failed. */
    private static void assertBelowDescriptorLimit(ServerProcess server) throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(server.process().pid()), "fd"))) {
            long open = fds.count();
            assertTrue(open < DESCRIPTOR_LIMIT - 8, "the server holds " + open + " of " + DESCRIPTOR_LIMIT + " descriptors");
        }
    }

    /** On a new connection: a pooled one may be among the idle ones shed. */
    private static void inferOverRest(ServerProcess server) throws Exception {
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            HttpResponse<String> reply = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.restPort()
                    + "/v2/models/echo/infer")).timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofString(BODY)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, reply.statusCode(), reply.body());
        }
    }

    private static void inferOverGrpc(ServerProcess server) throws InterruptedException {
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.grpcPort()).usePlaintext().build();
        try {
            ModelInferResponse reply = GRPCInferenceServiceGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS)
                    .modelInfer(ModelInferRequest.newBuilder().setModelName("echo").addInputs(ModelInferRequest.InferInputTensor.newBuilder()
                            .setName("in_x").setDatatype("FP32").addShape(1).addShape(2)
                            .setContents(InferTensorContents.newBuilder().addFp32Contents(1).addFp32Contents(2))).build());
            assertEquals(List.of(1f, 2f), reply.getOutputs(0).getContents().getFp32ContentsList());
        } finally {
            channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] both = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }

    /** {@code ServeMain} in a child JVM under {@code prlimit --nofile=256:256}, serving an echo model. */
    private record ServerProcess(Process process, Path temp, Path log, int restPort, int grpcPort) implements AutoCloseable {
        static ServerProcess start(List<String> options) throws Exception {
            Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/prlimit")), "prlimit is needed to lower the descriptor limit");
            Path temp = Files.createTempDirectory("idle-connections");
            Path model = TestingModels.echo(temp, "echo", 0, null);
            Path log = temp.resolve("server.log");
            String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
            List<String> command = new ArrayList<>(List.of("/usr/bin/prlimit", "--nofile=" + DESCRIPTOR_LIMIT + ":" + DESCRIPTOR_LIMIT,
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", classpath, "-Dai.djl.offline=true",
                    ServeMain.class.getName(), "--model-dir", model.toString(), "--host", "127.0.0.1", "--port", "0", "--grpc-port", "0"));
            command.addAll(options);
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (System.nanoTime() < end && process.isAlive()) {
                String out = Files.readString(log);
                java.util.regex.Matcher ready = java.util.regex.Pattern.compile("capstan-serve ready rest=(\\d+) grpc=(\\d+)").matcher(out);
                if (ready.find()) {
                    return new ServerProcess(process, temp, log, Integer.parseInt(ready.group(1)), Integer.parseInt(ready.group(2)));
                }
                Thread.sleep(20);
            }
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            String out = Files.readString(log);
            WorkArea.delete(temp);
            throw new AssertionError("server did not start: " + out);
        }

        String output() throws IOException {
            return Files.readString(log);
        }

        /** The connection cap the server printed. */
        int cap() throws IOException {
            java.util.regex.Matcher printed = java.util.regex.Pattern.compile("connections: at most (\\d+) open").matcher(output());
            assertTrue(printed.find(), output());
            return Integer.parseInt(printed.group(1));
        }

        @Override
        public void close() throws Exception {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            WorkArea.delete(temp);
        }
    }
}
