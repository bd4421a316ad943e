package dev.capstan.serve.tensor;

import java.util.Locale;

/** The Open Inference Protocol datatypes, with the size of one element in raw (little-endian) form. */
public enum DataType {
    BOOL(1), UINT8(1), UINT16(2), UINT32(4), UINT64(8), INT8(1), INT16(2), INT32(4), INT64(8),
    FP16(2), FP32(4), FP64(8),
    /** bfloat16: the upper half of an FP32 (1 sign, 8 exponent, 7 fraction bits); see {@link BFloat16}. */
    BF16(2),
    /** Variable-length byte strings; raw form is each element as a 4-byte little-endian length and its bytes. */
    BYTES(0);

    private final int elementSize;

    DataType(int elementSize) {
        this.elementSize = elementSize;
    }

    /** Bytes per element in raw form, 0 for BYTES. */
    public int elementSize() {
        return elementSize;
    }

    public boolean isFixedSize() {
        return elementSize > 0;
    }

    /** Parses a protocol datatype name; throws {@link InvalidTensorException} naming the bad value. */
    public static DataType parse(String name) {
        if (name == null) {
            throw new InvalidTensorException("datatype is missing");
        }
        try {
            return valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidTensorException("unknown datatype '" + name + "'");
        }
    }
}
