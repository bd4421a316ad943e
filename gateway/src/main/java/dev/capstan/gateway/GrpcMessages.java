package dev.capstan.gateway;

import io.grpc.MethodDescriptor;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The Open Inference Protocol's gRPC messages as the gateway handles them: as bytes, passed on
 * whole. Only the model name is read, straight from the wire form (field 1 of ModelInferRequest,
 * ModelReadyRequest and ModelMetadataRequest), without decoding the rest; only the gateway's own
 * answers are written.
 */
final class GrpcMessages {
    static final String SERVICE = "inference.GRPCInferenceService";

    static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };

    private GrpcMessages() {
    }

    static MethodDescriptor<byte[], byte[]> method(String name) {
        return MethodDescriptor.<byte[], byte[]>newBuilder()
                .setType(MethodDescriptor.MethodType.UNARY)
                .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, name))
                .setRequestMarshaller(BYTES)
                .setResponseMarshaller(BYTES)
                .build();
    }

    /** The string in field {@code field} of a protobuf message, or null when absent or the message is malformed. */
    static String stringField(byte[] message, int field) {
        int[] at = {0};
        while (at[0] < message.length) {
            long tag = varint(message, at);
            if (tag < 0) {
                return null;
            }
            int number = (int) (tag >>> 3);
            int wire = (int) (tag & 7);
            switch (wire) {
                case 0 -> {
                    if (varint(message, at) < 0) {
                        return null;
                    }
                }
                case 1 -> at[0] += 8;
                case 5 -> at[0] += 4;
                case 2 -> {
                    long length = varint(message, at);
                    if (length < 0 || length > message.length - at[0]) {
                        return null;
                    }
                    if (number == field) {
                        return new String(message, at[0], (int) length, StandardCharsets.UTF_8);
                    }
                    at[0] += (int) length;
                }
                default -> {
                    return null;
                }
            }
        }
        return null;
    }

    /** Reads a varint at {@code at[0]} and moves past it; -1 when truncated or longer than 10 bytes. */
    private static long varint(byte[] message, int[] at) {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (at[0] >= message.length) {
                return -1;
            }
            byte b = message[at[0]++];
            value |= (long) (b & 0x7f) << shift;
            if (b >= 0) {
                return value;
            }
        }
        return -1;
    }

    /** A message whose field 1 is the boolean {@code value} (ServerLiveResponse, ServerReadyResponse). */
    static byte[] flag(boolean value) {
        return value ? new byte[] {0x08, 0x01} : new byte[0];
    }

    /** ServerMetadataResponse {name = 1, version = 2}. */
    static byte[] serverMetadata(String name, String version) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writeString(out, 1, name);
        writeString(out, 2, version);
        return out.toByteArray();
    }

    private static void writeString(ByteArrayOutputStream out, int field, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        out.write(field << 3 | 2);
        out.write(bytes.length); // short names only: one-byte length
        out.write(bytes, 0, bytes.length);
    }
}
