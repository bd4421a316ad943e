package dev.capstan.serve.tensor;

import java.util.Arrays;

/** Arithmetic on tensor shapes that never overflows silently. */
public final class Shapes {
    private Shapes() {
    }

    /** The number of elements a shape holds; rejects negative dimensions and products past {@code limit}. */
    public static long elementCount(long[] shape, long limit) {
        long count = 1;
        for (long dim : shape) {
            if (dim < 0) {
                throw new InvalidTensorException("shape " + Arrays.toString(shape) + " has a negative dimension");
            }
            try {
                count = Math.multiplyExact(count, dim);
            } catch (ArithmeticException e) {
                throw new InvalidTensorException("shape " + Arrays.toString(shape) + " overflows");
            }
            if (count > limit) {
                throw new InvalidTensorException(
                        "shape " + Arrays.toString(shape) + " holds more than " + limit + " elements");
            }
        }
        return count;
    }

    /** True when a concrete shape fits a declared one, where -1 in the declared shape matches any size. */
    public static boolean fits(long[] declared, long[] actual) {
        if (declared == null) {
            return true;
        }
        if (declared.length != actual.length) {
            return false;
        }
        for (int i = 0; i < declared.length; i++) {
            if (declared[i] >= 0 && declared[i] != actual[i]) {
                return false;
            }
        }
        return true;
    }

    public static String format(long[] shape) {
        return shape == null ? "[-1]" : Arrays.toString(shape);
    }
}
