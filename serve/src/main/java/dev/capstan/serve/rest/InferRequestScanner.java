package dev.capstan.serve.rest;

import dev.capstan.serve.InferRequest;
import dev.capstan.serve.tensor.BFloat16;
import dev.capstan.serve.tensor.DataType;
import dev.capstan.serve.tensor.Shapes;
import dev.capstan.serve.tensor.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Reads the common form of an infer request straight from its bytes, numbers included, without
 * a token per number: {@code id}, {@code inputs} (each with {@code name}, {@code shape},
 * {@code datatype} before {@code data}, of a numeric or BOOL datatype other than UINT64) and
 * {@code outputs} by name; strings in plain ASCII without escapes; numbers in strict JSON
 * grammar (no NaN, Infinity or leading zeros).
 *
 * <p>It answers only when it can answer exactly as {@link InferRequestJson}'s Jackson reading
 * would: anything else (other fields, escapes, a value that does not fit its datatype, malformed
 * JSON) gives {@code null}, and the full reader decides, errors and their messages included.
 */
final class InferRequestScanner {
    /** Longest number literal read here; Jackson refuses those over 400 characters. */
    private static final int MAX_NUMBER_LENGTH = 100;
    /** Nesting of {@code data} arrays read here; Jackson refuses a document deeper than {@link Json#MAX_DEPTH}. */
    private static final int MAX_DATA_DEPTH = 32;
    private static final int MAX_RANK = 64;
    private static final float[] FLOAT_POWERS = {1e0f, 1e1f, 1e2f, 1e3f, 1e4f, 1e5f, 1e6f, 1e7f, 1e8f, 1e9f, 1e10f};
    private static final double[] DOUBLE_POWERS = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
            1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

    /** Thrown to give up; carries no stack trace, so giving up costs little. */
    private static final class NotHandled extends RuntimeException {
        NotHandled() {
            super(null, null, false, false);
        }
    }

    private static final NotHandled NOT_HANDLED = new NotHandled();

    private final byte[] b;
    private final int end;
    private final long bodyLength;
    private int i;

    // the number just read by number(): sign, up to 19 significant digits, decimal exponent, whether it had '.' or 'e'
    private boolean negative;
    private long mantissa;
    private int exponent;
    private boolean exact;
    private boolean integral;
    private int numberStart;

    private InferRequestScanner(byte[] body, int offset, int length) {
        this.b = body;
        this.i = offset;
        this.end = offset + length;
        this.bodyLength = length;
    }

    /** The request, or null when the body is not in the form read here. */
    static InferRequest read(byte[] body, int offset, int length) {
        try {
            return new InferRequestScanner(body, offset, length).request();
        } catch (RuntimeException e) {
            // NOT_HANDLED, or a value the tensor or shape checks refuse: the full reader says why
            return null;
        }
    }

    private InferRequest request() {
        String id = null;
        List<Tensor> inputs = null;
        List<String> outputs = null;
        expect('{');
        do {
            String field = string();
            expect(':');
            switch (field) {
                case "id" -> id = once(id, string());
                case "inputs" -> inputs = once(inputs, inputs());
                case "outputs" -> outputs = once(outputs, outputs());
                default -> throw NOT_HANDLED;
            }
        } while (more('}'));
        skipWhitespace();
        if (i != end || inputs == null) {
            throw NOT_HANDLED;
        }
        return new InferRequest(id, Map.of(), inputs, outputs == null ? List.of() : outputs, false);
    }

    private List<Tensor> inputs() {
        expect('[');
        List<Tensor> inputs = new ArrayList<>(2);
        do {
            inputs.add(input());
        } while (more(']'));
        return inputs;
    }

    private Tensor input() {
        expect('{');
        String name = null;
        long[] shape = null;
        DataType type = null;
        Tensor tensor = null;
        do {
            String field = string();
            expect(':');
            switch (field) {
                case "name" -> name = once(name, string());
                case "shape" -> shape = once(shape, shape());
                case "datatype" -> type = once(type, DataType.parse(string()));
                case "data" -> {
                    if (name == null || shape == null || type == null) {
                        throw NOT_HANDLED;
                    }
                    tensor = once(tensor, data(name, type, shape));
                }
                default -> throw NOT_HANDLED;
            }
        } while (more('}'));
        if (tensor == null) {
            throw NOT_HANDLED;
        }
        return tensor;
    }

    private List<String> outputs() {
        expect('[');
        List<String> names = new ArrayList<>(2);
        skipWhitespace();
        if (peek() == ']') {
            i++;
            return names;
        }
        do {
            expect('{');
            if (!string().equals("name")) {
                throw NOT_HANDLED;
            }
            expect(':');
            names.add(string());
            expect('}');
        } while (more(']'));
        return names;
    }

    private long[] shape() {
        expect('[');
        long[] dims = new long[4];
        int rank = 0;
        skipWhitespace();
        if (peek() == ']') {
            i++;
            return new long[0];
        }
        do {
            skipWhitespace();
            number();
            if (!integral || !exact || rank == MAX_RANK) {
                throw NOT_HANDLED;
            }
            if (rank == dims.length) {
                dims = Arrays.copyOf(dims, rank * 2);
            }
            dims[rank++] = negative ? -mantissa : mantissa;
        } while (more(']'));
        return Arrays.copyOf(dims, rank);
    }

    private Tensor data(String name, DataType type, long[] shape) {
        if (!type.isFixedSize() || type == DataType.UINT64) {
            throw NOT_HANDLED;
        }
        long count = Shapes.elementCount(shape, Tensor.MAX_ELEMENTS);
        if (count > bodyLength) {
            throw NOT_HANDLED;
        }
        ByteBuffer out = ByteBuffer.allocate((int) count * type.elementSize()).order(ByteOrder.LITTLE_ENDIAN);
        skipWhitespace();
        value(type, out, 0);
        if (out.hasRemaining()) {
            throw NOT_HANDLED;
        }
        out.flip();
        return Tensor.of(name, type, shape, out);
    }

    /** One value of {@code data}: an element, or an array of values (empty ones included), flattened row-major. */
    private void value(DataType type, ByteBuffer out, int depth) {
        if (peek() != '[') {
            element(type, out);
            return;
        }
        if (depth == MAX_DATA_DEPTH) {
            throw NOT_HANDLED;
        }
        i++;
        skipWhitespace();
        if (peek() == ']') {
            i++;
            return;
        }
        do {
            skipWhitespace();
            value(type, out, depth + 1);
        } while (more(']'));
    }

    private void element(DataType type, ByteBuffer out) {
        if (!out.hasRemaining()) {
            throw NOT_HANDLED;
        }
        if (type == DataType.BOOL) {
            out.put((byte) (bool() ? 1 : 0));
            return;
        }
        number();
        switch (type) {
            case FP32 -> out.putFloat(fp32());
            case FP64 -> out.putDouble(real());
            case FP16 -> out.putShort(Float.floatToFloat16((float) real()));
            case BF16 -> out.putShort(BFloat16.fromFloat((float) real()));
            case UINT8 -> out.put((byte) integer(0, 0xff));
            case INT8 -> out.put((byte) integer(Byte.MIN_VALUE, Byte.MAX_VALUE));
            case UINT16 -> out.putShort((short) integer(0, 0xffff));
            case INT16 -> out.putShort((short) integer(Short.MIN_VALUE, Short.MAX_VALUE));
            case UINT32 -> out.putInt((int) integer(0, 0xffffffffL));
            case INT32 -> out.putInt((int) integer(Integer.MIN_VALUE, Integer.MAX_VALUE));
            case INT64 -> out.putLong(integer(Long.MIN_VALUE, Long.MAX_VALUE));
            default -> throw NOT_HANDLED;
        }
    }

    private boolean bool() {
        if (matches("true")) {
            return true;
        }
        if (matches("false")) {
            return false;
        }
        throw NOT_HANDLED;
    }

    private boolean matches(String word) {
        if (end - i < word.length()) {
            return false;
        }
        for (int k = 0; k < word.length(); k++) {
            if (b[i + k] != word.charAt(k)) {
                return false;
            }
        }
        i += word.length();
        return true;
    }

    /** An integer literal's value within [min, max]; anything else is left to the full reader (which says "out of range" or "not an integer"). */
    private long integer(long min, long max) {
        if (!integral || !exact) {
            throw NOT_HANDLED;
        }
        long value = negative ? -mantissa : mantissa;
        if (value < min || value > max) {
            throw NOT_HANDLED;
        }
        return value;
    }

    /**
     * Correctly rounded: a mantissa that a float holds exactly, scaled by a power of ten that it
     * also holds exactly, is one IEEE operation (Clinger's fast path); otherwise the JDK's parser.
     */
    private float fp32() {
        if (exact && mantissa < (1L << 24) && exponent >= -10 && exponent <= 10) {
            float value = exponent < 0 ? (float) mantissa / FLOAT_POWERS[-exponent] : (float) mantissa * FLOAT_POWERS[exponent];
            return negative ? -value : value;
        }
        return Float.parseFloat(literal());
    }

    private double fp64() {
        if (exact && mantissa < (1L << 53) && exponent >= -22 && exponent <= 22) {
            double value = exponent < 0 ? (double) mantissa / DOUBLE_POWERS[-exponent] : (double) mantissa * DOUBLE_POWERS[exponent];
            return negative ? -value : value;
        }
        return Double.parseDouble(literal());
    }

    /** FP64 and FP16 values; Jackson's reading takes the integer {@code -0} as +0 there, so that one is left to it. */
    private double real() {
        if (integral && negative && mantissa == 0) {
            throw NOT_HANDLED;
        }
        return fp64();
    }

    private String literal() {
        return new String(b, numberStart, i - numberStart, StandardCharsets.ISO_8859_1);
    }

    /**
     * Reads a number in strict JSON grammar, {@code -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?},
     * into the fields above; {@code exact} is false when the significant digits do not fit a long
     * or the exponent is far out of range (the literal is then parsed by the JDK).
     */
    private void number() {
        byte[] b = this.b;
        int end = this.end;
        int p = i;
        numberStart = p;
        boolean minus = p < end && b[p] == '-';
        if (minus) {
            p++;
        }
        long m = 0;
        int e = 0;
        int digits = 0;
        boolean fits = true;
        boolean whole = true;
        int c = p < end ? b[p] : -1;
        if (c == '0') {
            p++;
        } else if (c >= '1' && c <= '9') {
            for (; p < end && (c = b[p]) >= '0' && c <= '9'; p++) {
                if (digits++ < 18) {
                    m = m * 10 + (c - '0');
                } else {
                    fits = false;
                }
            }
        } else {
            throw NOT_HANDLED;
        }
        if (p < end && b[p] == '.') {
            whole = false;
            int start = ++p;
            for (; p < end && (c = b[p]) >= '0' && c <= '9'; p++) {
                e--;
                if (digits > 0 || c != '0') {
                    if (digits++ < 18) {
                        m = m * 10 + (c - '0');
                    } else {
                        fits = false;
                    }
                }
            }
            if (p == start) {
                throw NOT_HANDLED;
            }
        }
        if (p < end && (b[p] == 'e' || b[p] == 'E')) {
            whole = false;
            p++;
            boolean negativeExponent = p < end && b[p] == '-';
            if (p < end && (b[p] == '-' || b[p] == '+')) {
                p++;
            }
            int start = p;
            int value = 0;
            for (; p < end && (c = b[p]) >= '0' && c <= '9'; p++) {
                value = Math.min(value * 10 + (c - '0'), 100_000);
            }
            if (p == start) {
                throw NOT_HANDLED;
            }
            e += negativeExponent ? -value : value;
        }
        if (p - numberStart > MAX_NUMBER_LENGTH) {
            throw NOT_HANDLED;
        }
        i = p;
        negative = minus;
        mantissa = m;
        exponent = e;
        exact = fits;
        integral = whole;
    }

    /** A string of printable ASCII without escapes. */
    private String string() {
        expect('"');
        int start = i;
        for (int c = peek(); c != '"'; c = peek()) {
            if (c < 0x20 || c == '\\' || c >= 0x7f) {
                throw NOT_HANDLED;
            }
            i++;
        }
        i++;
        return new String(b, start, i - 1 - start, StandardCharsets.ISO_8859_1);
    }

    private static <T> T once(T previous, T value) {
        if (previous != null) {
            throw NOT_HANDLED;
        }
        return value;
    }

    /** After a member or element: true at ',' (another follows), false at {@code close}. */
    private boolean more(char close) {
        skipWhitespace();
        int c = peek();
        i++;
        if (c == ',') {
            skipWhitespace();
            return true;
        }
        if (c == close) {
            return false;
        }
        throw NOT_HANDLED;
    }

    private void expect(char c) {
        skipWhitespace();
        if (peek() != c) {
            throw NOT_HANDLED;
        }
        i++;
        skipWhitespace();
    }

    private void skipWhitespace() {
        while (i < end && (b[i] == ' ' || b[i] == '\n' || b[i] == '\r' || b[i] == '\t')) {
            i++;
        }
    }

    /** The byte at the position, or -1 at the end. */
    private int peek() {
        return i < end ? b[i] & 0xff : -1;
    }
}
