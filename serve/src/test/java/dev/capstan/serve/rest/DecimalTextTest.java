package dev.capstan.serve.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The fast decimal path agrees bit for bit with Java's own parsers wherever it answers. */
class DecimalTextTest {
    @Test
    void agreesWithTheJdkOnRandomAndEdgeLiterals() {
        Random random = new Random(42);
        int fast = 0;
        for (int i = 0; i < 200_000; i++) {
            String text = switch (i % 4) {
                case 0 -> Float.toString((float) random.nextGaussian() * 100);
                case 1 -> Double.toString(random.nextGaussian() * Math.pow(10, random.nextInt(40) - 20));
                case 2 -> String.format(java.util.Locale.ROOT, "%.6f", random.nextDouble() * 2 - 1);
                default -> Long.toString(random.nextLong() >> random.nextInt(64));
            };
            fast += check(text);
        }
        for (String edge : new String[] {"0", "-0", "0.0", "-0.0", "1e10", "1E-10", "16777215", "16777217", "123456789012345678",
                "3.4028235e38", "1.4e-45", "0.1", "0.30000000000000004", "9007199254740993", "1e22", "1e23", "5e-324", ".5", "5.", "1e", "-"}) {
            check(edge);
        }
        assertEquals(true, fast > 50_000, "most literals take the fast path: " + fast);
    }

    private static int check(String text) {
        char[] chars = ("xx" + text + "yy").toCharArray();
        long f = DecimalText.floatBits(chars, 2, text.length());
        long d = DecimalText.doubleBits(chars, 2, text.length());
        if (f != DecimalText.NOT_FAST) {
            assertEquals(Float.floatToRawIntBits(Float.parseFloat(text)), (int) f, text);
        }
        if (d != DecimalText.NOT_FAST) {
            assertEquals(Double.doubleToRawLongBits(Double.parseDouble(text)), d, text);
        }
        return f != DecimalText.NOT_FAST ? 1 : 0;
    }
}
