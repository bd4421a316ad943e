package dev.capstan.serve.rest;

/**
 * Converts short decimal literals (as JSON clients write FP32/FP64 data) to float or double
 * without a general-purpose parser, when the conversion is exact: a mantissa that the target
 * type holds exactly, scaled by a power of ten that it also holds exactly, is one correctly
 * rounded IEEE multiplication or division (Clinger's fast path). Everything else returns NaN's
 * sentinel {@link #NOT_FAST} and is left to the full parser.
 */
final class DecimalText {
    /** Returned when the fast path does not apply; never a parsed value (those NaNs are not produced here). */
    static final long NOT_FAST = Long.MIN_VALUE;

    private static final float[] FLOAT_POWERS = {1e0f, 1e1f, 1e2f, 1e3f, 1e4f, 1e5f, 1e6f, 1e7f, 1e8f, 1e9f, 1e10f};
    private static final double[] DOUBLE_POWERS = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
            1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

    private DecimalText() {
    }

    /** The float's bits as a long, or {@link #NOT_FAST}. */
    static long floatBits(char[] text, int offset, int length) {
        long parsed = parse(text, offset, length);
        if (parsed == NOT_FAST) {
            return NOT_FAST;
        }
        long mantissa = mantissa(parsed);
        int exponent = exponent(parsed);
        if (mantissa >= (1L << 24) || exponent < -10 || exponent > 10) {
            return NOT_FAST;
        }
        float value = exponent < 0 ? (float) mantissa / FLOAT_POWERS[-exponent] : (float) mantissa * FLOAT_POWERS[exponent];
        return Float.floatToRawIntBits(negative(parsed) ? -value : value);
    }

    /** The double's bits, or {@link #NOT_FAST}. */
    static long doubleBits(char[] text, int offset, int length) {
        long parsed = parse(text, offset, length);
        if (parsed == NOT_FAST) {
            return NOT_FAST;
        }
        long mantissa = mantissa(parsed);
        int exponent = exponent(parsed);
        if (mantissa >= (1L << 53) || exponent < -22 || exponent > 22) {
            return NOT_FAST;
        }
        double value = exponent < 0 ? (double) mantissa / DOUBLE_POWERS[-exponent] : (double) mantissa * DOUBLE_POWERS[exponent];
        long bits = Double.doubleToRawLongBits(negative(parsed) ? -value : value);
        return bits == NOT_FAST ? NOT_FAST : bits;
    }

    // parsed form: bit 63 unused (NOT_FAST), bit 62 sign, bits 54..61 exponent + 128, bits 0..53 mantissa
    private static long parse(char[] text, int offset, int length) {
        int i = offset;
        int end = offset + length;
        boolean negative = false;
        if (i < end && text[i] == '-') {
            negative = true;
            i++;
        }
        long mantissa = 0;
        int digits = 0;
        int exponent = 0;
        boolean any = false;
        for (; i < end && text[i] >= '0' && text[i] <= '9'; i++) {
            any = true;
            if (mantissa != 0 || text[i] != '0') {
                if (++digits > 17) {
                    return NOT_FAST;
                }
                mantissa = mantissa * 10 + (text[i] - '0');
            }
        }
        if (i < end && text[i] == '.') {
            for (i++; i < end && text[i] >= '0' && text[i] <= '9'; i++) {
                any = true;
                exponent--;
                if (mantissa != 0 || text[i] != '0') {
                    if (++digits > 17) {
                        return NOT_FAST;
                    }
                    mantissa = mantissa * 10 + (text[i] - '0');
                }
            }
        }
        if (!any) {
            return NOT_FAST;
        }
        if (i < end && (text[i] == 'e' || text[i] == 'E')) {
            i++;
            boolean negativeExponent = false;
            if (i < end && (text[i] == '+' || text[i] == '-')) {
                negativeExponent = text[i] == '-';
                i++;
            }
            int value = 0;
            int start = i;
            for (; i < end && text[i] >= '0' && text[i] <= '9' && value < 1000; i++) {
                value = value * 10 + (text[i] - '0');
            }
            if (i == start) {
                return NOT_FAST;
            }
            exponent += negativeExponent ? -value : value;
        }
        if (i != end || exponent < -100 || exponent > 100 || mantissa >= (1L << 54)) {
            return NOT_FAST;
        }
        return (negative ? 1L << 62 : 0) | ((long) (exponent + 128) << 54) | mantissa;
    }

    private static long mantissa(long parsed) {
        return parsed & ((1L << 54) - 1);
    }

    private static int exponent(long parsed) {
        return (int) ((parsed >>> 54) & 0xff) - 128;
    }

    private static boolean negative(long parsed) {
        return (parsed & (1L << 62)) != 0;
    }
}
