package dev.capstan.serve.tensor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;

/**
 * A named, immutable tensor: datatype, shape and row-major data. Fixed-size datatypes keep their
 * data as little-endian bytes (the protocol's raw form); BYTES keeps one byte array per element.
 */
public final class Tensor {
    /** No tensor may hold more elements than this (about 2 GiB of FP32). */
    public static final long MAX_ELEMENTS = Integer.MAX_VALUE / 4;

    private final String name;
    private final DataType type;
    private final long[] shape;
    private final ByteBuffer data;
    private final byte[][] strings;

    private Tensor(String name, DataType type, long[] shape, ByteBuffer data, byte[][] strings) {
        this.name = name;
        this.type = type;
        this.shape = shape;
        this.data = data;
        this.strings = strings;
    }

    /** A tensor of a fixed-size datatype over little-endian {@code data} (its remaining bytes). */
    public static Tensor of(String name, DataType type, long[] shape, ByteBuffer data) {
        if (type == DataType.BYTES) {
            throw new InvalidTensorException("BYTES tensor '" + name + "' needs one byte array per element");
        }
        long count = Shapes.elementCount(shape, MAX_ELEMENTS);
        if (data.remaining() != count * type.elementSize()) {
            throw new InvalidTensorException("input '" + name + "' has shape " + Arrays.toString(shape) + " ("
                    + count + " elements of " + type + ") but " + data.remaining() + " bytes of data");
        }
        return new Tensor(name, type, shape.clone(), data.slice().order(ByteOrder.LITTLE_ENDIAN), null);
    }

    /** A BYTES tensor, one byte array per element. */
    public static Tensor ofBytes(String name, long[] shape, byte[][] values) {
        long count = Shapes.elementCount(shape, MAX_ELEMENTS);
        if (values.length != count) {
            throw new InvalidTensorException("input '" + name + "' has shape " + Arrays.toString(shape) + " ("
                    + count + " elements) but " + values.length + " values");
        }
        return new Tensor(name, DataType.BYTES, shape.clone(), null, values);
    }

    public static Tensor ofFloats(String name, long[] shape, float... values) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asFloatBuffer().put(values);
        return of(name, DataType.FP32, shape, buffer);
    }

    public String name() {
        return name;
    }

    public DataType type() {
        return type;
    }

    public long[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    public long dim(int index) {
        return shape[index];
    }

    public long elementCount() {
        return type == DataType.BYTES ? strings.length : data.remaining() / type.elementSize();
    }

    /** The raw little-endian data of a fixed-size tensor, as a read-only view. */
    public ByteBuffer data() {
        return data.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** The elements of a BYTES tensor (not copied: do not modify). */
    public byte[][] strings() {
        return strings;
    }

    public Tensor withName(String newName) {
        return new Tensor(newName, type, shape, data, strings);
    }

    /** This tensor's data as floats, converting from any numeric datatype; for tests and tools. */
    public float[] toFloats() {
        float[] out = new float[(int) elementCount()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) Elements.asDouble(type, data, i);
        }
        return out;
    }

    /** Rows {@code [from, from + count)} along the first dimension. */
    public Tensor rows(long from, long count) {
        long[] newShape = shape.clone();
        newShape[0] = count;
        long rowElements = shape[0] == 0 ? 0 : elementCount() / shape[0];
        if (type == DataType.BYTES) {
            byte[][] part = Arrays.copyOfRange(strings, (int) (from * rowElements), (int) ((from + count) * rowElements));
            return new Tensor(name, type, newShape, null, part);
        }
        int rowBytes = (int) (rowElements * type.elementSize());
        ByteBuffer part = data.slice((int) (from * rowBytes), (int) (count * rowBytes)).order(ByteOrder.LITTLE_ENDIAN);
        return new Tensor(name, type, newShape, part, null);
    }

    /** Joins tensors of one name, datatype and trailing shape along their first dimension. */
    public static Tensor concat(List<Tensor> parts) {
        Tensor first = parts.get(0);
        if (parts.size() == 1) {
            return first;
        }
        long[] newShape = first.shape.clone();
        newShape[0] = 0;
        for (Tensor part : parts) {
            newShape[0] += part.shape[0];
        }
        if (first.type == DataType.BYTES) {
            byte[][] all = parts.stream().flatMap(p -> Arrays.stream(p.strings)).toArray(byte[][]::new);
            return new Tensor(first.name, first.type, newShape, null, all);
        }
        int total = parts.stream().mapToInt(p -> p.data.remaining()).sum();
        ByteBuffer joined = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
        for (Tensor part : parts) {
            joined.put(part.data.duplicate());
        }
        joined.flip();
        return new Tensor(first.name, first.type, newShape, joined, null);
    }

    /** True when {@code other} can be stacked with this one along the first dimension. */
    public boolean stacksWith(Tensor other) {
        return type == other.type && name.equals(other.name) && shape.length == other.shape.length
                && shape.length > 0
                && Arrays.equals(shape, 1, shape.length, other.shape, 1, other.shape.length);
    }

    @Override
    public String toString() {
        return name + ":" + type + Arrays.toString(shape);
    }
}
