package dev.capstan.serve.grpc;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import dev.capstan.serve.grpc.proto.InferTensorContents;
import dev.capstan.serve.grpc.proto.ModelInferRequest.InferInputTensor;
import dev.capstan.serve.tensor.DataType;
import dev.capstan.serve.tensor.InvalidTensorException;
import dev.capstan.serve.tensor.RawForm;
import dev.capstan.serve.tensor.Shapes;
import dev.capstan.serve.tensor.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/** Converts tensors between the gRPC messages (typed contents or raw bytes) and {@link Tensor}. */
final class GrpcTensors {
    private GrpcTensors() {
    }

    static long[] shape(List<Long> dims) {
        long[] shape = new long[dims.size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = dims.get(i);
        }
        return shape;
    }

    static Tensor fromRaw(InferInputTensor input, ByteString raw) {
        DataType type = DataType.parse(input.getDatatype());
        long[] shape = shape(input.getShapeList());
        if (type == DataType.BYTES) {
            return Tensor.ofBytes(input.getName(), shape, RawForm.splitBytes(input.getName(), raw.asReadOnlyByteBuffer(), Shapes.elementCount(shape, raw.size() / 4 + 1)));
        }
        return Tensor.of(input.getName(), type, shape, raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN));
    }

    static Tensor fromContents(InferInputTensor input) {
        DataType type = DataType.parse(input.getDatatype());
        long[] shape = shape(input.getShapeList());
        InferTensorContents c = input.getContents();
        String name = input.getName();
        int count = switch (type) {
            case BOOL -> c.getBoolContentsCount();
            case INT8, INT16, INT32 -> c.getIntContentsCount();
            case INT64 -> c.getInt64ContentsCount();
            case UINT8, UINT16, UINT32 -> c.getUintContentsCount();
            case UINT64 -> c.getUint64ContentsCount();
            case FP32 -> c.getFp32ContentsCount();
            case FP64 -> c.getFp64ContentsCount();
            case BYTES -> c.getBytesContentsCount();
            case FP16, BF16 -> throw new InvalidTensorException("input '" + name + "' is " + type + ", which has no typed contents; send it in raw_input_contents");
        };
        long wanted = Shapes.elementCount(shape, Tensor.MAX_ELEMENTS);
        if (wanted != count) {
            throw new InvalidTensorException("input '" + name + "' has shape " + java.util.Arrays.toString(shape) + " (" + wanted
                    + " elements) but its contents hold " + count);
        }
        if (type == DataType.BYTES) {
            byte[][] values = new byte[count][];
            for (int i = 0; i < count; i++) {
                values[i] = c.getBytesContents(i).toByteArray();
            }
            return Tensor.ofBytes(name, shape, values);
        }
        ByteBuffer out = ByteBuffer.allocate(count * type.elementSize()).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < count; i++) {
            switch (type) {
                case BOOL -> out.put((byte) (c.getBoolContents(i) ? 1 : 0));
                case INT8 -> out.put((byte) checked(name, c.getIntContents(i), Byte.MIN_VALUE, Byte.MAX_VALUE));
                case INT16 -> out.putShort((short) checked(name, c.getIntContents(i), Short.MIN_VALUE, Short.MAX_VALUE));
                case INT32 -> out.putInt(c.getIntContents(i));
                case INT64 -> out.putLong(c.getInt64Contents(i));
                case UINT8 -> out.put((byte) checked(name, Integer.toUnsignedLong(c.getUintContents(i)), 0, 0xff));
                case UINT16 -> out.putShort((short) checked(name, Integer.toUnsignedLong(c.getUintContents(i)), 0, 0xffff));
                case UINT32 -> out.putInt(c.getUintContents(i));
                case UINT64 -> out.putLong(c.getUint64Contents(i));
                case FP32 -> out.putFloat(c.getFp32Contents(i));
                case FP64 -> out.putDouble(c.getFp64Contents(i));
                default -> throw new IllegalStateException(type.name());
            }
        }
        out.flip();
        return Tensor.of(name, type, shape, out);
    }

    private static long checked(String name, long value, long min, long max) {
        if (value < min || value > max) {
            throw new InvalidTensorException("input '" + name + "': value " + value + " is out of range");
        }
        return value;
    }

    /** The raw form of a tensor ({@link RawForm}). */
    static ByteString raw(Tensor tensor) {
        if (tensor.type() != DataType.BYTES) {
            return UnsafeByteOperations.unsafeWrap(tensor.data());
        }
        ByteString.Output out = ByteString.newOutput((int) RawForm.size(tensor));
        try {
            RawForm.write(tensor, out);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toByteString();
    }

    static InferTensorContents contents(Tensor tensor) {
        InferTensorContents.Builder c = InferTensorContents.newBuilder();
        if (tensor.type() == DataType.BYTES) {
            for (byte[] value : tensor.strings()) {
                c.addBytesContents(ByteString.copyFrom(value));
            }
            return c.build();
        }
        ByteBuffer data = tensor.data();
        int count = (int) tensor.elementCount();
        for (int i = 0; i < count; i++) {
            switch (tensor.type()) {
                case BOOL -> c.addBoolContents(data.get(i) != 0);
                case INT8 -> c.addIntContents(data.get(i));
                case INT16 -> c.addIntContents(data.getShort(i * 2));
                case INT32 -> c.addIntContents(data.getInt(i * 4));
                case INT64 -> c.addInt64Contents(data.getLong(i * 8));
                case UINT8 -> c.addUintContents(data.get(i) & 0xff);
                case UINT16 -> c.addUintContents(data.getShort(i * 2) & 0xffff);
                case UINT32 -> c.addUintContents(data.getInt(i * 4));
                case UINT64 -> c.addUint64Contents(data.getLong(i * 8));
                case FP32 -> c.addFp32Contents(data.getFloat(i * 4));
                case FP64 -> c.addFp64Contents(data.getDouble(i * 8));
                default -> throw new IllegalStateException(tensor.type() + " has no typed contents");
            }
        }
        return c.build();
    }
}
