package dev.capstan.serve.tensor;

/**
 * bfloat16 (the protocol's BF16): the upper 16 bits of an IEEE binary32. Narrowing rounds to the
 * nearest value, ties to even, as PyTorch and NumPy's ml_dtypes do; NaN stays a (quiet) NaN.
 */
public final class BFloat16 {
    private BFloat16() {
    }

    public static short fromFloat(float value) {
        int bits = Float.floatToRawIntBits(value);
        if (Float.isNaN(value)) {
            return (short) ((bits >>> 16) | 0x0040);
        }
        int lsb = (bits >>> 16) & 1;
        return (short) ((bits + 0x7fff + lsb) >>> 16);
    }

    public static float toFloat(short value) {
        return Float.intBitsToFloat((value & 0xffff) << 16);
    }
}
