package dev.capstan.gateway;

import dev.capstan.core.serving.ReplicaEndpoint;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A misbehaving replica on a raw socket, on 127.0.0.1: it reads each request's headers and
 * declared body, writes {@code answer} as it is (whatever framing that holds), then closes the
 * connection when {@code close} is set or keeps it open, saying nothing more, otherwise. An empty
 * answer without close is a replica that hangs. Its port also serves as a gRPC port that never speaks.
 */
final class TestingRawReplica implements AutoCloseable {
    private final ServerSocket server;
    private final List<Socket> open = new CopyOnWriteArrayList<>();

    TestingRawReplica(String answer, boolean close) throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    open.add(socket);
                    Thread.ofVirtual().start(() -> serve(socket, answer.getBytes(StandardCharsets.ISO_8859_1), close));
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    /** The endpoint with this socket as the REST and the gRPC port. */
    ReplicaEndpoint endpoint(String name) {
        return new ReplicaEndpoint(name, "127.0.0.1", server.getLocalPort(), server.getLocalPort());
    }

    private static void serve(Socket socket, byte[] answer, boolean close) {
        try {
            InputStream in = socket.getInputStream();
            int length = contentLength(headers(in));
            in.readNBytes(length);
            socket.getOutputStream().write(answer);
            socket.getOutputStream().flush();
            if (close) {
                socket.close();
            } else {
                in.transferTo(OutputStream.nullOutputStream()); // say nothing more until the gateway lets go
            }
        } catch (IOException e) {
            // the gateway let go
        }
    }

    private static String headers(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed before the headers ended");
            }
            head.write(b);
            matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : b == '\r' ? 1 : 0;
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    private static int contentLength(String head) {
        for (String line : head.split("\r\n")) {
            if (line.regionMatches(true, 0, "content-length:", 0, 15)) {
                return Integer.parseInt(line.substring(15).strip());
            }
        }
        return 0;
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket socket : open) {
            socket.close();
        }
    }
}
