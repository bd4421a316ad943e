package dev.capstan.gateway;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;

/**
 * The Open Inference Protocol's gRPC messages as the gateway handles them: as the bytes that came
 * in, passed on whole. Only the model name is read, straight from the wire form (field 1 of
 * ModelInferRequest, ModelReadyRequest and ModelMetadataRequest), without decoding the rest; only
 * the gateway's own answers are written.
 */
final class GrpcMessages {
    static final String SERVICE = "inference.GRPCInferenceService";
    /** A gRPC message's prefix: the compressed flag and the length. */
    static final int PREFIX_BYTES = 5;

    private GrpcMessages() {
    }

    /**
     * The string in field {@code field} of the protobuf message in {@code message}'s readable bytes,
     * or null when absent or the message is malformed; reads without moving the buffer's indexes.
     */
    static String stringField(ByteBuf message, int field) {
        int end = message.writerIndex();
        int[] at = {message.readerIndex()};
        while (at[0] < end) {
            long tag = varint(message, at, end);
            if (tag < 0) {
                return null;
            }
            int number = (int) (tag >>> 3);
            int wire = (int) (tag & 7);
            switch (wire) {
                case 0 -> {
                    if (varint(message, at, end) < 0) {
                        return null;
                    }
                }
                case 1 -> at[0] += 8;
                case 5 -> at[0] += 4;
                case 2 -> {
                    long length = varint(message, at, end);
                    if (length < 0 || length > end - at[0]) {
                        return null;
                    }
                    if (number == field) {
                        return message.toString(at[0], (int) length, StandardCharsets.UTF_8);
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
    private static long varint(ByteBuf message, int[] at, int end) {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (at[0] >= end) {
                return -1;
            }
            byte b = message.getByte(at[0]++);
            value |= (long) (b & 0x7f) << shift;
            if (b >= 0) {
                return value;
            }
        }
        return -1;
    }

    /** A length-prefixed, uncompressed message whose field 1 is the boolean {@code value} (ServerLiveResponse, ServerReadyResponse). */
    static ByteBuf flag(ByteBufAllocator alloc, boolean value) {
        ByteBuf out = alloc.buffer(PREFIX_BYTES + 2);
        if (value) {
            out.writeByte(0).writeInt(2).writeByte(0x08).writeByte(0x01);
        } else {
            out.writeByte(0).writeInt(0);
        }
        return out;
    }

    /** A length-prefixed ServerMetadataResponse {name = 1, version = 2}. */
    static ByteBuf serverMetadata(ByteBufAllocator alloc, String name, String version) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        byte[] v = version.getBytes(StandardCharsets.UTF_8);
        ByteBuf out = alloc.buffer(PREFIX_BYTES + 4 + n.length + v.length);
        out.writeByte(0).writeInt(4 + n.length + v.length); // short names only: one-byte lengths
        out.writeByte(1 << 3 | 2).writeByte(n.length).writeBytes(n);
        out.writeByte(2 << 3 | 2).writeByte(v.length).writeBytes(v);
        return out;
    }
}
