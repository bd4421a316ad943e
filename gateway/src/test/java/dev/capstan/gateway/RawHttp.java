package dev.capstan.gateway;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** HTTP as a careless client writes it: raw bytes on a socket, and whatever comes back. */
final class RawHttp {
    /** What came back, and whether the gateway closed the connection (else the read gave up after the wait). */
    record Reply(String text, boolean closed) {
        String statusLine() {
            int end = text.indexOf("\r\n");
            return end < 0 ? text : text.substring(0, end);
        }

        String body() {
            int start = text.indexOf("\r\n\r\n");
            return start < 0 ? "" : text.substring(start + 4);
        }

        boolean hasHeader(String line) {
            int end = text.indexOf("\r\n\r\n");
            String head = (end < 0 ? text : text.substring(0, end)).toLowerCase();
            return head.contains("\r\n" + line.toLowerCase() + "\r\n") || head.endsWith("\r\n" + line.toLowerCase());
        }
    }

    private RawHttp() {
    }

    /** Writes {@code request} and reads until the gateway closes or nothing more comes for {@code quiet}. */
    static Reply exchange(int port, String request, Duration quiet) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout((int) quiet.toMillis());
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            try {
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    got.write(buffer, 0, n);
                }
                return new Reply(got.toString(StandardCharsets.ISO_8859_1), true);
            } catch (SocketTimeoutException e) {
                return new Reply(got.toString(StandardCharsets.ISO_8859_1), false);
            } catch (IOException e) {
                return new Reply(got.toString(StandardCharsets.ISO_8859_1), true); // reset
            }
        }
    }
}
