package dev.capstan.serve.tensor;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.util.ArrayList;
import java.util.List;

/**
 * A tensor's raw form, as gRPC's raw contents and REST's binary tensor extension carry it: the
 * little-endian bytes of a fixed-size datatype, row-major; for BYTES, each element as a 4-byte
 * little-endian length followed by its bytes.
 */
public final class RawForm {
    private RawForm() {
    }

    /** The number of bytes {@link #write} writes. */
    public static long size(Tensor tensor) {
        if (tensor.type() != DataType.BYTES) {
            return tensor.data().remaining();
        }
        long size = 0;
        for (byte[] value : tensor.strings()) {
            size += 4 + value.length;
        }
        return size;
    }

    public static void write(Tensor tensor, OutputStream out) throws IOException {
        if (tensor.type() != DataType.BYTES) {
            ByteBuffer data = tensor.data();
            if (data.hasArray()) {
                out.write(data.array(), data.arrayOffset() + data.position(), data.remaining());
            } else {
                Channels.newChannel(out).write(data);
            }
            return;
        }
        byte[] length = new byte[4];
        ByteBuffer prefix = ByteBuffer.wrap(length).order(ByteOrder.LITTLE_ENDIAN);
        for (byte[] value : tensor.strings()) {
            prefix.putInt(0, value.length);
            out.write(length);
            out.write(value);
        }
    }

    /**
     * The elements of a BYTES tensor in raw form ({@code raw}'s remaining bytes), which must hold
     * exactly {@code count} of them; never reads past {@code raw}'s limit.
     */
    public static byte[][] splitBytes(String name, ByteBuffer raw, long count) {
        ByteBuffer in = raw.slice().order(ByteOrder.LITTLE_ENDIAN);
        List<byte[]> values = new ArrayList<>();
        while (in.remaining() >= 4) {
            int length = in.getInt();
            if (length < 0 || length > in.remaining()) {
                throw new InvalidTensorException("input '" + name + "': raw BYTES element " + values.size() + " claims "
                        + Integer.toUnsignedString(length) + " bytes, but only " + in.remaining() + " follow");
            }
            byte[] value = new byte[length];
            in.get(value);
            values.add(value);
        }
        if (in.hasRemaining() || values.size() != count) {
            throw new InvalidTensorException("input '" + name + "': raw BYTES hold " + values.size()
                    + (in.hasRemaining() ? " elements and " + in.remaining() + " stray bytes" : " elements") + ", shape wants " + count);
        }
        return values.toArray(byte[][]::new);
    }
}
