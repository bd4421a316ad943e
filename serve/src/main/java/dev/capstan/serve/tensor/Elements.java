package dev.capstan.serve.tensor;

import java.nio.ByteBuffer;

/** Reads one element of a little-endian raw buffer as a Java number, for any fixed-size datatype. */
public final class Elements {
    private Elements() {
    }

    public static double asDouble(DataType type, ByteBuffer data, int index) {
        int at = index * type.elementSize();
        return switch (type) {
            case BOOL, UINT8 -> data.get(at) & 0xff;
            case INT8 -> data.get(at);
            case UINT16 -> data.getShort(at) & 0xffff;
            case INT16 -> data.getShort(at);
            case FP16 -> Float.float16ToFloat(data.getShort(at));
            case BF16 -> BFloat16.toFloat(data.getShort(at));
            case UINT32 -> data.getInt(at) & 0xffffffffL;
            case INT32 -> data.getInt(at);
            case UINT64 -> unsignedToDouble(data.getLong(at));
            case INT64 -> data.getLong(at);
            case FP32 -> data.getFloat(at);
            case FP64 -> data.getDouble(at);
            case BYTES -> throw new IllegalArgumentException("BYTES has no numeric value");
        };
    }

    private static double unsignedToDouble(long value) {
        return value >= 0 ? value : (double) (value >>> 1) * 2.0 + (value & 1);
    }
}
