package dev.capstan.serve.rest;

import dev.capstan.serve.ServeException;
import dev.capstan.serve.tensor.DataType;
import dev.capstan.serve.tensor.InvalidTensorException;
import dev.capstan.serve.tensor.RawForm;
import dev.capstan.serve.tensor.Shapes;
import dev.capstan.serve.tensor.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The raw tensor bytes that follow the JSON header of a request in the binary tensor extension's
 * form (the header's length in {@code Inference-Header-Content-Length}). Inputs with
 * {@code parameters.binary_data_size} take their data from it in the order they appear, each
 * checked against its shape and datatype before a byte is copied; nothing past the body is read,
 * and every byte must be claimed.
 */
final class BinaryTensorData {
    static final String HEADER = "Inference-Header-Content-Length";

    private final byte[] body;
    private final int end;
    private int next;

    BinaryTensorData(byte[] body, int start, int end) {
        this.body = body;
        this.next = start;
        this.end = end;
    }

    /** The JSON header's length, from the HTTP header's value: a decimal integer no larger than the body. */
    static int headerLength(String value, int bodyLength) {
        String text = value.trim();
        if (text.isEmpty() || text.length() > 10 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw ServeException.badRequest(HEADER + " must be a non-negative integer, not '" + abbreviated(text) + "'");
        }
        long length = Long.parseLong(text);
        if (length > bodyLength) {
            throw ServeException.badRequest(HEADER + " is " + length + " but the body has only " + bodyLength + " bytes");
        }
        return (int) length;
    }

    /** The next {@code size} bytes as the data of input {@code name}. */
    Tensor take(String name, DataType type, long[] shape, long size) {
        int left = end - next;
        if (size > left) {
            throw new InvalidTensorException("input '" + name + "': parameters.binary_data_size is " + size + " but only " + left
                    + " bytes of binary data are left in the body");
        }
        ByteBuffer raw = ByteBuffer.wrap(body, next, (int) size).order(ByteOrder.LITTLE_ENDIAN);
        Tensor tensor;
        if (type == DataType.BYTES) {
            long count = Shapes.elementCount(shape, size / 4 + 1);
            tensor = Tensor.ofBytes(name, shape, RawForm.splitBytes(name, raw, count));
        } else {
            long count = Shapes.elementCount(shape, Tensor.MAX_ELEMENTS);
            if (count * type.elementSize() != size) {
                throw new InvalidTensorException("input '" + name + "' has shape " + Arrays.toString(shape) + " (" + count + " elements of "
                        + type + ", " + count * type.elementSize() + " bytes) but parameters.binary_data_size is " + size);
            }
            // a copy: the body's buffer goes back to Netty's pool once the request is decoded
            ByteBuffer copy = ByteBuffer.allocate((int) size).order(ByteOrder.LITTLE_ENDIAN).put(raw);
            tensor = Tensor.of(name, type, shape, copy.flip());
        }
        next += (int) size;
        return tensor;
    }

    /** Refuses bytes that no input claimed. */
    void requireConsumed() {
        if (next != end) {
            throw ServeException.badRequest("the body has " + (end - next) + " bytes of binary data after the JSON header that no input's "
                    + "parameters.binary_data_size claims");
        }
    }

    private static String abbreviated(String text) {
        return text.length() <= 24 ? text : text.substring(0, 24) + "…";
    }
}
