package dev.capstan.gateway;

import io.grpc.Status;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.AsciiString;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** gRPC's HTTP/2 header fields as the gateway reads and writes them: statuses, the deadline, the content type. */
final class GrpcHeaders {
    static final AsciiString CONTENT_TYPE = AsciiString.cached("application/grpc");
    static final AsciiString GRPC_STATUS = AsciiString.cached("grpc-status");
    static final AsciiString GRPC_MESSAGE = AsciiString.cached("grpc-message");
    static final AsciiString GRPC_TIMEOUT = AsciiString.cached("grpc-timeout");
    static final AsciiString GRPC_ENCODING = AsciiString.cached("grpc-encoding");
    /** Metadata naming the namespace of the model; without it, the service is found by name. */
    static final AsciiString NAMESPACE = AsciiString.cached("capstan-namespace");
    /** The longest deadline grpc-timeout can carry in nanoseconds (8 digits); longer ones are sent in coarser units. */
    private static final long MAX_TIMEOUT_DIGITS = 99_999_999L;

    private GrpcHeaders() {
    }

    /** A whole answer in one HEADERS frame: HTTP 200 and the gRPC status (a call that ends before any message). */
    static Http2Headers trailersOnly(Status.Code code, String message) {
        Http2Headers headers = new DefaultHttp2Headers().status(AsciiString.of("200"));
        headers.set(io.netty.handler.codec.http.HttpHeaderNames.CONTENT_TYPE, CONTENT_TYPE);
        return withStatus(headers, code, message);
    }

    /** The trailers that end an answer already begun. */
    static Http2Headers trailers(Status.Code code, String message) {
        return withStatus(new DefaultHttp2Headers(), code, message);
    }

    private static Http2Headers withStatus(Http2Headers headers, Status.Code code, String message) {
        headers.setInt(GRPC_STATUS, code.value());
        if (message != null && !message.isEmpty()) {
            headers.set(GRPC_MESSAGE, percentEncoded(message));
        }
        return headers;
    }

    /** gRPC's grpc-message encoding: printable ASCII other than '%' as it is, every other byte of the UTF-8 form as %XX. */
    static String percentEncoded(String message) {
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder(bytes.length);
        for (byte b : bytes) {
            if (b >= 0x20 && b < 0x7f && b != '%') {
                out.append((char) b);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xf, 16)))
                        .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
            }
        }
        return out.toString();
    }

    /** The status code an answer's headers or trailers carry, or null when they carry none. */
    static Status.Code status(Http2Headers headers) {
        CharSequence value = headers.get(GRPC_STATUS);
        if (value == null) {
            return null;
        }
        try {
            return Status.fromCodeValue(Integer.parseInt(value.toString())).getCode();
        } catch (NumberFormatException e) {
            return Status.Code.UNKNOWN;
        }
    }

    /** A grpc-timeout value (1 to 8 digits and a unit: H, M, S, m, u, n) in nanoseconds; -1 when absent or malformed. */
    static long timeoutNanos(CharSequence value) {
        if (value == null || value.length() < 2 || value.length() > 9) {
            return -1;
        }
        long amount = 0;
        for (int i = 0; i < value.length() - 1; i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            amount = amount * 10 + (c - '0');
        }
        TimeUnit unit = switch (value.charAt(value.length() - 1)) {
            case 'H' -> TimeUnit.HOURS;
            case 'M' -> TimeUnit.MINUTES;
            case 'S' -> TimeUnit.SECONDS;
            case 'm' -> TimeUnit.MILLISECONDS;
            case 'u' -> TimeUnit.MICROSECONDS;
            case 'n' -> TimeUnit.NANOSECONDS;
            default -> null;
        };
        return unit == null ? -1 : unit.toNanos(amount);
    }

    /** {@code nanos} as a grpc-timeout value, in the finest unit that fits in 8 digits. */
    static String timeoutValue(long nanos) {
        long value = Math.max(1, nanos);
        if (value <= MAX_TIMEOUT_DIGITS) {
            return value + "n";
        }
        if ((value /= 1000) <= MAX_TIMEOUT_DIGITS) {
            return value + "u";
        }
        if ((value /= 1000) <= MAX_TIMEOUT_DIGITS) {
            return value + "m";
        }
        if ((value /= 1000) <= MAX_TIMEOUT_DIGITS) {
            return value + "S";
        }
        return Math.min(MAX_TIMEOUT_DIGITS, value / 3600) + "H";
    }
}
