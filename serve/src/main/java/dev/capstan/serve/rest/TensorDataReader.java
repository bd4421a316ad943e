package dev.capstan.serve.rest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.capstan.serve.tensor.BFloat16;
import dev.capstan.serve.tensor.DataType;
import dev.capstan.serve.tensor.InvalidTensorException;
import dev.capstan.serve.tensor.Shapes;
import dev.capstan.serve.tensor.Tensor;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads an input's {@code data} (flat or nested, row-major) straight into the tensor's raw form,
 * checking each value against the datatype and the count against the shape. The parser stands on
 * the value of {@code data}.
 */
final class TensorDataReader {
    private static final BigInteger UINT64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    private final JsonParser parser;
    private final String name;
    private final DataType type;
    private final long[] shape;
    private final int count;
    private final ByteBuffer out;
    private final byte[][] strings;
    private int index;

    private TensorDataReader(JsonParser parser, String name, DataType type, long[] shape, long elementLimit) {
        this.parser = parser;
        this.name = name;
        this.type = type;
        this.shape = shape;
        // Every JSON value takes at least one byte, so a shape holding more elements than the body has bytes cannot match.
        long wanted = Shapes.elementCount(shape, Tensor.MAX_ELEMENTS);
        if (wanted > elementLimit) {
            throw new InvalidTensorException("input '" + name + "' has shape " + Arrays.toString(shape) + " (" + wanted
                    + " elements), more than the request's data can hold");
        }
        this.count = (int) wanted;
        this.out = type.isFixedSize() ? ByteBuffer.allocate(count * type.elementSize()).order(ByteOrder.LITTLE_ENDIAN) : null;
        this.strings = type.isFixedSize() ? null : new byte[count][];
    }

    static Tensor read(JsonParser parser, String name, DataType type, long[] shape, long elementLimit) throws IOException {
        TensorDataReader reader = new TensorDataReader(parser, name, type, shape, elementLimit);
        reader.value(parser.currentToken());
        if (reader.index != reader.count) {
            throw reader.mismatch();
        }
        if (type == DataType.BYTES) {
            return Tensor.ofBytes(name, shape, reader.strings);
        }
        reader.out.flip();
        return Tensor.of(name, type, shape, reader.out);
    }

    private void value(JsonToken token) throws IOException {
        if (token == JsonToken.START_ARRAY) {
            for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken()) {
                if (t == null) {
                    throw new InvalidTensorException("input '" + name + "': data ends early");
                }
                value(t);
            }
            return;
        }
        if (index >= count) {
            throw mismatch();
        }
        element(token);
        index++;
    }

    private InvalidTensorException mismatch() {
        return new InvalidTensorException("input '" + name + "' has shape " + Arrays.toString(shape) + " (" + count
                + " elements) but its data holds " + (index >= count ? "more" : Integer.toString(index)));
    }

    private void element(JsonToken token) throws IOException {
        switch (type) {
            case BOOL -> out.put((byte) (bool(token) ? 1 : 0));
            case UINT8 -> out.put((byte) integer(token, 0, 0xff));
            case INT8 -> out.put((byte) integer(token, Byte.MIN_VALUE, Byte.MAX_VALUE));
            case UINT16 -> out.putShort((short) integer(token, 0, 0xffff));
            case INT16 -> out.putShort((short) integer(token, Short.MIN_VALUE, Short.MAX_VALUE));
            case UINT32 -> out.putInt((int) integer(token, 0, 0xffffffffL));
            case INT32 -> out.putInt((int) integer(token, Integer.MIN_VALUE, Integer.MAX_VALUE));
            case INT64 -> out.putLong(integer(token, Long.MIN_VALUE, Long.MAX_VALUE));
            case UINT64 -> out.putLong(unsigned64(token));
            case FP16 -> out.putShort(Float.floatToFloat16((float) real(token)));
            case BF16 -> out.putShort(BFloat16.fromFloat((float) real(token)));
            case FP32 -> out.putFloat(fp32(token));
            case FP64 -> out.putDouble(fp64(token));
            case BYTES -> strings[index] = text(token);
        }
    }

    private boolean bool(JsonToken token) throws IOException {
        if (token == JsonToken.VALUE_TRUE || token == JsonToken.VALUE_FALSE) {
            return token == JsonToken.VALUE_TRUE;
        }
        throw wrongValue("true or false");
    }

    private long integer(JsonToken token, long min, long max) throws IOException {
        if (token != JsonToken.VALUE_NUMBER_INT) {
            throw wrongValue("an integer");
        }
        if (parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
            throw outOfRange();
        }
        long value = parser.getLongValue();
        if (value < min || value > max) {
            throw outOfRange();
        }
        return value;
    }

    private long unsigned64(JsonToken token) throws IOException {
        if (token != JsonToken.VALUE_NUMBER_INT) {
            throw wrongValue("an integer");
        }
        BigInteger value = parser.getBigIntegerValue();
        if (value.signum() < 0 || value.compareTo(UINT64_MAX) > 0) {
            throw outOfRange();
        }
        return value.longValue();
    }

    private float fp32(JsonToken token) throws IOException {
        if (token != JsonToken.VALUE_NUMBER_FLOAT && token != JsonToken.VALUE_NUMBER_INT) {
            throw wrongValue("a number");
        }
        long bits = DecimalText.floatBits(parser.getTextCharacters(), parser.getTextOffset(), parser.getTextLength());
        return bits != DecimalText.NOT_FAST ? Float.intBitsToFloat((int) bits) : parser.getFloatValue();
    }

    private double fp64(JsonToken token) throws IOException {
        if (token == JsonToken.VALUE_NUMBER_FLOAT || token == JsonToken.VALUE_NUMBER_INT) {
            long bits = DecimalText.doubleBits(parser.getTextCharacters(), parser.getTextOffset(), parser.getTextLength());
            if (bits != DecimalText.NOT_FAST) {
                return Double.longBitsToDouble(bits);
            }
        }
        return real(token);
    }

    private double real(JsonToken token) throws IOException {
        if (token != JsonToken.VALUE_NUMBER_FLOAT && token != JsonToken.VALUE_NUMBER_INT) {
            throw wrongValue("a number");
        }
        return parser.getDoubleValue();
    }

    private byte[] text(JsonToken token) throws IOException {
        if (token != JsonToken.VALUE_STRING) {
            throw wrongValue("a string");
        }
        return parser.getText().getBytes(StandardCharsets.UTF_8);
    }

    private InvalidTensorException wrongValue(String wanted) throws IOException {
        return new InvalidTensorException("input '" + name + "' is " + type + " but element " + index + " ("
                + parser.getText() + ") is not " + wanted);
    }

    private InvalidTensorException outOfRange() throws IOException {
        return new InvalidTensorException("input '" + name + "': element " + index + " (" + parser.getText() + ") is out of range for " + type);
    }
}
